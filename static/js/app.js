// Ask before destructive actions: any submit button with data-confirm.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// --- One post per click (issue 14) ---------------------------------------------------
// After a POST form is submitted, its submit buttons are disabled and a second submit of
// the same form is ignored, so a double click cannot post twice. Disabled on the next
// tick: the clicked button's name and value are still sent. Enabled again when the page
// is shown from the back-forward cache, or after a while (a download leaves the page).
(function () {
  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }
  function release(form) {
    delete form.dataset.submitting;
    buttons(form).forEach(function (b) { b.disabled = false; });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    window.setTimeout(function () {
      buttons(form).forEach(function (b) { b.disabled = true; });
    }, 0);
    window.setTimeout(function () { release(form); }, 15000);
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submitting]").forEach(release);
    }
  });
})();

/* --- Tender form: "restricted to 3A+" implies the minimum grade (issue 14) --- */
document.addEventListener("change", function (event) {
  var rule = event.target;
  if (!rule.dataset || !rule.dataset.restrictsGrade || rule.value !== "restricted") return;
  var grade = rule.form && rule.form.elements.namedItem("min_grade");
  var floor = parseInt(rule.dataset.restrictsGrade, 10);
  if (grade && parseInt(grade.value || "0", 10) < floor) grade.value = String(floor);
});
