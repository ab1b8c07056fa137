"""Evidence states per regulation with a fixed "today": declared → evidenced → verified → expiring → expired."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from compliance_helpers import DEMO, TODAY, a11y_file, good, rulebook, run

from thingwalla.compliance.buyers import judge
from thingwalla.compliance.verification import A11yResultsError, load_a11y_results


def claim(d, regulation):
    return next(c for c in d["compliance"] if c["regulation"] == regulation)


def state(data, regulation, today=TODAY, a11y=None):
    return run(data, today=today, a11y=a11y).states[regulation]


def test_declared_without_a_complete_evidence_record():
    data = good()
    claim(data, "gdpr").pop("evidence_url")
    st = state(data, "gdpr")
    assert (st.state, st.on, st.satisfied) == ("declared", dt.date(2026, 1, 10), True)


def test_evidenced_when_a_rule_fails_and_verified_when_all_pass():
    data = good()
    assert state(data, "gdpr").state == "verified"
    assert state(data, "gdpr").on == TODAY
    data["privacy"]["breach_notice_hours"] = 60  # G-16 warning: the badge is withheld, the requirement still met
    st = state(data, "gdpr")
    assert (st.state, st.satisfied) == ("evidenced", True)
    data["privacy"]["breach_notice_hours"] = 96  # G-16 error: not met
    st = state(data, "gdpr")
    assert (st.state, st.satisfied) == ("evidenced", False)


def test_an_empty_rulebook_never_verifies():
    from thingwalla.compliance.data import Rulebook

    assert run(good(), book=Rulebook()).states["gdpr"].state == "evidenced"


@pytest.mark.parametrize("today, expected", [
    (dt.date(2028, 3, 31), "verified"),    # 61 days before the end
    (dt.date(2028, 4, 1), "expiring"),     # 60 days before: the warning starts
    (dt.date(2028, 5, 31), "expiring"),    # the last valid day
    (dt.date(2028, 6, 1), "expired"),      # the day after
])
def test_expiry_dates(today, expected):
    st = state(good(), "iso-27001", today=today)  # valid until 2028-05-31
    assert st.state == expected
    if expected in ("expiring", "expired"):
        assert st.on == dt.date(2028, 5, 31)
    assert st.satisfied is (expected != "expired")


def test_expired_evidence_is_an_error_and_expiring_a_warning():
    results = {r.regulation: r for r in run(good(), today=dt.date(2028, 4, 1)).results if r.rule.id == "S-01"}
    assert (results["iso-27001"].passed, results["iso-27001"].severity) == (False, "warning")
    results = {r.regulation: r for r in run(good(), today=dt.date(2028, 6, 1)).results if r.rule.id == "S-01"}
    assert (results["iso-27001"].passed, results["iso-27001"].severity) == (False, "error")


def test_accessibility_is_verified_only_by_a_passed_automated_check(tmp_path):
    data = good()
    assert state(data, "wcag-2-1-aa").state == "evidenced"  # no results: rules alone do not verify it
    st = state(data, "wcag-2-1-aa", a11y=load_a11y_results(a11y_file(tmp_path, checked="2026-11-30")))
    assert (st.state, st.on, st.automated_check) == ("verified", dt.date(2026, 11, 30), "pa11y-ci")
    errors = load_a11y_results(a11y_file(tmp_path, errors=2))
    assert state(data, "wcag-2-1-aa", a11y=errors).state == "evidenced"
    old = load_a11y_results(a11y_file(tmp_path, checked="2026-09-03"))  # 91 days old
    assert state(data, "wcag-2-1-aa", a11y=old).state == "evidenced"
    fresh = load_a11y_results(a11y_file(tmp_path, checked="2026-09-04"))  # 90 days old
    assert state(data, "wcag-2-1-aa", a11y=fresh).state == "verified"


def test_pa11y_issue_lists_and_a_trailing_slash_are_read(tmp_path):
    path = tmp_path / "pa11y.json"
    path.write_text(json.dumps({"checked": "2026-12-01", "results": {DEMO + "/": [
        {"type": "warning", "code": "WCAG2AA.Principle1"}, {"type": "notice", "code": "x"}]}}), encoding="utf-8")
    result = load_a11y_results(path).result_for(DEMO)
    assert (result.errors, result.checked) == (0, dt.date(2026, 12, 1))
    path.write_text(json.dumps({"checked": "2026-12-01", "results": {DEMO: [{"type": "error"}, {"type": "error"}]}}))
    assert load_a11y_results(path).result_for(DEMO).errors == 2


@pytest.mark.parametrize("content, message, line", [
    ("{not json", "the accessibility results are not valid JSON: Expecting property name enclosed in double quotes", 1),
    ('{"results": {"https://x.example": {"errors": 0}}}', "the result for https://x.example has no date", 1),
    ('{"checked": "2026-12-01", "results": {"https://x.example": {"errors": "none"}}}',
     "the result for https://x.example has no error count", 1),
    ('{"checked": "2026-12-01"}', 'the accessibility results have no "results"', 1),
])
def test_bad_a11y_results_are_located_errors(tmp_path, content, message, line):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(A11yResultsError) as caught:
        load_a11y_results(path, "bad.json")
    problem = caught.value.problems[0]
    assert (problem.path, problem.line, problem.message) == ("bad.json", line, message)
    assert problem.hint


def test_high_risk_duties_become_errors_on_the_annex_iii_date():
    data = good()
    data["ai"]["components"][0].update(risk_class="high", annex_iii_area="4", interaction="none",
                                       conformity_route="internal_control", instructions_url="https://acme.example.no/i.pdf",
                                       fria_pack_url="https://acme.example.no/f.pdf")
    before = next(r for r in run(data, today=dt.date(2027, 12, 1)).results if r.rule.id == "AI-02")
    on = next(r for r in run(data, today=dt.date(2027, 12, 2)).results if r.rule.id == "AI-02")
    assert (before.severity, on.severity) == ("warning", "error")
    assert run(data, today=dt.date(2027, 12, 1)).states["ai-act"].satisfied is True
    assert run(data, today=dt.date(2027, 12, 2)).states["ai-act"].satisfied is False


def test_adequacy_list_is_dated():
    from dataclasses import replace

    book = rulebook()
    data = good()
    data["hosting"]["sub_processors"].append({"name": "Ops Ltd", "country": "GB", "purpose": {"en": "Ops"}})
    data["privacy"]["transfers"] = [{"country": "GB", "mechanism": "adequacy"}]
    assert next(r for r in run(data).results if r.rule.id == "G-07").passed
    withdrawn = replace(book, adequacy=[replace(a, until=dt.date(2026, 12, 1)) if a.country == "GB" else a
                                        for a in book.adequacy])
    result = next(r for r in run(data, book=withdrawn).results if r.rule.id == "G-07")
    assert (result.passed, result.details) == (False, "GB")


def test_buyer_requirements_are_judged_by_the_engine():
    book = rulebook()
    data = good()
    requires = {"regulations": ["gdpr", "wcag-2-1-aa", "dora"], "data_locations": ["EEA"], "integrations": ["id-porten"],
                "languages": ["nb"]}
    verdicts = {(v.requirement, v.value): (v.met, v.reason) for v in judge(requires, data, run(data), book)}
    assert verdicts == {
        ("regulation", "gdpr"): (True, "verified"),
        ("regulation", "wcag-2-1-aa"): (True, "evidenced"),
        ("regulation", "dora"): (None, "not-for-municipalities"),
        ("data_locations", "EEA"): (True, ""),
        ("integration", "id-porten"): (True, ""),
        ("language", "nb"): (True, ""),
    }
    data["privacy"]["support_access"] = ["NO", "IN"]  # support from India: outside the EEA, no transfer mechanism
    verdicts = {(v.requirement, v.value): (v.met, v.reason) for v in judge(requires, data, run(data), book)}
    assert verdicts[("regulation", "gdpr")] == (False, "evidenced; G-06")
    assert verdicts[("data_locations", "EEA")] == (False, "IN")


@pytest.mark.parametrize("regulation", ["iso-27001", "iso-9001"])
def test_a_certificate_without_an_expiry_date_is_never_verified(regulation):
    data = good()
    if regulation == "iso-9001":
        data["compliance"].append({**claim(data, "iso-27001"), "regulation": "iso-9001", "standard_edition": "2015"})
    assert state(data, regulation).state == "verified"
    claim(data, regulation).pop("expires")
    for today in (TODAY, dt.date(2030, 1, 1), dt.date(2040, 1, 1)):  # not "verified" for ever
        st = state(data, regulation, today=today)
        assert (st.state, st.on) == ("declared", dt.date(2025, 6, 1))
