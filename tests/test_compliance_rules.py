"""Each compliance rule with a service that passes it and one that fails it (today fixed at 2026-12-03)."""

from __future__ import annotations

import pytest
from compliance_helpers import a11y_file, good, rulebook, run

from thingwalla.compliance.verification import load_a11y_results


def ui(d):
    return d["accessibility"]["interfaces"][0]


def p(d):
    return d["privacy"]


def comp(d):
    return d["ai"]["components"][0]


def claim(d, regulation):
    return next(c for c in d["compliance"] if c["regulation"] == regulation)


def partial(d):
    ui(d)["status"] = "partial"
    ui(d)["non_accessible"] = [{"wcag_sc": "1.4.10", "reason": "non_compliance", "description": {"en": "Map reflow"}}]


def us_transfer(mechanism, **extra):
    def mutate(d):
        d["hosting"]["sub_processors"].append({"name": "Mailer Inc.", "country": "US", "purpose": {"en": "E-mail"}})
        p(d)["transfers"] = [{"country": "US", "recipient": "Mailer Inc.", "mechanism": mechanism, **extra}]
    return mutate


def high_risk(d, **extra):
    comp(d).update({"risk_class": "high", "annex_iii_area": "4", "interaction": "none", "eu_database_id": "EU-123",
                    "conformity_route": "internal_control", "instructions_url": "https://acme.example.no/ifu.pdf",
                    "fria_pack_url": "https://acme.example.no/fria.pdf", **extra})


def exempt(d, **extra):
    comp(d).update({"risk_class": "limited", "annex_iii_area": "5a", "art6_3_exemption": True,
                    "assessment_url": "https://acme.example.no/art6-3.pdf", "profiling": False, **extra})


def nothing(d):
    pass


def chain(*steps):
    def mutate(d):
        for step in steps:
            step(d)
    return mutate


