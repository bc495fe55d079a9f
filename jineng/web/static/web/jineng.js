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

  // Pickers (jineng/web/widgets.py): a search box bound to a <datalist>. Typing asks the look-up for matches by
  // name or code; choosing one puts its code in the box and shows its name below.
  var timers = new WeakMap();
  function fill(input, results) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    list.textContent = "";
    results.forEach(function (r) {
      var option = document.createElement("option");
      option.value = r.code;
      option.textContent = r.label;
      list.appendChild(option);
    });
    var chosen = results.filter(function (r) { return r.code === input.value; })[0];
    var shown = input.parentNode.querySelector("[data-jn-picker-current]");
    if (shown && chosen) { shown.textContent = chosen.label; }
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-jn-picker")) { return; }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () {
      var q = input.value.trim();
      if (!q) { return; }
      var url = input.getAttribute("data-jn-picker-url") + "?q=" + encodeURIComponent(q);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { fill(input, data.results || []); })
        .catch(function () { /* the box still takes a typed code */ });
    }, 200));
  });
})();
