// E-forms: two small enhancements; the form works without them.
// 1. The error summary takes the focus, so a screen reader announces it and the keyboard starts there.
// 2. The unit picker: choosing a province loads its communes from the open API (/api/v1/units),
//    page by page. Without JavaScript the commune list comes with the page after a submission.
(function () {
  "use strict";

  // The API pages by cursor; each request repeats the filters with the previous page's `next`.
  function fetchCommunes(url, province, done, collected, cursor) {
    collected = collected || [];
    var query = "edition=2025&level=commune&limit=100&parent=" + encodeURIComponent(province);
    if (cursor) { query += "&cursor=" + encodeURIComponent(cursor); }
    fetch(url + "?" + query, { headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (page) {
        collected = collected.concat(page.items);
        if (page.next) {
          fetchCommunes(url, province, done, collected, page.next);
        } else {
          done(collected);
        }
      })
      .catch(function () { done(null); });
  }

  function enhance(root) {
    var form = root.closest(".eform");
    var url = form && form.getAttribute("data-units-url");
    var province = root.querySelector("[data-unit-province]");
    var commune = root.querySelector("[data-unit-commune]");
    if (!url || !province || !commune || !window.fetch) { return; }
    root.setAttribute("data-enhanced", "");
    province.addEventListener("change", function () {
      var code = province.value;
      commune.innerHTML = "";
      var placeholder = document.createElement("option");
      placeholder.value = "";
      // The texts come translated from the template (data-text-*), not from this file.
      placeholder.textContent = commune.getAttribute(code ? "data-text-loading" : "data-text-province-first");
      commune.appendChild(placeholder);
      if (!code) { return; }
      fetchCommunes(url, code, function (units) {
        if (province.value !== code) { return; }
        if (units === null) {
          placeholder.textContent = commune.getAttribute("data-text-failed");
          root.removeAttribute("data-enhanced");
          return;
        }
        units.sort(function (a, b) { return a.name.localeCompare(b.name, "vi"); });
        placeholder.textContent = commune.getAttribute("data-text-choose");
        units.forEach(function (unit) {
          var option = document.createElement("option");
          option.value = unit.code;
          option.textContent = unit.name;
          commune.appendChild(option);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".eform [data-unit-picker]").forEach(enhance);
    var summary = document.querySelector(".eform .eform-summary");
    if (summary) { summary.focus(); }
  });
})();
