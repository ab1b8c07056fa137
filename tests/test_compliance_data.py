"""`thingwalla validate` checks the compliance rule data: located errors, all in one run."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO

RULES = "catalog/compliance/rules.yaml"
PROFILES = "catalog/compliance/country-profiles.yaml"
ADEQUACY = "catalog/compliance/adequacy.yaml"


@pytest.fixture
def crepo(repo):
    shutil.copytree(REPO / "catalog" / "compliance", repo.root / "catalog" / "compliance")
    return repo


def edit(repo, relpath, old, new):
    path = repo.root / relpath
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_repository_rule_data_is_valid(crepo):
    result = crepo.validate()
    assert result.errors == []
    assert len(result.compliance.rules) == 45
    assert sorted(result.compliance.profiles) == ["NO", "SE"]


def test_a_repository_without_rule_data_has_an_empty_rulebook(repo):
    result = repo.validate()
    assert result.errors == []
    assert result.compliance.rules == []


def test_every_problem_in_one_run_with_line_and_column(crepo):
    edit(crepo, RULES, "  - id: G-02\n    regulation: gdpr\n", "  - id: G-02\n    regulation: gdrp\n")
    edit(crepo, RULES, "    severity: warning\n    title:\n      nb: \"Samsvarsrapport",
         "    severity: fatal\n    title:\n      nb: \"Samsvarsrapport")
    edit(crepo, PROFILES, "regulations: [gdpr, wcag-2-1-aa, ai-act, iso-27001, iso-9001]",
         "regulations: [gdpr, wcag-2-1-aa, ai-act, iso-27001, iso-9001, dora]")
    edit(crepo, ADEQUACY, "  - {country: AD,", "  - {country: SE, decision: \"Test decision\", since: 2020-01-01}\n  - {country: AD,")
    assert crepo.messages() == [
        f"{ADEQUACY}:9:15: error: SE is in the EEA, not a third country",
        f"{PROFILES}:8:67: error: 'dora' binds only financial_entities, not municipalities or their vendors",
        f"{RULES}:30:15: error: rules[1].severity must be one of: error, warning, info (found 'fatal')",
    ]  # the schema error keeps rules.yaml out of the cross checks: no follow-on error for 'gdrp'


def test_cross_checks_on_the_rules(crepo):
    edit(crepo, RULES, "  - id: G-02\n    regulation: gdpr\n", "  - id: G-02\n    regulation: gdrp\n")
    edit(crepo, RULES, "  - id: G-03\n", "  - id: G-02\n")
    edit(crepo, RULES, "  - id: A-11\n", "  - id: A-12\n")
    problems = [p for p in crepo.validate().problems if p.path == RULES]
    texts = [p.as_text().split("\n")[0] for p in problems]
    assert texts == [
        f"{RULES}:1:1: error: the check for rule A-11 has no entry in rules.yaml",
        f"{RULES}:1:1: error: the check for rule G-03 has no entry in rules.yaml",
        f"{RULES}:165:9: error: rule A-12 has no check in scripts/thingwalla/compliance/checks_*.py",
        f"{RULES}:201:17: error: unknown regulation 'gdrp'",
        f"{RULES}:217:9: error: the rule id 'G-02' is used twice (first on line 200)",
    ]
    assert "catalog/taxonomy/regulations.yaml" in problems[3].hint


def test_a_missing_rule_file_is_named(crepo):
    (crepo.root / ADEQUACY).unlink()
    assert f"{ADEQUACY}:1:1: error: {ADEQUACY} is missing" in crepo.messages()


def test_yaml_traps_in_rule_data_are_refused(crepo):
    edit(crepo, ADEQUACY, "checked: 2026-11-02\n", "checked: 2026-11-02\nchecked: 2026-11-03\n")
    messages = crepo.messages()
    assert any(m.startswith(f"{ADEQUACY}:") and "duplicate key 'checked'" in m for m in messages)
