"""The compliance engine on the site: badges from rule results, the service page's explanations, the
"Regeletterlevelse" page, catalog.json and the compare table (real MkDocs build, headless chromium)."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil

import pytest
from compliance_helpers import PRIVACY
from conftest import REPO, SERVICE, Repo, StaticServer, build_site

DEMO = "https://demo.acme.example.no/app"
FACTS = PRIVACY + """\
accessibility:
  interfaces:
    - name: App
      kind: web
      audience: both
      standard: en-301-549-v3.2.1
      wcag_version: "2.1"
      level: AA
      status: full
      report_url: https://acme.example.no/acr.pdf
      evaluation_method: third_party
      evaluated: 2026-03-01
      feedback_url: https://acme.example.no/feedback
  statement_data_no: https://acme.example.no/uustatus.json
"""


def site_service() -> str:
    text = SERVICE.replace("  website: https://acme.example.no\n", f"  website: https://acme.example.no\n  demo: {DEMO}\n")
    text = text.replace('  data_locations: ["NO"]\n', '  data_locations: ["NO"]\n  sub_processors: []\n')
    text = text.replace("""  - regulation: gdpr
    issued: 2026-01-10
    expires: 2027-01-10
""", """  - regulation: gdpr
    evidence_url: https://acme.example.no/dpa.pdf
    issuer: Acme AS
    issued: 2026-01-10
  - regulation: wcag-2-1-aa
    evidence_url: https://acme.example.no/acr.pdf
    issuer: Audit AS
    issued: 2026-03-01
    expires: 2028-03-01
  - regulation: dora
    evidence_url: https://acme.example.no/dora.pdf
    issuer: Acme AS
    issued: 2026-01-10
