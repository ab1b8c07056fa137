"""GDPR rules (G-…): role, the art. 28 contract, sub-processors, transfers, special data, breaches."""

from __future__ import annotations

from .facts import EEA, Facts, Failure
from .registry import rule

# Art. 28(3)(a)-(h), in the order of the article, with the letter each element has there.
ART28_ELEMENTS = {"instructions": "a", "confidentiality": "b", "security": "c", "sub_processors": "d",
                  "data_subject_rights": "e", "assistance": "f", "delete_or_return": "g", "audits": "h"}
RIGHTS_FUNCTIONS = ("export", "rectify", "erase", "access_report")


def _gdpr_in_play(f: Facts) -> bool:
    return f.has_claim("gdpr") or "privacy" in f.data


@rule("G-01")
def role_declared(f: Facts):
    if not _gdpr_in_play(f):
        return None
    if "processes_personal_data" not in f.privacy:
        return [Failure(("privacy",) if "privacy" in f.data else (), "processes_personal_data")]
    if f.processes_personal_data and f.privacy.get("role") in (None, "none"):
        return [Failure(("privacy", "role") if "role" in f.privacy else ("privacy",), "role")]
    return []


@rule("G-02")
def dpa_covers_art28(f: Facts):
    if not f.is_processor:
        return None
    dpa = f.privacy.get("dpa") or {}
    missing = [f"({letter}) {name}" for name, letter in ART28_ELEMENTS.items() if name not in dpa.get("art28", [])]
    if not dpa.get("url"):
        missing.insert(0, "dpa.url")
    where = ("privacy", "dpa", "art28") if "art28" in dpa else ("privacy", "dpa") if dpa else ("privacy",)
    return [Failure(where, ", ".join(missing))] if missing else []


@rule("G-03")
def own_purposes_have_basis(f: Facts):
    purposes = f.privacy.get("own_purposes", [])
    training = f.privacy.get("uses_customer_data_for_ai_training") is True
    if not purposes and not training:
        return None
    out = [Failure(("privacy", "own_purposes", i), p.get("purpose", "")) for i, p in enumerate(purposes)
           if not p.get("legal_basis")]
    if training and not purposes:
        out.append(Failure(("privacy", "uses_customer_data_for_ai_training"), "ai-training"))
    if f.privacy.get("role") not in ("controller", "joint_controller") and not f.privacy.get("controller_for_own_purposes"):
        out.append(Failure(("privacy", "role"), "controller_for_own_purposes"))
    return out


@rule("G-04")
def sub_processors_declared(f: Facts):
    if not f.is_processor:
        return None
    # An explicit empty list means "none"; a missing key means "not declared".
    return [] if "sub_processors" in (f.get("hosting") or {}) else [Failure(("hosting",), "sub_processors")]


@rule("G-05")
def change_notice(f: Facts):
    if f.privacy.get("sub_processor_authorisation") != "general":
        return None
    out = []
    days = f.privacy.get("change_notice_days")
    if days is None or days < 14:
        out.append(Failure(("privacy", "change_notice_days") if days is not None else ("privacy",), str(days)))
    if f.privacy.get("objection_right") is not True:
        out.append(Failure(("privacy",), "objection_right"))
    return out


def _transfers(f: Facts) -> dict[str, tuple[int, dict]]:
    return {t["country"]: (i, t) for i, t in enumerate(f.privacy.get("transfers", []))}


@rule("G-06")
def transfer_mechanism_for_every_third_country(f: Facts):
    if not f.processes_personal_data:
        return None
    covered = _transfers(f)
    return [Failure(path, country) for country, path in f.outside_eea() if country not in covered]


@rule("G-07")
def adequacy_country_listed(f: Facts):
    claimed = [(i, t) for i, t in enumerate(f.privacy.get("transfers", [])) if t.get("mechanism") == "adequacy"]
    if not claimed:
        return None
    return [Failure(("privacy", "transfers", i, "country"), t["country"]) for i, t in claimed
            if t["country"] not in f.adequacy]