# rule: (make it pass, make it fail, severity of the failure, details in the message, path of the first failure)
CASES = {
    "A-01": (nothing, lambda d: ui(d).update(wcag_version="2.0"), "error", "wcag_version",
             ("accessibility", "interfaces", 0, "wcag_version")),
    "A-02": (nothing, lambda d: ui(d).update(evaluated="2025-11-30"), "warning", "2025-11-30",
             ("accessibility", "interfaces", 0, "evaluated")),
    "A-03": (partial, lambda d: ui(d).update(status="partial"), "error", "partial",
             ("accessibility", "interfaces", 0, "status")),
    "A-04": (nothing, lambda d: ui(d).pop("evaluation_method"), "error", "evaluation_method",
             ("accessibility", "interfaces", 0)),
    "A-05": (nothing, lambda d: ui(d).pop("feedback_url"), "warning", "feedback_url", ("accessibility", "interfaces", 0)),
    "A-06": (partial, chain(partial, lambda d: ui(d)["non_accessible"][0].update(reason="disproportionate_burden")),
             "error", "1.4.10", ("accessibility", "interfaces", 0, "non_accessible", 0, "reason")),
    "A-07": (nothing, lambda d: d["accessibility"].pop("statement_data_no"), "warning", "statement_data_no",
             ("accessibility",)),
    "A-08": (nothing, lambda d: d["links"].update(accessibility_statement="https://acme.example.no/uu"), "warning",
             "https://acme.example.no/uu", ("links", "accessibility_statement")),
    "A-09": (nothing, lambda d: d["accessibility"].update(digg_report_link=False), "warning", "digg_report_link",
             ("accessibility",)),
    "A-11": (nothing, lambda d: d["links"].update(demo="https://demo.acme.example.no/other"), "info", "no result",
             ("links", "demo")),
    "G-01": (nothing, lambda d: p(d).pop("role"), "error", "role", ("privacy",)),
    "G-02": (nothing, lambda d: p(d)["dpa"]["art28"].remove("delete_or_return"), "error", "(g) delete_or_return",
             ("privacy", "dpa", "art28")),
    "G-03": (lambda d: p(d).update(own_purposes=[{"purpose": "billing", "legal_basis": "contract"}],
                                   controller_for_own_purposes=True),
             lambda d: p(d).update(own_purposes=[{"purpose": "billing"}], controller_for_own_purposes=True),
             "error", "billing", ("privacy", "own_purposes", 0)),
    "G-04": (nothing, lambda d: d["hosting"].pop("sub_processors"), "error", "sub_processors", ("hosting",)),
    "G-05": (nothing, lambda d: p(d).update(change_notice_days=7), "warning", "7", ("privacy", "change_notice_days")),
    "G-06": (us_transfer("dpf"), lambda d: p(d).update(support_access=["NO", "IN"]), "error", "IN",
             ("privacy", "support_access", 1)),
    "G-07": (lambda d: (d["hosting"]["sub_processors"].append({"name": "Ops Ltd", "country": "GB", "purpose": {"en": "Ops"}}),
                        p(d).update(transfers=[{"country": "GB", "mechanism": "adequacy"}])),
             us_transfer("adequacy"), "error", "US", ("privacy", "transfers", 0, "country")),
    "G-08": (us_transfer("dpf"), us_transfer("dpf", recipient=""), "warning", "US", ("privacy", "transfers", 0)),
    "G-09": (us_transfer("scc", scc_module=3, tia_date="2026-02-01"), us_transfer("scc", scc_module=3), "error",
             "tia_date", ("privacy", "transfers", 0)),
    "G-10": (us_transfer("dpf"), us_transfer("art49_derogation"), "error", "US", ("privacy", "transfers", 0, "mechanism")),
    "G-11": (lambda d: p(d).update(parent_jurisdiction="US", government_access_policy_url="https://acme.example.no/gov"),
             lambda d: p(d).update(parent_jurisdiction="US"), "warning", "US", ("privacy", "parent_jurisdiction")),
    "G-12": (nothing, lambda d: d["security"].update(access_logging=False), "error", "access_logging", ("privacy",)),
    "G-14": (nothing, lambda d: p(d).pop("backup_purge_days"), "error", "backup_purge_days", ("privacy",)),
    "G-15": (nothing, lambda d: p(d).update(assistance_sla_days=14), "warning", "assistance_sla_days=14", ("privacy",)),
    "G-16": (nothing, lambda d: p(d).update(breach_notice_hours=96), "error", "96 h", ("privacy", "breach_notice_hours")),
    "G-17": ("vendor:US+rep", "vendor:US", "error", "US", ("privacy",)),
    "G-20": (nothing, us_transfer("dpf"), "info", "US", ("hosting", "sub_processors", 1, "country")),
    "S-01": (nothing, lambda d: claim(d, "iso-27001").update(expires="2026-12-02"), "error", "2026-12-02",
             ("compliance", 2, "expires")),
    "S-02": (nothing, lambda d: claim(d, "iso-27001").update(standard_edition="2013"), "error", "2013 ≠ 2022",
             ("compliance", 2, "standard_edition")),
    "S-03": (nothing, lambda d: claim(d, "iso-27001").pop("accreditation_body"), "warning", "accreditation_body",
             ("compliance", 2)),
    "S-04": (nothing, lambda d: claim(d, "iso-27001").pop("certificate_id"), "warning", "certificate_id",
             ("compliance", 2)),
    "S-05": (nothing, lambda d: d["security"]["nis2"]["art21_measures"].remove("d"), "warning", "(d)",
             ("security", "nis2", "art21_measures")),
    "S-06": (nothing, lambda d: d["security"]["nis2"].update(entity_class="unknown"), "warning", "unknown",
             ("security", "nis2")),
    "S-07": (nothing, lambda d: d["security"].update(incident_notice_hours=48), "warning", "48 h",
             ("security", "incident_notice_hours")),
    "S-08": (nothing, lambda d: d["security"].pop("vulnerability_disclosure_url"), "info", "vulnerability_disclosure_url",
             ("security",)),
    "S-09": (nothing, lambda d: claim(d, "iso-27001").update(issuer="Acme AS"), "error", "Acme AS",
             ("compliance", 2, "issuer")),
    "S-10": (nothing, lambda d: d["security"].update(mfa=False), "warning", "mfa", ("security",)),
    "S-11": (nothing, lambda d: d["security"].update(encryption_at_rest=False), "warning", "encryption_at_rest",
             ("security",)),
    "AI-01": (nothing, lambda d: comp(d).pop("annex_iii_area"), "error", "annex_iii_area", ("ai", "components", 0)),
    # Before 2027-12-02 (the Annex III date) the failure is a warning; the state tests cover the date.
    "AI-02": (high_risk, lambda d: high_risk(d, eu_database_id=None), "warning", "eu_database_id", ("ai", "components", 0)),
    "AI-03": (exempt, lambda d: exempt(d, profiling=True), "error", "profiling", ("ai", "components", 0, "profiling")),
    "AI-04": (nothing, lambda d: comp(d).pop("art50_disclosures"), "error", "chatbot",
              ("ai", "components", 0, "interaction")),
    "AI-05": (high_risk, lambda d: high_risk(d, fria_pack_url=None), "warning", "fria_pack_url", ("ai", "components", 0)),
    "AI-06": (nothing, lambda d: comp(d).update(risk_class="prohibited"), "error", "Assistant",
              ("ai", "components", 0, "risk_class")),
}


