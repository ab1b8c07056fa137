"""Find, filter, compare and shortlist (issue 3), in headless Debian chromium on the built marketplace.

Every expected count and set is computed here from the catalog (the thingwalla model), never typed in.
The browser tests share the one site the session builds (conftest.built_site).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from collections import Counter
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from conftest import REPO, screenshot

TODAY = dt.date(2026, 12, 3)  # conftest.build_site pins THINGWALLA_TODAY to this day


@pytest.fixture(scope="module")
def catalog():
    from thingwalla.model import build_catalog
    from thingwalla.validate import validate_repository

    result = validate_repository(REPO, on_date=TODAY)
    catalog = build_catalog(result)
    RULEBOOK.append(result.compliance)
    return catalog


RULEBOOK: list = []  # the compliance rule catalogue the build judges services with


# --- what the catalog says the browser must show ----------------------------------------------------

def searchable_text(service, lang: str) -> str:
    """What the issue says search covers: name, tagline, description, vendor and tags."""
    return " ".join([service.name(lang), service.tagline(lang), service.description(lang),
                     service.vendor.display_name, " ".join(service.tags)])


def matching(catalog, word: str, lang: str) -> set[str]:
    # Search matches a word's beginning (search as you type), so "skole" finds "skolen" and "skoleskyss".
    pattern = re.compile(r"(?<!\w)" + re.escape(word), re.IGNORECASE)
    return {s.id for s in catalog.services.values() if pattern.search(searchable_text(s, lang))}


def count_text(n: int, lang: str = "nb") -> str:
    from thingwalla.site import i18n

    if n == 0:
        return i18n.translate("search.count_none", lang)
    if n == 1:
        return i18n.translate("search.count_one", lang)
    return i18n.translate("search.count", lang, n=n)


def valid_regulations(service) -> set[str]:
    """Regulations the compliance engine finds satisfied (issue 7: profiles are judged by the same engine)."""
    from thingwalla.compliance.catalog import assess_service

    return {r for r, st in assess_service(service, RULEBOOK[0], TODAY, None).states.items() if st.satisfied}


def data_countries(service) -> set[str]:
    """Storage, sub-processors, and backup and support-access locations from the declared facts."""
    from thingwalla.compliance.facts import Facts

    return (set(service.data_locations) | {p.country for p in service.sub_processors}
            | {c for c, _ in Facts(service.facts, TODAY).locations()})


def unfit_reasons(service, buyer, lang: str = "nb") -> list[str]:
    """The buyer's requirement profile checked against the service's declared facts, as the card words it."""
    from thingwalla.site import i18n
    from thingwalla.site.pages import EEA
    from thingwalla.validate.identifiers import country_name, language_name

    req = buyer.requires
    reasons = []
    if req.data_locations:
        allowed = set().union(*({*EEA} if c == "EEA" else {c} for c in req.data_locations))
        outside = sorted(data_countries(service) - allowed)
        if outside:
            reasons.append(i18n.translate("search.reason_data", lang,
                                          countries=", ".join(country_name(c, lang) for c in outside)))
    integrations = {i.id for i in service.integrations}
    missing = [i for i in req.integrations if i not in integrations]
    if missing:
        reasons.append(i18n.translate("search.reason_integration", lang,
                                      names=", ".join(INTEGRATION_NAMES[i] for i in missing)))
    missing = [r for r in req.regulations if r not in valid_regulations(service)]
    if missing:
        reasons.append(i18n.translate("search.reason_regulation", lang,
                                      names=", ".join(REGULATION_NAMES[lang][r] for r in missing)))
    missing = [code for code in req.languages if code not in service.languages]
    if missing:
        reasons.append(i18n.translate("search.reason_language", lang,
                                      names=", ".join(language_name(code, lang) for code in missing)))
    return reasons


INTEGRATION_NAMES: dict[str, str] = {}
REGULATION_NAMES: dict[str, dict[str, str]] = {"nb": {}, "en": {}}


@pytest.fixture(scope="module", autouse=True)
def _names(catalog):
    INTEGRATION_NAMES.update({i.id: i.name for i in catalog.integrations.values()})
    for lang in ("nb", "en"):
        REGULATION_NAMES[lang].update({r.id: r.name(lang) for r in catalog.regulations.values()})


# --- browser helpers --------------------------------------------------------------------------------

def wait_count(page, text: str) -> None:
    page.wait_for_function("(t) => document.querySelector('[data-tw-count]')?.textContent === t", arg=text,
                           timeout=15_000)


def shown_ids(page) -> set[str]:
    """Every result card's service id, after pressing "Vis flere" until all are shown."""
    more = page.locator("[data-tw-more]")
    while more.is_visible():
        before = page.locator("[data-tw-results] > li").count()
        more.click()
        page.wait_for_function("(n) => document.querySelectorAll('[data-tw-results] > li').length > n", arg=before)
    return set(page.locator("[data-tw-results] > li").evaluate_all(
        "cards => cards.map(c => c.getAttribute('data-tw-service'))"))


