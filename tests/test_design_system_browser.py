"""The design system in headless chromium: its pages, the marketplace using its tokens, and the automated
accessibility checks of every component example (axe-core, keyboard, reflow, contrast)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, screenshot
from thingwalla.design_check import CheckSetupError, check_component, comparable, find_axe, run_checks
from thingwalla.design_system import load_design_system
from thingwalla.tokens import load_design_tokens

pytestmark = pytest.mark.browser
AXE_VERSION = "4.11.4"  # the version pa11y 9.1.1 brings


@pytest.fixture(scope="session")
def axe_path() -> Path:
    """The project's axe-core (node_modules, from pa11y-ci), else one installed once into a temp folder."""
    try:
        return find_axe(REPO)
    except CheckSetupError:
        pass
    folder = Path(tempfile.gettempdir()) / f"thingwalla-axe-core-{AXE_VERSION}"
    target = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not target.is_file():
        if shutil.which("npm") is None:
            pytest.skip("axe-core is not installed and npm is missing: run `npm install`")
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(folder),
                        f"axe-core@{AXE_VERSION}"], check=True, capture_output=True, timeout=300)
    return target


@pytest.fixture(scope="module")
def design():
    return load_design_system(REPO)


@pytest.fixture(scope="module")
def tokens():
    return load_design_tokens(REPO)


@pytest.fixture(scope="module")
def fresh_results(browser, site_server, design, tokens, axe_path):
    return run_checks(site_server.url, design, tokens, axe_path, browser=browser)


def test_every_component_example_passes_the_automated_checks(fresh_results, design):
    failed = {cid: [c for c in r["checks"] if c["result"] != "pass"] for cid, r in fresh_results.items()}
    assert {cid: checks for cid, checks in failed.items() if checks} == {}
    assert len(fresh_results) == 16
    axe = fresh_results["button"]["checks"][0]
    assert (axe["id"], axe["tool"], axe["violations"]) == ("axe", f"axe-core {AXE_VERSION}", [])
    keyboard = {cid: r["checks"][1]["elements"] for cid, r in fresh_results.items()}
    # both languages: 3 controls in the button example, one Tab stop per radio group, nothing focusable in alerts
    assert (keyboard["button"], keyboard["radio"], keyboard["checkbox"], keyboard["alert"], keyboard["pagination"]) \
        == (6, 2, 6, 0, 10)


def test_the_recorded_accessibility_data_matches_a_fresh_run(fresh_results, design):
    stale = [c.id for c in design.components if comparable(c.results) != comparable(fresh_results[c.id])]
    assert stale == [], "run `thingwalla design-check --write` and commit design-system/components/*/a11y-results.json"


def test_the_keyboard_check_fails_when_focus_is_invisible(browser, site_server, design, tokens, axe_path):
    context = browser.new_context()
    context.add_init_script("document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style');"
                            " s.textContent = '*:focus { outline: none !important; box-shadow: none !important; }';"
                            " document.head.append(s); });")
    try:
        record = check_component(context.new_page(), site_server.url, design.get("button"), tokens,
                                 axe_path.read_text(encoding="utf-8"))
    finally:
        context.close()
    keyboard = record["checks"][1]
    assert keyboard["result"] == "fail"
    assert keyboard["failures"][:3] == ["nb: button.tw-button has no visible focus indicator",
                                        "nb: button.tw-button.tw-button--secondary has no visible focus indicator",
                                        "nb: a.tw-button has no visible focus indicator"]


def test_the_contrast_check_fails_on_a_colour_that_is_not_a_token(browser, site_server, design, tokens, axe_path):
    context = browser.new_context()
    context.add_init_script("document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style');"
                            " s.textContent = '.tw-alert--info { color: #8899aa !important; }'; document.head.append(s); });")
    try:
        record = check_component(context.new_page(), site_server.url, design.get("alert"), tokens,
                                 axe_path.read_text(encoding="utf-8"))
    finally:
        context.close()
    axe, contrast = record["checks"][0], record["checks"][3]
    assert (axe["result"], contrast["result"]) == ("fail", "fail")
    assert axe["violations"] == ["nb: color-contrast (2)", "en: color-contrast (2)"]
    texts = {"nb": [("p", "Alle tjenester her er eksempel"), ("strong", "Til informasjon:")],
             "en": [("p", "Every service here is sample d"), ("strong", "For your information:")]}
    expected = [f"{lang}: {tag} “{text}” " + problem for lang, items in texts.items() for tag, text in items
                for problem in ("#8899aa on #e6eef8 is 2.49:1, needs 4.5:1", "uses #8899aa, which is not a design token colour")]
    assert contrast["failures"] == sorted(expected)


