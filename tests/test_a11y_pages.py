"""`thingwalla a11y --url` with real pa11y-ci and headless chromium on pages with known errors (127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, StaticServer

PA11Y = REPO / "node_modules" / ".bin" / "pa11y-ci"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not PA11Y.exists(), reason=f"{PA11Y} is missing: `make test` runs npm ci"),
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium is missing"),
]

DOT = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
PAGES = {
    "clean.html": f"""<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Ren side</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Ren side</h1><p>Ingenting galt her.</p><img src="{DOT}" alt="En prikk">
<a href="clean.html" aria-label="Ren side, last inn på nytt">Ren side</a>
<a href="clean.html" aria-label="Last ned spesifikasjonen">Last ned <span style="clip-path: inset(50%); height: 1px;
overflow: hidden; position: absolute; white-space: nowrap; width: 1px">hele</span> spesifikasjonen</a>
</main></body></html>""",  # visually hidden words are not part of the visible label (2.5.3)
    "broken.html": f"""<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Feil</title>
<meta name="viewport" content="width=device-width, user-scalable=no"></head>
<body><main><h1>Feil</h1><img src="{DOT}">
<p style="color:#bbb;background:#fff">Lav kontrast</p>
<button aria-label="Send inn">Submit</button></main></body></html>""",
    "many.html": "<!doctype html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>Mange</title></head><body>"
                 "<main><h1>Mange bilder</h1>" + "".join(f'<img src="{DOT}" id="bilde-{i}">' for i in range(400))
                 + "</main></body></html>",
    "go.html": '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Videre</title>'
               '<meta http-equiv="refresh" content="0; url=clean.html"></head><body><main>Videre</main></body></html>',
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y-pages")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    server = StaticServer(folder)
    yield server.url
    server.close()


def a11y(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    return subprocess.run([sys.executable, "-m", "thingwalla", "a11y", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def report(pages, tmp_path_factory):
    out = tmp_path_factory.mktemp("a11y-report")
    urls = [pages + n for n in ("clean.html", "broken.html", "missing.html", "many.html", "go.html")]
    # the meta refresh page ends on clean.html: results must stay keyed by the requested URL
    result = a11y("--url", *urls, pages + "clean.html", "--allow-private", "--json", "r.json", "--markdown", "r.md",
                  cwd=out)
    return result, json.loads((out / "r.json").read_text()), (out / "r.md").read_text(), out


def test_errors_are_found_and_mapped_to_success_criteria(report, pages):
    result, doc, _, _ = report
    assert result.returncode == 1, result.stderr
    broken = doc["results"][pages + "broken.html"]
    assert broken["passed"] is False
    assert broken["errors"] == 4
    assert broken["criteria"] == ["1.1.1", "1.4.3", "1.4.4", "2.5.3"]
    assert [(f["runner"], f["code"], f["criteria"]) for f in broken["findings"] if f["level"] == "error"] == [
        ("axe", "image-alt", ["1.1.1"]), ("axe", "color-contrast", ["1.4.3"]),
        ("thingwalla", "thingwalla.meta-viewport", ["1.4.4"]),
        ("thingwalla", "thingwalla.label-in-name", ["2.5.3"])]
    assert f"FAILED {pages}broken.html: 4 error(s) (SC 1.1.1, 1.4.3, 1.4.4, 2.5.3)" in result.stdout


def test_a_clean_page_passes_and_the_summary_counts_every_requested_url(report, pages):
    result, doc, _, _ = report
    clean = doc["results"][pages + "clean.html"]
    assert (clean["passed"], clean["errors"], clean["http_status"], clean["final_url"]) == \
        (True, 0, 200, pages + "clean.html")
    assert list(doc["results"]) == [pages + n for n in ("clean.html", "broken.html", "missing.html", "many.html",
                                                        "go.html")]
    assert doc["summary"] == {"pages": 5, "passed": 2, "failed": 3, "errors": 405, "advisory": 0}
    assert (doc["format"], doc["tool"], doc["tool_version"], doc["runners"], doc["gating_runners"]) == \
        ("thingwalla-a11y/1", "pa11y-ci", "4.1.1", ["axe", "thingwalla"], ["axe", "thingwalla"])
    assert all(r["checked"] == doc["checked"] for r in doc["results"].values())
    assert result.stdout.splitlines()[-1] == ("5 page(s) checked: 2 passed, 3 failed, 405 error(s). "
                                              "Reports: r.json, r.md")


def test_a_redirected_page_keeps_its_requested_url(report, pages):
    _, doc, _, _ = report
    go = doc["results"][pages + "go.html"]
    assert (go["url"], go["final_url"], go["passed"]) == (pages + "go.html", pages + "clean.html", True)


def test_an_http_error_page_fails(report, pages):
    _, doc, _, _ = report
    missing = doc["results"][pages + "missing.html"]
    assert (missing["passed"], missing["errors"], missing["http_status"]) == (False, 1, 404)
    assert [(f["code"], f["message"]) for f in missing["findings"]] == [
        ("thingwalla.page-not-checked", "The page could not be checked: HTTP 404: the page answers with an error")]


def test_a_report_over_64_kib_is_complete(report, pages):
    # pa11y-ci's JSON through a pipe is cut at 64 KiB; ours is read from files
    _, doc, _, out = report
    many = doc["results"][pages + "many.html"]
    assert many["errors"] == 400
    assert {f["selector"] for f in many["findings"]} == {f"#bilde-{i}" for i in range(400)}
    assert (out / "r.json").stat().st_size > 65536


def test_the_markdown_report_says_automated_checks_not_conformance(report, pages):
    _, doc, text, _ = report
    assert text.startswith(f"# Accessibility checks ({doc['checked']})\n")
    assert "**5 page(s): 2 passed, 3 failed, 405 error(s).**" in text
    assert f"| {pages}broken.html | failed | 4 | 1.1.1, 1.4.3, 1.4.4, 2.5.3 |" in text
    assert "not a statement of WCAG conformance" in text
    assert "| 2.5.3 | thingwalla | thingwalla.label-in-name | `html > body > main > button` |" in text


def test_htmlcs_findings_are_advisory(pages, tmp_path):
    result = a11y("--url", pages + "broken.html", "--runner", "axe", "--runner", "htmlcs", "--allow-private",
                  "--quiet", cwd=tmp_path)
    doc = json.loads((tmp_path / "a11y-report.json").read_text())
    page = doc["results"][pages + "broken.html"]
    htmlcs = [f for f in page["findings"] if f["runner"] == "htmlcs" and f["level"] == "error"]
    assert result.returncode == 1
    assert page["errors"] == 2  # axe's image-alt and color-contrast only
    assert page["advisory"] == len(htmlcs) > 0
    assert all(f["gating"] is False for f in htmlcs)
    assert "1.1.1" in {sc for f in htmlcs for sc in f["criteria"]}
    assert result.stderr == ""


def test_loopback_needs_allow_private(pages, tmp_path):
    result = a11y("--url", pages + "clean.html", cwd=tmp_path)
    assert result.returncode == 2
    assert "refused, loopback address; only public addresses are checked" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("sitemap, message", [
    (None, "sitemap.xml: missing, so the site's pages are unknown"),
    ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>',
     "sitemap.xml: the sitemap lists no pages, so nothing would be checked"),
    ("<html>not a sitemap", "sitemap.xml: not a readable sitemap"),
])
def test_a_missing_or_empty_sitemap_fails(tmp_path, sitemap, message):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PAGES["clean.html"])
    if sitemap is not None:
        (site / "sitemap.xml").write_text(sitemap)
    result = a11y("--site", str(site), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "a11y-report.json").exists()
