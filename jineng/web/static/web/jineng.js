// Jineng shell behaviour. A static file: the CSP allows no inline scripts.
(function () {
  "use strict";
  // A button or form carrying data-jn-confirm asks before it submits (revoking a token, for example).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var source = event.submitter && event.submitter.hasAttribute("data-jn-confirm") ? event.submitter : form;
    var question = source.getAttribute && source.getAttribute("data-jn-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
