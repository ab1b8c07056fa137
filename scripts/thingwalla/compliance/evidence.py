"""Evidence states per regulation: declared → evidenced → verified → expiring → expired.

- declared: the vendor says so, without a complete evidence record (document URL, issuer, date;
  for certificates also the certificate id and the expiry date);
- evidenced: the evidence record is complete (a certificate without an expiry date is not: it could
  otherwise stay verified for ever, as rule S-01 has no date to check);
- verified: evidenced, every rule of the regulation that ran passed (errors and warnings), and an
  automatic check passed — for accessibility the demo page's automated checks (rule A-11), for the
  rest the evidence checks (dates, edition, issuer);
- expiring: valid, but ends within 60 days (a warning);
- expired: past its end date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .facts import date

EXPIRY_WARNING_DAYS = 60
ACCESSIBILITY = "wcag-2-1-aa"
STATES = ("declared", "evidenced", "verified", "expiring", "expired")


@dataclass(frozen=True)
class RegulationState:
    regulation: str
    state: str
    claim: dict
    on: dt.date | None  # the date the badge shows: check date (verified), end date (expiring/expired), issue date
    evidence_url: str | None
    satisfied: bool  # counts for a buyer's requirement: not expired and no failed error rule
    binds_public_buyers: bool
    automated_check: str = ""  # e.g. "pa11y-ci" when verified by the demo page's automated checks


def regulation_states(data: dict, results, today: dt.date, regulation_kinds: dict, a11y, rulebook) -> dict:
    states = {}
    for claim in data.get("compliance", []):
        regulation = claim.get("regulation")
        if regulation in states:
            continue
        own = [r for r in results if r.regulation == regulation]
        states[regulation] = _state(claim, own, today, regulation_kinds.get(regulation), data, a11y,
                                    rulebook.binds_public_buyers(regulation))
    return states


def _state(claim, results, today, kind, data, a11y, public) -> RegulationState:
    expires, issued = date(claim.get("expires")), date(claim.get("issued"))
    url = claim.get("evidence_url")
    errors = any(not r.passed and r.severity == "error" for r in results)
    blocking = any(not r.passed and r.severity in ("error", "warning") for r in results)

    def made(state, on, check=""):
        return RegulationState(claim["regulation"], state, claim, on, url, state != "expired" and not errors, public, check)

    if expires and expires < today:
        return made("expired", expires)
    if expires and (expires - today).days <= EXPIRY_WARNING_DAYS:
        return made("expiring", expires)
    complete = bool(url and claim.get("issuer") and issued
                    and (kind != "certification" or (claim.get("certificate_id") and expires)))
    if not complete:
        return made("declared", issued)
    passed = [r for r in results if r.passed]
    if claim["regulation"] == ACCESSIBILITY:
        a11y_rule = next((r for r in results if r.rule.id == "A-11"), None)
        if a11y_rule is not None and a11y_rule.passed and not blocking:
            result = a11y.result_for(data["links"]["demo"])
            return made("verified", result.checked, result.tool)
        return made("evidenced", issued)
    if passed and not blocking:
        return made("verified", today)
    return made("evidenced", issued)