def _assess(mutation, tmp_path):
    data = good()
    vendor = "NO"
    if isinstance(mutation, str):  # the vendor's own establishment, which lives in the vendor file
        vendor = "US"
        if mutation.endswith("+rep"):
            data["privacy"]["eu_representative"] = "Acme Representative AB, Stockholm"
    else:
        mutation(data)
    return run(data, a11y=load_a11y_results(a11y_file(tmp_path)), vendor_country=vendor)


def _result(assessment, rule_id):
    found = [r for r in assessment.results if r.rule.id == rule_id]
    assert found, f"{rule_id} did not run"
    return found


def test_every_rule_has_a_passing_and_a_failing_case():
    public_rules = {r.id for r in rulebook().rules if r.regulation != "dora"}
    assert public_rules == set(CASES)
    assert len(rulebook().rules) == 45


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes(rule_id, tmp_path):
    make_pass = CASES[rule_id][0]
    results = _result(_assess(make_pass, tmp_path), rule_id)
    assert all(r.passed for r in results), [r.details for r in results]


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fails(rule_id, tmp_path):
    _, make_fail, severity, details, path = CASES[rule_id]
    failed = [r for r in _result(_assess(make_fail, tmp_path), rule_id) if not r.passed]
    assert len(failed) == 1
    result = failed[0]
    assert result.severity == severity
    assert result.details == details
    assert result.failures[0].path == path
    assert result.message("en") == result.rule.message("en").replace("{details}", details)
    assert "{details}" not in result.message("nb")


def test_exact_messages_in_both_languages(tmp_path):
    data = good()
    data["privacy"]["dpa"]["art28"] = ["instructions", "confidentiality", "security", "sub_processors",
                                       "data_subject_rights", "assistance"]
    result = next(r for r in run(data).results if r.rule.id == "G-02")
    assert result.message("en") == "The data processing agreement lacks: (g) delete_or_return, (h) audits."
    assert result.message("nb") == "Databehandleravtalen mangler: (g) delete_or_return, (h) audits."
    assert result.rule.source == "GDPR art. 28(3)(a)–(h), 28(9)"


def test_rules_carry_their_legal_source_and_confidence():
    book = rulebook()
    assert book.rule("G-16").source == "GDPR art. 33(1), 33(2)"
    assert book.rule("S-05").source == "NIS2 art. 21(2)(a)–(j); cybersäkerhetslag (2025:1506)"
    assert book.rule("AI-04").source == "AI Act art. 50 (applies from 2026-08-02)"
    assert book.rule("A-01").source.startswith("WAD art. 4 and 6; EN 301 549 V3.2.1 clause 9")
    # The research note marks the Digital Omnibus date as not verified; the rule keeps the marker.
    assert book.rule("AI-02").confidence == "not-verified"
    by_regulation = {}
    for rule in book.rules:
        by_regulation.setdefault(rule.regulation, 0)
        by_regulation[rule.regulation] += 1
    assert by_regulation == {"wcag-2-1-aa": 10, "gdpr": 17, "*": 5, "nis2": 6, "ai-act": 6, "dora": 1}


