"""Evidence, certificate and NIS2 rules (S-…)."""

from __future__ import annotations

from .facts import Facts, Failure, date
from .registry import rule

EXPIRY_WARNING_DAYS = 60
ISO_EDITIONS = {"iso-27001": "2022", "iso-9001": "2015"}
# ISO/IEC 27001:2013 certificates lost validity when the transition to the 2022 edition ended.
ISO27001_TRANSITION_END = "2025-10-31"
ISO_CYCLE_DAYS = 3 * 366
NIS2_MEASURES = tuple("abcdefghij")  # NIS2 art. 21(2)(a)-(j)


@rule("S-01")
def evidence_not_expired(f: Facts):
    claims = f.claims()
    if not claims:
        return None
    out = []
    for i, c in claims:
        expires = date(c.get("expires"))
        if expires is None:
            continue
        if expires < f.today:
            out.append(Failure(("compliance", i, "expires"), expires.isoformat(), regulation=c["regulation"]))
        elif (expires - f.today).days <= EXPIRY_WARNING_DAYS:
            out.append(Failure(("compliance", i, "expires"), expires.isoformat(), severity="warning",
                               regulation=c["regulation"]))
    return out


@rule("S-02")
def iso_edition_current(f: Facts):
    claims = [(i, c) for i, c in f.claims() if c["regulation"] in ISO_EDITIONS]
    if not claims:
        return None
    return [Failure(("compliance", i, "standard_edition") if c.get("standard_edition") else ("compliance", i),
                    f"{c.get('standard_edition', 'standard_edition')} ≠ {ISO_EDITIONS[c['regulation']]}", regulation=c["regulation"])
            for i, c in claims if c.get("standard_edition") != ISO_EDITIONS[c["regulation"]]]


@rule("S-03")
def iso_accreditation_body(f: Facts):
    claims = [(i, c) for i, c in f.claims() if c["regulation"] in ISO_EDITIONS]
    if not claims:
        return None
    return [Failure(("compliance", i), "accreditation_body", regulation=c["regulation"])
            for i, c in claims if not c.get("accreditation_body")]


@rule("S-04")
def evidence_complete(f: Facts):
    claims = f.claims()
    if not claims:
        return None
    out = []
    for i, c in claims:
        needed = ["evidence_url", "issuer", "issued"]
        if f.regulation_kinds.get(c["regulation"]) == "certification":
            # A certificate (ISO/IEC 27001, ISO 9001) always states when it ends (ISO/IEC 17021-1 three-year
            # cycle); without that date S-01 and S-09 cannot check it, so it must not count as evidenced.
            needed += ["certificate_id", "expires"]
        missing = [k for k in needed if not (date(c.get(k)) if k in ("issued", "expires") else c.get(k))]
        if missing:
            out.append(Failure(("compliance", i), ", ".join(missing), regulation=c["regulation"]))
    return out


@rule("S-09")
def certificate_issuer_and_cycle(f: Facts):
    claims = [(i, c) for i, c in f.claims() if f.regulation_kinds.get(c["regulation"]) == "certification"]
    if not claims:
        return None
    out = []
    for i, c in claims:
        issuer = (c.get("issuer") or "").casefold()
        if issuer and f.vendor_name and issuer == f.vendor_name.casefold():
            out.append(Failure(("compliance", i, "issuer"), c["issuer"], regulation=c["regulation"]))
        issued, expires = date(c.get("issued")), date(c.get("expires"))
        if issued and expires and (expires - issued).days > ISO_CYCLE_DAYS:
            out.append(Failure(("compliance", i, "expires"), f"{issued.isoformat()} → {expires.isoformat()}",
                               regulation=c["regulation"]))
    return out


def _nis2(f: Facts) -> dict:
    return f.get("security", "nis2") or {}


@rule("S-05")
def nis2_self_assessment(f: Facts):
    if "SE" not in f.countries:
        return None
    measures = _nis2(f).get("art21_measures", [])
    missing = [f"({m})" for m in NIS2_MEASURES if m not in measures]
    where = ("security", "nis2", "art21_measures") if measures else ("security",) if "security" in f.data else ()
    return [Failure(where, " ".join(missing))] if missing else []


@rule("S-06")
def nis2_entity_class(f: Facts):
    if "saas" not in f.get("hosting", "deployment", default=[]):
        return None
    entity = _nis2(f).get("entity_class")
    return [] if entity and entity != "unknown" else [Failure(("security", "nis2") if _nis2(f) else ("security",), entity or "entity_class")]


@rule("S-07")
def incident_notice_24h(f: Facts):
    if "saas" not in f.get("hosting", "deployment", default=[]):
        return None
    hours = f.get("security", "incident_notice_hours")
    if hours is None:
        return [Failure(("security",) if "security" in f.data else (), "incident_notice_hours")]
    return [] if hours <= 24 else [Failure(("security", "incident_notice_hours"), f"{hours} h")]


@rule("S-08")
def vulnerability_disclosure(f: Facts):
    if "saas" not in f.get("hosting", "deployment", default=[]):
        return None
    return [] if f.get("security", "vulnerability_disclosure_url") else [Failure(("security",), "vulnerability_disclosure_url")]


@rule("S-10")
def mfa(f: Facts):
    if "SE" not in f.countries:
        return None
    return [] if f.get("security", "mfa") is True else [Failure(("security",), "mfa")]


@rule("S-11")
def encryption(f: Facts):
    if "SE" not in f.countries:
        return None
    missing = [k for k in ("encryption_at_rest", "encryption_in_transit") if f.get("security", k) is not True]
    return [Failure(("security",), ", ".join(missing))] if missing else []