def open_search(page, site_server, path: str = "sok/") -> None:
    page.goto(site_server.url + path)
    page.locator("[data-tw-results] .tw-card").first.wait_for(timeout=15_000)


# --- 1. search and facets ---------------------------------------------------------------------------

def test_search_a_word_then_two_facets_counts_match_the_catalog(page, site_server, catalog):
    word = "skole"
    hits = matching(catalog, word, "nb")
    assert len(hits) > 3  # the sample catalog has enough school services to filter
    category = Counter(catalog.services[s].category.id for s in hits).most_common(1)[0][0]
    in_category = {s for s in hits if catalog.services[s].category.id == category}
    pricing = sorted(Counter(catalog.services[s].pricing_model for s in in_category).items(),
                     key=lambda kv: (-kv[1], kv[0]))[0][0]
    both = {s for s in in_category if catalog.services[s].pricing_model == pricing}

    open_search(page, site_server)
    wait_count(page, count_text(len(catalog.services)))
    status = page.locator("[data-tw-count]")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"

    page.get_by_label("Søkeord").fill(word)
    wait_count(page, count_text(len(hits)))
    assert shown_ids(page) == hits

    page.locator(f"#f-category-{category}").check()
    wait_count(page, count_text(len(in_category)))
    assert shown_ids(page) == in_category
    # The facet counts say what ticking a value would leave: here, per pricing model within the category.
    label = page.locator(f"label[for='f-pricing-{pricing}']").inner_text()
    assert label.endswith(f"({len(both)})")

    # The second facet with the keyboard only: focus the box, press space.
    page.locator(f"#f-pricing-{pricing}").focus()
    page.keyboard.press("Space")
    wait_count(page, count_text(len(both)))
    assert shown_ids(page) == both
    query = parse_qs(urlparse(page.url).query)
    assert query == {"q": [word], "category": [category], "pricing": [pricing]}
    screenshot(page, "find-search-two-facets")

    page.go_back()  # the back button undoes the last filter
    wait_count(page, count_text(len(in_category)))
    assert not page.locator(f"#f-pricing-{pricing}").is_checked()
    assert page.locator(f"#f-category-{category}").is_checked()

    page.go_forward()
    wait_count(page, count_text(len(both)))
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)  # a shared address opens the same search
    wait_count(page, count_text(len(both)))
    assert page.get_by_label("Søkeord").input_value() == word


