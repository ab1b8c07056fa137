/* Thingwalla shortlist and procurement file.
 *
 * - On every page with service cards or a service page, adds a toggle button "Legg i kortliste"
 *   (aria-pressed) next to the compare button (progressive enhancement, see compare.js).
 * - The shortlist is kept in this browser (localStorage "thingwalla.shortlist"): per service a status
 *   (kept / excluded), a reason, the search it was found with (sessionStorage "thingwalla.search", written
 *   by the search page) and when it was added.
 * - The shortlist page (host [data-tw-shortlist]) edits status and reason (saved as you type), exports CSV
 *   (UTF-8 with BOM, RFC 4180 quoting) and shows a printable procurement file (`?view=file`).
 * Plain JavaScript, no external resources. Pages work without it.
 */
(function () {
  "use strict";

  var STORE = "thingwalla.shortlist";
  var SEARCH = "thingwalla.search";
  var ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
  var SCRIPT = document.currentScript;
  // The site root, relative to this page: the script lives at <root>assets/thingwalla/shortlist.js.
  var ROOT = SCRIPT && SCRIPT.src ? SCRIPT.src.replace(/assets\/thingwalla\/shortlist\.js(\?.*)?$/, "") : "/";
  // Page paths per language; the same segments as SEGMENTS in scripts/thingwalla/site/i18n.py.
  var PATHS = { nb: { compare: "sammenlign/", shortlist: "kortliste/" },
                en: { compare: "en/compare/", shortlist: "en/shortlist/" } };

  var UI = {
    nb: {
      add: "Legg i kortliste",
      added: "{name} er lagt i kortlisten ({n} tjenester).",
      addedOne: "{name} er lagt i kortlisten (1 tjeneste).",
      removed: "{name} er fjernet fra kortlisten.",
      goShortlist: "Gå til kortlisten ({n})",
      loading: "Henter kortlisten …",
      loadError: "Klarte ikke å hente katalogen; tjenestene vises med navnene som ble lagret da de ble lagt til.",
      empty: "Kortlisten er tom. Trykk «Legg i kortliste» på en tjeneste for å ta den med hit. Her kan du skrive hvorfor du beholder eller utelukker hver tjeneste, laste ned listen som CSV og skrive ut et anskaffelsesnotat.",
      seeAll: "Se alle tjenester",
      summary: "{n} tjenester på kortlisten: {kept} beholdt, {excluded} utelukket.",
      summaryOne: "1 tjeneste på kortlisten: {kept} beholdt, {excluded} utelukket.",
      csv: "Last ned som CSV",
      showFile: "Vis anskaffelsesnotat",
      back: "Tilbake til kortlisten",
      print: "Skriv ut",
      compareKept: "Sammenlign de beholdte",
      status: "Status",
      kept: "Beholdt",
      excluded: "Utelukket",
      reasonKept: "Begrunnelse: hvorfor beholdt",
      reasonExcluded: "Begrunnelse: hvorfor utelukket",
      reasonHint: "Kommer med i anskaffelsesnotatet og CSV-filen. Lagres mens du skriver.",
      saved: "Lagret {time}.",
      savedAnnounce: "Begrunnelsen for {name} er lagret.",
      statusAnnounce: "{name} er merket som {status}.",
      remove: "Fjern fra kortlisten",
      removedLast: "{name} er fjernet. Kortlisten er tom.",
      addedOn: "Lagt til {date}",
      from: "fra siden «{page}»",
      csvDone: "Kortlisten er lastet ned som CSV-fil ({n} tjenester).",
      noSearch: "(ingen søk)",
      notInCatalog: "finnes ikke lenger i katalogen",
      csvHead: ["Tjeneste-ID", "Navn", "Leverandør", "Status", "Begrunnelse", "Søk", "Lagt til"],
      csvFile: "kortliste-{date}.csv",
      // procurement file
      fileTitle: "Anskaffelsesnotat",
      fileDate: "Dato",
      fileSource: "Kilde",
      fileCount: "Vurderte tjenester",
      fileCountText: "{n}: {kept} beholdt, {excluded} utelukket",
      fileSearches: "Søk og filtre som ble brukt",
      fileNoSearches: "Tjenestene ble lagt til uten søk.",
      fileSearch: "Søk {n}",
      fileKept: "Beholdte tjenester ({n})",
      fileExcluded: "Utelukkede tjenester ({n})",
      fileNone: "Ingen.",
      fileService: "Tjeneste",
      fileVendor: "Leverandør",
      fileReason: "Begrunnelse",
      fileFound: "Funnet med",
      fileAdded: "Lagt til",
      fileNoReason: "Ingen begrunnelse skrevet",
      fileStored: "Kortlisten lagres bare i nettleseren der den ble laget. Ta vare på dette notatet eller CSV-filen i saken.",
      // search context
      q: "Søk: «{q}»",
      fits: "Passer for: {buyer}",
      sort: "Sortering: {sort}",
      sorts: { relevance: "relevans", rating: "vurdering", users: "antall kommuner", used_by: "antall kommuner",
               popularity: "antall kommuner", municipalities: "antall kommuner", name: "navn", newest: "nyeste",
               listed: "nyeste" },
      filters: { category: "Kategori", solution_type: "Løsningstype", pricing: "Prismodell", compliance: "Regeletterlevelse",
                 integration: "Integrasjoner", country: "Land", language: "Språk", data_location: "Datalokasjon",
                 deployment: "Leveransemodell", licence: "Lisens", vendor: "Leverandør" },
      eea: "EØS"
    },
    en: {
      add: "Add to shortlist",
      added: "{name} added to the shortlist ({n} services).",
      addedOne: "{name} added to the shortlist (1 service).",
      removed: "{name} removed from the shortlist.",
      goShortlist: "Go to the shortlist ({n})",
      loading: "Loading the shortlist …",
      loadError: "Could not load the catalog; services are shown with the names saved when they were added.",
      empty: "The shortlist is empty. Press \u201cAdd to shortlist\u201d on a service to bring it here. Here you can write why you keep or exclude each service, download the list as CSV and print a procurement file.",
      seeAll: "See all services",
      summary: "{n} services on the shortlist: {kept} kept, {excluded} excluded.",
      summaryOne: "1 service on the shortlist: {kept} kept, {excluded} excluded.",
      csv: "Download as CSV",
      showFile: "Show procurement file",
      back: "Back to the shortlist",
      print: "Print",
      compareKept: "Compare the kept services",
      status: "Status",
      kept: "Kept",
      excluded: "Excluded",
      reasonKept: "Reason: why kept",
      reasonExcluded: "Reason: why excluded",
      reasonHint: "Goes into the procurement file and the CSV file. Saved as you type.",
      saved: "Saved {time}.",
      savedAnnounce: "The reason for {name} is saved.",
      statusAnnounce: "{name} is marked {status}.",
      remove: "Remove from shortlist",
      removedLast: "{name} removed. The shortlist is empty.",
      addedOn: "Added {date}",
      from: "from the page \u201c{page}\u201d",
      csvDone: "The shortlist was downloaded as a CSV file ({n} services).",
      noSearch: "(no search)",
      notInCatalog: "no longer in the catalog",
      csvHead: ["Service ID", "Name", "Vendor", "Status", "Reason", "Search", "Added"],
      csvFile: "shortlist-{date}.csv",
      fileTitle: "Procurement file",
      fileDate: "Date",
      fileSource: "Source",
      fileCount: "Services considered",
      fileCountText: "{n}: {kept} kept, {excluded} excluded",
      fileSearches: "Searches and filters used",
      fileNoSearches: "The services were added without a search.",
      fileSearch: "Search {n}",
      fileKept: "Kept services ({n})",
      fileExcluded: "Excluded services ({n})",
      fileNone: "None.",
      fileService: "Service",
      fileVendor: "Vendor",
      fileReason: "Reason",
      fileFound: "Found with",
      fileAdded: "Added",
      fileNoReason: "No reason written",
      fileStored: "The shortlist is kept only in the browser it was made in. Keep this file or the CSV file with the case.",
      q: "Search: \u201c{q}\u201d",
      fits: "Fits: {buyer}",
      sort: "Sort: {sort}",
      sorts: { relevance: "relevance", rating: "rating", users: "number of municipalities", used_by: "number of municipalities",
               popularity: "number of municipalities", municipalities: "number of municipalities", name: "name", newest: "newest",
               listed: "newest" },
      filters: { category: "Category", solution_type: "Solution type", pricing: "Pricing model", compliance: "Compliance",
                 integration: "Integrations", country: "Country", language: "Language", data_location: "Data location",
                 deployment: "Deployment", licence: "Licence", vendor: "Vendor" },
      eea: "EEA"
    }
  };

  // Facet names the search page may use, mapped to one key each.
  var FILTER_ALIASES = {
    category: "category", categories: "category",
    solution_type: "solution_type", solution_types: "solution_type", type: "solution_type",
    pricing: "pricing", pricing_model: "pricing", price_model: "pricing",
    compliance: "compliance", regulation: "compliance", regulations: "compliance",
    integration: "integration", integrations: "integration",
    country: "country", countries: "country", countries_served: "country",
    language: "language", languages: "language", ui_language: "language", ui_languages: "language",
    data_location: "data_location", data_locations: "data_location", data: "data_location",
    deployment: "deployment", deployment_model: "deployment",
    data_scope: "data_scope", data_country: "data_country", status: "status",
    licence: "licence", license: "licence", vendor: "vendor", vendors: "vendor"
  };

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function pageLang() {
    var lang = (document.documentElement.getAttribute("lang") || "nb").toLowerCase();
    return lang.indexOf("en") === 0 ? "en" : "nb";
  }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (attrs[key] === null || attrs[key] === undefined || attrs[key] === false) return;
        if (key === "text") node.textContent = attrs[key];
        else if (key === "className") node.className = attrs[key];
        else node.setAttribute(key, attrs[key] === true ? "" : attrs[key]);
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function hiddenText(text) { return el("span", { className: "tw-visually-hidden", text: text }); }

  function localDate(date) {
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  // ---- the list kept in this browser ---------------------------------------------------------

  function readSearch() {
    try {
      var value = JSON.parse(sessionStorage.getItem(SEARCH) || "null");
      if (!value || typeof value !== "object") return null;
      return {
        q: typeof value.q === "string" ? value.q : "",
        filters: value.filters && typeof value.filters === "object" ? value.filters : {},
        buyer: typeof value.buyer === "string" ? value.buyer : null,
        sort: typeof value.sort === "string" ? value.sort : null,
        url: typeof value.url === "string" ? value.url : null
      };
    } catch (e) { return null; }
  }

  function load() {
    try {
      var data = JSON.parse(localStorage.getItem(STORE) || "null");
      if (!data || !Array.isArray(data.items)) return [];
      var seen = {};
      return data.items.filter(function (item) {
        if (!item || typeof item.id !== "string" || !ID_PATTERN.test(item.id) || seen[item.id]) return false;
        seen[item.id] = true;
        if (item.status !== "excluded") item.status = "kept";
        if (typeof item.reason !== "string") item.reason = "";
        return true;
      });
    } catch (e) { return []; }
  }

  function save(items) {
    try { localStorage.setItem(STORE, JSON.stringify({ version: 1, items: items })); } catch (e) { /* private mode */ }
  }

  // Read, change one item, write: another tab may have changed the list meanwhile.
  function update(id, change) {
    var items = load();
    items.forEach(function (item) { if (item.id === id) change(item); });
    save(items);
    return items;
  }

  function shortlistUrl(lang) { return ROOT + PATHS[lang || pageLang()].shortlist; }

  // ---- polite announcements (one live region per page, shared with compare.js) ----------------

  function announcer() {
    var region = document.getElementById("tw-announcer");
    if (!region) {
      region = el("div", { id: "tw-announcer", className: "tw-visually-hidden", role: "status", "aria-live": "polite" });
      document.body.appendChild(region);
    }
    return region;
  }

  var announceTimer = null;
  function announce(message, delay) {
    var region = announcer();
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () {
      region.textContent = "";
      announceTimer = setTimeout(function () { region.textContent = message; }, 60);
    }, delay || 0);
  }

  // ---- toggle buttons on cards, service pages and the compare table ---------------------------

  function snapshotOf(button) {
    var card = button.closest(".tw-card");
    var vendor = card ? card.querySelector(".tw-card__vendor") : null;
    if (!vendor) return "";
    var copy = vendor.cloneNode(true);
    copy.querySelectorAll(".tw-visually-hidden").forEach(function (n) { n.remove(); });
    return copy.textContent.trim();
  }

  function toggleButton(id, name) {
    var L = UI[pageLang()];
    var button = el("button", { type: "button", className: "tw-button tw-toggle", "data-tw-shortlist-toggle": id,
                                "aria-pressed": "false", "aria-label": L.add + ": " + name }, [
      el("span", { className: "tw-toggle__box", "aria-hidden": "true" }),
      el("span", { className: "tw-toggle__label" }, [L.add])
    ]);
    button.addEventListener("click", function () {
      var items = load();
      if (items.some(function (item) { return item.id === id; })) {
        save(items.filter(function (item) { return item.id !== id; }));
        announce(fill(L.removed, { name: name }));
      } else {
        items.push({ id: id, status: "kept", reason: "", search: readSearch(), added: new Date().toISOString(),
                     name: name, vendor: snapshotOf(button), lang: pageLang(),
                     page: location.href, page_title: document.title });
        save(items);
        announce(fill(items.length === 1 ? L.addedOne : L.added, { name: name, n: items.length }));
      }
      refreshToggles();
    });
    var on = load().some(function (item) { return item.id === id; });
    button.setAttribute("aria-pressed", on ? "true" : "false");
    return button;
  }

  function refreshToggles() {
    var L = UI[pageLang()];
    var items = load();
    var ids = items.map(function (item) { return item.id; });
    document.querySelectorAll("[data-tw-shortlist-toggle]").forEach(function (button) {
      var on = ids.indexOf(button.getAttribute("data-tw-shortlist-toggle")) >= 0;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      var actions = button.closest("[data-tw-actions], .tw-actions");
      if (!actions) return;
      var line = actions.querySelector("[data-tw-links]");
      if (!line) {
        line = el("p", { className: "tw-actions__links", "data-tw-links": true, hidden: true });
        actions.appendChild(line);
      }
      var link = line.querySelector("[data-tw-shortlist-link]");
      if (on) {
        if (!link) {
          link = el("a", { "data-tw-shortlist-link": true, href: shortlistUrl() });
          line.appendChild(link);
        }
        link.textContent = fill(L.goShortlist, { n: items.length });
      } else if (link) {
        link.remove();
      }
      line.hidden = !line.querySelector("a");
    });
  }

  function enhance(root) {
    var hosts = [];
    if (root.matches && root.matches("[data-tw-service]")) hosts.push(root);
    root.querySelectorAll("[data-tw-service]").forEach(function (h) { hosts.push(h); });
    var added = false;
    hosts.forEach(function (host) {
      var actions = host.matches(".tw-actions") ? host : host.querySelector("[data-tw-actions]");
      if (!actions || actions.hasAttribute("data-tw-shortlist-ready")) return;
      var id = host.getAttribute("data-tw-service");
      if (!ID_PATTERN.test(id || "")) return;
      actions.setAttribute("data-tw-shortlist-ready", "");
      var title = host.querySelector(".tw-card__title") || (host.matches(".tw-actions") ? document.querySelector("h1") : null);
      var button = toggleButton(id, title ? title.textContent.trim() : id);
      var compare = actions.querySelector("[data-tw-compare-toggle]");
      var after = actions.querySelector("[data-tw-links], [data-tw-compare-note]");
      if (compare) compare.insertAdjacentElement("afterend", button);
      else if (after) actions.insertBefore(button, after);
      else actions.appendChild(button);
      actions.hidden = false;
      added = true;
    });
    if (added) refreshToggles();
  }

  // ---- formatting shared by the page, the CSV and the procurement file ------------------------

  function localized(value, lang) {
    if (!value) return ["", lang];
    if (typeof value === "string") return [value, lang];
    var order = [lang, lang === "nb" ? "en" : "nb", "sv"].concat(Object.keys(value));
    for (var i = 0; i < order.length; i++) if (value[order[i]]) return [value[order[i]], order[i]];
    return ["", lang];
  }

  function makeFormat(lang, index, words) {
    var L = UI[lang];
    var locale = lang === "en" ? "en-GB" : "nb-NO";
    var dateFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric" });
    var timeFormat = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
    var regions = null, languages = null;
    try { regions = new Intl.DisplayNames([locale], { type: "region" }); } catch (e) { /* codes */ }
    try { languages = new Intl.DisplayNames([locale], { type: "language" }); } catch (e) { /* codes */ }
    function display(names, code) {
      if (String(code).toUpperCase() === "EEA") return L.eea;
      if (!names) return code;
      try { return names.of(code) || code; } catch (e) { return code; }
    }
    function named(map, id) { return map && map[id] ? localized(map[id].name, lang)[0] : id; }
    function value(key, v) {
      v = String(v);
      switch (key) {
        case "category": return named(index.categories, v);
        case "solution_type": return named(index.solutionTypes, v);
        case "integration": return named(index.integrations, v);
        case "vendor": return index.vendors[v] ? index.vendors[v].display_name : v;
        case "pricing": return words["pricing." + v] || v;
        case "deployment": return words["deployment." + v] || v;
        // The site's names (Babel) first: Chromium's trimmed ICU data lacks some (Northern Sami).
        case "country": case "data_country": case "data_location": return words["country." + v] || display(regions, v);
        case "language":
          if (words["language." + v]) return words["language." + v];
          var n = display(languages, v); return n.charAt(0).toUpperCase() + n.slice(1);
        case "data_scope": return words["search." + (v === "eea" ? "eea_only" : v)] || v;
        case "status": return words["status." + v] || v;
        case "compliance":
          // "gdpr", "gdpr.evidenced" (the search page's facet) or "gdpr:evidenced"
          var parts = v.split(/[.:]/);
          return named(index.regulations, parts[0]) + (parts[1] ? " (" + (words["state." + parts[1]] || parts[1]) + ")" : "");
        default: return v;
      }
    }
    var api = {
      date: function (iso) { var d = new Date(iso); return isNaN(d) ? String(iso || "") : dateFormat.format(d); },
      time: function (d) { return timeFormat.format(d); },
      // The search as words, without its address: «fravær»; Kategori: Utdanning; Sortering: relevans
      search: function (ctx) {
        if (!ctx) return L.noSearch;
        var parts = [];
        if (ctx.q) parts.push(fill(L.q, { q: ctx.q }));
        Object.keys(ctx.filters || {}).forEach(function (rawKey) {
          var values = ctx.filters[rawKey];
          values = Array.isArray(values) ? values : (values === null || values === undefined || values === "" ? [] : [values]);
          if (!values.length) return;
          var key = FILTER_ALIASES[String(rawKey).toLowerCase().replace(/-/g, "_")] || rawKey;
          parts.push((words["facet." + key] || L.filters[key] || rawKey) + ": " + values.map(function (v) { return value(key, v); }).join(", "));
        });
        if (ctx.buyer) parts.push(fill(L.fits, { buyer: index.buyers[ctx.buyer] ? index.buyers[ctx.buyer].name : ctx.buyer }));
        if (ctx.sort) parts.push(fill(L.sort, { sort: L.sorts[ctx.sort] || ctx.sort }));
        return parts.length ? parts.join("; ") : L.noSearch;
      },
      // The search with its address, for the CSV file.
      searchWithUrl: function (ctx) {
        var text = api.search(ctx);
        return ctx && ctx.url ? text + "; " + ctx.url : text;
      }
    };
    return api;
  }

  // RFC 4180: quote fields with a comma, quote or line break; double the quotes. A field that a
  // spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.
  function csvField(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    if (/[",\r\n]/.test(text) || /^\s|\s$/.test(text)) text = "\"" + text.replace(/"/g, "\"\"") + "\"";
    return text;
  }

  function toCsv(rows) {
    return rows.map(function (row) { return row.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }

  function download(text, filename, type) {
    var blob = new Blob([text], { type: type });
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: filename, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ---- the shortlist page ---------------------------------------------------------------------

  function setupShortlistPage() {
    var host = document.querySelector("[data-tw-shortlist]");
    if (!host) return;
    var lang = host.getAttribute("data-lang") === "en" ? "en" : "nb";
    var L = UI[lang];
    var words = {};
    try { words = JSON.parse(host.getAttribute("data-labels") || "{}"); } catch (e) { words = {}; }
    try {
      var strings = JSON.parse(host.getAttribute("data-strings") || "{}");
      Object.keys(strings).forEach(function (k) { if (!words[k]) words[k] = strings[k]; });
    } catch (e) { /* labels only */ }
    var serviceBase = host.getAttribute("data-service-base") || "";
    var vendorBase = host.getAttribute("data-vendor-base");
    var compareBase = host.getAttribute("data-compare-url");
    var index = { services: {}, vendors: {}, buyers: {}, categories: {}, solutionTypes: {}, regulations: {}, integrations: {} };
    var sample = false;
    var loadFailed = false;
    var fmt = makeFormat(lang, index, words);
    var saveNotes = {};

    function view() { return new URLSearchParams(location.search).get("view") === "file" ? "file" : "edit"; }

    function syncLanguageLink() {
      document.querySelectorAll("a.tw-lang-switch__link").forEach(function (a) {
        var base = (a.getAttribute("href") || "").split(/[?#]/)[0];
        a.setAttribute("href", base + (view() === "file" ? "?view=file" : ""));
      });
    }

    host.setAttribute("aria-busy", "true");
    host.appendChild(el("p", { className: "tw-muted", text: L.loading }));

    // Only what the list shows is fetched: the catalog's index (taxonomy, regulations, integrations, buyers)
    // and one small file per shortlisted service, never the whole catalog.json.
    var apiBase = host.getAttribute("data-api");
    var unknown = {};  // ids the catalog does not have (their file answered 404)
    var indexLoaded = false;

    function getJson(url) {
      return fetch(url).then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
    }


    // The file of api/services/ that holds a service (mkdocs_plugin.service_file): FNV-1a of the id, modulo the
    // number of files; each file is fetched once.
    var serviceFiles = {};
    function serviceEntry(id, files) {
      var h = 0x811c9dc5;
      var bytes = new TextEncoder().encode(id);
      for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
      var url = apiBase + "services/" + (h % files) + ".json";
      if (!serviceFiles[url]) {
        serviceFiles[url] = getJson(url);
        serviceFiles[url].catch(function () { delete serviceFiles[url]; });
      }
      return serviceFiles[url].then(function (entries) { return (entries && entries[id]) || null; });
    }

    var serviceFileCount = 1;
    function loadIndex() {
      if (indexLoaded) return Promise.resolve();
      return getJson(apiBase + "catalog-index.json").then(function (catalog) {
        if (!catalog) throw new Error("404");
        function fillMap(map, list) { (list || []).forEach(function (x) { map[x.id] = x; }); }
        fillMap(index.buyers, catalog.buyers);
        fillMap(index.categories, catalog.categories);
        fillMap(index.regulations, catalog.regulations);
        fillMap(index.integrations, catalog.integrations);
        (catalog.categories || []).forEach(function (c) { fillMap(index.solutionTypes, c.solution_types); });
        sample = !!catalog.sample_data;
        serviceFileCount = catalog.service_files || 1;
        indexLoaded = true;
      });
    }

    // The index and every shortlisted service not fetched yet; then `done` (also when loading failed).
    function loadThen(done) {
      loadIndex().then(function () {
        var missing = load().map(function (item) { return item.id; })
          .filter(function (id) { return !index.services[id] && !unknown[id]; });
        return Promise.all(missing.map(function (id) {
          return serviceEntry(id, serviceFileCount).then(function (entry) {
            if (!entry) { unknown[id] = true; return; }
            index.services[id] = entry.service;
            if (entry.vendor) index.vendors[entry.vendor.id] = entry.vendor;
          });
        }));
      }).then(function () {
        loadFailed = false;
      }, function () {
        loadFailed = true;
      }).then(done);
    }

    loadThen(function () {
      host.removeAttribute("aria-busy");
      render(null);
    });

    window.addEventListener("popstate", function () { render(null); });
    window.addEventListener("storage", function (event) {
      if (event.key !== STORE) return;
      loadThen(function () { restore(); });
    });

    function restore() {
      var active = document.activeElement;
      var keep = active && host.contains(active) && active.id ? { id: active.id, start: active.selectionStart, end: active.selectionEnd } : null;
      render(null);
      if (keep) {
        var again = document.getElementById(keep.id);
        if (again) {
          again.focus();
          if (typeof keep.start === "number" && again.setSelectionRange) again.setSelectionRange(keep.start, keep.end);
        }
      }
    }

    // What the page, the CSV file and the procurement file say about one item.
    function describe(item) {
      var s = index.services[item.id];
      var vendor = s && index.vendors[s.vendor] ? index.vendors[s.vendor].display_name : (s ? s.vendor : item.vendor || "");
      var category = s && index.categories[s.category] ? localized(index.categories[s.category].name, lang)[0] : "";
      var name = s ? localized(s.name, lang) : [item.name || item.id, item.lang || lang];
      return { item: item, service: s, name: name[0], nameLang: name[1], vendor: vendor, vendorId: s ? s.vendor : null,
               category: category, missing: !s && !loadFailed };
    }

    function counts(items) {
      var kept = items.filter(function (i) { return i.status !== "excluded"; }).length;
      return { n: items.length, kept: kept, excluded: items.length - kept };
    }

    function summaryText(items) {
      var c = counts(items);
      return fill(c.n === 1 ? L.summaryOne : L.summary, c);
    }

    function setView(next) {
      var url = location.pathname + (next === "file" ? "?view=file" : "") + location.hash;
      history.pushState(null, "", url);
      render(next === "file" ? "file-title" : "show-file");
    }

    function render(focus) {
      var items = load();
      var described = items.map(describe);
      var mode = view();
      syncLanguageLink();
      host.textContent = "";
      if (loadFailed) host.appendChild(el("p", { className: "tw-error", role: "alert", text: L.loadError }));

      if (!items.length) {
        var empty = el("div", { className: "tw-shortlist__empty" }, [
          el("p", { text: L.empty }), el("p", null, [el("a", { href: serviceBase, text: L.seeAll })])
        ]);
        host.appendChild(empty);
        if (focus === "summary") { empty.setAttribute("tabindex", "-1"); empty.focus(); }
        return;
      }

      var editor = el("div", { className: "tw-shortlist__editor", hidden: mode === "file" });
      var summary = el("p", { className: "tw-shortlist__summary", tabindex: "-1", "data-tw-summary": true, text: summaryText(items) });
      editor.appendChild(summary);
      editor.appendChild(toolbar(items, "edit"));
      var list = el("ol", { className: "tw-shortlist__items" });
      described.forEach(function (d) { list.appendChild(itemNode(d)); });
      editor.appendChild(list);
      host.appendChild(editor);

      var file = el("section", { className: "tw-file" + (mode === "file" ? "" : " tw-file--print-only"),
                                 "aria-labelledby": "tw-file-title", "data-tw-file": true });
      if (mode === "file") file.appendChild(toolbar(items, "file"));
      file.appendChild(fileBody(described));
      host.appendChild(file);

      if (focus === "file-title") document.getElementById("tw-file-title").focus();
      else if (focus === "show-file") { var show = host.querySelector("[data-tw-show-file]"); if (show) show.focus(); }
      else if (focus === "summary") summary.focus();
      else if (focus && focus.item) {
        var target = document.getElementById(focus.item);
        if (target) { target.setAttribute("tabindex", "-1"); target.focus(); } else summary.focus();
      }
    }

    function toolbar(items, mode) {
      var bar = el("div", { className: "tw-shortlist__tools" });
      var csv = el("button", { type: "button", className: "tw-button", "data-tw-csv": true, text: L.csv });
      csv.addEventListener("click", function () { exportCsv(); });
      if (mode === "edit") {
        var show = el("button", { type: "button", className: "tw-button tw-button--secondary", "data-tw-show-file": true, text: L.showFile });
        show.addEventListener("click", function () { setView("file"); });
        bar.appendChild(csv);
        bar.appendChild(show);
        var kept = items.filter(function (i) { return i.status !== "excluded" && index.services[i.id]; }).map(function (i) { return i.id; });
        if (compareBase && kept.length > 1) {
          bar.appendChild(el("a", { className: "tw-button tw-button--secondary",
                                    href: compareBase + "?s=" + kept.slice(0, 4).map(encodeURIComponent).join(","), text: L.compareKept }));
        }
      } else {
        var print = el("button", { type: "button", className: "tw-button", "data-tw-print": true, text: L.print });
        print.addEventListener("click", function () { window.print(); });
        var back = el("button", { type: "button", className: "tw-button tw-button--secondary", "data-tw-back": true, text: L.back });
        back.addEventListener("click", function () { setView("edit"); });
        bar.appendChild(print);
        bar.appendChild(csv);
        bar.appendChild(back);
      }
      return bar;
    }

    function itemNode(d) {
      var item = d.item;
      var key = "tw-sl-" + item.id;
      var nameNode = d.nameLang !== lang ? el("span", { lang: d.nameLang, text: d.name }) : document.createTextNode(d.name);
      var heading = el("h2", { className: "tw-shortlist-item__title", id: key + "-title" }, [
        d.service ? el("a", { href: serviceBase + encodeURIComponent(item.id) + "/", id: key + "-link" }, [nameNode]) : nameNode
      ]);
      var meta = [];
      if (d.vendor) meta.push(d.vendorId && vendorBase ? el("a", { href: vendorBase + encodeURIComponent(d.vendorId) + "/", text: d.vendor }) : d.vendor);
      if (d.category) meta.push(d.category);
      if (d.missing) meta.push(el("strong", { text: L.notInCatalog }));
      var metaP = el("p", { className: "tw-shortlist-item__meta" });
      meta.forEach(function (m, i) {
        if (i) metaP.appendChild(el("span", { "aria-hidden": "true", text: " · " }));
        if (i) metaP.appendChild(hiddenText(", "));
        metaP.appendChild(typeof m === "string" ? document.createTextNode(m) : m);
      });

      var fieldset = el("fieldset", { className: "tw-shortlist-item__status" }, [
        el("legend", null, [L.status, hiddenText(": " + d.name)])
      ]);
      var options = el("div", { className: "tw-shortlist-item__options" });
      ["kept", "excluded"].forEach(function (value) {
        var id = key + "-" + value;
        var input = el("input", { type: "radio", name: key + "-status", id: id, value: value });
        input.checked = (item.status === "excluded" ? "excluded" : "kept") === value;
        input.addEventListener("change", function () {
          if (!input.checked) return;
          update(item.id, function (it) { it.status = value; });
          item.status = value;
          li.className = "tw-shortlist-item tw-shortlist-item--" + value;
          reasonLabel.firstChild.textContent = value === "excluded" ? L.reasonExcluded : L.reasonKept;
          refreshSecondary();
          announce(fill(L.statusAnnounce, { name: d.name, status: (value === "excluded" ? L.excluded : L.kept).toLowerCase() }));
        });
        options.appendChild(el("label", { className: "tw-chip tw-shortlist-item__option", "for": id }, [input, " ", L[value]]));
      });
      fieldset.appendChild(options);

      var reasonId = key + "-reason";
      var reasonLabel = el("label", { "for": reasonId, className: "tw-field__label" }, [
        item.status === "excluded" ? L.reasonExcluded : L.reasonKept, hiddenText(" (" + d.name + ")")
      ]);
      var hint = el("p", { className: "tw-field__hint", id: key + "-hint", text: L.reasonHint });
      var savedNote = el("p", { className: "tw-field__saved", id: key + "-saved", text: saveNotes[item.id] || "" });
      var textarea = el("textarea", { id: reasonId, rows: "3", "aria-describedby": key + "-hint" });
      textarea.value = item.reason || "";
      var announceTimer = null;
      textarea.addEventListener("input", function () {
        var text = textarea.value;
        update(item.id, function (it) { it.reason = text; });
        item.reason = text;
        saveNotes[item.id] = fill(L.saved, { time: fmt.time(new Date()) });
        savedNote.textContent = saveNotes[item.id];
        clearTimeout(announceTimer);
        announceTimer = setTimeout(function () { announce(fill(L.savedAnnounce, { name: d.name })); }, 900);
        refreshFile();
      });

      var context = el("p", { className: "tw-shortlist-item__context" }, [
        fill(L.addedOn, { date: fmt.date(item.added) }),
        item.page_title ? " " + fill(L.from, { page: item.page_title.replace(/\s+[-–]\s+Thingwalla$/, "") }) : "",
        el("br"),
        fmt.search(item.search)
      ]);

      var remove = el("button", { type: "button", className: "tw-button tw-button--secondary tw-shortlist-item__remove",
                                  "data-tw-remove": item.id }, [L.remove, hiddenText(": " + d.name)]);
      remove.addEventListener("click", function () {
        var before = load();
        var position = before.map(function (i) { return i.id; }).indexOf(item.id);
        var rest = before.filter(function (i) { return i.id !== item.id; });
        save(rest);
        var next = rest[Math.min(position, rest.length - 1)];
        render(next ? { item: "tw-sl-" + next.id + "-title" } : "summary");
        announce(rest.length ? fill(L.removed, { name: d.name }) + " " + summaryText(rest) : fill(L.removedLast, { name: d.name }));
      });

      var li = el("li", { className: "tw-shortlist-item tw-shortlist-item--" + (item.status === "excluded" ? "excluded" : "kept"),
                          "data-tw-item": item.id }, [
        el("article", { "aria-labelledby": key + "-title" }, [
          heading, metaP, fieldset,
          el("div", { className: "tw-field" }, [reasonLabel, hint, textarea, savedNote]),
          context, remove
        ])
      ]);
      return li;
    }

    function refreshSecondary() {
      var items = load();
      var summary = host.querySelector("[data-tw-summary]");
      if (summary) summary.textContent = summaryText(items);
      refreshFile();
    }

    function refreshFile() {
      var file = host.querySelector("[data-tw-file]");
      if (!file) return;
      var old = file.querySelector("[data-tw-file-body]");
      var body = fileBody(load().map(describe));
      if (old) file.replaceChild(body, old); else file.appendChild(body);
    }

    function searchesOf(described) {
      var list = [], numbers = {};
      described.forEach(function (d) {
        var ctx = d.item.search;
        if (!ctx) return;
        var key = JSON.stringify([ctx.q || "", ctx.filters || {}, ctx.buyer || null, ctx.sort || null, ctx.url || null]);
        if (!numbers[key]) { list.push(ctx); numbers[key] = list.length; }
        d.searchNumber = numbers[key];
      });
      return list;
    }

    function fileBody(described) {
      var body = el("div", { className: "tw-file__body", "data-tw-file-body": true });
      var c = counts(described.map(function (d) { return d.item; }));
      var searches = searchesOf(described);
      body.appendChild(el("p", { className: "tw-file__kicker", text: "Thingwalla" }));
      body.appendChild(el("h2", { id: "tw-file-title", className: "tw-file__title", tabindex: "-1", text: L.fileTitle }));
      var source = location.href.split(/[?#]/)[0];
      body.appendChild(el("dl", { className: "tw-file__meta" }, [
        el("div", null, [el("dt", { text: L.fileDate }), el("dd", { text: fmt.date(new Date().toISOString()) })]),
        el("div", null, [el("dt", { text: L.fileCount }), el("dd", { text: fill(L.fileCountText, c) })]),
        el("div", null, [el("dt", { text: L.fileSource }), el("dd", { text: "Thingwalla, " + source })])
      ]));
      var notice = host.getAttribute("data-sample-notice");
      if (sample && notice) body.appendChild(el("p", { className: "tw-file__notice", text: notice }));

      body.appendChild(el("h3", { text: L.fileSearches }));
      if (searches.length) {
        body.appendChild(el("ol", { className: "tw-file__searches" }, searches.map(function (ctx, i) {
          return el("li", null, [
            el("strong", { text: fill(L.fileSearch, { n: i + 1 }) + ": " }), fmt.search(ctx),
            ctx.url ? el("br") : null,
            ctx.url ? el("span", { className: "tw-file__url", text: ctx.url }) : null
          ]);
        })));
      } else {
        body.appendChild(el("p", { text: L.fileNoSearches }));
      }

      [["kept", L.fileKept], ["excluded", L.fileExcluded]].forEach(function (group) {
        var rows = described.filter(function (d) { return (d.item.status === "excluded" ? "excluded" : "kept") === group[0]; });
        body.appendChild(el("h3", { id: "tw-file-" + group[0], text: fill(group[1], { n: rows.length }) }));
        if (!rows.length) { body.appendChild(el("p", { text: L.fileNone })); return; }
        var table = el("table", { className: "tw-table tw-file__table", "data-tw-file-group": group[0] }, [
          el("thead", null, [el("tr", null, [L.fileService, L.fileVendor, L.fileReason, L.fileFound, L.fileAdded].map(function (h) {
            return el("th", { scope: "col", text: h });
          }))])
        ]);
        var tbody = el("tbody");
        rows.forEach(function (d) {
          var reason = d.item.reason && d.item.reason.trim()
            ? el("td", { className: "tw-file__reason", text: d.item.reason })
            : el("td", { className: "tw-file__reason" }, [el("em", { className: "tw-file__missing", text: L.fileNoReason })]);
          tbody.appendChild(el("tr", null, [
            el("th", { scope: "row" }, [
              d.nameLang !== lang ? el("span", { lang: d.nameLang, text: d.name }) : d.name,
              el("br"), el("span", { className: "tw-file__id", text: d.item.id })
            ]),
            el("td", { text: d.vendor }),
            reason,
            el("td", { text: d.searchNumber ? fill(L.fileSearch, { n: d.searchNumber }) : L.noSearch }),
            el("td", { text: fmt.date(d.item.added) })
          ]));
        });
        table.appendChild(tbody);
        body.appendChild(el("div", { className: "tw-table-wrap" }, [table]));
      });
      body.appendChild(el("p", { className: "tw-file__footnote", text: L.fileStored }));
      return body;
    }

    function exportCsv() {
      var items = load();
      var rows = [L.csvHead];
      items.map(describe).forEach(function (d) {
        var added = new Date(d.item.added);
        rows.push([d.item.id, d.name, d.vendor, d.item.status === "excluded" ? L.excluded : L.kept, d.item.reason || "",
                   fmt.searchWithUrl(d.item.search), isNaN(added) ? "" : localDate(added)]);
      });
      download("\uFEFF" + toCsv(rows), fill(L.csvFile, { date: localDate(new Date()) }), "text/csv;charset=utf-8");
      announce(fill(L.csvDone, { n: items.length }));
    }
  }

  // ---- start -------------------------------------------------------------------------------------

  window.ThingwallaShortlist = { toggleButton: toggleButton, enhance: enhance, load: load, csvField: csvField };

  ready(function () {
    enhance(document);
    setupShortlistPage();
    refreshToggles();
    if ("MutationObserver" in window) {
      new MutationObserver(function (records) {
        records.forEach(function (record) {
          record.addedNodes.forEach(function (node) {
            if (node.nodeType === 1 && (node.matches("[data-tw-service]") || node.querySelector("[data-tw-service]"))) enhance(node);
          });
        });
      }).observe(document.body, { childList: true, subtree: true });
    }
    window.addEventListener("storage", function (event) { if (event.key === STORE) refreshToggles(); });
  });
})();