def test_country_profiles_decide_where_rules_run():
    data = good()
    data["countries"] = ["NO"]
    ran = {r.rule.id for r in run(data).results}
    # NIS2 is not Norwegian law yet, and the DIGG route is Swedish: neither runs for a Norway-only service.
    assert not ran & {"S-05", "S-06", "S-07", "S-08", "S-10", "S-11", "A-09"}
    assert {"A-07", "A-08"} <= ran
    data["countries"] = ["SE"]
    ran = {r.rule.id for r in run(data).results}
    assert {"S-05", "S-06", "S-07", "S-08", "S-10", "S-11", "A-09"} <= ran
    assert not ran & {"A-07", "A-08"}


def test_dora_is_never_reported_for_municipalities():
    data = good()
    data["compliance"].append({"regulation": "dora", "evidence_url": "https://acme.example.no/dora.pdf",
                               "issuer": "Acme AS", "issued": "2026-01-01"})
    public = run(data)
    assert [r for r in public.results if r.regulation == "dora" or r.rule.id == "D-01"] == []
    assert public.states["dora"].binds_public_buyers is False
    financial = run(data, audience="financial_entities")
    d01 = next(r for r in financial.results if r.rule.id == "D-01")
    assert (d01.passed, d01.severity) == (False, "info")
    data["security"]["dora_contract_terms"] = True
    assert next(r for r in run(data, audience="financial_entities").results if r.rule.id == "D-01").passed


@pytest.mark.parametrize("regulation", ["iso-27001", "iso-9001"])
def test_a_certificate_without_an_expiry_date_is_incomplete_evidence(regulation, tmp_path):
    # S-01 and S-09 need the end date to check anything, so a certificate that leaves it out is flagged by S-04
    data = good()
    if regulation == "iso-9001":
        data["compliance"].append({**claim(data, "iso-27001"), "regulation": "iso-9001", "standard_edition": "2015"})
    passing = [r for r in run(data).results if r.regulation == regulation]
    assert passing and all(r.passed for r in passing), [(r.rule.id, r.details) for r in passing if not r.passed]
    claim(data, regulation).pop("expires")
    failed = [r for r in run(data).results if r.regulation == regulation and not r.passed]
    assert [(r.rule.id, r.severity, r.details) for r in failed] == [("S-04", "warning", "expires")]
    index = next(i for i, c in enumerate(data["compliance"]) if c["regulation"] == regulation)
    assert failed[0].failures[0].path == ("compliance", index)
    assert failed[0].message("en") == "The evidence lacks expires."
    assert failed[0].message("nb") == "Dokumentasjonen mangler expires."
    assert "expires (the end date on the certificate)" in failed[0].rule.hint("en")
    assert "expires (sluttdatoen på sertifikatet)" in failed[0].rule.hint("nb")


def test_an_unreadable_expiry_date_counts_as_missing():
    data = good()
    claim(data, "iso-27001")["expires"] = "soon"
    failed = [r for r in run(data).results if r.regulation == "iso-27001" and not r.passed]
    assert [(r.rule.id, r.details) for r in failed] == [("S-04", "expires")]


def test_a_law_needs_no_expiry_date():
    data = good()
    assert "expires" not in claim(data, "gdpr")
    assert all(r.passed for r in run(data).results if r.regulation == "gdpr" and r.rule.id == "S-04")


def test_details_with_words_follow_the_message_language(tmp_path):
    # A-11's reasons are words, not codes: bokmål messages must not carry English ("no result", "error(s)")
    data = good()
    data["links"]["demo"] = "https://demo.acme.example.no/other"
    a11y = next(r for r in run(data, a11y=load_a11y_results(a11y_file(tmp_path))).results if r.rule.id == "A-11")
    assert a11y.message("nb") == "Demosiden er ikke kontrollert automatisk de siste 90 dagene uten feil (ingen resultat)."
    assert a11y.message("en") == ("The demo page has not passed automated checks without errors in the last 90 days "
                                  "(no result).")
    errors = load_a11y_results(a11y_file(tmp_path, errors=2, checked="2026-11-30"))
    a11y = next(r for r in run(good(), a11y=errors).results if r.rule.id == "A-11")
    assert a11y.message("nb").endswith("uten feil (2 feil, 2026-11-30).")
    assert a11y.message("en").endswith("in the last 90 days (2 error(s), 2026-11-30).")
    assert a11y.details_in("nb") == "2 feil, 2026-11-30"