def test_search_covers_vendor_and_tags_in_english(page, site_server, catalog):
    vendor = max(catalog.vendors.values(), key=lambda v: len(v.services))
    by_vendor = {s.id for s in vendor.services}
    assert matching(catalog, vendor.display_name, "en") == by_vendor  # the name is not used elsewhere
    open_search(page, site_server, "en/search/")
    page.get_by_label("Search words").fill(vendor.display_name)
    wait_count(page, count_text(len(by_vendor), "en"))
    assert shown_ids(page) == by_vendor

    # A tag that only one service's tags hold (and no other searchable text).
    tags = Counter(t for s in catalog.services.values() for t in s.tags)
    tag = next(t for t, n in sorted(tags.items()) if n == 1 and re.fullmatch(r"[a-z]{5,}", t)
               and matching(catalog, t, "en") == {s.id for s in catalog.services.values() if t in s.tags})
    page.get_by_label("Search words").fill(tag)
    wait_count(page, count_text(1, "en"))
    assert shown_ids(page) == {s.id for s in catalog.services.values() if tag in s.tags}
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_word_in_the_name_ranks_first_and_inflected_words_are_found(page, site_server, catalog):
    from thingwalla.site.search_index import words

    # A word one service has in its name and others only in their text: that service comes first.
    word, named = next((w, named) for s in sorted(catalog.services.values(), key=lambda s: s.id)
                       for w in sorted(set(words(s.name("nb")))) if len(w) >= 5
                       for named in [[x.id for x in catalog.services.values() if w in words(x.name("nb"))]]
                       if len(named) == 1 and len(matching(catalog, w, "nb")) >= 3)
    open_search(page, site_server)
    page.get_by_label("Søkeord").fill(word)
    wait_count(page, count_text(len(matching(catalog, word, "nb"))))
    assert page.locator("[data-tw-results] > li").first.get_attribute("data-tw-service") == named[0]

    # "skolene" is in no text; its stem "skol" begins "skole", "skolen", "skoleskyss" ...
    assert not matching(catalog, "skolene", "nb") and len(matching(catalog, "skol", "nb")) > 3
    page.get_by_label("Søkeord").fill("skolene")
    wait_count(page, count_text(len(matching(catalog, "skol", "nb"))))
    assert shown_ids(page) == matching(catalog, "skol", "nb")


def test_language_names_come_from_the_site_not_the_browser(page, site_server, catalog):
    # Chromium's trimmed ICU data has no name for Northern Sami: Intl.DisplayNames says "se".
    sami = sum(1 for s in catalog.services.values() if "se" in s.languages)
    assert sami > 0
    open_search(page, site_server)
    assert page.locator("label[for='f-language-se']").inner_text() == f"Nordsamisk ({sami})"
    open_search(page, site_server, "en/search/")
    assert page.locator("label[for='f-language-se']").inner_text() == f"Northern Sami ({sami})"


def test_sorting_by_name_follows_nordic_order(page, site_server, catalog):
    from thingwalla.site.pages import nordic_key

    expected = [s.name("nb") for s in sorted(catalog.services.values(), key=lambda s: nordic_key(s.name("nb")))]
    open_search(page, site_server)
    page.get_by_label("Sorter etter").select_option("name")
    page.wait_for_url("**sort=name")
    page.wait_for_function("(first) => document.querySelector('[data-tw-results] .tw-card__title')?.textContent === first",
                           arg=expected[0])
    shown_ids(page)
    assert page.locator("[data-tw-results] .tw-card__title").all_inner_texts() == expected


# --- "fits us" --------------------------------------------------------------------------------------

def test_fits_us_shows_only_services_that_meet_the_buyers_requirements(page, site_server, catalog):
    buyer = catalog.buyers["byteby"]
    fitting = {s.id for s in catalog.services.values() if not unfit_reasons(s, buyer)}
    unfit = sorted(set(catalog.services) - fitting)
    assert fitting and unfit
    # A known service the profile excludes: the one with the most reasons, so several lines are checked.
    excluded = max(unfit, key=lambda sid: (len(unfit_reasons(catalog.services[sid], buyer)), sid))

    open_search(page, site_server)
    page.get_by_label("Passer for oss").select_option(label=buyer.name)
    wait_count(page, count_text(len(fitting)))
    assert shown_ids(page) == fitting
    assert excluded not in fitting
    badges = page.locator("[data-tw-results] .tw-fit--yes").all_inner_texts()
    assert badges == [f"✓ Passer for {buyer.name}"] * len(fitting)
    assert parse_qs(urlparse(page.url).query) == {"buyer": ["byteby"]}

    page.get_by_label("Vis også tjenester som ikke passer, med grunnen").check()
    wait_count(page, count_text(len(catalog.services)))
    shown_ids(page)
    card = page.locator(f"[data-tw-results] > li[data-tw-service='{excluded}']")
    card.scroll_into_view_if_needed()
    assert card.locator(".tw-fit--no p").inner_text() == f"Passer ikke for {buyer.name}:"
    assert card.locator(".tw-fit--no li").all_inner_texts() == unfit_reasons(catalog.services[excluded], buyer)
    screenshot(page, "find-fits-us-with-reasons")


# --- without JavaScript -----------------------------------------------------------------------------

