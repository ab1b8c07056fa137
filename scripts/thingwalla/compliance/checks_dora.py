"""DORA (D-…): binds financial entities, not municipalities; the engine runs it only for that audience."""

from __future__ import annotations

from .facts import Facts, Failure
from .registry import rule


@rule("D-01")
def dora_contract_terms(f: Facts):
    claims = f.claims("dora")
    if not claims:
        return None
    return [] if f.get("security", "dora_contract_terms") is True else [
        Failure(("compliance", claims[0][0]), "dora_contract_terms", regulation="dora")]
