"""Gate: every page of the marketplace (from its sitemap) has zero axe errors and zero errors of our own checks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

PA11Y = REPO / "node_modules" / ".bin" / "pa11y-ci"


@pytest.mark.browser
@pytest.mark.skipif(not PA11Y.exists(), reason=f"{PA11Y} is missing: `make test` runs npm ci")
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium is missing")
def test_every_page_of_the_site_passes_the_automated_checks(built_site, tmp_path):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    expected = len(re.findall(r"<loc>", sitemap))
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "thingwalla", "a11y", "--site", str(built_site), "--allow-private",
                             "--json", "site-a11y.json", "--markdown", "site-a11y.md", "--quiet"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=3000)
    elapsed = time.monotonic() - started
    doc = json.loads((tmp_path / "site-a11y.json").read_text())
    failures = {url: [(f["code"], f["criteria"], f["selector"]) for f in r["findings"]
                      if f["level"] == "error" and f["gating"]]
                for url, r in doc["results"].items() if not r["passed"]}
    print(f"{expected} pages checked in {elapsed:.0f} s ({elapsed / expected:.2f} s/page)")
    assert failures == {}
    assert result.returncode == 0, result.stderr[-2000:]
    assert expected > 100
    assert doc["summary"] == {"pages": expected, "passed": expected, "failed": 0, "errors": 0, "advisory": 0}
    assert all(r["http_status"] == 200 for r in doc["results"].values())
    assert result.stdout.splitlines()[-1].startswith(f"{expected} page(s) checked: {expected} passed, 0 failed")
