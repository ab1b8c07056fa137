"""`thingwalla check`: real git repositories in tmp, one pull request each, checked as a maintainer would see it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO
from pr_helpers import BETA, BUYER, SERVICE, VENDOR, GitCatalog


@pytest.fixture
def catalog(tmp_path) -> GitCatalog:
    return GitCatalog(tmp_path / "repo")


def errors(result) -> list[str]:
    return [f"{p.path}:{p.line}:{p.column}: {p.message}" for p in result.problems if p.severity == "error"]


def entry(result, kind: str, ident: str):
    return next(e for e in result.entries if e.change.kind == kind and e.change.id == ident)


def test_a_vendor_maintainer_adds_a_service(catalog):
    catalog.service(SERVICE.replace("id: demo", "id: demo-two"), "demo-two")
    catalog.commit("add demo-two")
    result = catalog.check(author="acme-dev")
    assert result.passed and errors(result) == []
    added = entry(result, "service", "demo-two")
    assert added.change.status == "added"
    assert added.verdict.status == "allowed"
    assert added.verdict.reasons == ["@acme-dev maintains vendor acme"]
    assert result.mode == "incremental"
    # The change, its vendor and the taxonomy are read; the other service and the buyer are not.
    assert result.entries_validated == 5


def test_another_vendor_editing_a_service_is_refused_with_the_reason(catalog):
    catalog.service(SERVICE.replace("price: 1200", "price: 1300"))
    catalog.commit("beta edits acme's service")
    result = catalog.check(author="beta-dev")
    assert not result.passed
    assert errors(result) == ["catalog/services/demo/service.yaml:11:1: @beta-dev may not change service demo: it "
                              "belongs to vendor acme, whose maintainers are @acme-dev"]
    refused = entry(result, "service", "demo")
    assert refused.verdict.status == "refused"
    assert refused.verdict.hint == ("ask a maintainer of vendor acme (@acme-dev) to make or approve this change, or a "
                                    "platform maintainer (@platform-kari)")


def test_an_owner_approval_or_a_platform_maintainer_allows_the_same_change(catalog):
    catalog.service(SERVICE.replace("price: 1200", "price: 1300"))
    catalog.commit()
    approved = catalog.check(author="beta-dev", approvers=["acme-dev"])
    assert approved.passed
    assert entry(approved, "service", "demo").verdict.reasons == ["vendor acme approved: @acme-dev is a maintainer"]
    platform = catalog.check(author="platform-kari")
    assert platform.passed
    assert entry(platform, "service", "demo").verdict.flags == ["changed by a platform maintainer on behalf of vendor acme"]


def test_a_buyers_uses_edited_by_a_non_member_is_refused(catalog):
    catalog.buyer(BUYER.replace("rating: 4", "rating: 1"))
    catalog.commit("acme rates itself")
    result = catalog.check(author="acme-dev")
    assert errors(result) == ["catalog/buyers/testby.yaml:1:1: @acme-dev may not change buyer testby: it belongs to "
                              "buyer testby, whose maintainers are @testby-it"]
    assert [c.text for c in entry(result, "buyer", "testby").changes] == ["rating of service demo: 4 → 1"]
    assert catalog.check(author="testby-it").passed


def test_deleting_a_service_in_use_names_its_buyers(catalog):
    catalog.remove("catalog/services/demo")
    catalog.commit("delete demo")
    result = catalog.check(author="acme-dev")
    deleted = entry(result, "service", "demo")
    assert deleted.change.status == "deleted"
    assert deleted.used_by == ["testby"]
    assert errors(result) == ["catalog/buyers/testby.yaml:11:14: uses the service 'demo', which this change deletes"]
    assert deleted.breaks[0].hint.startswith("keep the service and set 'status: deprecated'")


def test_renaming_a_service_id_that_a_buyer_uses(catalog):
    catalog.git.git.mv("catalog/services/demo", "catalog/services/demo-new")
    catalog.service(SERVICE.replace("id: demo", "id: demo-new"), "demo-new")
    catalog.commit("rename demo")
    result = catalog.check(author="acme-dev")
    renamed = entry(result, "service", "demo-new")
    assert (renamed.change.status, renamed.change.old_id) == ("renamed", "demo")
    assert [c.text for c in renamed.changes] == ["id: demo → demo-new"]
    assert errors(result) == ["catalog/buyers/testby.yaml:11:14: uses the service 'demo', which this change renames "
                              "to 'demo-new'"]
    # Following the rename in the buyer's file fixes the reference, and then needs the buyer's consent.
    catalog.buyer(BUYER.replace("service: demo", "service: demo-new"))
    catalog.commit("follow the rename")
    followed = catalog.check(author="acme-dev", approvers=["testby-it"])
    assert followed.passed, errors(followed)


def test_removing_a_vendor_whose_services_remain(catalog):
    catalog.remove("catalog/vendors/acme.yaml")
    catalog.commit("remove acme")
    result = catalog.check(author="acme-dev")
    assert errors(result) == ["catalog/services/demo/service.yaml:11:9: names the vendor 'acme', which this change "
                              "deletes"]


def test_a_new_vendor_adds_itself_and_its_first_service(catalog):
    gamma = BETA.replace("id: beta", "id: gamma").replace('"912345009"', '"912345017"').replace("beta-dev", "gamma-dev")
    catalog.vendor(gamma, "gamma")
    catalog.service(SERVICE.replace("id: demo", "id: gamma-app").replace("vendor: acme", "vendor: gamma"), "gamma-app")
    catalog.commit("new vendor")
    result = catalog.check(author="gamma-dev")
    assert result.passed, errors(result)
    vendor = entry(result, "vendor", "gamma")
    assert vendor.verdict.flags == ["new vendor: identity and qualification review needed"]
    assert vendor.verdict.reasons == ["@gamma-dev is listed as a maintainer of the new vendor gamma"]
    assert result.checklist[0] == ("Identity of the new vendor gamma: organisation number 912345017 belongs to Beta AS "
                                   "in Enhetsregisteret (brreg.no), and @gamma-dev acts for it (confirm through "
                                   "post@beta.example.no)")
    # Someone not listed in the new file cannot create it.
    assert "does not list @beta-dev among its maintainers" in errors(catalog.check(author="beta-dev"))[0]


def test_moving_a_service_to_another_vendor_needs_both_vendors(catalog):
    catalog.service(SERVICE.replace("vendor: acme", "vendor: beta"))
    catalog.commit("move demo to beta")
    alone = catalog.check(author="acme-dev")
    assert errors(alone) == ["catalog/services/demo/service.yaml:11:1: @acme-dev may not change service demo: it also "
                             "needs the consent of vendor beta, whose maintainers are @beta-dev"]
    assert entry(alone, "service", "demo").verdict.flags == [
        "moves from vendor acme to vendor beta: needs the maintainers of both vendors (or a platform maintainer)"]
    assert catalog.check(author="acme-dev", approvers=["beta-dev"]).passed
    assert not catalog.check(author="beta-dev").passed


def test_maintainers_come_from_the_base_so_a_pr_cannot_add_its_own_author(catalog):
    catalog.vendor(VENDOR.replace("[acme-dev]", "[acme-dev, intruder]"))
    catalog.commit("add myself")
    result = catalog.check(author="intruder")
    assert errors(result) == ["catalog/vendors/acme.yaml:1:1: @intruder may not change vendor acme: it belongs to "
                              "vendor acme, whose maintainers are @acme-dev"]
    assert [c.text for c in entry(result, "vendor", "acme").changes] == ["maintainers added: intruder"]


def test_platform_files_need_a_platform_maintainer(catalog):
    catalog.write(".github/workflows/evil.yml", "on: push\n")
    catalog.write("catalog/platform-maintainers.yaml",
                  (catalog.root / "catalog/platform-maintainers.yaml").read_text().replace("[platform-kari]",
                                                                                          "[platform-kari, acme-dev]"))
    catalog.commit("take over")
    result = catalog.check(author="acme-dev")
    assert errors(result) == [
        ".github/workflows/evil.yml:1:1: @acme-dev may not change .github/workflows/evil.yml: only platform maintainers "
        "(@platform-kari) may change it",
        "catalog/platform-maintainers.yaml:1:1: @acme-dev may not change catalog/platform-maintainers.yaml: only "
        "platform maintainers (@platform-kari) may change it"]
    assert catalog.check(author="platform-kari").passed


def test_challenge_and_method_paths_are_recognised_by_their_layout(catalog):
    catalog.write("challenges/snow-clearing/index.md", "---\ntitle: Snow\nbuyer: testby\n---\nText\n")
    catalog.write("challenges/snow-clearing/pledges/testby.yaml", "amount: 3\n")
    catalog.write("challenges/snow-clearing/bids/beta.yaml", "price: 3\n")
    catalog.write("methods-library/service-safari.md", "# Service safari\n")
    catalog.commit("challenge")
    result = catalog.check(author="testby-it")
    kinds = {(e.change.kind, e.change.id): e.verdict.status for e in result.entries}
    assert kinds == {("challenge", "snow-clearing"): "allowed", ("pledge", "snow-clearing/testby"): "allowed",
                     ("bid", "snow-clearing/beta"): "refused", ("method", "service-safari"): "refused"}
    assert result.mode == "full"


def test_broken_yaml_gives_located_errors_and_no_traceback(catalog):
    catalog.service(SERVICE.replace("vendor: acme", "vendor: [acme"))
    catalog.write("catalog/buyers/testby.yaml", b"id: testby\n\x00\x01")
    catalog.commit("broken")
    proc = subprocess.run([sys.executable, "-m", "thingwalla", "check", "--base", "main", "--author", "acme-dev",
                           "--repository", str(catalog.root)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO / "scripts"), "THINGWALLA_TODAY": "2026-12-03"})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert ("catalog/services/demo/service.yaml:12:9: error: YAML syntax error: did not find expected ',' or ']' "
            "(while parsing a flow sequence that starts on line 11)") in proc.stdout
    assert "catalog/buyers/testby.yaml:1:1: error: this is a binary file, not YAML text" in proc.stdout
    assert proc.stderr.startswith("check failed: 3 error(s), 1 refused change(s)")


def test_cli_writes_markdown_and_json_reports(catalog, tmp_path):
    catalog.service(SERVICE.replace('data_locations: ["NO"]', 'data_locations: ["NO", "US"]'))
    catalog.commit("move data")
    md, js = tmp_path / "out" / "report.md", tmp_path / "out" / "report.json"
    proc = subprocess.run([sys.executable, "-m", "thingwalla", "check", "--base", "main", "--author", "acme-dev",
                           "--report", str(md), "--json", str(js), "--repository", str(catalog.root)],
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO / "scripts"), "THINGWALLA_TODAY": "2026-12-03"})
    assert proc.returncode == 0, proc.stderr
    report = json.loads(js.read_text())
    assert report["result"] == "pass"
    assert report["entries"][0]["changes"] == [{"text": "data location: NO → NO, US", "field": "hosting.data_locations",
                                                "attention": "data outside the EEA: US", "line": 33}]
    assert report["entries"][0]["ownership"]["verdict"] == "allowed"
    text = md.read_text()
    assert "- service demo: data location: `NO` → `NO, US` — *data outside the EEA: US*" in text
    assert "- [ ] service demo: data location: NO → NO, US — data outside the EEA: US" in text


def test_usage_errors_are_clear(catalog):
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    run = lambda *args: subprocess.run([sys.executable, "-m", "thingwalla", "check", *args, "--repository",
                                        str(catalog.root)], capture_output=True, text=True, env=env)
    proc = run("--base", "no-such-branch")
    assert (proc.returncode, proc.stderr) == (2, "thingwalla: unknown revision 'no-such-branch'\n")
    proc = run("--base", "--output=/tmp/x")
    assert proc.returncode == 2
    proc = run()
    assert proc.stderr == "thingwalla: give --base REF (the branch the pull request targets), or --all\n"


def test_problems_the_base_already_had_are_not_blamed_on_the_change(catalog):
    # The base's vendor has a problem (a web address without https); a pull request to its service reads the
    # vendor, but does not report what it did not cause.
    catalog.git.git.checkout("main")
    catalog.vendor(VENDOR.replace("https://acme", "http://acme"))
    catalog.commit("broken base")
    catalog.git.git.checkout("-B", "pr")
    catalog.service(SERVICE.replace("price: 1200", "price: 1100"))
    catalog.commit()
    result = catalog.check(author="acme-dev")
    assert result.passed, errors(result)
    assert result.already_on_base == 1


def test_changed_services_are_assessed_by_the_compliance_engine(catalog):
    import shutil

    catalog.git.git.checkout("main")
    shutil.copytree(REPO / "catalog/compliance", catalog.root / "catalog/compliance")
    catalog.commit("rules")
    catalog.git.git.checkout("-B", "pr")
    catalog.service(SERVICE.replace("price: 1200", "price: 1250"))
    catalog.commit()
    result = catalog.check(author="acme-dev")
    service = entry(result, "service", "demo")
    assert service.engine is True
    expiring = next(r for r in service.rules if r.rule == "S-01")
    assert (expiring.severity, expiring.regulation, expiring.line) == ("warning", "gdpr", 37)
    assert [r.severity for r in service.rules] == sorted((r.severity for r in service.rules),
                                                         key=["error", "warning", "info"].index)
    from thingwalla.pr import report

    assert "**Samsvarsregler som ikke er oppfylt / Compliance rules not met**" in report.markdown(result)


def test_symbolic_links_in_a_pull_request_are_refused_not_followed(catalog):
    os.symlink("/etc/passwd", catalog.root / "catalog/services/demo/description.en.md")
    catalog.commit("link")
    result = catalog.check(author="acme-dev")
    assert errors(result) == ["catalog/services/demo/description.en.md:1:1: symbolic links are not allowed in the "
                              "catalog"]


def test_github_format_annotates_problems_and_points_for_the_reviewer(catalog):
    from thingwalla.pr import report

    catalog.service(SERVICE.replace("price: 1200", "price: 1900"))
    catalog.commit()
    assert report.github(catalog.check(author="beta-dev")).splitlines() == [
        "::error file=catalog/services/demo/service.yaml,line=11,col=1,title=ownership.refused::@beta-dev may not "
        "change service demo: it belongs to vendor acme, whose maintainers are @acme-dev — ask a maintainer of vendor "
        "acme (@acme-dev) to make or approve this change, or a platform maintainer (@platform-kari)",
        "::notice file=catalog/services/demo/service.yaml,line=24,col=1,title=review::price of plan basic: 1 200 → "
        "1 900 NOK/month: price rises by 58 %25",  # workflow commands escape %
    ]


def test_accessibility_results_of_the_demo_page_are_shown_when_run(catalog, tmp_path):
    from thingwalla.compliance.verification import load_a11y_results
    from thingwalla.pr import report

    catalog.service(SERVICE.replace("  website: https://acme.example.no\n",
                                    "  website: https://acme.example.no\n  demo: https://demo.acme.example.no/\n"))
    catalog.commit("demo link")
    results = tmp_path / "a11y.json"
    results.write_text(json.dumps({"tool": "pa11y-ci", "checked": "2026-11-30",
                                   "results": {"https://demo.acme.example.no": {"errors": 2}}}))
    service = entry(catalog.check(a11y=load_a11y_results(results)), "service", "demo")
    assert service.accessibility == "pa11y-ci on 2026-11-30: 2 error(s) on https://demo.acme.example.no"
    unrun = catalog.check()
    assert entry(unrun, "service", "demo").accessibility is None
    assert "| Tilgjengelighet / Accessibility | not run in this check |" in report.markdown(unrun)


def test_renaming_a_vendor_id_that_services_still_name(catalog):
    catalog.git.git.mv("catalog/vendors/acme.yaml", "catalog/vendors/acme-nordic.yaml")
    catalog.vendor(VENDOR.replace("id: acme", "id: acme-nordic"), "acme-nordic")
    catalog.commit("rename acme")
    result = catalog.check(author="acme-dev")
    renamed = entry(result, "vendor", "acme-nordic")
    assert (renamed.change.status, renamed.change.old_id, renamed.verdict.status) == ("renamed", "acme", "allowed")
    assert errors(result) == ["catalog/services/demo/service.yaml:11:9: names the vendor 'acme', which this change "
                              "renames to 'acme-nordic'"]


FRAMEWORKS = """\
# yaml-language-server: $schema=../../scripts/thingwalla/schemas/procurement-frameworks.schema.json
frameworks:
  - id: testby-skole
    name: {nb: Rammeavtale for skole, en: School framework}
    country: "NO"
    owner: testby
    participants: [otherby]
    valid_from: 2025-08-01
    valid_to: 2029-07-31
    call_off: direct
    max_value: {amount: 1000000, currency: NOK}
    suppliers:
      - vendor: acme
        services: [demo]
