// Small behaviours that pages declare with data attributes instead of inline
// handlers, so the Content-Security-Policy can forbid inline script.
//   data-autosubmit        a select or input that submits its form when changed
//   data-navigate="PREFIX" a select that goes to PREFIX + its value (to the value itself when empty)
//   data-confirm="TEXT"    a button or link that asks TEXT first
//   data-select-on-click   a field whose text is selected when clicked (to copy it)
//   data-print             a button that prints the page
//   data-filter-by="NAME"  a select whose options (each with data-key) show only when they match
//                          the value of the form's field NAME (e.g. punches of the chosen agent)
// And on every page: a .table-responsive that scrolls sideways (a wide table on a phone)
// takes the keyboard's focus, named after its card's title, so the arrows can scroll it.
(function () {
  "use strict";
  function filterOptions(select) {
    var source = select.form && select.form.elements[select.getAttribute("data-filter-by")];
    if (!source) return;
    Array.prototype.forEach.call(select.options, function (option) {
      var key = option.getAttribute("data-key");
      var hidden = key !== null && source.value !== "" && key !== source.value;
      option.hidden = hidden;
      option.disabled = hidden;
      if (hidden && option.selected) select.value = "";
    });
  }
  function filterAll() {
    document.querySelectorAll("select[data-filter-by]").forEach(filterOptions);
  }
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth + 1) return;
      box.setAttribute("tabindex", "0");
      var card = box.closest(".card");
      var title = box.querySelector("caption") || (card && card.querySelector(".card-title"));
      if (title && title.textContent.trim()) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", title.textContent.trim());
      }
    });
  }
  function start() {
    filterAll();
    focusableScrollers();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.form) {
      el.form.querySelectorAll('select[data-filter-by="' + el.name + '"]').forEach(filterOptions);
    }
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
