// Account forms. Everything works without this script; it only tidies the page:
// - the organisation's fields are hidden while "Cá nhân" is chosen (they are ignored then anyway);
// - the no-JavaScript hint of the address picker is hidden, since htmx loads the communes.
(function () {
  "use strict";
  function syncKind(form) {
    var chosen = form.querySelector('input[name="kind"]:checked');
    form.querySelectorAll("[data-show-for-kind]").forEach(function (group) {
      group.hidden = chosen !== null && chosen.value !== group.getAttribute("data-show-for-kind");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".account-unit").forEach(function (el) { el.setAttribute("data-enhanced", ""); });
    document.querySelectorAll("form.account-form").forEach(function (form) {
      if (!form.querySelector('input[name="kind"]')) { return; }
      syncKind(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "kind") { syncKind(form); }
      });
    });
  });
})();