"""


def with_procurement(catalog: GitCatalog) -> None:
    """main gets catalog/procurement/: the committed law, thresholds, Peppol and contract settings of this
    repository, and a framework that names testby, otherby (which uses the demo service), acme and demo."""
    import git

    catalog.git.git.checkout("main")
    ours = git.Repo(REPO)
    for name in ("thresholds.yaml", "law.yaml", "peppol.yaml", "contracts.yaml"):
        catalog.write(f"catalog/procurement/{name}", ours.git.show(f"HEAD:catalog/procurement/{name}") + "\n")
    catalog.write("catalog/procurement/frameworks.yaml", FRAMEWORKS)
    catalog.buyer(BUYER.replace("testby", "otherby").replace('"999888003"', '"999888011"')
                  .replace('"3999"', '"3998"'), "otherby")
    catalog.commit("procurement")
    catalog.git.git.checkout("-B", "pr")


def test_procurement_data_is_checked_against_the_entries_it_names(catalog):
    with_procurement(catalog)
    assert catalog.validate().problems == []
    catalog.service(SERVICE.replace("vendor: acme", "vendor: beta"))
    catalog.commit("move demo to beta")
    result = catalog.check(author="platform-kari")
    assert errors(result) == ["catalog/procurement/frameworks.yaml:14:20: the service 'demo' belongs to vendor 'beta'"]
    assert result.already_on_base == 0
    # The copy held what the framework names (testby, otherby, acme, demo), what those name (beta through
    # demo) and the taxonomy's three files: no "unknown buyer" for the entries left out.
    assert result.mode == "incremental" and result.entries_validated == 8


def test_a_plain_edit_of_a_service_the_procurement_data_names_passes(catalog):
    with_procurement(catalog)
    catalog.service(SERVICE.replace("price: 1200", "price: 1250"))
    catalog.commit()
    result = catalog.check(author="acme-dev")
    assert result.passed, errors(result)
    assert result.already_on_base == 0


def test_compliance_rule_errors_lead_the_report_without_failing_the_check(catalog):
    import shutil

    from thingwalla.pr import report

    catalog.git.git.checkout("main")
    shutil.copytree(REPO / "catalog/compliance", catalog.root / "catalog/compliance")
    catalog.commit("rules")
    catalog.git.git.checkout("-B", "pr")
    catalog.service(SERVICE.replace('data_locations: ["NO"]', 'data_locations: ["NO", "US"]'))
    catalog.commit("data in the US")
    result = catalog.check(author="acme-dev")
    assert result.passed  # shown to buyers, not enforced
    assert [(r.rule, r.line) for r in entry(result, "service", "demo").rules if r.severity == "error"] == [
        ("G-01", None)]  # a declaration that is missing: the whole file is meant
    assert report.headline(result) == ("check passed: no errors, 0 warning(s), 1 compliance rule(s) not met, "
                                       "3 point(s) for the reviewer")
    text = report.markdown(result)
    assert text.splitlines()[2].startswith("**⚠️ Klar for gjennomgang, men samsvarsregler er ikke oppfylt / Ready for "
                                           "review, but compliance rules are not met**")
    top = text.index("### Samsvarsregler som ikke er oppfylt / Compliance rules not met")
    assert top < text.index("### Se nøye på / Look closely at") < text.index("### Endrede oppføringer")
    assert ("1. ❌ `catalog/services/demo/service.yaml:1:1` — service demo: `G-01` It is not declared whether the "
            "service processes personal data, and in which role (processes\\_personal\\_data).") in text
    assert ("catalog/services/demo/service.yaml:1:1: compliance G-01: It is not declared whether the service processes "
            "personal data, and in which role (processes_personal_data).") in report.text(result)
    assert report.github(result).splitlines()[0].startswith(
        "::warning file=catalog/services/demo/service.yaml,line=1,col=1,title=compliance G-01::It is not declared")
