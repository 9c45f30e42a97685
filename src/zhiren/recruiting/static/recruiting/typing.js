// The typing test's countdown: shows the seconds left and submits the form at zero.
// The score never trusts this clock: the server measures the time between issue and submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-typing-seconds]");
  if (!form) return;
  var left = parseInt(form.getAttribute("data-typing-seconds"), 10);
  var shown = document.querySelector("[data-typing-left]");
  var area = form.querySelector("textarea");
  if (area) area.focus();
  var timer = setInterval(function () {
    left -= 1;
    if (shown) shown.textContent = String(Math.max(0, left));
    if (left <= 0) {
      clearInterval(timer);
      form.submit();
    }
  }, 1000);
})();