@rule("G-08")
def dpf_only_for_us_recipients(f: Facts):
    claimed = [(i, t) for i, t in enumerate(f.privacy.get("transfers", [])) if t.get("mechanism") == "dpf"]
    if not claimed:
        return None
    return [Failure(("privacy", "transfers", i), t["country"]) for i, t in claimed
            if t["country"] != "US" or not t.get("recipient")]


@rule("G-09")
def scc_module_and_tia(f: Facts):
    claimed = [(i, t) for i, t in enumerate(f.privacy.get("transfers", [])) if t.get("mechanism") == "scc"]
    if not claimed:
        return None
    out = []
    for i, t in claimed:
        missing = [k for k in ("scc_module", "tia_date") if not t.get(k)]
        if missing:
            out.append(Failure(("privacy", "transfers", i), ", ".join(missing)))
    return out


@rule("G-10")
def no_derogation_for_routine_transfers(f: Facts):
    transfers = f.privacy.get("transfers", [])
    if not transfers:
        return None
    return [Failure(("privacy", "transfers", i, "mechanism"), t["country"]) for i, t in enumerate(transfers)
            if t.get("mechanism") == "art49_derogation"]


@rule("G-11")
def government_access_policy(f: Facts):
    parent = f.privacy.get("parent_jurisdiction")
    if not parent or parent in EEA:
        return None
    return [] if f.privacy.get("government_access_policy_url") else [Failure(("privacy", "parent_jurisdiction"), parent)]


@rule("G-12")
def special_data_safeguards(f: Facts):
    p = f.privacy
    if not (p.get("special_categories") or p.get("criminal_offence_data") or p.get("national_id_numbers")):
        return None
    missing = [k for k in ("encryption_at_rest", "encryption_in_transit", "access_logging")
               if f.get("security", k) is not True]
    if not p.get("dpia_support_pack_url"):
        missing.insert(0, "dpia_support_pack_url")
    return [Failure(("privacy",), ", ".join(missing))] if missing else []


@rule("G-14")
def deletion_declared(f: Facts):
    if not f.is_processor:
        return None
    missing = [k for k in ("deletion_after_end_days", "backup_purge_days") if f.privacy.get(k) is None]
    if not f.privacy.get("archival_export") and set(f.countries) & {"NO", "SE"}:
        missing.append("archival_export")
    return [Failure(("privacy",), ", ".join(missing))] if missing else []


@rule("G-15")
def data_subject_rights_assistance(f: Facts):
    if not f.is_processor:
        return None
    missing = [r for r in RIGHTS_FUNCTIONS if r not in f.privacy.get("data_subject_rights", [])]
    sla = f.privacy.get("assistance_sla_days")
    if sla is None or sla > 10:
        missing.append(f"assistance_sla_days={sla}")
    return [Failure(("privacy",), ", ".join(missing))] if missing else []


@rule("G-16")
def breach_notice_hours(f: Facts):
    if not f.is_processor:
        return None
    hours = f.privacy.get("breach_notice_hours")
    if hours is None:
        return [Failure(("privacy",), "breach_notice_hours")]
    if hours > 72:
        return [Failure(("privacy", "breach_notice_hours"), f"{hours} h")]
    if hours > 48:
        return [Failure(("privacy", "breach_notice_hours"), f"{hours} h", severity="warning")]
    return []


@rule("G-17")
def eu_representative(f: Facts):
    if not f.processes_personal_data or f.vendor_country is None or f.vendor_country in EEA:
        return None
    return [] if f.privacy.get("eu_representative") else [Failure(("privacy",), f.vendor_country)]


@rule("G-20")
def eea_data_residency(f: Facts):
    if not f.processes_personal_data:
        return None
    return [Failure(path, country) for country, path in f.outside_eea()]


