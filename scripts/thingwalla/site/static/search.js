/* Thingwalla search page: full-text search with facets, "fits us", sorting and URL state, over the static index
   the build writes to api/search/<lang>/ (search_index.py says what each file holds). A search downloads the
   index's manifest, the one file of words each of its words starts with, the facets it counts or filters on,
   and the cards it shows. Category pages list every service without JavaScript; this page needs it. */
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
  // Before anything is asked the page shows what the build wrote into it (the count, every facet value with its
  // count, the newest cards): the search index is not needed for that.
  var initial = JSON.parse(host.getAttribute("data-initial"));
  var allValues = initial.counts;  // facet -> value -> number of services: every value the catalog has
  var PAGE = initial.page_size || 10;  // cards shown at once
  var sortsUrl = host.getAttribute("data-sorts");
  var indexUrl = new URL(host.getAttribute("data-index"), document.baseURI).href;
  var manifest = null;
  var fetched = {};  // file -> promise of its JSON (each file of the index is downloaded once)
  var bits = {};  // facet -> value -> Uint32Array: the services (by number) that have the value
  // Facets whose counts every search shows. The others are counted once the user moves into them (each facet is
  // one more file to download).
  var counted = { category: true, pricing: true };
  var state = readUrl();
  var shown = [];
  var showingInitial = false;
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

  // --- "fits us": a buyer's requirement profile as conditions on facets -----------------------------------
  // Each condition: a facet, values, and how they combine: "all" (every value), "none" (no value).
  function fitConditions(profile) {
    var parts = [];
    if (profile.regulations.length) parts.push({ key: "regulation", all: profile.regulations });
    if (profile.integrations.length) parts.push({ key: "integration", all: profile.integrations });
    if (profile.languages.length) parts.push({ key: "language", all: profile.languages });
    if (profile.data_locations.length) {
      var allowed = allowedCountries(profile);
      var forbidden = Object.keys(allValues.data_country || {}).filter(function (c) { return allowed.indexOf(c) < 0; });
      if (forbidden.length) parts.push({ key: "data_country", none: forbidden });
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
  function asked() {
    return !!(state.q.trim() || state.buyer || state.sort !== "relevance" ||
              Object.keys(state.filters).some(function (key) { return state.filters[key].length; }));
  }

  // --- the index ----------------------------------------------------------------------------------
  function getJson(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      });
      fetched[url].catch(function () { delete fetched[url]; });
    }
    return fetched[url];
  }

  function ensureIndex() {
    return getJson(indexUrl + "index.json").then(function (data) { manifest = data; return data; });
  }

  function decodeBits(text) {
    var raw = atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new Uint32Array(bytes.buffer);  // the build pads every set to whole 32-bit words
  }

  function ensureFacet(key) {
    return getJson(indexUrl + "facets/" + key + ".json").then(function (values) {
      if (!bits[key]) {
        var decoded = {};
        Object.keys(values).forEach(function (value) { decoded[value] = decodeBits(values[value]); });
        bits[key] = decoded;
      }
      return bits[key];
    });
  }

  // The sort orders: for every service (by number), its place in each order.
  function ensureSorts() { return getJson(sortsUrl); }

  // Words as the build cut them (search_index.words): lower-cased runs of letters and digits.
  var WORD = /[\p{L}\p{N}]+/gu;
  function wordsOf(text) { return text.toLowerCase().match(WORD) || []; }

  // A light stem for the words typed: "skolene" also finds "skole", "services" finds "service". Only the reader's
  // words are cut, never the index's, and a word still matches every word it begins.
  var SUFFIXES = lang === "nb" ? ["ene", "ane", "er", "ar", "en", "et"] : ["ies", "es", "s"];
  function stemOf(word) {
    for (var i = 0; i < SUFFIXES.length; i++) {
      var end = SUFFIXES[i];
      if (word.length - end.length >= 4 && word.slice(-end.length) === end) return word.slice(0, -end.length);
    }
    return word;
  }

  // The one file of words a word can be in: its own (a word of one or two letters matches only itself), else
  // the longest file key it begins with (two letters, or three where the build split a big group).
  function shardFor(word) {
    var shards = manifest.shards;
    if (word.length <= 2) return shards[word] ? word : null;
    for (var n = 3; n >= 2; n--) { if (shards[word.slice(0, n)]) return word.slice(0, n); }
    return null;
  }

  // Scores of one word for every service: the best of the words it matches (itself; words it begins; words its
  // stem begins), a whole-word match counting most.
  function wordScores(word) {
    var stem = stemOf(word);
    var forms = [{ text: word, whole: 1, prefix: word.length > 2 ? 0.8 : 0 }];
    if (stem !== word) forms.push({ text: stem, whole: 0.7, prefix: 0.6 });
    return Promise.all(forms.map(function (form) {
      var key = shardFor(form.text);
      return key === null ? {} : getJson(indexUrl + "terms/" + manifest.shards[key]);
    })).then(function (shards) {
      var scores = new Float32Array(manifest.count);
      forms.forEach(function (form, i) {
        var terms = shards[i];
        Object.keys(terms).forEach(function (term) {
          var factor = term === form.text ? form.whole : (term.lastIndexOf(form.text, 0) === 0 ? form.prefix : 0);
          if (!factor) return;
          var postings = terms[term];
          for (var j = 0, n = 0; j < postings.length; j += 2) {
            n += postings[j];
            var score = postings[j + 1] * factor;
            if (score > scores[n]) scores[n] = score;
          }
        });
      });
      return scores;
    });
  }

  function allOf(size) {
    var set = new Uint32Array(Math.ceil(size / 32));
    for (var i = 0; i < size; i++) set[i >> 5] |= 1 << (i & 31);
    return set;
  }

  function popcount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  // The conditions of the current state: ticked facet values (any of a facet's values), and "fits us".
  function conditions() {
    var parts = [];
    Object.keys(state.filters).forEach(function (key) {
      if (state.filters[key].length) parts.push({ key: key, any: state.filters[key] });
    });
    var profile = profiles[state.buyer];
    if (profile && !state.unfit) parts = parts.concat(fitConditions(profile));
    return parts;
  }

  function applyCondition(set, part, values) {
    var empty = new Uint32Array(set.length);
    var i;
    if (part.any) {
      var union = new Uint32Array(set.length);
      part.any.forEach(function (v) { var b = values[v] || empty; for (i = 0; i < set.length; i++) union[i] |= b[i]; });
      for (i = 0; i < set.length; i++) set[i] &= union[i];
    } else if (part.all) {
      part.all.forEach(function (v) { var b = values[v] || empty; for (i = 0; i < set.length; i++) set[i] &= b[i]; });
    } else if (part.none) {
      part.none.forEach(function (v) { var b = values[v] || empty; for (i = 0; i < set.length; i++) set[i] &= ~b[i]; });
    }
  }

  function result(n) {
    return { id: n, data: function () {
      var chunk = Math.floor(n / manifest.chunk);
      return getJson(indexUrl + "cards/" + chunk + ".json").then(function (cards) {
        var item = cards[n - chunk * manifest.chunk];
        return { url: root + item.url, meta: item.meta, filters: item.filters };
      });
    } };
  }

  // Everything the search page is asked: the services that have every word (by relevance, or newest first without
  // words), within the ticked facets and the buyer's profile, and the counts of the facets shown.
  function search() {
    var words = wordsOf(state.q);
    var sort = state.sort;
    var parts = conditions();
    return ensureIndex().then(function () {
      var needed = {};
      parts.forEach(function (part) { needed[part.key] = true; });
      Object.keys(counted).forEach(function (key) { if (allValues[key]) needed[key] = true; });
      return Promise.all([
        Promise.all(words.map(wordScores)),
        Promise.all(Object.keys(needed).map(ensureFacet)),
        sort !== "relevance" ? ensureSorts() : null,
      ]);
    }).then(function (ready) {
      var size = manifest.count;
      var set = allOf(size);
      parts.forEach(function (part) { applyCondition(set, part, bits[part.key]); });
      var total = null;
      if (words.length) {
        // A service stays if every word has a score for it; its relevance is their sum.
        total = new Float32Array(size);
        ready[0].forEach(function (scores) {
          for (var i = 0; i < set.length; i++) {
            var word = set[i];
            if (!word) continue;
            for (var b = 0; b < 32; b++) {
              if (!((word >>> b) & 1)) continue;
              var n = i * 32 + b;
              if (scores[n] > 0) total[n] += scores[n]; else word &= ~(1 << b);
            }
            set[i] = word;
          }
        });
      }
      var found = [];
      for (var k = 0; k < size; k++) { if ((set[k >> 5] >>> (k & 31)) & 1) found.push(k); }
      if (sort !== "relevance") {
        var ranks = ready[2][sort];
        found.sort(function (a, b) { return ranks[a] - ranks[b]; });
      } else if (total) {
        found.sort(function (a, b) { return total[b] - total[a] || a - b; });
      }  // (without words: newest first, the services' own numbering)
      var counts = {};
      Object.keys(counted).forEach(function (key) {
        var values = bits[key];
        if (!values) return;
        counts[key] = {};
        Object.keys(values).forEach(function (value) {
          var v = values[value], c = 0;
          for (var i = 0; i < set.length; i++) { if (set[i] & v[i]) c += popcount(set[i] & v[i]); }
          counts[key][value] = c;
        });
      });
      return { results: found.map(result), counts: counts };
    });
  }

  function run() {
    var mine = ++serial;
    if (!asked()) {
      showInitial();
      return Promise.resolve();
    }
    count.textContent = ui("loading");
    return search().then(function (found) {
      if (mine === serial) return show(found.results, found.counts);
    }).catch(function () {
      if (mine === serial) count.textContent = ui("unavailable");
    });
  }

  // Counts for a facet the user moved into, for the current search (its results stay as they are).
  function countFacet(key) {
    if (counted[key] || !allValues[key]) return;
    counted[key] = true;
    if (!asked()) return;
    var mine = serial;
    search().then(function (found) {
      if (mine === serial) renderFacets(found.counts);
    }).catch(function () { /* the counts stay unknown */ });
  }

  function showInitial() {
    shown = initial.cards.map(function (item) {
      var local = { url: root + item.url, meta: item.meta, filters: item.filters };
      return { id: null, data: function () { return Promise.resolve(local); } };
    });
    showingInitial = true;
    list.innerHTML = "";
    renderFacets(allValues);
    var n = initial.total;
    return loadMore().then(function () {
      more.hidden = list.children.length >= n;
      count.textContent = n === 0 ? ui("count_none") : n === 1 ? ui("count_one") : ui("count", { n: n.toLocaleString(locale) });
    });
  }

  function show(results, counts) {
    shown = results;
    showingInitial = false;
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

  // "Show more" under the first cards: from here on the list is the index's (newest first, like them).
  function moreOfInitial() {
    var mine = serial;
    return ensureIndex().then(function () {
      if (mine !== serial || !showingInitial) return;
      var all = [];
      for (var n = 0; n < manifest.count; n++) all.push(result(n));
      shown = all;
      showingInitial = false;
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
      var values = Object.keys(allValues[key] || {});
      if (!values.length) return;
      var known = !!(counts && counts[key]);  // counted by this search (or the build, before anything is asked)
      var fieldset = document.createElement("fieldset");
      fieldset.setAttribute("data-facet", key);
      var legend = document.createElement("legend"); legend.textContent = labels.facets[key]; fieldset.appendChild(legend);
      values.sort(function (x, y) { return valueLabel(key, x).localeCompare(valueLabel(key, y), locale); });
      values.forEach(function (value) {
        var id = "f-" + key + "-" + value.replace(/[^a-z0-9_-]/gi, "_");
        var wrap = document.createElement("div"); wrap.className = "tw-check";
        var input = document.createElement("input");
        input.type = "checkbox"; input.id = id; input.value = value; input.name = key;
        input.setAttribute("data-facet-id", id);
        input.checked = (state.filters[key] || []).indexOf(value) >= 0;
        var n = known && counts[key][value] !== undefined ? counts[key][value] : 0;
        var label = document.createElement("label"); label.htmlFor = id;
        label.textContent = valueLabel(key, value) + (known ? " (" + n + ")" : "");
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
  facetsBox.addEventListener("focusin", function (event) {
    var fieldset = event.target.closest && event.target.closest("fieldset[data-facet]");
    if (fieldset) countFacet(fieldset.getAttribute("data-facet"));
  });
  facetsBox.addEventListener("mouseover", function (event) {
    var fieldset = event.target.closest && event.target.closest("fieldset[data-facet]");
    if (fieldset) countFacet(fieldset.getAttribute("data-facet"));
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    (showingInitial ? moreOfInitial() : Promise.resolve()).then(loadMore).then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    }).catch(function () {
      count.textContent = ui("unavailable");
    });
  });
  window.addEventListener("popstate", function () { state = readUrl(); syncForm(); run(); });

  // --- start ---------------------------------------------------------------------------------------
  syncForm();
  writeUrl(false);
  run();
  // Made ready while the reader looks at the page, so the first words typed find it loaded: the manifest and the
  // two facets every search counts (the words' files and the cards come with the search).
  var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
  idle(function () {
    ensureIndex().then(function () {
      return Promise.all(Object.keys(counted).map(ensureFacet));
    }).then(function () {
      host.setAttribute("data-tw-ready", "");  // (scripts/bench.py types once the page is ready)
    }).catch(function () { /* retried by the first search */ });
  });
})();
