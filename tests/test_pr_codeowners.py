"""`thingwalla codeowners`: .github/CODEOWNERS follows the maintainers files, and --check catches a stale one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, SERVICE, VENDOR
from pr_helpers import BETA, PLATFORM


def thingwalla(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "thingwalla", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(REPO / "scripts")})


@pytest.fixture
def owned(repo):
    repo.write("catalog/platform-maintainers.yaml", PLATFORM)
    repo.vendor(BETA, "beta")
    repo.service(SERVICE.replace("id: demo", "id: beta-app").replace("vendor: acme", "vendor: beta"), "beta-app")
    return repo


def test_codeowners_lists_every_party_and_service(owned):
    proc = thingwalla("codeowners", "--repository", str(owned.root))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "wrote .github/CODEOWNERS (8 owned paths)\n"
    lines = [l for l in (owned.root / ".github/CODEOWNERS").read_text().splitlines() if l and not l.startswith("#")]
    assert lines == [
        "* @platform-kari",
        "/catalog/vendors/acme.yaml @acme-dev",
        "/challenges/*/bids/acme.yaml @acme-dev",
        "/catalog/vendors/beta.yaml @beta-dev",
        "/challenges/*/bids/beta.yaml @beta-dev",
        "/catalog/services/beta-app/ @beta-dev",
        "/catalog/services/demo/ @acme-dev",
        "/catalog/buyers/testby.yaml @testby-it",
        "/challenges/*/pledges/testby.yaml @testby-it",
    ]


def test_check_fails_when_maintainers_change_and_passes_after_regenerating(owned):
    assert thingwalla("codeowners", "--repository", str(owned.root)).returncode == 0
    assert thingwalla("codeowners", "--check", "--repository", str(owned.root)).stdout == \
        ".github/CODEOWNERS is up to date\n"
    owned.vendor(VENDOR.replace("[acme-dev]", "[acme-dev, acme-ops]"))
    stale = thingwalla("codeowners", "--check", "--repository", str(owned.root))
    assert stale.returncode == 1
    assert stale.stderr == (".github/CODEOWNERS:1:1: error: is stale: maintainers or entries changed since it was "
                            "written\n    hint: run `thingwalla codeowners` and commit the result\n")
    assert thingwalla("codeowners", "--repository", str(owned.root)).returncode == 0
    assert "/catalog/services/demo/ @acme-dev @acme-ops" in (owned.root / ".github/CODEOWNERS").read_text()
    assert thingwalla("codeowners", "--check", "--repository", str(owned.root)).returncode == 0


def test_a_missing_file_fails_the_check(owned):
    proc = thingwalla("codeowners", "--check", "--repository", str(owned.root))
    assert (proc.returncode, proc.stderr.splitlines()[0]) == (1, ".github/CODEOWNERS:1:1: error: is missing")


def test_ids_that_are_not_plain_names_never_widen_a_pattern(owned):
    # The validator refuses such a file; CODEOWNERS must not trust it in the meantime.
    owned.write("catalog/vendors/x*.yaml", VENDOR.replace("id: acme", "id: x*").replace("acme-dev", "wild"))
    assert thingwalla("codeowners", "--repository", str(owned.root)).returncode == 0
    assert "wild" not in (owned.root / ".github/CODEOWNERS").read_text()


def test_the_repositorys_codeowners_is_in_sync():
    proc = thingwalla("codeowners", "--check", "--repository", str(REPO))
    assert proc.returncode == 0, proc.stderr


def test_scaffolded_platform_file_is_valid():
    from thingwalla.load import load_file
    from thingwalla.pr.ownership import check_platform_file

    doc, problems = load_file(REPO / "catalog/platform-maintainers.yaml", "catalog/platform-maintainers.yaml")
    assert problems == [] and check_platform_file(doc, []) == []
    assert doc.data["maintainers"]


def test_a_broken_platform_file_in_a_pull_request_is_located():
    from pathlib import Path

    from thingwalla.load import load_bytes
    from thingwalla.pr.ownership import check_platform_file

    text = PLATFORM.replace("[platform-kari]", "[platform-kari, 'not a login!']")
    doc, _ = load_bytes(text.encode(), Path("catalog/platform-maintainers.yaml"), "catalog/platform-maintainers.yaml")
    found = check_platform_file(doc, [])
    assert [(p.line, p.column, p.code) for p in found] == [(2, 30, "schema.pattern")]

