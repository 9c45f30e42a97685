// Small behaviours that pages declare with data attributes instead of inline
// handlers, so the Content-Security-Policy can forbid inline script.
//   data-autosubmit        a select or input that submits its form when changed
//   data-navigate="PREFIX" a select that goes to PREFIX + its value (to the value itself when empty)
//   data-confirm="TEXT"    a button or link that asks TEXT first
//   data-select-on-click   a field whose text is selected when clicked (to copy it)
//   data-print             a button that prints the page
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("[data-autosubmit]") && el.form) {
      el.form.submit();
    } else if (el.matches("[data-navigate]")) {
      var prefix = el.getAttribute("data-navigate");
      window.location.href = prefix ? prefix + encodeURIComponent(el.value) : el.value;
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    var confirmed = target.closest("[data-confirm]");
    if (confirmed && !window.confirm(confirmed.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    if (target.matches("[data-select-on-click]")) {
      target.select();
    }
    if (target.closest("[data-print]")) {
      window.print();
    }
  });
})();