def test_category_pages_list_every_service_without_javascript(browser, site_server, catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        for category in catalog.categories:
            page.goto(site_server.url + f"kategorier/{category.id}/")
            ids = set(page.locator(".tw-cards > li").evaluate_all(
                "cards => cards.map(c => c.getAttribute('data-tw-service'))"))
            assert ids == {s.id for s in catalog.services_in(category)}, category.id
        page.goto(site_server.url + "sok/")  # the search page says where to go instead
        assert page.get_by_role("link", name="Se alle tjenester etter kategori").is_visible()
    finally:
        context.close()


# --- 2. compare -------------------------------------------------------------------------------------

def test_compare_three_services_chosen_on_cards(page, site_server, catalog):
    from thingwalla.site import i18n

    category = max(catalog.categories, key=lambda c: len(catalog.services_in(c)))
    chosen = sorted(catalog.services_in(category), key=lambda s: s.id)[:3]
    page.goto(site_server.url + f"kategorier/{category.id}/")
    for service in chosen:
        page.get_by_role("button", name=f"Legg til sammenligning: {service.name('nb')}").click()
    assert page.get_by_role("button", name=re.compile("^Legg til sammenligning"), pressed=True).count() == 3
    page.get_by_role("link", name="Gå til sammenligningen (3 valgt)").first.click()
    table = page.locator("table.tw-compare")
    table.wait_for()
    assert parse_qs(urlparse(page.url).query) == {"s": [",".join(s.id for s in chosen)]}
    heads = table.locator("thead tr").first.locator("th.tw-compare__service").all_inner_texts()
    assert heads == [s.name("nb") for s in chosen]

    def row(label: str):
        return table.locator("tbody tr.tw-compare__row").filter(
            # a row header may start with a visually hidden group name ("Regeletterlevelse: ")
            has=page.locator("th", has_text=re.compile(r"(^|:\s*)" + re.escape(label))))

    vendors = row("Leverandør")
    assert vendors.locator("td").all_inner_texts() == [s.vendor.display_name for s in chosen]
    assert (vendors.get_attribute("data-differs") is not None) == (len({s.vendor.id for s in chosen}) > 1)
    assert row("Kategori").get_attribute("data-differs") is None  # all three are in one category
    # Compliance: one row per regulation declared by any of them, with its state and evidence dates.
    claim = next(c for s in chosen for c in s.compliance if c.issued and c.expires)
    owner = next(s for s in chosen if claim in s.compliance)
    cells = row(claim.regulation.name("nb")).locator("td")
    cell = cells.nth(chosen.index(owner)).inner_text()
    assert i18n.translate("service.from", "nb", date=i18n.date(claim.issued, "nb")) in cell
    assert i18n.translate("service.until", "nb", date=i18n.date(claim.expires, "nb")) in cell
    for other in chosen:
        if not any(c.regulation.id == claim.regulation.id for c in other.compliance):
            assert cells.nth(chosen.index(other)).inner_text() == "Ikke oppgitt"
    used = row("Brukes av").locator("td").all_inner_texts()
    assert used == [", ".join(u.buyer.name for u in s.used_by) or "–" for s in chosen]
    screenshot(page, "find-compare-three")

    page.emulate_media(media="print")  # prints cleanly: no site chrome, no buttons, the whole table
    assert not page.locator(".md-header").is_visible()
    assert not page.get_by_role("button", name=re.compile("^Fjern")).first.is_visible()
    assert table.is_visible()
    screenshot(page, "find-compare-print")


# --- 3. shortlist and procurement file --------------------------------------------------------------

def test_shortlist_export_csv_and_procurement_file(page, site_server, catalog):
    word = "fravær"
    hits = sorted(matching(catalog, word, "nb"))
    assert len(hits) >= 2
    kept, excluded = catalog.services[hits[0]], catalog.services[hits[1]]
    open_search(page, site_server)
    page.get_by_label("Søkeord").fill(word)
    wait_count(page, count_text(len(hits)))
    for service in (kept, excluded):
        page.get_by_role("button", name=f"Legg i kortliste: {service.name('nb')}").click()
    page.get_by_role("link", name="Gå til kortlisten (2)").first.click()
    page.locator("[data-tw-item]").first.wait_for()

    page.get_by_label(f"Begrunnelse: hvorfor beholdt ({kept.name('nb')})").fill("Brukes av nabokommunen, «god» støtte")
    item = page.locator(f"[data-tw-item='{excluded.id}']")
    item.get_by_label("Utelukket").check()
    page.get_by_label(f"Begrunnelse: hvorfor utelukket ({excluded.name('nb')})").fill("Mangler BankID,\nfor dyr")
    assert page.locator("[data-tw-summary]").inner_text() == "2 tjenester på kortlisten: 1 beholdt, 1 utelukket."

    with page.expect_download() as info:
        page.get_by_role("button", name="Last ned som CSV").click()
    download = info.value
    today = page.evaluate("(() => { const d = new Date(); return d.getFullYear() + '-' + "
                          "String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); })()")
    assert download.suggested_filename == f"kortliste-{today}.csv"
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Tjeneste-ID", "Navn", "Leverandør", "Status", "Begrunnelse", "Søk", "Lagt til"]
    search = f"Søk: «{word}»; Sortering: relevans; {site_server.url}sok/?{urlencode({'q': word})}"
    assert [r[:5] for r in rows[1:]] == [
        [kept.id, kept.name("nb"), kept.vendor.display_name, "Beholdt", "Brukes av nabokommunen, «god» støtte"],
        [excluded.id, excluded.name("nb"), excluded.vendor.display_name, "Utelukket", "Mangler BankID,\nfor dyr"],
    ]
    assert [r[5] for r in rows[1:]] == [search, search]  # the search each was found with, and its address
    assert [r[6] for r in rows[1:]] == [today, today]

    page.get_by_role("button", name="Vis anskaffelsesnotat").click()
    file = page.locator("[data-tw-file]")
    assert "Anskaffelsesnotat" in file.locator("h2").inner_text()
    kept_rows = file.locator("[data-tw-file-group='kept'] tbody tr").all_inner_texts()
    excluded_rows = file.locator("[data-tw-file-group='excluded'] tbody tr").all_inner_texts()
    assert len(kept_rows) == 1 and kept.name("nb") in kept_rows[0] and "nabokommunen" in kept_rows[0]
    assert len(excluded_rows) == 1 and excluded.name("nb") in excluded_rows[0] and "Mangler BankID" in excluded_rows[0]
    assert f"Søk: «{word}»" in file.locator(".tw-file__searches").inner_text()
    screenshot(page, "find-procurement-file")

    page.reload()  # the shortlist and its reasons are kept in the browser
    page.locator("[data-tw-file]").wait_for()
    assert page.locator("[data-tw-file-group='excluded'] tbody tr").count() == 1


# --- 4. the synthetic catalog -----------------------------------------------------------------------

def test_generated_catalog_is_valid_and_deterministic(tmp_path):
    from thingwalla.generate import generate
    from thingwalla.model import build_catalog
    from thingwalla.validate import validate_repository

    run = subprocess.run([sys.executable, "-m", "thingwalla.cli", "generate", "--services", "120", "--out",
                          str(tmp_path / "a")], capture_output=True, text=True, cwd=REPO,
                         env={"PYTHONPATH": str(REPO / "scripts"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"wrote 120 services, 12 vendors and 16 buyers to {tmp_path / 'a'}"
    result = validate_repository(tmp_path / "a", on_date=TODAY)
    assert [p.as_text() for p in result.errors] == []
    model = build_catalog(result)
    assert (len(model.services), len(model.vendors), len(model.buyers)) == (120, 12, 16)
    assert all(s.description("nb") and s.description("en") for s in model.services.values())
    assert all(b.requires.regulations for b in model.buyers.values())

    generate(tmp_path / "b", 120)
    for name in ("catalog/services/service-00042/service.yaml", "catalog/buyers/buyer-00003.yaml",
                 "catalog/services/service-00119/description.nb.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_generate_refuses_a_folder_that_is_not_a_generated_repository(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "thingwalla.cli", "generate", "--services", "5", "--out",
                          str(tmp_path)], capture_output=True, text=True, cwd=REPO,
                         env={"PYTHONPATH": str(REPO / "scripts"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 2
    assert run.stderr == f"thingwalla: {tmp_path} exists and is not empty; choose a new folder\n"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
