"""Real MkDocs builds: the site holds every entry, in both languages, and nothing unsafe."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conftest import REPO, SERVICE, build_site
from thingwalla.schemas import load_schema, schema_names


def catalog_ids(kind_folder: str) -> set[str]:
    folder = REPO / "catalog" / kind_folder
    if kind_folder == "services":
        return {p.name for p in folder.iterdir() if p.is_dir()}
    return {p.stem for p in folder.glob("*.yaml")}


def test_every_service_has_one_page_per_language_and_one_catalog_entry(built_site):
    services = catalog_ids("services")
    assert len(services) >= 30
    nb_pages = {p.parent.name for p in built_site.glob("tjenester/*/index.html")}
    en_pages = {p.parent.name for p in built_site.glob("en/services/*/index.html")}
    document = json.loads((built_site / "catalog.json").read_text())
    assert nb_pages == services
    assert en_pages == services
    assert {s["id"] for s in document["services"]} == services
    assert len(document["services"]) == len(services) == document["counts"]["services"]


def test_vendor_buyer_and_category_pages(built_site):
    assert {p.parent.name for p in built_site.glob("leverandorer/*/index.html")} == catalog_ids("vendors")
    assert {p.parent.name for p in built_site.glob("kjopere/*/index.html")} == catalog_ids("buyers")
    assert len(list(built_site.glob("kategorier/*/index.html"))) == 11
    assert len(list(built_site.glob("en/categories/*/index.html"))) == 11


def test_catalog_json_matches_its_published_schema(built_site):
    registry = Registry().with_resources(
        (json.loads((built_site / "schemas" / name).read_text())["$id"],
         Resource.from_contents(json.loads((built_site / "schemas" / name).read_text())))
        for name in schema_names())
    schema = json.loads((built_site / "schemas/catalog.schema.json").read_text())
    errors = list(Draft202012Validator(schema, registry=registry).iter_errors(
        json.loads((built_site / "catalog.json").read_text())))
    assert errors == []


def test_schemas_are_published_as_shipped(built_site):
    for name in schema_names():
        assert json.loads((built_site / "schemas" / name).read_text()) == load_schema(name)
    assert (built_site / "schemas/index.html").is_file()


def test_usage_comes_only_from_buyers(built_site):
    document = json.loads((built_site / "catalog.json").read_text())
    used = {}
    for buyer in document["buyers"]:
        for use in buyer["uses"]:
            used.setdefault(use["service"], set()).add(buyer["id"])
    for service in document["services"]:
        assert set(service["usage"]["buyers"]) == used.get(service["id"], set())


def test_pages_declare_their_language_and_link_to_the_other(built_site):
    nb = (built_site / "tjenester/school-leave-request/index.html").read_text()
    en = (built_site / "en/services/school-leave-request/index.html").read_text()
    assert '<html lang="nb"' in nb and '<html lang="en"' in en
    # No <link rel="alternate" hreflang>: Material's script then fetches a sitemap beside the other page (404).
    assert 'rel="alternate"' not in nb
    assert 'href="../../en/services/school-leave-request/" lang="en"' in nb
    assert 'href="../../../tjenester/school-leave-request/" lang="nb"' in en
    assert "Permisjonssøknad for elever" in nb and "Pupil Leave Request" in en
    assert "Eksempeldata" in nb and "Sample data" in en


def test_each_entity_page_names_itself_as_its_canonical_address(built_site):
    # Entity pages are filled into one pre-rendered page per language; the canonical link must not keep that
    # page's address, or search engines fold every service into one non-existent page.
    for path, url in [("tjenester/school-leave-request", "tjenester/school-leave-request/"),
                      ("en/services/school-leave-request", "en/services/school-leave-request/"),
                      ("leverandorer", "leverandorer/")]:
        page = (built_site / path / "index.html").read_text()
        canonical = re.findall(r'<link rel="canonical" href="([^"]*)"', page)
        assert canonical == [f"https://thingwalla.github.io/thingwalla/{url}"], path
    vendor = next((built_site / "leverandorer").glob("*/index.html"))
    assert f'href="https://thingwalla.github.io/thingwalla/leverandorer/{vendor.parent.name}/"' in vendor.read_text()
    assert not [p for p in built_site.rglob("index.html") if "__shell__" in p.read_text()]


def test_service_pages_stay_out_of_the_navigation(built_site):
    page = (built_site / "tjenester/school-leave-request/index.html").read_text()
    assert page.count("md-nav__link") < 10
    assert "absence-tracker" not in page.split('<div class="md-content"')[0]


def test_dora_is_not_shown_as_binding_municipalities(built_site):
    page = (built_site / "tjenester/peppol-access-point/index.html").read_text()
    assert "Gjelder finansforetak, ikke kommuner" in page


def test_properdocs_builds_the_same_pages(tmp_path):
    pytest.importorskip("properdocs")
    out = tmp_path / "site"
    result = build_site(REPO, out, tool="properdocs")
    assert result.returncode == 0, result.stderr[-3000:]
    assert {p.parent.name for p in out.glob("tjenester/*/index.html")} == catalog_ids("services")


def test_invalid_content_fails_the_build_with_the_validators_messages(repo, tmp_path):
    repo.service(SERVICE.replace("vendor: acme", "vendor: acmee")
                 .replace("nb: En liten tjeneste for tester.", "nb: Skriv én setning om hva tjenesten gjør."))
    result = build_site(repo.root, tmp_path / "site")
    assert result.returncode != 0
    assert "catalog/services/demo/service.yaml:11:9: error: unknown vendor 'acmee'" in result.stderr
    assert "placeholder" not in result.stderr  # a warning is not one of the things that stop the build
    assert "1 validation error(s)" in result.stderr
    assert not (tmp_path / "site" / "tjenester").exists()


HOSTILE = """\
# Hostile description

