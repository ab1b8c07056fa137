"""The table of checks: rule id -> function. Each rules.yaml entry must have exactly one check here.

A check gets the service's Facts and returns None when the rule does not apply to the service,
[] when it passes, or a list of Failures (each pointing at the field to fix).
"""

from __future__ import annotations

from typing import Callable

from .facts import Facts, Failure

Check = Callable[[Facts], "list[Failure] | None"]
CHECKS: dict[str, Check] = {}


def rule(rule_id: str):
    def register(fn: Check) -> Check:
        if rule_id in CHECKS:
            raise RuntimeError(f"two checks for rule {rule_id}")
        CHECKS[rule_id] = fn
        return fn
    return register


def all_checks() -> dict[str, Check]:
    # Importing the modules fills the table.
    from . import checks_accessibility, checks_ai, checks_dora, checks_gdpr, checks_security  # noqa: F401
    return CHECKS
