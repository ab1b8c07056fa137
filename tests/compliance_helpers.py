"""A service that passes every compliance rule, and the engine set up with the repository's rule data."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import yaml
from functools import cache

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 3)
DEMO = "https://demo.acme.example.no/app"


@cache
def rulebook():
    from thingwalla.compliance.data import check_compliance_data

    regulations = yaml.safe_load((REPO / "catalog/taxonomy/regulations.yaml").read_text(encoding="utf-8"))
    audiences = {r["id"]: tuple(r["applies_to"]) for r in regulations["regulations"]}
    book, problems, _ = check_compliance_data(REPO, audiences)
    assert problems == []
    return book


KINDS = {"gdpr": "law", "wcag-2-1-aa": "standard", "nis2": "law", "ai-act": "law", "iso-27001": "certification",
         "iso-9001": "certification", "dora": "law"}

GOOD = {
    "id": "demo", "countries": ["NO", "SE"], "languages": ["nb", "en"], "integrations": ["id-porten"],
    "links": {"website": "https://acme.example.no", "demo": DEMO,
              "accessibility_statement": "https://uustatus.no/nb/erklaringer/publisert/3f6c1d2a-8b4e-4c1f-9a7d-2e5b6c8d9f01"},
    "hosting": {"deployment": ["saas"], "data_locations": ["NO"],
                "sub_processors": [{"name": "Drift AS", "country": "NO", "purpose": {"en": "Hosting"}}]},
    "compliance": [
        {"regulation": "gdpr", "evidence_url": "https://acme.example.no/dpa.pdf", "issuer": "Acme AS", "issued": "2026-01-10"},
        {"regulation": "wcag-2-1-aa", "evidence_url": "https://acme.example.no/acr.pdf", "issuer": "Audit AS",
         "issued": "2026-03-01", "expires": "2028-03-01"},
        {"regulation": "iso-27001", "evidence_url": "https://acme.example.no/iso.pdf", "issuer": "Cert AS",
         "certificate_id": "C-1", "issued": "2025-06-01", "expires": "2028-05-31", "standard_edition": "2022",
         "accreditation_body": "Norsk akkreditering"},
        {"regulation": "nis2", "evidence_url": "https://acme.example.no/nis2.pdf", "issuer": "Acme AS", "issued": "2026-02-01"},
        {"regulation": "ai-act", "evidence_url": "https://acme.example.no/ai.pdf", "issuer": "Acme AS", "issued": "2026-09-01"},
    ],
    "privacy": {
        "processes_personal_data": True, "role": "processor",
        "dpa": {"url": "https://acme.example.no/dpa.pdf",
                "art28": ["instructions", "confidentiality", "security", "sub_processors", "data_subject_rights",
                          "assistance", "delete_or_return", "audits"]},
        "sub_processor_authorisation": "general", "change_notice_days": 30, "objection_right": True,
        "backup_locations": ["NO"], "support_access": ["NO"],
        "special_categories": ["health"], "dpia_support_pack_url": "https://acme.example.no/dpia.pdf",
        "deletion_after_end_days": 90, "backup_purge_days": 35, "archival_export": ["noark5"],
        "data_subject_rights": ["export", "rectify", "erase", "restrict", "access_report"], "assistance_sla_days": 5,
        "breach_notice_hours": 24, "parent_jurisdiction": "NO",
    },
    "security": {"incident_notice_hours": 24, "vulnerability_disclosure_url": "https://acme.example.no/.well-known/security.txt",
                 "encryption_at_rest": True, "encryption_in_transit": True, "access_logging": True, "mfa": True,
                 "nis2": {"entity_class": "important", "art21_measures": list("abcdefghij")}},
    "accessibility": {
        "interfaces": [{"name": "App", "kind": "web", "audience": "both", "standard": "en-301-549-v3.2.1",
                        "wcag_version": "2.1", "level": "AA", "status": "full",
                        "report_url": "https://acme.example.no/acr.pdf", "evaluation_method": "third_party",
                        "evaluated": "2026-03-01", "feedback_url": "https://acme.example.no/feedback"}],
        "statement_data_no": "https://acme.example.no/uustatus.json",
        "statement_template_se": "https://acme.example.no/redogorelse.md", "digg_report_link": True,
    },
    "ai": {"uses_ai": True, "components": [
        {"name": "Assistant", "risk_class": "limited", "annex_iii_area": "none", "interaction": "chatbot",
         "art50_disclosures": ["ai_interaction_notice"]}]},
}


def good() -> dict:
    return copy.deepcopy(GOOD)


def a11y_file(tmp_path: Path, errors: int = 0, checked: str = "2026-11-30", url: str = DEMO) -> Path:
    path = tmp_path / "a11y.json"
    path.write_text(json.dumps({"tool": "pa11y-ci", "checked": checked, "results": {url: {"errors": errors}}}),
                    encoding="utf-8")
    return path


def run(data: dict, today: dt.date = TODAY, a11y=None, audience: str = "public_bodies", vendor_country: str = "NO",
        book=None):
    from thingwalla.compliance import assess

    return assess(data, book or rulebook(), today, vendor_country=vendor_country, vendor_name="Acme AS",
                  regulation_kinds=KINDS, a11y=a11y, audience=audience)

# A processor's privacy facts that meet the GDPR rules except G-16 (breach notice after 96 hours).
PRIVACY = """\
privacy:
  processes_personal_data: true
  role: processor
  dpa:
    url: https://acme.example.no/dpa.pdf
    art28: [instructions, confidentiality, security, sub_processors, data_subject_rights, assistance, delete_or_return, audits]
  deletion_after_end_days: 90
  backup_purge_days: 35
  archival_export: [noark5]
  data_subject_rights: [export, rectify, erase, access_report]
  assistance_sla_days: 5
  breach_notice_hours: 96
"""
