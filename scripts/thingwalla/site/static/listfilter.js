/* Filters for the challenge and method indexes (issue 4). Without JavaScript every item is listed and the
   form stays hidden. Each <select name="x"> keeps the items whose data-x holds the chosen value (a
   space-separated list); the choice is kept in the address so a filtered list can be shared. */
(function () {
  "use strict";
  function setUp(form) {
    var list = document.querySelector("[data-tw-filter-list]");
    var count = document.querySelector("[data-tw-filter-count]");
    var empty = document.querySelector("[data-tw-filter-empty]");
    if (!list) { return; }
    var items = Array.prototype.slice.call(list.children);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      if (wanted && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) { select.value = wanted; }
    });
    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        var keep = selects.every(function (select) {
          return !select.value || (item.dataset[select.name] || "").split(" ").indexOf(select.value) !== -1;
        });
        item.hidden = !keep;
        if (keep) { shown += 1; }
      });
      if (count) {
        count.textContent = count.dataset.template.replace("{n}", shown).replace("{total}", items.length);
      }
      if (empty) { empty.hidden = shown !== 0; }
      var query = new URLSearchParams();
      selects.forEach(function (select) { if (select.value) { query.set(select.name, select.value); } });
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  function start() {
    var forms = document.querySelectorAll("form[data-tw-filter]");
    Array.prototype.forEach.call(forms, setUp);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(start); }
})();
