"""Shared fixtures: small catalogs in tmp folders built from known text, so positions are exact."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "scripts"))

SERVICE_HEADER = "# yaml-language-server: $schema=../../../scripts/thingwalla/schemas/service.schema.json\n"
VENDOR_HEADER = "# yaml-language-server: $schema=../../scripts/thingwalla/schemas/vendor.schema.json\n"
BUYER_HEADER = "# yaml-language-server: $schema=../../scripts/thingwalla/schemas/buyer.schema.json\n"

# Line numbers below are part of the tests: keep the text stable.
SERVICE = SERVICE_HEADER + """\
id: demo
sample: true
name: {nb: Demotjeneste, en: Demo Service}
tagline:
  nb: En liten tjeneste for tester.
  en: A small service for tests.
description:
  nb: Beskrivelse på bokmål.
  en: Description in English.
vendor: acme
category: education
solution_type: attendance-absence
countries: ["NO"]
languages: [nb, en]
status: stable
listed: 2026-01-15
licence: proprietary
pricing:
  model: annual_subscription
  plans:
    - id: basic
      name: {nb: Basis, en: Basic}
      price: 1200
      currency: NOK
      unit: organisation
      billing_period: month
links:
  website: https://acme.example.no
integrations: [id-porten]
hosting:
  deployment: [saas]
  data_locations: ["NO"]
compliance:
  - regulation: gdpr
    issued: 2026-01-10
    expires: 2027-01-10
"""

VENDOR = VENDOR_HEADER + """\
id: acme
sample: true
legal_name: Acme AS
country: NO
org_number: "912345688"
website: https://acme.example.no
email: post@acme.example.no
maintainers: [acme-dev]
"""

BUYER = BUYER_HEADER + """\
id: testby
sample: true
name: Testby kommune
kind: municipality
country: NO
org_number: "999888003"
municipality_code: "3999"
maintainers: [testby-it]
uses:
  - service: demo
    since: 2025-05-01
    rating: 4
    review: {nb: Bra., en: Good.}
requires:
  data_locations: [EEA]
"""


class Repo:
    """A throwaway Thingwalla repository: the real taxonomy plus entries the test writes."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, relpath: str, text: str | bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def service(self, text: str = SERVICE, ident: str = "demo") -> Path:
        return self.write(f"catalog/services/{ident}/service.yaml", text)

    def vendor(self, text: str = VENDOR, ident: str = "acme") -> Path:
        return self.write(f"catalog/vendors/{ident}.yaml", text)

    def buyer(self, text: str = BUYER, ident: str = "testby") -> Path:
        return self.write(f"catalog/buyers/{ident}.yaml", text)

    def validate(self):
        import datetime as dt

        from thingwalla.validate import validate_repository

        return validate_repository(self.root, on_date=dt.date(2026, 12, 3))

    def messages(self) -> list[str]:
        return [p.as_text().split("\n")[0] for p in self.validate().problems]


@pytest.fixture
def repo(tmp_path) -> Repo:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "catalog" / "taxonomy", root / "catalog" / "taxonomy")
    (root / "docs").mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    r = Repo(root)
    r.vendor()
    r.service()
    r.buyer()
    return r


@pytest.fixture
def real_repo() -> Path:
    return REPO


def build_site(root: Path, out: Path, tool: str = "mkdocs") -> "subprocess.CompletedProcess":
    import os
    import subprocess

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "THINGWALLA_TODAY": "2026-12-03",
           "PYTHONPATH": str(REPO / "scripts")}
    return subprocess.run([sys.executable, "-m", tool, "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           "-d", str(out)], cwd=root, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The marketplace built once from the repository's own content."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = build_site(REPO, out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"


class StaticServer:
    """Serve a folder on 127.0.0.1 on a free port, in a thread."""

    def __init__(self, folder: Path):
        import functools
        import http.server
        import threading

        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _quiet_handler_base():
    import http.server

    return http.server.SimpleHTTPRequestHandler


class _QuietHandler(_quiet_handler_base()):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def site_server(built_site):
    server = StaticServer(built_site)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
