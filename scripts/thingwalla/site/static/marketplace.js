/* Thingwalla marketplace behaviour: category filter, home search, compare. Pages work without it. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // Category page: filter cards by solution type; announce the count to screen readers.
  function setupFilter() {
    var form = document.querySelector("[data-tw-filter]");
    var list = document.querySelector("[data-tw-cards]");
    var status = document.querySelector("[data-tw-count]");
    if (!form || !list || !status) return;
    form.hidden = false;
    var cards = Array.prototype.slice.call(list.querySelectorAll(".tw-card"));
    var params = new URLSearchParams(location.search);
    var initial = params.get("type") || "";
    var radio = form.querySelector('input[value="' + CSS.escape(initial) + '"]');
    if (radio) radio.checked = true;
    function apply(push) {
      var checked = form.querySelector("input[name=solution-type]:checked");
      var wanted = checked ? checked.value : "";
      var shown = 0;
      cards.forEach(function (card) {
        var match = !wanted || card.getAttribute("data-solution-type") === wanted;
        card.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = status.getAttribute("data-template").replace("{n}", shown).replace("{total}", cards.length);
      if (push) {
        var url = new URL(location.href);
        if (wanted) url.searchParams.set("type", wanted); else url.searchParams.delete("type");
        history.replaceState(null, "", url);
      }
    }
    form.addEventListener("change", function () { apply(true); });
    apply(false);
  }

  ready(function () {
    setupFilter();
  });
})();
