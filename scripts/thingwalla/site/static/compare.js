/* Thingwalla compare: up to four services side by side, kept in this browser. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // Compare: the service page's "Compare" link adds the service to a list kept in this browser.
  var STORE = "thingwalla.compare";
  function stored() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function store(ids) {
    try { localStorage.setItem(STORE, JSON.stringify(ids.slice(-4))); } catch (e) { /* private mode */ }
  }

  function setupCompareLinks() {
    document.querySelectorAll("[data-tw-compare]").forEach(function (link) {
      link.addEventListener("click", function () {
        var ids = stored().filter(function (id) { return id !== link.getAttribute("data-tw-compare"); });
        ids.push(link.getAttribute("data-tw-compare"));
        ids = ids.slice(-4);
        store(ids);
        link.href = link.href.split("?")[0] + "?s=" + ids.join(",");
      });
    });
  }

  var LABELS = {
    nb: { vendor: "Leverandør", category: "Kategori", pricing: "Prismodell", plans: "Planer", compliance: "Regeletterlevelse",
          integrations: "Integrasjoner", data: "Data lagres i", sub: "Underleverandører", languages: "Språk",
          deployment: "Leveransemodell", licence: "Lisens", used: "Brukes av", rating: "Vurdering", remove: "Fjern",
          none: "–", property: "Egenskap", differs: "Rader med forskjeller er markert.", expires: "utløper" },
    en: { vendor: "Vendor", category: "Category", pricing: "Pricing model", plans: "Plans", compliance: "Compliance",
          integrations: "Integrations", data: "Data stored in", sub: "Sub-processors", languages: "Languages",
          deployment: "Deployment", licence: "Licence", used: "Used by", rating: "Rating", remove: "Remove",
          none: "–", property: "Property", differs: "Rows that differ are marked.", expires: "expires" }
  };

  function text(value, lang) {
    if (!value) return "";
    return value[lang] || value[lang === "nb" ? "en" : "nb"] || value.sv || "";
  }

  function setupCompareTable() {
    var host = document.querySelector("[data-tw-compare-table]");
    if (!host) return;
    var lang = host.getAttribute("data-lang");
    var L = LABELS[lang];
    var words = JSON.parse(host.getAttribute("data-labels") || "{}");
    function word(key, fallback) { return words[key] || fallback; }
    var fromUrl = (new URLSearchParams(location.search).get("s") || "").split(",").filter(Boolean);
    var ids = (fromUrl.length ? fromUrl : stored()).slice(0, 4);
    fetch(host.getAttribute("data-catalog")).then(function (r) { return r.json(); }).then(function (catalog) {
      var byId = {};
      catalog.services.forEach(function (s) { byId[s.id] = s; });
      var vendors = {}; catalog.vendors.forEach(function (v) { vendors[v.id] = v; });
      var buyers = {}; catalog.buyers.forEach(function (b) { buyers[b.id] = b; });
      var cats = {}; catalog.categories.forEach(function (c) { cats[c.id] = c; });
      var regs = {}; catalog.regulations.forEach(function (r) { regs[r.id] = r; });
      var ints = {}; catalog.integrations.forEach(function (i) { ints[i.id] = i; });
      var chosen = ids.map(function (id) { return byId[id]; }).filter(Boolean);
      if (!chosen.length) { host.textContent = host.getAttribute("data-empty"); return; }
      var rows = [
        [L.vendor, function (s) { return vendors[s.vendor].display_name; }],
        [L.category, function (s) { return text(cats[s.category].name, lang); }],
        [L.pricing, function (s) { return word("pricing." + s.pricing.model, s.pricing.model); }],
        [L.plans, function (s) { return s.pricing.plans.map(function (p) { return text(p.name, lang) + ": " + p.price.toLocaleString(lang === "nb" ? "nb-NO" : "en-GB") + " " + p.currency + " " + word("unit." + p.unit, "") + " " + word("period." + p.billing_period, ""); }).join("; ") || L.none; }],
        [L.compliance, function (s) { return s.compliance.map(function (c) { return text(regs[c.regulation].name, lang) + (c.expires ? " (" + L.expires + " " + c.expires + ")" : ""); }).join("; ") || L.none; }],
        [L.integrations, function (s) { return s.integrations.map(function (i) { return ints[i].name; }).join(", ") || L.none; }],
        [L.data, function (s) { return s.hosting.data_locations.join(", "); }],
        [L.sub, function (s) { return s.hosting.sub_processors.map(function (p) { return p.name + " (" + p.country + ")"; }).join("; ") || L.none; }],
        [L.languages, function (s) { return s.languages.join(", "); }],
        [L.deployment, function (s) { return s.hosting.deployment.map(function (d) { return word("deployment." + d, d); }).join(", "); }],
        [L.licence, function (s) { return s.licence === "proprietary" ? word("proprietary", s.licence) : s.licence; }],
        [L.used, function (s) { return s.usage.buyers.map(function (b) { return buyers[b].name; }).join(", ") || L.none; }],
        [L.rating, function (s) { return s.usage.rating === null ? L.none : s.usage.rating.toLocaleString(lang === "nb" ? "nb-NO" : "en-GB", { minimumFractionDigits: 1 }) + " / 5 (" + s.usage.ratings + ")"; }]
      ];
      var table = document.createElement("table");
      table.className = "tw-table tw-compare";
      var head = table.createTHead().insertRow();
      var corner = document.createElement("th"); corner.scope = "col"; corner.textContent = L.property; head.appendChild(corner);
      chosen.forEach(function (s) {
        var th = document.createElement("th"); th.scope = "col";
        var a = document.createElement("a"); a.href = host.getAttribute("data-service-base") + s.id + "/"; a.textContent = text(s.name, lang);
        th.appendChild(a);
        var b = document.createElement("button"); b.type = "button"; b.className = "tw-button"; b.textContent = L.remove;
        b.setAttribute("aria-label", L.remove + " " + text(s.name, lang));
        b.addEventListener("click", function () {
          var rest = chosen.filter(function (x) { return x.id !== s.id; }).map(function (x) { return x.id; });
          store(rest);
          location.search = rest.length ? "?s=" + rest.join(",") : "";
        });
        th.appendChild(document.createElement("br")); th.appendChild(b);
        head.appendChild(th);
      });
      var body = table.createTBody();
      rows.forEach(function (row) {
        var tr = body.insertRow();
        var th = document.createElement("th"); th.scope = "row"; th.textContent = row[0]; tr.appendChild(th);
        var values = chosen.map(row[1]);
        var differs = values.some(function (v) { return v !== values[0]; });
        values.forEach(function (v) {
          var td = tr.insertCell(); td.textContent = v;
          if (differs && chosen.length > 1) td.className = "tw-differs";
        });
      });
      host.innerHTML = "";
      var wrap = document.createElement("div"); wrap.className = "tw-table-wrap"; wrap.tabIndex = 0;
      wrap.setAttribute("role", "region"); wrap.setAttribute("aria-label", document.title);
      wrap.appendChild(table);
      host.appendChild(wrap);
      var status = document.querySelector("[data-tw-compare-status]");
      if (status) status.textContent = L.differs;
    });
  }

  ready(function () {
    setupCompareLinks();
    setupCompareTable();
  });
})();
