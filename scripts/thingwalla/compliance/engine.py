"""Run the rule catalogue on one service: which rules apply, which pass, and the state per regulation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from .data import Rule, Rulebook
from .evidence import RegulationState, regulation_states
from .facts import Facts, Failure, details_in
from .registry import all_checks

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    regulation: str  # the concrete regulation (for "*" rules: the claim's)
    passed: bool
    severity: str  # effective severity of the failure ("" when passed)
    failures: tuple[Failure, ...] = ()

    @property
    def details(self) -> str:
        return self.details_in("en")

    def details_in(self, lang: str) -> str:
        return "; ".join(d for d in (details_in(f.details, lang) for f in self.failures) if d)

    def message(self, lang: str) -> str:
        return self.rule.message(lang).replace("{details}", self.details_in(lang))


@dataclass
class Assessment:
    service_id: str
    today: dt.date
    results: list[RuleResult] = field(default_factory=list)
    states: dict[str, RegulationState] = field(default_factory=dict)

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed]

    def count(self, severity: str) -> int:
        return sum(1 for r in self.failed if r.severity == severity)

    def for_regulation(self, regulation: str) -> list[RuleResult]:
        return [r for r in self.results if r.regulation == regulation]

    def satisfies(self, regulation: str) -> bool:
        state = self.states.get(regulation)
        return state is not None and state.satisfied


def applicable_rules(rulebook: Rulebook, countries: list[str], audience: str = "public_bodies") -> list[Rule]:
    """Rules for a service offered in `countries`. DORA and the like never apply for public buyers."""
    profiles = rulebook.profiles
    chosen = []
    for rule in rulebook.rules:
        public = rulebook.binds_public_buyers(rule.regulation)
        if audience == "public_bodies" and not public:
            continue
        wanted = [c for c in countries if rule.countries is None or c in rule.countries]
        if profiles and public:
            wanted = [c for c in wanted if c in profiles
                      and (rule.regulation == "*" or rule.regulation in profiles[c].regulations)]
        if wanted:
            chosen.append(rule)
    return chosen


def assess(data: dict, rulebook: Rulebook, today: dt.date, *, vendor_country: str | None = None,
           vendor_name: str | None = None, regulation_kinds: dict | None = None, a11y=None,
           audience: str = "public_bodies") -> Assessment:
    facts = Facts(data, today, vendor_country, vendor_name, dict(regulation_kinds or {}),
                  {c: a.decision for c, a in rulebook.adequate(today).items() if a.only_via is None}, a11y)
    checks = all_checks()
    assessment = Assessment(str(data.get("id", "")), today)
    claimed = list(dict.fromkeys(c.get("regulation") for c in data.get("compliance", [])))
    for rule in applicable_rules(rulebook, data.get("countries", []), audience):
        check = checks.get(rule.id)
        if check is None:
            continue  # reported by `thingwalla validate`
        if rule.regulation == "*":
            for regulation in claimed:
                if audience == "public_bodies" and not rulebook.binds_public_buyers(regulation):
                    continue
                outcome = check(replace(facts, only_regulation=regulation))
                if outcome is not None:
                    assessment.results.append(_result(rule, regulation, outcome, today))
        else:
            outcome = check(facts)
            if outcome is not None:
                assessment.results.append(_result(rule, rule.regulation, outcome, today))
    assessment.states = regulation_states(data, assessment.results, today, regulation_kinds or {}, a11y, rulebook)
    return assessment


def _result(rule: Rule, regulation: str, failures: list[Failure], today: dt.date) -> RuleResult:
    if not failures:
        return RuleResult(rule, regulation, True, "")
    severity = max((f.severity or rule.severity for f in failures), key=SEVERITY_ORDER.__getitem__)
    if severity == "error" and rule.effective_from and today < rule.effective_from:
        severity = "warning"  # the duty is announced but not in force yet
    return RuleResult(rule, regulation, False, severity, tuple(failures))