<script>window.__pwned = 1; alert('x')</script>
<img src="x" onerror="window.__pwned = 2">
<iframe src="https://evil.example/"></iframe>
<style>body { display: none }</style>
<a href="javascript:window.__pwned=3">click me</a>
<a href="https://ok.example/" onclick="window.__pwned=4">fine link</a>
<svg onload="window.__pwned=5"></svg>

[markdown js](javascript:window.__pwned=6) and [data](data:text/html;base64,PHNjcmlwdD4=)

<form action="https://evil.example/"><input name="pin"></form>
"""  # (blank lines around the Markdown links: inside an HTML block CommonMark leaves them as text)


def hostile_repo(repo):
    repo.write("catalog/services/demo/description.nb.md", HOSTILE)
    repo.service(SERVICE.replace("  nb: Beskrivelse på bokmål.\n", ""))
    return repo


def test_hostile_description_is_sanitised_in_the_built_page(repo, tmp_path):
    hostile_repo(repo)
    out = tmp_path / "site"
    result = build_site(repo.root, out)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (out / "tjenester/demo/index.html").read_text()
    about = page.split('id="about"')[1].split('id="used-by"')[0]
    assert "Hostile description" in about
    assert "fine link" in about and 'href="https://ok.example/"' in about
    for bad in ("<script", "onerror", "onclick", "onload", "<iframe", "<style", "javascript:", "data:text", "<form",
                "<input", "__pwned"):
        assert bad not in about, bad
    assert re.search(r"<a[^>]*>click me</a>", about)  # the text stays, the link target is gone


def test_vendor_text_is_escaped_everywhere_on_the_service_page(repo, tmp_path):
    """Every plain-text field a vendor writes is shown as text: markup in it is neither a tag nor an attribute."""
    evil = "<b id=evil onclick=alert(1)>\\\"'&amp;</b>"
    quoted = evil.replace("'", "''")
    text = (SERVICE.replace("name: {nb: Demotjeneste, en: Demo Service}", f"name: {{nb: '{quoted} navn', en: Demo Service}}")
            .replace("  nb: En liten tjeneste for tester.", f"  nb: '{quoted} tagline'")
            .replace("  model: annual_subscription", f"  model: annual_subscription\n  note: {{nb: '{quoted} note'}}")
            .replace("      name: {nb: Basis, en: Basic}", f"      name: {{nb: '{quoted} plan', en: Basic}}\n"
                     f"      includes: {{nb: '{quoted} includes'}}")
            .replace("  data_locations: [\"NO\"]", f"  data_locations: [\"NO\"]\n  sub_processors:\n"
                     f"    - {{name: '{quoted} sp', country: \"NO\", purpose: {{nb: '{quoted} purpose'}}}}")
            .replace("integrations: [id-porten]", f"integrations: [id-porten]\napis:\n  - name: '{quoted} api'\n"
                     f"    kind: rest\n    url: https://acme.example.no/api\n    description: {{nb: '{quoted} api text'}}"))
    assert text.count(quoted) == 9
    repo.service(text)
    out = tmp_path / "site"
    result = build_site(repo.root, out)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (out / "tjenester/demo/index.html").read_text(encoding="utf-8")
    main = page.split('<div class="tw-service-head">')[1]
    assert "<b id=evil" not in main and "<b " not in main
    shown = "&lt;b id=evil onclick=alert(1)&gt;\\&#34;&#39;&amp;amp;&lt;/b&gt;"
    for where in ("navn", "tagline", "note", "plan", "includes", "sp", "purpose", "api", "api text"):
        assert f"{shown} {where}" in main, where
    assert f'aria-current="page">{shown} navn</a>' in page  # the breadcrumbs too


def test_a_big_catalog_lists_every_service_on_category_pages_and_an_overview_on_the_services_page(tmp_path):
    """At thousands of services the all-services page would weigh megabytes: it shows each category's most used
    services and links to the category's page, which lists every one (without JavaScript too)."""
    from collections import Counter

    from thingwalla.generate import generate
    from thingwalla.site.pages import SERVICES_PER_CATEGORY

    generate(tmp_path / "repo", 400)
    out = tmp_path / "site"
    result = build_site(tmp_path / "repo", out)
    assert result.returncode == 0, result.stderr[-3000:]
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    per_category = Counter(s["category"] for s in catalog["services"])
    big = [c for c, n in per_category.items() if n > SERVICES_PER_CATEGORY]
    assert big  # 400 services over the taxonomy's categories
    page = (out / "tjenester/index.html").read_text(encoding="utf-8")
    for category, n in per_category.items():
        section = page.split(f'<h2 id="{category}">')[1].split("<h2 ")[0]
        cards = section.count('class="tw-card"')
        assert cards == min(n, SERVICES_PER_CATEGORY), category
        listed = (out / f"kategorier/{category}/index.html").read_text(encoding="utf-8").count('class="tw-card"')
        assert listed == n, category
        if category in big:
            assert re.search(rf'<a href="../kategorier/{category}/">Se alle {n} tjenestene i [^<]+</a>', section)