""")
    assert "demo:" in text and "wcag-2-1-aa" in text
    return text + FACTS


def compliance_repo(root, service: str) -> Repo:
    """A repository with the real taxonomy and compliance rules, one vendor, one buyer and the given service."""
    shutil.copytree(REPO / "catalog" / "taxonomy", root / "catalog" / "taxonomy")
    shutil.copytree(REPO / "catalog" / "compliance", root / "catalog" / "compliance")
    (root / "docs").mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    repo = Repo(root)
    repo.vendor()
    repo.buyer()
    repo.service(service)
    return repo


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("compliance") / "repo"
    compliance_repo(root, site_service())
    (root / "a11y-results.json").write_text(json.dumps(
        {"tool": "pa11y-ci", "checked": "2026-11-30", "results": {DEMO: {"errors": 0, "warnings": 4}}}), encoding="utf-8")
    os.environ["THINGWALLA_A11Y_RESULTS"] = "a11y-results.json"
    try:
        result = build_site(root, root / "site")
    finally:
        del os.environ["THINGWALLA_A11Y_RESULTS"]
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def text_of(page: str, start: str, end: str) -> str:
    part = page[page.index(start):page.index(end)]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", part))).strip()


def test_badges_come_from_rule_results(site):
    page = (site / "tjenester/demo/index.html").read_text(encoding="utf-8")
    section = text_of(page, 'id="compliance"', 'id="hosting"')
    # Accessibility: every rule passed and the demo page's automated checks passed on a date.
    assert ("WCAG 2.1 AA / EN 301 549 Kontrollert Automatiske kontroller bestått 30. november 2026 · "
            "Utstedt av: Audit AS · fra 1. mars 2026 · til 1. mars 2028") in section
    assert '<span class="tw-badge tw-badge--verified">Kontrollert</span>' in page
    # GDPR: the evidence is complete, but a rule fails, so the state stays "evidenced" and says why.
    assert "GDPR (personvernforordningen) Dokumentert Utstedt av: Acme AS · fra 10. januar 2026" in section
    assert ("Feil G-16 Varsel om brudd til kunden innen oppgitte timer Varsel om personvernbrudd til kunden er ikke "
            "oppgitt eller for sent (96 h); kommunen må melde innen 72 timer.") in section
    assert "Kilde: GDPR art. 33(1), 33(2)" in section
    # The Norwegian statement route, from the country profile.
    assert "Norge: Kommunen lager tilgjengelighetserklæringen i Digdirs verktøy uustatus.no" in section
    # DORA: shown as not applying to municipalities, with no rule results.
    assert "Gjelder finansforetak, ikke kommuner." in section
    assert "D-01" not in section
    assert "conformant" not in page.lower() and "samsvar med WCAG" not in page


def test_english_page_says_automated_checks_passed(site):
    page = (site / "en/services/demo/index.html").read_text(encoding="utf-8")
    section = text_of(page, 'id="compliance"', 'id="hosting"')
    assert "WCAG 2.1 AA / EN 301 549 Verified Automated checks passed on 30 November 2026" in section
    assert "Rule results: 9 of 10 passed" in section  # GDPR: G-16 fails
    assert "conformant" not in page.lower()


def test_search_record_and_catalog_json_use_the_engine(site):
    # The search index: which services have each facet value (by their number in the index), and their cards.
    index = site / "api/search/nb"
    manifest = json.loads((index / "index.json").read_text(encoding="utf-8"))
    cards = [card for n in range(0, manifest["count"], manifest["chunk"])
             for card in json.loads((index / f"cards/{n // manifest['chunk']}.json").read_text(encoding="utf-8"))]
    demo = next(n for n, card in enumerate(cards) if card["url"] == "tjenester/demo/")
    filters = []
    for key in ("regulation", "compliance"):
        for value, encoded in json.loads((index / f"facets/{key}.json").read_text(encoding="utf-8")).items():
            if base64.b64decode(encoded)[demo >> 3] >> (demo & 7) & 1:
                filters.append((key, value))
    assert sorted(filters) == [("compliance", "dora.evidenced"), ("compliance", "gdpr.evidenced"),
                               ("compliance", "wcag-2-1-aa.verified"), ("regulation", "dora"),
                               ("regulation", "wcag-2-1-aa")]  # GDPR fails an error rule: it does not fit a buyer
    assert cards[demo]["filters"]["regulation"] == ["dora", "wcag-2-1-aa"]  # the card's "fits us" reasons agree
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    claims = {c["regulation"]: (c["state"], c["state_on"], c["automated_check"]) for c in catalog["services"][0]["compliance"]}
    assert claims == {"gdpr": ("evidenced", "2026-01-10", None), "wcag-2-1-aa": ("verified", "2026-11-30", "pa11y-ci"),
                      "dora": ("evidenced", "2026-01-10", None)}


def test_rules_page_lists_every_rule(site):
    page = (site / "regeletterlevelse/index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<tr id="rule-[A-Z]+-\d\d">', page)) == 45
    row = text_of(page, '<tr id="rule-G-02">', '<tr id="rule-G-03">')
    assert row == ("G-02 Databehandleravtalen dekker art. 28(3) Leverandøren er databehandler. Feil Alle "
                   "GDPR art. 28(3)(a)–(h), 28(9) (kjent, ikke kontrollert på nytt)")
    ai02 = text_of(page, '<tr id="rule-AI-02">', '<tr id="rule-AI-03">')
    assert "Feil (fra 2. desember 2027)" in ai02 and "(ikke verifisert)" in ai02
    assert "Gjelder finansforetak, ikke kommuner. Regelen vises aldri som krav til kommuner" in page
    assert "Listen ble sist sammenlignet med kilden 2. november 2026." in page
    english = (site / "en/compliance-rules/index.html").read_text(encoding="utf-8")
    assert "<h1>Compliance rules</h1>" in english
    assert len(re.findall(r'<tr id="rule-', english)) == 45


@pytest.mark.browser
def test_compare_table_shows_the_engine_state(site, browser):
    server = StaticServer(site)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
        tab = context.new_page()
        tab.goto(server.url + "sammenlign/?s=demo")
        table = tab.locator("table.tw-compare")
        table.wait_for()
        row = table.locator("tr", has_text="WCAG 2.1 AA / EN 301 549")
        assert row.locator(".tw-badge").inner_text() == "Kontrollert"
        assert table.locator("tr", has_text="GDPR").locator(".tw-badge").inner_text() == "Dokumentert"
        context.close()
    finally:
        server.close()


def test_vendor_text_in_the_compliance_section_is_escaped(tmp_path):
    # The section is written out in Python (site/compliance_section.py), not by autoescaping Jinja: the issuer
    # and certificate id a vendor writes must still reach the page as text.
    root = tmp_path / "repo"
    hostile = site_service().replace("    issuer: Audit AS\n",
                                     "    issuer: \"<script>window.__pwned=1</script>Audit & Co\"\n"
                                     "    certificate_id: '\"><img src=x onerror=alert(1)>'\n")
    assert "__pwned" in hostile
    compliance_repo(root, hostile)
    result = build_site(root, root / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = (root / "site" / "tjenester" / "demo" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('<h2 id="compliance">'):page.index('<h2 id="hosting">')]
    assert "<script>window.__pwned" not in section and "<img src=x" not in section
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;Audit &amp; Co (&#34;&gt;&lt;img src=x" in section
    assert 'href="https://acme.example.no/acr.pdf"' in section
