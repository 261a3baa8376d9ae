// The filter panel and the table of contents are <details> elements, open in the HTML so that
// nothing is hidden without JavaScript. On a phone they start closed, so the results or the
// procedure come first. Runs on load and after each htmx swap of the results.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 55.99em)");
  function collapse(root) {
    if (!narrow.matches) { return; }
    root.querySelectorAll("details[data-collapse-narrow]").forEach(function (el) { el.open = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { collapse(document); });
  document.addEventListener("htmx:afterSwap", function (event) { collapse(event.detail.target); });
})();
