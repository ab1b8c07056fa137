/* Thingwalla compare: choose up to four services (on cards and service pages) and see them side by side.
 *
 * - On every page with service cards or a service page, adds a toggle button "Legg til sammenligning"
 *   (aria-pressed) to the actions area the templates leave hidden for it (progressive enhancement).
 * - The choice is kept in this browser (localStorage "thingwalla.compare"), at most four services.
 * - On the compare page (host [data-tw-compare-table]) the URL `?s=a,b,c` is the source of truth:
 *   shareable, kept when switching language (the header's language link follows the selection),
 *   and written back to localStorage so the buttons elsewhere agree.
 * Plain JavaScript, no external resources. Pages work without it.
 */
(function () {
  "use strict";

  var MAX = 4;
  var STORE = "thingwalla.compare";
  var ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
  var SCRIPT = document.currentScript;
  // The site root, relative to this page: the script lives at <root>assets/thingwalla/compare.js.
  var ROOT = SCRIPT && SCRIPT.src ? SCRIPT.src.replace(/assets\/thingwalla\/compare\.js(\?.*)?$/, "") : "/";
  // Page paths per language; the same segments as SEGMENTS in scripts/thingwalla/site/i18n.py.
  var PATHS = { nb: { compare: "sammenlign/", shortlist: "kortliste/" },
                en: { compare: "en/compare/", shortlist: "en/shortlist/" } };

  var UI = {
    nb: {
      add: "Legg til sammenligning",
      full: "Du kan sammenligne opptil {max} tjenester. Fjern en før du legger til {name}.",
      added: "{name} er lagt til i sammenligningen ({n} av {max}).",
      removedFromSelection: "{name} er fjernet fra sammenligningen.",
      goCompare: "Gå til sammenligningen ({n} valgt)",
      loading: "Henter tjenestene …",
      loadError: "Klarte ikke å hente katalogen. Last inn siden på nytt for å prøve igjen.",
      seeAll: "Se alle tjenester",
      notFound: "Fant ikke disse tjenestene i katalogen: {ids}.",
      tooMany: "Du kan sammenligne opptil {max} tjenester; bare de {max} første vises.",
      onlyDiffs: "Vis bare rader med forskjeller",
      legend: "Rader der tjenestene er forskjellige, er merket med ≠.",
      differs: "forskjellig",
      oneService: "Velg minst to tjenester for å se forskjeller.",
      caption: "Sammenligning av {names}",
      actions: "Valg",
      remove: "Fjern",
      removeFrom: "fra sammenligningen",
      removed: "{name} er fjernet. {n} tjenester igjen i sammenligningen.",
      removedLast: "{name} er fjernet. Sammenligningen er tom.",
      summary: "Sammenligner {n} tjenester. {d} av {rows} rader har forskjeller.",
      summaryOne: "Viser 1 tjeneste.",
      none: "–",
      notDeclared: "Ikke oppgitt",
      free: "Gratis",
      minTerm: "bindingstid {term}",
      issuer: "utstedt av {issuer}",
      financial: "gjelder finansforetak, ikke kommuner",
      rating: "{value} av 5 ({reviews})",
      overview: "Oversikt",
      hostingGroup: "Integrasjoner, drift og data",
      usageGroup: "Bruk",
      shortlist: "Kortliste"
    },
    en: {
      add: "Add to compare",
      full: "You can compare up to {max} services. Remove one before adding {name}.",
      added: "{name} added to the comparison ({n} of {max}).",
      removedFromSelection: "{name} removed from the comparison.",
      goCompare: "Go to the comparison ({n} chosen)",
      loading: "Loading the services …",
      loadError: "Could not load the catalog. Reload the page to try again.",
      seeAll: "See all services",
      notFound: "These services were not found in the catalog: {ids}.",
      tooMany: "You can compare up to {max} services; only the first {max} are shown.",
      onlyDiffs: "Show only rows that differ",
      legend: "Rows where the services differ are marked ≠.",
      differs: "differs",
      oneService: "Choose at least two services to see differences.",
      caption: "Comparison of {names}",
      actions: "Actions",
      remove: "Remove",
      removeFrom: "from the comparison",
      removed: "{name} removed. {n} services left in the comparison.",
      removedLast: "{name} removed. The comparison is empty.",
      summary: "Comparing {n} services. {d} of {rows} rows differ.",
      summaryOne: "Showing 1 service.",
      none: "–",
      notDeclared: "Not declared",
      free: "Free",
      minTerm: "minimum term {term}",
      issuer: "issued by {issuer}",
      financial: "applies to financial entities, not municipalities",
      rating: "{value} out of 5 ({reviews})",
      overview: "Overview",
      hostingGroup: "Integrations, hosting and data",
      usageGroup: "Use",
      shortlist: "Shortlist"
    }
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

  // ---- the choice kept in this browser -------------------------------------------------------

  function cleanIds(ids) {
    var seen = {};
    return (ids || []).filter(function (id) {
      if (typeof id !== "string" || !ID_PATTERN.test(id) || seen[id]) return false;
      seen[id] = true;
      return true;
    });
  }

  function stored() {
    try { return cleanIds(JSON.parse(localStorage.getItem(STORE) || "[]")).slice(0, MAX); } catch (e) { return []; }
  }

  function store(ids) {
    try { localStorage.setItem(STORE, JSON.stringify(cleanIds(ids).slice(0, MAX))); } catch (e) { /* private mode */ }
    refreshToggles();
  }

  function compareUrl(ids, lang) {
    return ROOT + PATHS[lang || pageLang()].compare + (ids.length ? "?s=" + ids.map(encodeURIComponent).join(",") : "");
  }

  // ---- polite announcements (one live region per page, shared with shortlist.js) --------------

  function announcer() {
    var region = document.getElementById("tw-announcer");
    if (!region) {
      region = el("div", { id: "tw-announcer", className: "tw-visually-hidden", role: "status", "aria-live": "polite" });
      document.body.appendChild(region);
    }
    return region;
  }

  var announceTimer = null;
  function announce(message) {
    var region = announcer();
    region.textContent = "";
    clearTimeout(announceTimer);
    // A fresh text node after a short pause is announced even when the words repeat.
    announceTimer = setTimeout(function () { region.textContent = message; }, 60);
  }

  // ---- toggle buttons on cards and service pages ----------------------------------------------

  function actionsOf(host) {
    if (host.matches(".tw-actions")) return host;
    return host.querySelector("[data-tw-actions]");
  }

  function serviceName(host) {
    var title = host.querySelector(".tw-card__title") || (host.matches(".tw-actions") ? document.querySelector("h1") : null);
    return title ? title.textContent.trim() : host.getAttribute("data-tw-service");
  }

  function linksLine(actions) {
    var line = actions.querySelector("[data-tw-links]");
    if (!line) {
      line = el("p", { className: "tw-actions__links", "data-tw-links": true, hidden: true });
      actions.appendChild(line);
    }
    return line;
  }

  function noteOf(actions) {
    var note = actions.querySelector("[data-tw-compare-note]");
    if (!note) {
      note = el("p", { className: "tw-actions__note", "data-tw-compare-note": true, hidden: true });
      actions.appendChild(note);
    }
    return note;
  }

  function makeToggle(id, name) {
    var L = UI[pageLang()];
    var button = el("button", { type: "button", className: "tw-button tw-toggle", "data-tw-compare-toggle": id,
                                "aria-pressed": "false", "aria-label": L.add + ": " + name }, [
      el("span", { className: "tw-toggle__box", "aria-hidden": "true" }),
      el("span", { className: "tw-toggle__label" }, [L.add])
    ]);
    button.addEventListener("click", function () { toggle(id, name, button); });
    return button;
  }

  function toggle(id, name, button) {
    var L = UI[pageLang()];
    var ids = stored();
    var actions = button.closest("[data-tw-actions], .tw-actions");
    var note = actions ? noteOf(actions) : null;
    if (ids.indexOf(id) >= 0) {
      store(ids.filter(function (x) { return x !== id; }));
      announce(fill(L.removedFromSelection, { name: name }));
      if (note) note.hidden = true;
      return;
    }
    if (ids.length >= MAX) {
      var message = fill(L.full, { max: MAX, name: name });
      if (note) {
        note.textContent = message + " ";
        note.appendChild(el("a", { href: compareUrl(ids), text: fill(L.goCompare, { n: ids.length }) }));
        note.hidden = false;
      }
      announce(message);
      return;
    }
    ids.push(id);
    store(ids);
    if (note) note.hidden = true;
    announce(fill(L.added, { name: name, n: ids.length, max: MAX }));
  }

  function refreshToggles() {
    var L = UI[pageLang()];
    var ids = stored();
    document.querySelectorAll("[data-tw-compare-toggle]").forEach(function (button) {
      var on = ids.indexOf(button.getAttribute("data-tw-compare-toggle")) >= 0;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      var actions = button.closest("[data-tw-actions], .tw-actions");
      if (!actions) return;
      var line = linksLine(actions);
      var link = line.querySelector("[data-tw-compare-link]");
      if (on) {
        if (!link) {
          link = el("a", { "data-tw-compare-link": true });
          line.insertBefore(link, line.firstChild);
        }
        link.href = compareUrl(ids);
        link.textContent = fill(L.goCompare, { n: ids.length });
      } else if (link) {
        link.remove();
      }
      line.hidden = !line.querySelector("a");
      if (on || ids.length < MAX) noteOf(actions).hidden = true;
    });
    // The service page's own "Compare" link opens the comparison with this service in it.
    document.querySelectorAll("a[data-tw-compare]").forEach(function (link) {
      link.href = compareUrl(withService(ids, link.getAttribute("data-tw-compare")));
    });
  }

  function withService(ids, id) {
    if (ids.indexOf(id) >= 0) return ids;
    return ids.slice(0, MAX - 1).concat([id]);
  }

  function enhance(root) {
    var hosts = [];
    if (root.matches && root.matches("[data-tw-service]")) hosts.push(root);
    root.querySelectorAll("[data-tw-service]").forEach(function (h) { hosts.push(h); });
    var added = false;
    hosts.forEach(function (host) {
      var actions = actionsOf(host);
      if (!actions || actions.hasAttribute("data-tw-compare-ready")) return;
      var id = host.getAttribute("data-tw-service");
      if (!ID_PATTERN.test(id || "")) return;
      actions.setAttribute("data-tw-compare-ready", "");
      var button = makeToggle(id, serviceName(host));
      var link = actions.querySelector("a[data-tw-compare]");
      if (link) {
        link.addEventListener("click", function () { store(withService(stored(), id)); });
        link.insertAdjacentElement("afterend", button);
      } else {
        actions.insertBefore(button, actions.firstChild);
      }
      actions.hidden = false;
      added = true;
    });
    if (added) refreshToggles();
  }

  // ---- the compare page -------------------------------------------------------------------------

  function localeOf(lang) { return lang === "en" ? "en-GB" : "nb-NO"; }

  function formatters(lang) {
    var locale = localeOf(lang);
    var dateFormat = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    var numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    var ratingFormat = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    var regions = null, languages = null, list = null;
    try { regions = new Intl.DisplayNames([locale], { type: "region" }); } catch (e) { /* old browser: codes */ }
    try { languages = new Intl.DisplayNames([locale], { type: "language" }); } catch (e) { /* old browser: codes */ }
    try { list = new Intl.ListFormat(locale, { style: "long", type: "conjunction" }); } catch (e) { /* joined by commas */ }
    function display(names, code) {
      if (!names) return code;
      try { return names.of(code) || code; } catch (e) { return code; }
    }
    return {
      date: function (iso) {
        var p = String(iso).split("-").map(Number);
        return dateFormat.format(new Date(Date.UTC(p[0], p[1] - 1, p[2])));
      },
      number: function (n) { return numberFormat.format(n); },
      rating: function (n) { return ratingFormat.format(n); },
      country: function (code) { return display(regions, code); },
      language: function (code) {
        var name = display(languages, code);
        return name.charAt(0).toUpperCase() + name.slice(1);
      },
      list: function (items) { return list ? list.format(items) : items.join(", "); }
    };
  }

  function dayNumber(iso) {
    var p = String(iso).split("-").map(Number);
    return Math.floor(Date.UTC(p[0], p[1] - 1, p[2]) / 86400000);
  }

  // The same rule as compliance_state() in scripts/thingwalla/site/pages.py.
  var EXPIRY_WARNING_DAYS = 60;
  function complianceState(claim, today) {
    if (claim.expires && dayNumber(claim.expires) < today) return "expired";
    if (claim.expires && dayNumber(claim.expires) - today <= EXPIRY_WARNING_DAYS) return "expiring";
    if (claim.evidence_url) return "evidenced";
    return "declared";
  }

  function localized(value, lang) {
    // [text, language it is in]; falls back to the other language, then to any.
    if (!value) return ["", lang];
    if (typeof value === "string") return [value, lang];
    var order = [lang, lang === "nb" ? "en" : "nb", "sv"].concat(Object.keys(value));
    for (var i = 0; i < order.length; i++) if (value[order[i]]) return [value[order[i]], order[i]];
    return ["", lang];
  }

  function localizedNode(value, lang) {
    var found = localized(value, lang);
    if (found[1] !== lang && found[0]) return el("span", { lang: found[1], text: found[0] });
    return document.createTextNode(found[0]);
  }

  function setupComparePage() {
    var host = document.querySelector("[data-tw-compare-table]");
    if (!host) return;
    var lang = host.getAttribute("data-lang") === "en" ? "en" : "nb";
    var L = UI[lang];
    var words = {};
    try { words = JSON.parse(host.getAttribute("data-labels") || "{}"); } catch (e) { words = {}; }
    var strings = {};
    try { strings = JSON.parse(host.getAttribute("data-strings") || "{}"); } catch (e) { strings = {}; }
    function word(key, fallback) { return words[key] || strings[key] || fallback; }
    var fmt = formatters(lang);
    // The site's names (Babel) first: Chromium's trimmed ICU data has no name for some codes (Northern Sami).
    var intlCountry = fmt.country, intlLanguage = fmt.language;
    fmt.country = function (code) { return words["country." + code] || intlCountry(code); };
    fmt.language = function (code) { return words["language." + code] || intlLanguage(code); };
    var todayAttr = host.getAttribute("data-today");
    var today = todayAttr ? dayNumber(todayAttr) : Math.floor(Date.now() / 86400000);
    var serviceBase = host.getAttribute("data-service-base") || "";
    var vendorBase = host.getAttribute("data-vendor-base");
    var buyerBase = host.getAttribute("data-buyer-base");
    var categoryBase = host.getAttribute("data-category-base");
    var status = document.querySelector("[data-tw-compare-status]");
    var index = null;
    var onlyDiffs = false;

    function idsFromUrl() {
      var raw = new URLSearchParams(location.search).get("s") || "";
      return cleanIds(raw.split(",").map(function (s) { return s.trim(); }));
    }

    function pageUrl(ids) {
      return location.pathname + (ids.length ? "?s=" + ids.map(encodeURIComponent).join(",") : "") + location.hash;
    }

    function syncLanguageLink(ids) {
      document.querySelectorAll("a.tw-lang-switch__link").forEach(function (a) {
        var base = (a.getAttribute("href") || "").split(/[?#]/)[0];
        a.setAttribute("href", base + (ids.length ? "?s=" + ids.map(encodeURIComponent).join(",") : ""));
      });
    }

    var ids = idsFromUrl();
    if (!ids.length && stored().length) {
      ids = stored();
      history.replaceState(null, "", pageUrl(ids));
    }
    syncLanguageLink(ids);

    host.setAttribute("aria-busy", "true");
    host.textContent = "";
    host.appendChild(el("p", { className: "tw-muted", text: L.loading }));

    // Only what the table shows is fetched: the catalog's index (taxonomy, regulations, integrations, buyers)
    // and one small file per chosen service, never the whole catalog.json.
    var apiBase = host.getAttribute("data-api");
    var unknown = {};  // ids the catalog does not have (their file answered 404)

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

    function loadServices(wanted) {
      var missing = wanted.slice(0, MAX * 3).filter(function (id) { return !index.services[id] && !unknown[id]; });
      return Promise.all(missing.map(function (id) {
        return serviceEntry(id, index.serviceFiles).then(function (entry) {
          if (!entry) { unknown[id] = true; return; }
          index.services[id] = entry.service;
          if (entry.vendor) index.vendors[entry.vendor.id] = entry.vendor;
        });
      }));
    }

    function failed() {
      host.removeAttribute("aria-busy");
      host.textContent = "";
      host.appendChild(el("p", { className: "tw-error", role: "alert", text: L.loadError }));
    }

    getJson(apiBase + "catalog-index.json").then(function (catalog) {
      if (!catalog) throw new Error("404");
      index = buildIndex(catalog);
      return loadServices(ids);
    }).then(function () {
      render(ids, null);
    }).catch(failed);

    window.addEventListener("popstate", function () {
      if (!index) return;
      ids = idsFromUrl();
      syncLanguageLink(ids);
      var wanted = ids;
      loadServices(wanted).then(function () { render(wanted, null); }).catch(failed);
    });

    function buildIndex(catalog) {
      function byId(list) { var map = {}; (list || []).forEach(function (x) { map[x.id] = x; }); return map; }
      var solutionTypes = {};
      (catalog.categories || []).forEach(function (c) {
        (c.solution_types || []).forEach(function (st) { solutionTypes[st.id] = st; });
      });
      return { services: {}, vendors: {}, buyers: byId(catalog.buyers), serviceFiles: catalog.service_files || 1,
               categories: byId(catalog.categories), regulations: byId(catalog.regulations),
               regulationOrder: (catalog.regulations || []).map(function (r) { return r.id; }),
               integrations: byId(catalog.integrations), solutionTypes: solutionTypes };
    }

    function link(base, id, child) {
      if (!base) return typeof child === "string" ? document.createTextNode(child) : child;
      return el("a", { href: base + encodeURIComponent(id) + "/" }, [child]);
    }

    function inline(nodes) {
      var span = el("span");
      nodes.forEach(function (node, i) {
        if (i) span.appendChild(document.createTextNode(", "));
        span.appendChild(typeof node === "string" ? document.createTextNode(node) : node);
      });
      return span;
    }

    function list(nodes) {
      if (!nodes.length) return document.createTextNode(L.none);
      if (nodes.length === 1) return nodes[0];
      return el("ul", { className: "tw-compare__list" }, nodes.map(function (n) { return el("li", null, [n]); }));
    }

    function sortedKey(values) { return JSON.stringify(values.slice().sort()); }

    // Each row: label, then per service {key: what is compared, node: what is shown}.
    function rowsFor(chosen) {
      var I = index;
      var overview = [
        { label: word("card.vendor", "Vendor"), cell: function (s) {
          var v = I.vendors[s.vendor];
          var name = v ? v.display_name : s.vendor;
          return { key: name, node: link(vendorBase, s.vendor, name) };
        } },
        { label: word("service.category", "Category"), cell: function (s) {
          var c = I.categories[s.category];
          return { key: s.category, node: c ? link(categoryBase, c.id, localizedNode(c.name, lang)) : document.createTextNode(s.category) };
        } },
        { label: word("service.solution_type", "Solution type"), cell: function (s) {
          var st = I.solutionTypes[s.solution_type];
          return { key: s.solution_type, node: st ? localizedNode(st.name, lang) : document.createTextNode(s.solution_type) };
        } },
        { label: word("card.pricing", "Pricing model"), cell: function (s) {
          var text = word("pricing." + s.pricing.model, s.pricing.model);
          return { key: s.pricing.model, node: document.createTextNode(text) };
        } },
        { label: word("service.plans", "Prices and plans"), cell: function (s) {
          var plans = (s.pricing.plans || []);
          var texts = plans.map(function (p) {
            var price = p.price === 0 ? L.free : fmt.number(p.price) + " " + p.currency + " " +
              word("unit." + p.unit, p.unit) + " " + word("period." + p.billing_period, p.billing_period);
            var term = p.minimum_term_months ? ", " + fill(L.minTerm, { term: fill(word("service.months", "{n}"), { n: p.minimum_term_months }) }) : "";
            return [localized(p.name, lang)[0] + ": " + price + term, p];
          });
          if (!texts.length) return { key: "", node: document.createTextNode(word("service.no_plans", L.none)) };
          return {
            key: JSON.stringify(texts.map(function (t) { return t[0]; })),
            node: list(texts.map(function (t) {
              var span = el("span");
              span.appendChild(el("strong", null, [localizedNode(t[1].name, lang)]));
              span.appendChild(document.createTextNode(t[0].slice(localized(t[1].name, lang)[0].length)));
              return span;
            }))
          };
        } }
      ];

      // One row per regulation any of the chosen services declares, in the catalog's order.
      var declared = {};
      chosen.forEach(function (s) { (s.compliance || []).forEach(function (c) { declared[c.regulation] = true; }); });
      var compliance = I.regulationOrder.filter(function (id) { return declared[id]; }).map(function (regId) {
        var reg = I.regulations[regId];
        var relevant = !reg || !reg.applies_to || reg.applies_to.indexOf("public_bodies") >= 0 || reg.applies_to.indexOf("companies") >= 0;
        return {
          label: reg ? localized(reg.name, lang)[0] : regId,
          prefix: word("service.compliance", "Compliance") + ": ",
          note: relevant ? null : L.financial,
          cell: function (s) {
            var claim = (s.compliance || []).filter(function (c) { return c.regulation === regId; })[0];
            if (!claim) return { key: "none", node: el("span", { className: "tw-muted", text: L.notDeclared }) };
            // The compliance engine's state (catalog.json); the date rule only for catalogs without it.
            var st = claim.state || complianceState(claim, today);
            var parts = [];
            if (claim.issued) parts.push(fill(word("service.from", "from {date}"), { date: fmt.date(claim.issued) }));
            if (claim.expires) parts.push(fill(word("service.until", "until {date}"), { date: fmt.date(claim.expires) }));
            if (claim.issuer) parts.push(fill(L.issuer, { issuer: claim.issuer }));
            var node = el("span", { className: "tw-compare__claim" }, [
              el("span", { className: "tw-badge tw-badge--" + st, text: word("state." + st, st) }),
              parts.length ? el("span", { className: "tw-compare__dates", text: parts.join(" · ") }) : null,
              claim.evidence_url ? el("a", { href: claim.evidence_url, rel: "noopener noreferrer nofollow" },
                [word("service.document", "Document"), hiddenText(": " + (reg ? localized(reg.name, lang)[0] : regId))]) : null
            ]);
            return { key: [st, claim.issued, claim.expires, claim.issuer || ""].join("|"), node: node };
          }
        };
      });

      var hosting = [
        { label: word("service.integrations", "Integrations"), cell: function (s) {
          var names = (s.integrations || []).map(function (id) { return I.integrations[id] ? I.integrations[id].name : id; });
          return { key: sortedKey(s.integrations || []), node: names.length ? inline(names) : document.createTextNode(L.none) };
        } },
        { label: word("service.data_locations", "Data stored in"), cell: function (s) {
          var codes = s.hosting.data_locations || [];
          return { key: sortedKey(codes), node: codes.length ? inline(codes.map(fmt.country)) : document.createTextNode(L.none) };
        } },
        { label: word("service.sub_processors", "Sub-processors"), cell: function (s) {
          var subs = s.hosting.sub_processors || [];
          return {
            key: sortedKey(subs.map(function (p) { return p.name + "|" + p.country; })),
            node: list(subs.map(function (p) { return document.createTextNode(p.name + " (" + fmt.country(p.country) + ")"); }))
          };
        } },
        { label: word("service.languages", "Languages"), cell: function (s) {
          var codes = s.languages || [];
          return { key: sortedKey(codes), node: codes.length ? inline(codes.map(fmt.language)) : document.createTextNode(L.none) };
        } },
        { label: word("service.deployment", "Deployment"), cell: function (s) {
          var kinds = s.hosting.deployment || [];
          return { key: sortedKey(kinds), node: inline(kinds.map(function (d) { return word("deployment." + d, d); })) };
        } },
        { label: word("service.licence", "Licence"), cell: function (s) {
          var text = s.licence === "proprietary" ? word("proprietary", s.licence) : s.licence;
          return { key: s.licence, node: document.createTextNode(text) };
        } }
      ];

      var usage = [
        { label: word("service.used_by", "Used by"), cell: function (s) {
          var ids = (s.usage && s.usage.buyers) || [];
          return {
            key: sortedKey(ids),
            node: ids.length ? inline(ids.map(function (b) { return link(buyerBase, b, I.buyers[b] ? I.buyers[b].name : b); }))
                             : document.createTextNode(L.none)
          };
        } },
        { label: word("buyer.rating", "Rating"), cell: function (s) {
          var u = s.usage || {};
          if (u.rating === null || u.rating === undefined) {
            return { key: "none", node: el("span", { className: "tw-muted", text: word("rating.none", L.none) }) };
          }
          var reviews = u.ratings === 1 ? word("rating.review_one", "1") : fill(word("rating.reviews", "{n}"), { n: u.ratings });
          return { key: u.rating + "|" + u.ratings, node: document.createTextNode(fill(L.rating, { value: fmt.rating(u.rating), reviews: reviews })) };
        } }
      ];

      return [
        { title: L.overview, rows: overview },
        { title: word("service.compliance", "Compliance"), rows: compliance },
        { title: L.hostingGroup, rows: hosting },
        { title: L.usageGroup, rows: usage }
      ];
    }

    function render(wanted, focusIndex) {
      var L2 = L;
      host.removeAttribute("aria-busy");
      host.textContent = "";
      var notes = [];
      var known = wanted.filter(function (id) { return index.services[id]; });
      var missing = wanted.filter(function (id) { return !index.services[id]; });
      if (missing.length) notes.push(fill(L2.notFound, { ids: missing.join(", ") }));
      if (known.length > MAX) notes.push(fill(L2.tooMany, { max: MAX }));
      var chosenIds = known.slice(0, MAX);
      var chosen = chosenIds.map(function (id) { return index.services[id]; });
      ids = chosenIds;
      if (chosenIds.join(",") !== wanted.join(",")) history.replaceState(null, "", pageUrl(chosenIds));
      syncLanguageLink(chosenIds);
      try { localStorage.setItem(STORE, JSON.stringify(chosenIds)); } catch (e) { /* private mode */ }
      notes.forEach(function (text) { host.appendChild(el("p", { className: "tw-compare__note", text: text })); });

      if (!chosen.length) {
        var empty = el("p", { className: "tw-compare__empty", tabindex: "-1" }, [
          host.getAttribute("data-empty") || "", " ", el("a", { href: serviceBase, text: L2.seeAll })
        ]);
        host.appendChild(empty);
        if (status) status.textContent = "";
        if (focusIndex !== null) empty.focus();
        return;
      }

      var groups = rowsFor(chosen);
      var compared = chosen.length > 1;

      if (compared) {
        var checkboxId = "tw-compare-only-diffs";
        var checkbox = el("input", { type: "checkbox", id: checkboxId });
        checkbox.checked = onlyDiffs;
        checkbox.addEventListener("change", function () {
          onlyDiffs = checkbox.checked;
          table.classList.toggle("tw-compare--only-diffs", onlyDiffs);
        });
        host.appendChild(el("div", { className: "tw-compare__tools" }, [
          el("p", { className: "tw-compare__legend" }, [
            el("span", { className: "tw-differs-mark", "aria-hidden": "true", text: "≠" }), " ", L2.legend
          ]),
          el("p", { className: "tw-compare__filter" }, [checkbox, " ", el("label", { "for": checkboxId, text: L2.onlyDiffs })])
        ]));
      } else {
        host.appendChild(el("p", { className: "tw-compare__legend", text: L2.oneService }));
      }

      var table = el("table", { className: "tw-table tw-compare" + (onlyDiffs && compared ? " tw-compare--only-diffs" : "") });
      table.setAttribute("data-columns", String(chosen.length));
      var names = chosen.map(function (s) { return localized(s.name, lang)[0]; });
      table.appendChild(el("caption", { className: "tw-visually-hidden", text: fill(L2.caption, { names: fmt.list(names) }) }));
      var colgroup = el("colgroup", null, [el("col", { className: "tw-compare__label-col" })]);
      chosen.forEach(function () { colgroup.appendChild(el("col")); });
      table.appendChild(colgroup);

      var thead = el("thead");
      var headRow = el("tr", null, [el("th", { scope: "col", text: word("compare.row", "Property") })]);
      var actionRow = el("tr", { className: "tw-compare__actions" }, [el("td", null, [hiddenText(L2.actions)])]);
      chosen.forEach(function (s, i) {
        headRow.appendChild(el("th", { scope: "col", className: "tw-compare__service" }, [
          el("a", { href: serviceBase + encodeURIComponent(s.id) + "/" }, [localizedNode(s.name, lang)])
        ]));
        var remove = el("button", { type: "button", className: "tw-button tw-button--secondary tw-compare__remove",
                                    "data-tw-remove": s.id }, [
          L2.remove,
          hiddenText(" " + names[i] + " " + L2.removeFrom)
        ]);
        remove.addEventListener("click", function () { removeService(s.id, names[i], i); });
        var cell = el("td", null, [remove]);
        var api = window.ThingwallaShortlist;
        if (api && typeof api.toggleButton === "function") cell.appendChild(api.toggleButton(s.id, names[i]));
        actionRow.appendChild(cell);
      });
      thead.appendChild(headRow);
      thead.appendChild(actionRow);
      table.appendChild(thead);

      var differing = 0, total = 0;
      groups.forEach(function (group) {
        if (!group.rows.length) return;
        var tbody = el("tbody");
        tbody.appendChild(el("tr", { className: "tw-compare__group" }, [
          el("th", { scope: "colgroup", colspan: String(chosen.length + 1), text: group.title })
        ]));
        group.rows.forEach(function (row) {
          var cells = chosen.map(row.cell);
          var differs = compared && cells.some(function (c) { return c.key !== cells[0].key; });
          total += 1;
          if (differs) differing += 1;
          var th = el("th", { scope: "row" }, [row.prefix ? hiddenText(row.prefix) : null, row.label]);
          if (row.note) th.appendChild(el("span", { className: "tw-compare__row-note", text: " (" + row.note + ")" }));
          if (differs) {
            th.appendChild(document.createTextNode(" "));
            th.appendChild(el("span", { className: "tw-differs-mark" }, [
              el("span", { "aria-hidden": "true", text: "≠" }), hiddenText("(" + L2.differs + ")")
            ]));
          }
          var tr = el("tr", { className: differs ? "tw-compare__row tw-compare__row--differs" : "tw-compare__row" }, [th]);
          if (differs) tr.setAttribute("data-differs", "");
          cells.forEach(function (c) {
            tr.appendChild(el("td", { className: differs ? "tw-differs" : null }, [c.node]));
          });
          tbody.appendChild(tr);
        });
        table.appendChild(tbody);
      });

      var wrap = el("div", { className: "tw-table-wrap tw-compare-wrap", tabindex: "0", role: "region",
                             "aria-label": fill(L2.caption, { names: fmt.list(names) }) }, [table]);
      host.appendChild(wrap);

      var summary = compared ? fill(L2.summary, { n: chosen.length, d: differing, rows: total }) : L2.summaryOne;
      if (status) status.textContent = summary;

      if (focusIndex !== null) {
        var buttons = host.querySelectorAll("[data-tw-remove]");
        var target = buttons[Math.min(focusIndex, buttons.length - 1)];
        if (target) target.focus();
      }
    }

    function removeService(id, name, position) {
      var rest = ids.filter(function (x) { return x !== id; });
      history.pushState(null, "", pageUrl(rest));
      render(rest, position);
      refreshToggles();
      var message = rest.length ? fill(L.removed, { name: name, n: rest.length }) : fill(L.removedLast, { name: name });
      announce(message);
    }
  }

  // ---- start -------------------------------------------------------------------------------------

  window.ThingwallaCompare = { enhance: enhance, stored: stored, max: MAX };

  ready(function () {
    enhance(document);
    setupComparePage();
    refreshToggles();
    // Cards added later (search results rendered by script) get their buttons too.
    if ("MutationObserver" in window) {
      new MutationObserver(function (records) {
        records.forEach(function (record) {
          record.addedNodes.forEach(function (node) {
            if (node.nodeType === 1 && (node.matches("[data-tw-service]") || node.querySelector("[data-tw-service]"))) enhance(node);
          });
        });
      }).observe(document.body, { childList: true, subtree: true });
    }
    // Another tab changed the choice.
    window.addEventListener("storage", function (event) { if (event.key === STORE) refreshToggles(); });
  });
})();
