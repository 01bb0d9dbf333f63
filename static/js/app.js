// Ask before destructive actions: any submit button with data-confirm.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

/* --- Tender form: "restricted to 3A+" implies the minimum grade (issue 14) --- */
document.addEventListener("change", function (event) {
  var rule = event.target;
  if (!rule.dataset || !rule.dataset.restrictsGrade || rule.value !== "restricted") return;
  var grade = rule.form && rule.form.elements.namedItem("min_grade");
  var floor = parseInt(rule.dataset.restrictsGrade, 10);
  if (grade && parseInt(grade.value || "0", 10) < floor) grade.value = String(floor);
});
