"""AI Act rules (AI-…): classification, high-risk duties, art. 6(3) exemption, art. 50 transparency."""

from __future__ import annotations

from .facts import Facts, Failure
from .registry import rule


def _annex_iii(c: dict) -> bool:
    return c.get("annex_iii_area") not in (None, "none")


@rule("AI-01")
def classified(f: Facts):
    components = f.ai_components()
    if f.get("ai", "uses_ai") is not True:
        return None
    if not components:
        return [Failure(("ai",), "components")]
    return [Failure(("ai", "components", i), ", ".join(k for k in ("risk_class", "annex_iii_area") if not c.get(k)))
            for i, c in components if not c.get("risk_class") or not c.get("annex_iii_area")]


@rule("AI-02")
def high_risk_registration(f: Facts):
    high = [(i, c) for i, c in f.ai_components() if _annex_iii(c) and not c.get("art6_3_exemption")]
    if not high:
        return None
    out = []
    for i, c in high:
        missing = [k for k in ("eu_database_id", "conformity_route", "instructions_url") if not c.get(k)]
        if missing:
            out.append(Failure(("ai", "components", i), ", ".join(missing)))
    return out


@rule("AI-03")
def art6_3_exemption_documented(f: Facts):
    exempt = [(i, c) for i, c in f.ai_components() if _annex_iii(c) and c.get("art6_3_exemption")]
    if not exempt:
        return None
    out = []
    for i, c in exempt:
        problems = ([] if c.get("assessment_url") else ["assessment_url"]) + (["profiling"] if c.get("profiling") else [])
        if problems:
            out.append(Failure(("ai", "components", i, "profiling" if c.get("profiling") else "art6_3_exemption"),
                               ", ".join(problems)))
    return out


@rule("AI-04")
def art50_disclosures(f: Facts):
    interacting = [(i, c) for i, c in f.ai_components() if c.get("interaction") in ("chatbot", "generative")]
    if not interacting:
        return None
    return [Failure(("ai", "components", i, "interaction"), c["interaction"]) for i, c in interacting
            if not c.get("art50_disclosures")]


@rule("AI-05")
def fria_input_pack(f: Facts):
    high = [(i, c) for i, c in f.ai_components() if _annex_iii(c) and not c.get("art6_3_exemption")]
    if not high:
        return None
    return [Failure(("ai", "components", i), "fria_pack_url") for i, c in high if not c.get("fria_pack_url")]


@rule("AI-06")
def not_prohibited(f: Facts):
    components = f.ai_components()
    if not components:
        return None
    return [Failure(("ai", "components", i, "risk_class"), c.get("name", "")) for i, c in components
            if c.get("risk_class") == "prohibited"]
