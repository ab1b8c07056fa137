"""`thingwalla a11y --demos`: every service's demo page, with refused addresses failing their page only,
and the report read by the compliance engine as evidence (rule A-11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml

from conftest import REPO


def run(*args: str, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    return subprocess.run([sys.executable, "-m", "thingwalla", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def catalog_demo_links() -> list[str]:
    """Read straight from the YAML files, in folder order: what --demos must check."""
    links = []
    for path in sorted((REPO / "catalog/services").glob("*/service.yaml")):
        demo = (yaml.safe_load(path.read_text(encoding="utf-8")).get("links") or {}).get("demo")
        if demo and demo not in links:
            links.append(demo)
    return links


def test_every_demo_page_is_checked_and_a_refused_one_fails_alone(tmp_path):
    # The sample catalog's demo hosts are fictional (example.no / example.se): none resolves, so each
    # page fails with its reason, and the run still reports all of them instead of stopping at the first.
    result = run("a11y", "--demos", "--repository", str(REPO), "--json", "demos.json", "--markdown", "demos.md",
                 "--quiet", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    doc = json.loads((tmp_path / "demos.json").read_text(encoding="utf-8"))
    links = catalog_demo_links()
    assert len(links) > 20
    assert list(doc["results"]) == links
    assert doc["summary"] == {"pages": len(links), "passed": 0, "failed": len(links), "errors": len(links),
                              "advisory": 0}
    first = doc["results"][links[0]]
    host = links[0].split("/")[2]
    assert [f["message"] for f in first["findings"]] == [
        f"The page could not be checked: refused: the host {host} cannot be resolved (Name or service not known)"]

    # The report is evidence for the compliance engine: a demo page that failed is not "verified".
    service = next(p.parent.name for p in sorted((REPO / "catalog/services").glob("*/service.yaml"))
                   if links[0] in p.read_text(encoding="utf-8"))
    judged = run("compliance", service, "--a11y-results", str(tmp_path / "demos.json"), "--format", "json",
                 "--repository", str(REPO), cwd=tmp_path)
    verdict = json.loads(judged.stdout)["services"][0]
    a11 = next(r for r in verdict["results"] if r["rule"] == "A-11")
    assert a11["passed"] is False
    assert "(1 error(s)," in a11["message"]
    assert verdict["states"]["wcag-2-1-aa"]["state"] != "verified"
