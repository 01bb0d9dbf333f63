// "Print / 打印" buttons (data-print): no inline script, so the CSP holds.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
