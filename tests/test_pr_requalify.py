"""`thingwalla check --all`: the weekly requalification — expiring evidence, stale entries, broken links."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import git

from conftest import REPO, SERVICE
from pr_helpers import ON_DATE
from thingwalla.pr.requalify import public_address, run_requalify


def commit_on(repo, date: str) -> None:
    g = git.Repo.init(repo.root, initial_branch="main")
    g.git.add("-A")
    g.git.commit("-m", "catalog", env={"GIT_AUTHOR_DATE": f"{date}T12:00:00", "GIT_COMMITTER_DATE": f"{date}T12:00:00",
                                       "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                                       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def test_expiring_evidence_and_stale_entries(repo):
    commit_on(repo, "2025-06-01")
    result = run_requalify(repo.root, on_date=ON_DATE)
    assert result.passed
    assert result.status == "passed with warnings"
    assert [(p.path, p.line, p.message) for p in result.of("requalify.expiring")] == [
        ("catalog/services/demo/service.yaml", 37, "the declaration for GDPR expires on 2027-01-10, in 38 days")]
    assert [(p.path, p.message) for p in result.of("requalify.stale")] == [
        ("catalog/buyers/testby.yaml", "the buyer has not been updated since 2025-06-01 (550 days)"),
        ("catalog/services/demo/service.yaml", "the service has not been updated since 2025-06-01 (550 days)"),
        ("catalog/vendors/acme.yaml", "the vendor has not been updated since 2025-06-01 (550 days)"),
    ]
    assert result.links_checked is None


def test_recent_entries_are_not_stale_and_expired_evidence_is_named(repo):
    repo.service(SERVICE.replace("expires: 2027-01-10", "expires: 2026-11-30"))
    commit_on(repo, "2026-11-01")
    result = run_requalify(repo.root, on_date=ON_DATE)
    assert result.of("requalify.stale") == []
    assert [p.message for p in result.of("requalify.expired")] == ["the declaration for GDPR expired on 2026-11-30"]
    # No validation error, so the run does not fail; but expired evidence is not a pass.
    assert (result.passed, result.status) == (True, "needs action")


def test_the_summary_never_shows_a_pass_over_expired_evidence(repo, tmp_path):
    repo.service(SERVICE.replace("expires: 2027-01-10", "expires: 2026-11-30"))
    commit_on(repo, "2026-11-01")
    out = tmp_path / "requalification.json"
    proc = subprocess.run([sys.executable, "-m", "thingwalla", "check", "--all", "--repository", str(repo.root),
                           "--json", str(out), "--report", str(tmp_path / "r.md")], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO / "scripts"), "THINGWALLA_TODAY": "2026-12-03"})
    assert proc.returncode == 0, proc.stderr  # findings ask a vendor to act; only validation errors fail the run
    assert proc.stderr == ("requalification needs action: 6 files, 0 error(s); findings: 1 expired, 0 expiring, "
                           "0 stale\n")
    report = json.loads(out.read_text())
    assert (report["result"], report["status"]) == ("pass", "needs action")
    md = (tmp_path / "r.md").read_text().splitlines()
    assert md[2] == ("**⚠️ requalification needs action: 6 files, 0 error(s); findings: 1 expired, 0 expiring, "
                     "0 stale** (2026-12-03)")
    assert "✅" not in "\n".join(md)
    assert "- `catalog/services/demo/service.yaml:37:14` — the declaration for GDPR expired on 2026-11-30" in md


def test_links_of_real_entries_are_fetched_and_broken_ones_reported(repo):
    repo.service(SERVICE.replace("sample: true\n", ""))
    commit_on(repo, "2026-11-01")
    fetched = []

    def fetch(url):
        fetched.append(url)
        return ("broken", "HTTP 404")

    result = run_requalify(repo.root, on_date=ON_DATE, links=True, fetch=fetch)
    assert fetched == ["https://acme.example.no"]  # the sample vendor's website is skipped
    assert result.links_checked == 1
    assert [(p.line, p.message) for p in result.of("requalify.link")] == [
        (28, "the link links.website does not work: https://acme.example.no (HTTP 404)")]


def test_private_addresses_are_never_fetched():
    assert public_address("127.0.0.1", 443) == (None, "refused: 127.0.0.1 resolves to a non-public address (127.0.0.1)")
    assert public_address("10.1.2.3", 443)[0] is None


def test_cli_writes_the_weekly_report(repo, tmp_path):
    commit_on(repo, "2025-06-01")
    out = tmp_path / "requalification.json"
    proc = subprocess.run([sys.executable, "-m", "thingwalla", "check", "--all", "--repository", str(repo.root),
                           "--json", str(out), "--report", str(tmp_path / "r.md")], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO / "scripts"), "THINGWALLA_TODAY": "2026-12-03"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ("requalification passed with warnings: 6 files, 0 error(s); findings: 0 expired, "
                           "1 expiring, 3 stale\n")
    report = json.loads(out.read_text())
    assert (report["result"], report["status"]) == ("pass", "passed with warnings")
    assert [len(report["findings"][k]) for k in ("expired", "expiring", "stale", "link")] == [0, 1, 3, 0]
    md = (tmp_path / "r.md").read_text()
    assert "### Ikke oppdatert på 365 dager / Not updated for 365 days (3)" in md
    assert "Links were not checked (run with `--links`)." in md
