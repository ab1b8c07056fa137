"""The `thingwalla validate` command as a vendor and a workflow use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, SERVICE


def run(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "THINGWALLA_TODAY": "2026-12-03"}
    env.pop("THINGWALLA_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "thingwalla", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_valid_catalog_exits_zero(repo):
    result = run(["validate"], repo.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "6 files checked: no errors"


def test_errors_exit_one_with_location_and_hint(repo):
    repo.service(SERVICE.replace("vendor: acme", "vendor: acmee"))
    result = run(["validate"], repo.root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "catalog/services/demo/service.yaml:11:9: error: unknown vendor 'acmee'",
        "    hint: did you mean 'acme'? add catalog/vendors/<id>.yaml first, or use an existing vendor id",
    ]
    assert "1 error(s)" in result.stderr


def test_json_format(repo):
    repo.service(SERVICE.replace("price: 1200", "price: free"))
    result = run(["validate", "--format", "json"], repo.root)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1
    (problem,) = report["problems"]
    assert problem == {"path": "catalog/services/demo/service.yaml", "line": 24, "column": 14,
                       "message": "pricing.plans[0].price must be a number, not 'free'", "hint": "write a number",
                       "code": "schema.type", "severity": "error"}


def test_github_annotations(repo):
    repo.service(SERVICE.replace("vendor: acme", "vendor: acmee"))
    result = run(["validate", "--format", "github"], repo.root)
    assert result.returncode == 1
    assert result.stdout.strip() == (
        "::error file=catalog/services/demo/service.yaml,line=11,col=9,title=ref.vendor::unknown vendor 'acmee' — "
        "did you mean 'acme'? add catalog/vendors/<id>.yaml first, or use an existing vendor id")


def test_paths_limit_the_report_to_those_files(repo):
    repo.service(SERVICE.replace("vendor: acme", "vendor: acmee"))
    repo.buyer(repo.root.joinpath("catalog/buyers/testby.yaml").read_text().replace("rating: 4", "rating: 7"))
    only_service = run(["validate", "catalog/services/demo"], repo.root)
    assert only_service.returncode == 1
    assert only_service.stdout.startswith("catalog/services/demo/service.yaml:11:9:")
    assert "testby" not in only_service.stdout
    only_vendors = run(["validate", "catalog/vendors/acme.yaml"], repo.root)
    assert only_vendors.returncode == 0 and only_vendors.stdout == ""
    assert only_vendors.stderr.strip() == ("6 files checked: no errors in the given paths "
                                           "(2 more elsewhere in the catalog)")


@pytest.mark.parametrize("args,message", [
    (["validate", "no/such/file.yaml"], "thingwalla: no/such/file.yaml: no such file or folder"),
    (["validate", "--format", "xml"], "invalid choice: 'xml'"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
])
def test_usage_errors_exit_two(repo, args, message):
    result = run(args, repo.root)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_outside_a_repository_is_a_usage_error(tmp_path):
    result = run(["validate"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == ("thingwalla: not inside a Thingwalla repository "
                                     "(no catalog/ folder found here or above)")


HOSTILE_FILES = {
    "binary": b"\x00\x01\x02\xff" * 100,
    "empty": b"",
    "alias bomb": b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                  b"d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
    "deep nesting": b"a: " + b"[" * 100_000 + b"]" * 100_000,
    "deep block nesting": "".join("  " * i + f"k{i}:\n" for i in range(3000)).encode(),
    "wrong types everywhere": b"id: [1]\nname: 5\ntagline: true\nvendor: {a: b}\npricing: []\nhosting: 3\n",
    "list at top": b"- 1\n- 2\n",
    "scalar at top": b"just text\n",
    "huge": b"a: " + b"x" * 2_000_000,
    "invalid utf-8": b"name: \xc3\x28\n",
}


@pytest.mark.parametrize("raw", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_no_traceback_on_hostile_input(repo, raw):
    repo.service(raw)
    result = run(["validate"], repo.root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("catalog/services/demo/service.yaml:")
    line, col = first.split(":")[1:3]
    assert int(line) >= 1 and int(col) >= 1


def test_the_real_catalog_is_valid():
    result = run(["validate"], REPO)
    assert result.returncode == 0, result.stdout
