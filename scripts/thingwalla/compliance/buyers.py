"""Buyer requirement profiles (catalog/buyers/*.yaml `requires:`) judged by the same engine.

A requirement is met when the engine says so: a regulation when its state is not expired and no
error rule of it fails; data locations when every place data can be reached from (storage,
backup, support access, sub-processors) is allowed. A requirement for a regulation that does not
bind municipalities (DORA) is not judged, and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import Assessment
from .facts import EEA, Facts


@dataclass(frozen=True)
class Verdict:
    requirement: str  # "regulation", "data_locations", "integration", "language"
    value: str
    met: bool | None  # None: not judged (does not apply to municipalities)
    reason: str  # codes and dates; the site turns them into words


def judge(requires: dict, data: dict, assessment: Assessment, rulebook) -> list[Verdict]:
    verdicts = []
    for regulation in requires.get("regulations", []):
        if not rulebook.binds_public_buyers(regulation):
            verdicts.append(Verdict("regulation", regulation, None, "not-for-municipalities"))
            continue
        state = assessment.states.get(regulation)
        if state is None:
            verdicts.append(Verdict("regulation", regulation, False, "not-declared"))
            continue
        failing = [r.rule.id for r in assessment.for_regulation(regulation) if not r.passed and r.severity == "error"]
        reason = state.state if not failing else f"{state.state}; " + ", ".join(failing)
        verdicts.append(Verdict("regulation", regulation, state.satisfied, reason))
    allowed = set(requires.get("data_locations", []))
    if allowed:
        facts = Facts(data, assessment.today)
        outside = sorted({c for c, _ in facts.locations() if c not in allowed and not ("EEA" in allowed and c in EEA)})
        verdicts.append(Verdict("data_locations", ",".join(sorted(allowed)), not outside, ",".join(outside)))
    for integration in requires.get("integrations", []):
        verdicts.append(Verdict("integration", integration, integration in data.get("integrations", []), ""))
    for language in requires.get("languages", []):
        verdicts.append(Verdict("language", language, language in data.get("languages", []), ""))
    return verdicts
