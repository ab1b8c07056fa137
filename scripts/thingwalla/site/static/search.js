/* Thingwalla search page: Pagefind full-text search with facets, "fits us", sorting and URL state.
   Category pages list every service without JavaScript; this page needs it. */
(function () {
  "use strict";

  var host = document.querySelector("[data-tw-searchpage]");
  if (!host) return;
  host.hidden = false;

  var lang = host.getAttribute("data-lang");
  var labels = JSON.parse(host.getAttribute("data-labels"));
  var profiles = JSON.parse(host.getAttribute("data-profiles"));
  var facetKeys = JSON.parse(host.getAttribute("data-facets"));
  var root = host.getAttribute("data-root");
  var form = host.querySelector("[data-tw-searchform]");
  var facetsBox = host.querySelector("[data-tw-facets]");
  var list = host.querySelector("[data-tw-results]");
  var count = host.querySelector("[data-tw-count]");
  var more = host.querySelector("[data-tw-more]");
  var unfitToggle = host.querySelector("[data-tw-unfit-toggle]");
  var locale = lang === "nb" ? "nb-NO" : "en-GB";
  var countryNames = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames([locale], { type: "region" }) : null;
  var languageNames = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames([locale], { type: "language" }) : null;
  var PAGE = 20;
  var pagefind = null;
  var allFilters = {};
  var state = readUrl();
  var shown = [];
  var serial = 0;

  function ui(key, values) {
    var text = labels.ui[key] || key;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  // Names come from the site (Babel, CLDR): Chromium's trimmed ICU data has no name for some languages
  // (Northern Sami "se" came out as "Se"); Intl.DisplayNames is only the fallback.
  function valueLabel(key, value) {
    var known = labels.values[key] && labels.values[key][value];
    if (known) return known;
    try {
      if ((key === "country" || key === "data_country") && countryNames) return countryNames.of(value);
      if (key === "language" && languageNames) return capital(languageNames.of(value));
    } catch (e) { /* an unknown code stays a code */ }
    return value;
  }

  function capital(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  // --- state <-> URL -------------------------------------------------------------------------------
  function readUrl() {
    var params = new URLSearchParams(location.search);
    var filters = {};
    facetKeys.forEach(function (key) {
      var raw = params.get(key);
      if (raw) filters[key] = raw.split(",").filter(Boolean);
    });
    return { q: params.get("q") || "", buyer: params.get("buyer") || "", sort: params.get("sort") || "relevance",
             unfit: params.get("unfit") === "1", filters: filters };
  }

  function writeUrl(push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.buyer) params.set("buyer", state.buyer);
    if (state.unfit) params.set("unfit", "1");
    if (state.sort !== "relevance") params.set("sort", state.sort);
    Object.keys(state.filters).forEach(function (key) {
      if (state.filters[key].length) params.set(key, state.filters[key].join(","));
    });
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
    try {
      sessionStorage.setItem("thingwalla.search", JSON.stringify({ q: state.q, filters: state.filters,
        buyer: state.buyer || null, sort: state.sort, url: location.href }));
    } catch (e) { /* storage may be disabled */ }
    var switcher = document.querySelector("a.tw-lang-switch__link");
    if (switcher) switcher.href = switcher.href.split("?")[0] + location.search;
  }

  function syncForm() {
    form.q.value = state.q;
    form.buyer.value = profiles[state.buyer] ? state.buyer : "";
    form.sort.value = state.sort;
    form.unfit.checked = state.unfit;
    unfitToggle.hidden = !state.buyer;
  }

  // --- "fits us": a buyer's requirement profile as Pagefind filters ----------------------------------
  function fitFilters(profile) {
    var parts = [];
    if (profile.regulations.length) parts.push({ regulation: { all: profile.regulations } });
    if (profile.integrations.length) parts.push({ integration: { all: profile.integrations } });
    if (profile.languages.length) parts.push({ language: { all: profile.languages } });
    if (profile.data_locations.length) {
      var allowed = allowedCountries(profile);
      var forbidden = Object.keys(allFilters.data_country || {}).filter(function (c) { return allowed.indexOf(c) < 0; });
      if (forbidden.length) parts.push({ data_country: { none: forbidden } });
    }
    return parts;
  }

  function allowedCountries(profile) {
    var allowed = [];
    profile.data_locations.forEach(function (c) { allowed = allowed.concat(c === "EEA" ? labels.eea : [c]); });
    return allowed;
  }

  // Why a service does not fit, from the filters of its page (the same facts the query used).
  function reasons(profile, filters) {
    var facts = { d: filters.data_country || [], i: filters.integration || [], r: filters.regulation || [],
                  l: filters.language || [] };
    var out = [];
    if (profile.data_locations.length) {
      var allowed = allowedCountries(profile);
      var outside = facts.d.filter(function (c) { return allowed.indexOf(c) < 0; });
      if (outside.length) out.push(ui("reason_data", { countries: outside.map(function (c) { return valueLabel("country", c); }).join(", ") }));
    }
    var missing = profile.integrations.filter(function (i) { return facts.i.indexOf(i) < 0; });
    if (missing.length) out.push(ui("reason_integration", { names: missing.map(function (i) { return valueLabel("integration", i); }).join(", ") }));
    missing = profile.regulations.filter(function (r) { return facts.r.indexOf(r) < 0; });
    if (missing.length) out.push(ui("reason_regulation", { names: missing.map(function (r) { return valueLabel("regulation", r); }).join(", ") }));
    missing = profile.languages.filter(function (l) { return facts.l.indexOf(l) < 0; });
    if (missing.length) out.push(ui("reason_language", { names: missing.map(function (l) { return valueLabel("language", l); }).join(", ") }));
    return out;
  }

  // --- searching -----------------------------------------------------------------------------------
  function query() {
    var parts = [];
    Object.keys(state.filters).forEach(function (key) {
      if (state.filters[key].length) {
        var part = {}; part[key] = { any: state.filters[key] }; parts.push(part);
      }
    });
    var profile = profiles[state.buyer];
    if (profile && !state.unfit) parts = parts.concat(fitFilters(profile));
    var options = { filters: parts.length ? { all: parts } : {} };
    if (state.sort !== "relevance") {
      options.sort = {};
      options.sort[state.sort] = state.sort === "name" ? "asc" : "desc";
    }
    return options;
  }

  function run() {
    var mine = ++serial;
    var options = query();
    var term = state.q.trim() || null;
    var hasFilters = Object.keys(options.filters).length > 0;
    count.textContent = ui("loading");
    return pagefind.search(term === null && !hasFilters && state.sort === "relevance" ? null : term, options)
      .then(function (search) {
        if (mine !== serial) return;
        var results = search.results;
        if (term === null && !hasFilters && state.sort === "relevance") {
          // Nothing asked yet: show everything, newest first, so the page is never empty.
          return pagefind.search(null, { sort: { listed: "desc" } }).then(function (all) {
            if (mine === serial) show(all.results, all.filters);
          });
        }
        show(results, search.filters);
      });
  }

  function show(results, counts) {
    shown = results;
    list.innerHTML = "";
    renderFacets(counts);
    var n = results.length;
    // The count is announced once the cards it speaks of are on the page.
    return loadMore().then(function () {
      if (shown !== results) return;
      count.textContent = n === 0 ? ui("count_none") : n === 1 ? ui("count_one") : ui("count", { n: n.toLocaleString(locale) });
    });
  }

  function loadMore() {
    var source = shown;
    var start = list.children.length;
    var slice = source.slice(start, start + PAGE);
    more.hidden = start + PAGE >= source.length;
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
      // A newer search may have replaced the results while these cards loaded: never mix the two.
      if (source !== shown) return;
      items.forEach(function (item) { list.appendChild(card(item)); });
    });
  }

  function usersText(n) {
    return n === 0 ? ui("users_none") : n === 1 ? ui("users_one") : ui("users", { n: n.toLocaleString(locale) });
  }

  // A service page's address ends in its id: .../tjenester/<id>/
  function serviceId(url) {
    var parts = url.split(/[?#]/)[0].split("/").filter(Boolean);
    return decodeURIComponent(parts[parts.length - 1] || "");
  }

  function card(item) {
    var meta = item.meta;
    var filters = item.filters || {};
    var id = serviceId(item.url);
    var stats = (meta.stats || "0 0 0").split(" ");
    var logoFile = (filters.logo || [])[0];
    var li = document.createElement("li");
    li.className = "tw-card";
    li.setAttribute("data-tw-service", id);
    var article = document.createElement("article");
    var head = document.createElement("div"); head.className = "tw-card__head";
    var logo = document.createElement(logoFile ? "img" : "span");
    logo.className = "tw-logo tw-logo--md" + (logoFile ? "" : " tw-logo--icon");
    if (logoFile) {
      logo.src = root + "assets/services/" + encodeURIComponent(id) + "/" + encodeURIComponent(logoFile);
      logo.alt = ""; logo.width = 48; logo.height = 48;
    }
    head.appendChild(logo);
    var titles = document.createElement("div");
    var h = document.createElement("h3"); h.className = "tw-card__title";
    var a = document.createElement("a"); a.href = item.url; a.textContent = meta.title;
    h.appendChild(a); titles.appendChild(h);
    var vendor = document.createElement("p"); vendor.className = "tw-card__vendor"; vendor.textContent = meta.vendor;
    titles.appendChild(vendor); head.appendChild(titles); article.appendChild(head);
    var tagline = document.createElement("p"); tagline.className = "tw-card__tagline"; tagline.textContent = meta.tagline;
    article.appendChild(tagline);
    var facts = document.createElement("p"); facts.className = "tw-card__meta";
    var rating = parseInt(stats[0], 10) / 10;
    facts.textContent = [valueLabel("pricing", (filters.pricing || [])[0] || ""),
      rating ? "★ " + ui("rating", { value: rating.toLocaleString(locale, { minimumFractionDigits: 1 }) }) : ui("no_rating"),
      usersText(parseInt(stats[2], 10) || 0)].join(" · ");
    article.appendChild(facts);
    var profile = profiles[state.buyer];
    if (profile) {
      var why = reasons(profile, filters);
      var note = document.createElement("div");
      note.className = "tw-fit " + (why.length ? "tw-fit--no" : "tw-fit--yes");
      if (why.length) {
        var p = document.createElement("p"); p.textContent = ui("not_fit", { buyer: profile.name }); note.appendChild(p);
        var ul = document.createElement("ul");
        why.forEach(function (r) { var li2 = document.createElement("li"); li2.textContent = r; ul.appendChild(li2); });
        note.appendChild(ul);
      } else {
        note.textContent = "✓ " + ui("fits_badge", { buyer: profile.name });
      }
      article.appendChild(note);
    }
    var actions = document.createElement("div"); actions.className = "tw-card__actions"; actions.hidden = true;
    actions.setAttribute("data-tw-actions", "");
    article.appendChild(actions);
    li.appendChild(article);
    document.dispatchEvent(new CustomEvent("thingwalla:cards", { detail: { root: li } }));
    return li;
  }

  function renderFacets(counts) {
    var focused = document.activeElement && document.activeElement.getAttribute("data-facet-id");
    facetsBox.innerHTML = "";
    facetKeys.forEach(function (key) {
      var values = Object.keys(allFilters[key] || {});
      if (!values.length) return;
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend"); legend.textContent = labels.facets[key]; fieldset.appendChild(legend);
      values.sort(function (x, y) { return valueLabel(key, x).localeCompare(valueLabel(key, y), locale); });
      values.forEach(function (value) {
        var id = "f-" + key + "-" + value.replace(/[^a-z0-9_-]/gi, "_");
        var wrap = document.createElement("div"); wrap.className = "tw-check";
        var input = document.createElement("input");
        input.type = "checkbox"; input.id = id; input.value = value; input.name = key;
        input.setAttribute("data-facet-id", id);
        input.checked = (state.filters[key] || []).indexOf(value) >= 0;
        var n = counts && counts[key] && counts[key][value] !== undefined ? counts[key][value] : 0;
        var label = document.createElement("label"); label.htmlFor = id;
        label.textContent = valueLabel(key, value) + " (" + n + ")";
        wrap.appendChild(input); wrap.appendChild(label); fieldset.appendChild(wrap);
      });
      facetsBox.appendChild(fieldset);
    });
    if (focused) {
      var again = facetsBox.querySelector('[data-facet-id="' + focused + '"]');
      if (again) again.focus();
    }
  }

  // --- events --------------------------------------------------------------------------------------
  var timer = null;
  form.addEventListener("submit", function (event) { event.preventDefault(); state.q = form.q.value; writeUrl(true); run(); });
  form.q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = form.q.value; writeUrl(false); run(); }, 120);
  });
  form.buyer.addEventListener("change", function () {
    state.buyer = form.buyer.value; state.unfit = false; syncForm(); writeUrl(true); run();
  });
  form.unfit.addEventListener("change", function () { state.unfit = form.unfit.checked; writeUrl(true); run(); });
  form.sort.addEventListener("change", function () { state.sort = form.sort.value; writeUrl(true); run(); });
  facetsBox.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "checkbox") return;
    var values = state.filters[input.name] || [];
    values = values.filter(function (v) { return v !== input.value; });
    if (input.checked) values.push(input.value);
    state.filters[input.name] = values;
    writeUrl(true); run();
  });
  host.querySelector("[data-tw-clear]").addEventListener("click", function () {
    state.filters = {}; writeUrl(true); run();
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    loadMore().then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    });
  });
  window.addEventListener("popstate", function () { state = readUrl(); syncForm(); run(); });

  // --- start ---------------------------------------------------------------------------------------
  syncForm();
  // import() resolves against this script's address, so make the bundle's address absolute first.
  var bundle = new URL(host.getAttribute("data-bundle"), document.baseURI).href;
  import(bundle + "pagefind.js").then(function (module) {
    pagefind = module;
    return pagefind.options({ basePath: bundle });
  }).then(function () {
    pagefind.init();
    return pagefind.filters();
  }).then(function (filters) {
    allFilters = filters;
    writeUrl(false);
    return run();
  }).catch(function () {
    count.textContent = ui("unavailable");
  });
})();