def test_a_component_page_shows_example_html_notes_and_test_data(page, site_server, design):
    component = design.get("progress")
    page.goto(site_server.url + "designsystem/progress/")
    assert page.locator("h1").inner_text() == "Fremdriftsmåler"
    example = page.locator("[data-tw-example='progress']")
    assert example.get_attribute("aria-label") == "Eksempel på Fremdriftsmåler"
    bar = example.get_by_role("progressbar", name="Finansiert")
    assert bar.get_attribute("aria-valuenow") == "62"
    fill = example.locator(".tw-progress__fill")
    assert fill.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(29, 78, 137)"  # accent token
    assert round(fill.bounding_box()["width"] / example.locator(".tw-progress__track").bounding_box()["width"], 2) \
        in (0.61, 0.62)
    assert page.locator("pre.tw-ds-code").inner_text().strip() == component.examples["nb"]
    for heading in ("Eksempel", "HTML", "Tilgjengelighet", "Testdata for tilgjengelighet"):
        assert page.get_by_role("heading", name=heading, exact=True).count() == 1
    notes = page.locator("ul.tw-ds-notes li")
    assert notes.count() == 4 and notes.first.inner_text().startswith("Måleren har role=\"progressbar\"")
    rows = page.locator("table.tw-ds-tests tbody tr")
    assert rows.count() == 5
    assert rows.nth(0).locator("th").inner_text() == "Automatiske WCAG 2.1 A- og AA-regler på eksemplet, på bokmål og engelsk"
    assert re.fullmatch(r"axe-core 4\.\d+\.\d+ i Chromium [\d.]+", rows.nth(0).locator("td").nth(0).inner_text())
    assert re.fullmatch(r"Bestått\s+0 brudd, \d+ regler bestått", rows.nth(0).locator("td").nth(1).inner_text().strip())
    assert rows.nth(4).locator("td").nth(1).inner_text().strip() == "Ikke testet ennå"
    screenshot(page, "design-system-progress")

    page.get_by_role("link", name="Read this page in English").click()
    assert page.url.endswith("/en/design-system/progress/")
    assert page.locator("h1").inner_text() == "Progress meter"
    assert page.get_by_role("progressbar", name="Funded").get_attribute("aria-valuetext") == \
        "62 percent: NOK 620,000 of NOK 1,000,000"
    assert page.get_by_role("heading", name="Accessibility test data", exact=True).count() == 1


def test_the_overview_lists_components_and_the_contrast_of_every_pair(page, site_server, tokens):
    page.goto(site_server.url)
    page.locator(".md-footer").get_by_role("link", name="Designsystem").click()
    assert page.url.endswith("/designsystem/")
    assert page.locator("h1").inner_text() == "Designsystem"
    assert page.locator(".tw-ds-components .tw-card").count() == 16
    rows = page.locator("table.tw-ds-pairs tbody tr")
    assert rows.count() == len(tokens.pairs) == 31
    first = rows.first
    assert first.locator(".tw-ds-ratio").inner_text() == "16,56:1"
    sample = first.locator(".tw-ds-pair-sample")
    assert sample.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]") == \
        ["rgb(27, 31, 36)", "rgb(255, 255, 255)"]
    page.get_by_role("link", name="Fremdriftsmåler").click()
    assert page.locator("h1").inner_text() == "Fremdriftsmåler"


def test_the_marketplace_is_drawn_with_the_tokens(page, site_server):
    page.goto(site_server.url)
    styles = page.evaluate("""() => {
        const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
        return {token: getComputedStyle(document.body).getPropertyValue('--tw-color-accent-base-default').trim(),
                header: css('.md-header', 'backgroundColor'), nav: css('.tw-mainnav', 'backgroundColor'),
                button: css('.tw-search button', 'backgroundColor'), footer: css('.md-footer-meta', 'backgroundColor'),
                text: css('.md-content .md-typeset', 'color'), link: css('.tw-card__title a', 'color')};
    }""")
    assert styles == {"token": "#1d4e89", "header": "rgb(29, 78, 137)", "nav": "rgb(22, 58, 102)",
                      "button": "rgb(29, 78, 137)", "footer": "rgb(22, 58, 102)", "text": "rgb(27, 31, 36)",
                      "link": "rgb(29, 78, 137)"}