def test_every_service_card_links_to_its_own_service_in_the_pages_language(built_site):
    """A service's card is written once per language and depth and reused on home, category, vendor and services
    pages: on each, its heading fits the page (h2 under a category's h1, else h3) and its link leads to the
    service's page in the page's language."""
    title = re.compile(r'<(h[23]) class="tw-card__title" id="card-([^"]+)"><a href="([^"]+)">[^<]+</a></(h[23])>')
    checked = 0
    for page in list(built_site.glob("**/index.html")):
        html = page.read_text(encoding="utf-8")
        english = page.relative_to(built_site).parts[0] == "en"
        for opening, ident, href, closing in title.findall(html):
            target = (page.parent / href).resolve()
            assert opening == closing, page
            assert target.name == ident and (target / "index.html").is_file(), (page, href)
            expected = built_site / ("en/services" if english else "tjenester") / ident
            assert target == expected.resolve(), (page, href)
            if page.parent.parent.name in ("kategorier", "categories"):
                assert opening == "h2", page
            elif page.parent.parent.name in ("leverandorer", "vendors"):
                assert opening == "h3", page
            checked += 1
    assert checked > 4 * 38  # each service on its category and vendor page, in two languages, and more


def test_each_service_is_in_the_api_file_its_id_names(built_site):
    """compare.js and shortlist.js fetch api/services/<FNV-1a(id) mod files>.json: every service must be there."""
    from thingwalla.mkdocs_plugin import service_file

    index = json.loads((built_site / "api/catalog-index.json").read_text(encoding="utf-8"))
    files = index["service_files"]
    catalog = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    assert files == -(-len(catalog["services"]) // 8)
    found = {}
    for n in range(files):
        for sid, entry in json.loads((built_site / f"api/services/{n}.json").read_text(encoding="utf-8")).items():
            assert service_file(sid, files) == n and entry["service"]["id"] == sid
            found[sid] = entry
    assert sorted(found) == sorted(s["id"] for s in catalog["services"])
    # Each entry is the service as catalog.json has it, and its vendor's name
    vendors = {v["id"]: v["display_name"] for v in catalog["vendors"]}
    for service in catalog["services"]:
        assert found[service["id"]] == {"service": service,
                                        "vendor": {"id": service["vendor"], "display_name": vendors[service["vendor"]]}}
    # FNV-1a's published test vectors (the browser's own copy is checked by the compare and shortlist tests)
    assert service_file("a", 2**32) == 0xE40C292C and service_file("foobar", 2**32) == 0xBF9CF968
