"""What a municipality sees, in headless Debian chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import StaticServer, build_site, screenshot
from test_site_build import hostile_repo

pytestmark = pytest.mark.browser


def test_home_to_category_to_service(page, site_server):
    page.goto(site_server.url)
    assert page.locator("h1").inner_text() == "Markedsplass"
    assert "Eksempeldata" in page.locator(".md-banner").inner_text()
    all_tile = page.locator(".tw-tile--all")
    assert re.search(r"Alle kategorier\s+38", all_tile.inner_text())
    screenshot(page, "home")

    page.get_by_role("link", name=re.compile(r"^Utdanning")).click()
    assert page.locator("h1").inner_text() == "Utdanning"
    cards = page.locator(".tw-cards .tw-card")
    assert cards.count() == 5
    status = page.locator("[data-tw-count]")
    assert status.inner_text() == "Viser 5 av 5 tjenester"
    page.get_by_label(re.compile(r"Fravær og oppmøte")).check()
    assert status.inner_text() == "Viser 3 av 5 tjenester"
    assert page.locator(".tw-cards .tw-card:visible").count() == 3
    assert "type=attendance-absence" in page.url
    screenshot(page, "category-education-filtered")

    page.get_by_role("link", name="Permisjonssøknad for elever").click()
    assert page.locator("h1").inner_text() == "Permisjonssøknad for elever"
    head = page.locator(".tw-service-head").inner_text()
    assert "Skolesmart" in page.locator(".tw-facts").first.inner_text()
    assert re.search(r"\d,\d \(\d+ vurderinger\)", head)
    assert re.search(r"\d+ kommuner bruker", head)
    used_by = page.locator("ul.tw-used-by").inner_text()
    assert "Byteby kommune" in used_by
    for heading in ("Om tjenesten", "Brukes av", "Priser og planer", "Regeletterlevelse", "API-er og kilder"):
        assert page.get_by_role("heading", name=heading, exact=True).count() == 1
    assert page.get_by_role("link", name="Prøv demo").get_attribute("href").startswith("https://")
    request = page.get_by_role("link", name="Be om ny funksjon").get_attribute("href")
    assert "template=feature-request.yml" in request and "service=school-leave-request" in request
    assert page.locator("table.tw-table tbody tr").count() == 2
    screenshot(page, "service-school-leave-request")


def test_language_switch_keeps_the_page(page, site_server):
    page.goto(site_server.url + "tjenester/school-leave-request/")
    page.get_by_role("link", name="Read this page in English").click()
    assert page.url.endswith("/en/services/school-leave-request/")
    assert page.locator("h1").inner_text() == "Pupil Leave Request"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Prices and plans").count() == 1
    page.get_by_role("link", name="Les denne siden på norsk").click()
    assert page.url.endswith("/tjenester/school-leave-request/")


def test_ratings_are_computed_from_buyers_files(page, site_server, built_site):
    document = json.loads((built_site / "catalog.json").read_text())
    service = next(s for s in document["services"] if s["id"] == "school-leave-request")
    ratings = [u["rating"] for b in document["buyers"] for u in b["uses"]
               if u["service"] == "school-leave-request" and u["rating"]]
    assert service["usage"]["rating"] == round(sum(ratings) / len(ratings), 1)
    page.goto(site_server.url + "tjenester/school-leave-request/")
    label = page.locator(".tw-service-head .tw-rating").get_attribute("aria-label")
    expected = f"{service['usage']['rating']:.1f}".replace(".", ",")
    assert label == f"Vurdering {expected} av 5, fra {len(ratings)} vurderinger"


def test_keyboard_user_can_skip_to_content(page, site_server):
    page.goto(site_server.url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Gå til innhold"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    page.keyboard.press("Tab")  # the next stop is inside the page content, past the header and menus
    inside = page.evaluate("document.getElementById('main-content').contains(document.activeElement)")
    assert inside


def test_on_a_phone_the_main_navigation_is_there_and_no_button_opens_an_empty_menu(page, site_server):
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("", "tjenester/school-leave-request/", "en/categories/education/"):
        page.goto(site_server.url + path)
        assert page.locator(".md-sidebar").count() == 0, path  # Material's own navigation is left out ...
        assert page.locator('label[for="__drawer"]:visible').count() == 0, path  # ... and so is its button
        navigation = page.locator(".tw-mainnav a:visible")
        assert navigation.count() >= 4, path
    navigation.first.focus()
    assert page.evaluate("document.activeElement.closest('.tw-mainnav') !== null")
    screenshot(page, "phone-category-education-en")


def test_pages_contact_no_one_but_the_site(page, site_server):
    """A visitor's browser fetches from the marketplace only: no fonts, analytics or GitHub API calls that
    tell a third party who reads which page (Material asks api.github.com for stars unless told not to)."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("", "tjenester/school-leave-request/", "sok/?q=skole", "sammenlign/?s=absence-tracker,school-leave-request",
                 "en/shortlist/"):
        page.goto(site_server.url + path)
        page.wait_for_load_state("networkidle")
    assert requested
    assert [url for url in requested if not url.startswith((site_server.url, "data:", "blob:"))] == []
    assert page.locator("a.md-source").get_attribute("href") == "https://github.com/thingwalla/thingwalla"


def test_compare_from_a_service_page(page, site_server):
    page.goto(site_server.url + "tjenester/absence-tracker/")
    page.get_by_role("link", name="Sammenlign", exact=True).click()
    page.goto(site_server.url + "tjenester/school-leave-request/")
    page.get_by_role("link", name="Sammenlign", exact=True).click()
    table = page.locator("table.tw-compare")
    table.wait_for()
    headers = table.locator("thead th").all_inner_texts()
    assert any("Fraværsoversikt" in h or "Absence" in h for h in headers) or len(headers) == 3
    assert any("Permisjonssøknad for elever" in h for h in headers)
    assert table.locator("tbody tr").count() >= 13
    screenshot(page, "compare")


def test_home_search_box_leads_to_results(page, site_server):
    page.goto(site_server.url)
    page.get_by_label("Søk i markedsplassen").fill("Peppol")
    page.get_by_role("button", name="Søk", exact=True).click()
    page.wait_for_url("**/sok/?q=Peppol")
    results = page.locator("[data-tw-results] .tw-card")
    results.first.wait_for(timeout=10_000)
    assert "Peppol-aksesspunkt" in page.locator("[data-tw-results]").inner_text()
    screenshot(page, "search-peppol")


def test_hostile_description_runs_nothing(browser, repo, tmp_path):
    hostile_repo(repo)
    out = tmp_path / "site"
    result = build_site(repo.root, out)
    assert result.returncode == 0, result.stderr[-2000:]
    server = StaticServer(out)
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(server.url + "tjenester/demo/")
        page.get_by_text("click me").click()
        page.get_by_text("markdown js").click()
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert dialogs == []
        assert page.locator(".tw-prose script, .tw-prose iframe, .tw-prose form").count() == 0
        assert page.url.startswith(server.url)  # neither link navigated anywhere
    finally:
        context.close()
        server.close()
