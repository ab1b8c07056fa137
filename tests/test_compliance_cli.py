"""`thingwalla compliance`: located results, exit codes, JSON, buyer verdicts, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from compliance_helpers import PRIVACY
from conftest import REPO, SERVICE

from thingwalla.cli import main

S = "catalog/services/demo/service.yaml"


@pytest.fixture
def crepo(repo):
    shutil.copytree(REPO / "catalog" / "compliance", repo.root / "catalog" / "compliance")
    repo.service(with_privacy(PRIVACY))
    return repo


def with_privacy(privacy: str) -> str:
    # An explicit empty sub-processor list means "none" (rule G-04); the line shifts what follows by one.
    hosting = '  data_locations: ["NO"]\n'
    assert SERVICE.count(hosting) == 1
    return SERVICE.replace(hosting, hosting + "  sub_processors: []\n") + privacy


def cli(repo, *args):
    return main(["compliance", "--repository", str(repo.root), "--today", "2026-12-03", *args])


def test_text_output_is_located_with_source_and_hint(crepo, capsys):
    assert cli(crepo) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines == [
        f"{S}:36:5: warning: S-04 The evidence lacks evidence_url, issuer. (Platform policy: evidence names a document, "
        "an issuer and a date (section 3.7 of the research note); a certificate its id and expiry date "
        "(ISO/IEC 17021-1))",
        "    hint: Give evidence_url, issuer and issued, and for certificates also certificate_id and expires (the end "
        "date on the certificate).",
        f"{S}:38:14: warning: S-01 The evidence expires or expired on 2027-01-10. (Platform policy: evidence must be "
        "valid; warning 60 days before it expires)",
        "    hint: Upload renewed evidence and update expires.",
        f"{S}:50:24: error: G-16 The breach notice to the customer is missing or too late (96 h); the municipality must "
        "notify within 72 hours. (GDPR art. 33(1), 33(2))",
        "    hint: Give privacy.breach_notice_hours; 48 hours or less leaves the municipality time (over 48 is a warning, "
        "over 72 an error).",
        "demo: gdpr expiring (2027-01-10)",
    ]
    assert err.strip() == "1 service(s) checked against 45 rules on 2026-12-03: 1 error(s), 2 warning(s)"
    assert (crepo.root / S).read_text().splitlines()[49] == "  breach_notice_hours: 96"


def test_messages_in_bokmal(crepo, capsys):
    cli(crepo, "--lang", "nb")
    out = capsys.readouterr().out
    assert ("error: G-16 Varsel om personvernbrudd til kunden er ikke oppgitt eller for sent (96 h); kommunen må "
            "melde innen 72 timer.") in out


def test_details_with_words_are_in_the_message_language(crepo, capsys):
    # A-11 names why the demo page is not verified; in bokmål that must be bokmål too, not "(no result)"
    crepo.service(with_privacy(PRIVACY).replace("links:\n", "links:\n  demo: https://demo.acme.example.no/app\n")
                  .replace("compliance:\n", """accessibility:
  interfaces:
    - name: App
      kind: web
      audience: both
compliance:
  - regulation: wcag-2-1-aa
    issued: 2026-01-10
""", 1))
    cli(crepo, "--lang", "nb")
    out = capsys.readouterr().out
    assert ("info: A-11 Demosiden er ikke kontrollert automatisk de siste 90 dagene uten feil (ingen resultat).") in out
    assert "no result" not in out
    cli(crepo, "--lang", "en")
    assert "(no result)." in capsys.readouterr().out


def test_json_output(crepo, capsys):
    assert cli(crepo, "demo", "--format", "json", "--passed") == 1
    doc = json.loads(capsys.readouterr().out)
    assert (doc["today"], doc["rules"], doc["errors"], doc["warnings"]) == ("2026-12-03", 45, 1, 2)
    service = doc["services"][0]
    assert service["states"] == {"gdpr": {"state": "expiring", "on": "2027-01-10", "evidence_url": None,
                                          "satisfied": False, "automated_check": None}}
    g16 = next(r for r in service["results"] if r["rule"] == "G-16")
    assert (g16["line"], g16["column"], g16["severity"], g16["source"]) == (50, 24, "error", "GDPR art. 33(1), 33(2)")
    assert {r["rule"] for r in service["results"] if r["passed"]} == {"G-01", "G-02", "G-04", "G-06", "G-14", "G-15", "G-20"}


def test_exit_zero_when_no_rule_error(crepo, capsys):
    crepo.service(with_privacy(PRIVACY.replace("breach_notice_hours: 96", "breach_notice_hours: 24")))
    assert cli(crepo) == 0
    assert "no errors, 2 warning(s)" in capsys.readouterr().err


def test_usage_errors(crepo, capsys):
    assert cli(crepo, "nope") == 2
    assert capsys.readouterr().err == ("thingwalla: unknown service(s): nope (ids are folder names in "
                                       "catalog/services/)\n")
    assert cli(crepo, "--today", "2026-13-01") == 2
    assert "is not a date written YYYY-MM-DD" in capsys.readouterr().err


def test_buyer_verdicts(crepo, capsys):
    buyer = (crepo.root / "catalog/buyers/testby.yaml")
    buyer.write_text(buyer.read_text().replace("requires:\n  data_locations: [EEA]\n",
                                               "requires:\n  regulations: [gdpr, dora]\n  data_locations: [EEA]\n"))
    assert cli(crepo, "--buyer", "testby") == 0
    out, err = capsys.readouterr()
    assert out == ("demo: does not fit: regulation gdpr (expiring; G-16) — not judged: dora (binds financial entities, "
                   "not municipalities)\n")
    assert err == "0 of 1 service(s) fit Testby kommune's requirements\n"


def test_an_invalid_catalog_is_reported_not_judged(crepo, capsys):
    crepo.service(SERVICE.replace("vendor: acme", "vendor: acmee"))
    assert cli(crepo) == 1
    err = capsys.readouterr().err
    assert f"{S}:11:9: error: unknown vendor 'acmee'" in err
    assert "compliance is judged only on a valid catalog" in err


def test_a_bad_a11y_results_file_is_a_located_error_not_a_traceback(crepo, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    args = [sys.executable, "-m", "thingwalla", "compliance", "--repository", str(crepo.root), "--today", "2026-12-03"]
    bad = tmp_path / "a11y.json"
    bad.write_text('{"checked": "2026-12-01", "results": [', encoding="utf-8")
    run = subprocess.run([*args, "--a11y-results", str(bad)], capture_output=True, text=True, env=env)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"{bad}:1:39: error: the accessibility results are not valid JSON: Expecting value" in run.stderr
