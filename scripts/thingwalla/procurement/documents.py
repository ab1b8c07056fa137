"""Write the documents for a procurement: contract draft (HTML, PDF), Peppol order (where the route
allows ordering now, or after an award), the procurement record and SHA256SUMS.

The order is produced only on a route where the law lets the buyer order at once (direct award, or a
call-off from a framework with every term fixed), or after a competition has ended in an award the
caller names. It is parsed back and checked against the UBL 2.1 XSD and the Peppol business rules
before it is written; an order that fails is never written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .contract import build_contract, render_html, render_pdf
from .data import ProcurementData
from .identifiers import participant
from .order import build_order
from .route import Assessment, Finding, RouteOption
from .rules import RULES, check_rules, parse_order
from .xsd import XsdReport, validate_order_xsd

REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
RECORD_SCHEMA = "procurement-record.schema.json"


class RefusedError(Exception):
    """The documents cannot lawfully or safely be produced as asked (exit status 1)."""


@dataclass
class Written:
    folder: Path
    record: dict
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256
    order_report: tuple | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def default_reference(assessment: Assessment) -> str:
    r, a = assessment.request, assessment
    key = json.dumps({"buyer": r.buyer, "service": r.service, "plan": r.plan, "months": r.months,
                      "options": r.option_months, "quantity": str(a.estimate.quantity), "start": a.start.isoformat(),
                      "on": a.on.isoformat()}, sort_keys=True)
    return f"TW-{a.on:%Y%m%d}-{sha256(key.encode())[:8].upper()}"


def choose_route(assessment: Assessment, data: ProcurementData, route: str | None) -> RouteOption:
    if route is None:
        option = assessment.recommended
        if option is None:
            raise RefusedError("no lawful route was found")
        return option
    option = assessment.option(route)
    if option is None:
        why = next((o for o in assessment.options if o.route == route), None)
        reasons = " ".join(f.text(data, "en") for f in why.findings) if why else \
            "it does not apply to this buyer and service."
        raise RefusedError(f"the route '{route}' is not lawful here: {reasons}")
    return option


def finding_json(finding: Finding, data: ProcurementData) -> dict:
    return {"statement": finding.key, "text": {"nb": finding.text(data, "nb"), "en": finding.text(data, "en")},
            "citations": [{"source": c.source, "title": data.sources[c.source].title, "url": data.sources[c.source].url,
                           **({"pinpoint": c.pinpoint} if c.pinpoint else {})} for c in finding.citations]}


def _git_commit(root: Path) -> str | None:
    if os.environ.get("GITHUB_SHA"):
        return os.environ["GITHUB_SHA"]
    try:
        import git

        return git.Repo(root, search_parent_directories=False).head.commit.hexsha
    except Exception:  # not a git checkout, or no commits: the record says null
        return None


def _via_json(via: dict | None) -> dict | None:
    if via is None:
        return None
    out = {}
    for key, value in via.items():
        if hasattr(value, "get_lang"):
            value = {"nb": value("nb"), "en": value("en")}
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[key] = value
    return out


def build_record(assessment: Assessment, data: ProcurementData, option: RouteOption, *, reference: str,
                 issued: dt.date, award: dict | None, requested_by: dict | None, documents: list[dict],
                 order: dict | None) -> dict:
    a, est = assessment, assessment.estimate
    vendor = a.service.vendor
    b_scheme, b_id = participant(a.buyer.country, a.buyer.org_number)
    v_scheme, v_id = participant(vendor.country, vendor.org_number)
    plan = {"id": a.plan.id, "name": dict(a.plan.name), "price": a.plan.price, "currency": a.plan.currency,
            "unit": a.plan.unit, "billing_period": a.plan.billing_period,
            "minimum_term_months": a.plan.minimum_term_months}
    routes = []
    for o in a.options:
        routes.append({"route": o.route, "lawful": o.lawful, "one_click": o.one_click, "via": _via_json(o.via),
                       "reasons": [finding_json(f, data) for f in o.findings]})
    reasons = [finding_json(f, data) for f in a.context] + [finding_json(f, data) for f in option.findings]
    if award:
        reasons.append(finding_json(Finding("award-given", {"reference": award["reference"], "date": award["date"]},
                                            data.statement("award-given").citations), data))
    return {
        "$schema": "https://thingwalla.eu/schemas/procurement-record.schema.json",
        "record_version": 1,
        "id": reference,
        "created": issued.isoformat(),
        "assessed_on": a.on.isoformat(),
        "sample": bool(a.buyer.sample or a.service.sample),
        "requested_by": requested_by,
        "buyer": {"id": a.buyer.id, "name": a.buyer.name, "country": a.buyer.country, "org_number": a.buyer.org_number,
                  "peppol_id": f"{b_scheme}:{b_id}", "authority_type": a.authority_type},
        "supplier": {"id": vendor.id, "legal_name": vendor.legal_name, "country": vendor.country,
                     "org_number": vendor.org_number, "peppol_id": f"{v_scheme}:{v_id}"},
        "service": {"id": a.service.id, "name": {"nb": a.service.name("nb"), "en": a.service.name("en")}},
        "plan": plan,
        "plan_sha256": sha256(json.dumps(plan, sort_keys=True, ensure_ascii=False).encode()),
        "term": {"start": a.start.isoformat(), "end": a.end.isoformat(), "firm_months": est.firm_months,
                 "option_months": est.option_months},
        "estimate": {
            "quantity": str(est.quantity), "quantity_source": est.quantity_source, "unit_price": str(est.unit_price),
            "currency": est.currency, "firm_value": str(est.firm_value), "option_value": str(est.option_value),
            "total_value": str(est.total_value), "exchange_rate": str(est.exchange_rate) if est.exchange_rate else None,
            "same_kind_value": str(est.same_kind_value), "comparison_value": str(est.comparison_value),
            "threshold_currency": est.threshold_currency, "includes_options": True, "excludes_vat": True,
            "formula": {"nb": est.formula("nb"), "en": est.formula("en")}},
        "band": a.band,
        "thresholds": [{"id": t.id, "kind": t.kind, "amount": str(t.amount), "currency": t.currency,
                        "comparison": t.comparison, "valid_from": t.valid_from.isoformat(),
                        "review_due": t.review_due.isoformat() if t.review_due else None, "confidence": t.confidence,
                        "citations": [c.source + (f" {c.pinpoint}" if c.pinpoint else "") for c in t.citations]}
                       for t in a.thresholds.values()],
        "decision": {"route": option.route, "one_click": option.one_click, "orders_now": option.orders_now,
                     "via": _via_json(option.via),
                     "award": {"reference": award["reference"], "date": award["date"].isoformat()} if award else None,
                     "reasons": reasons},
        "routes": routes,
        "warnings": [finding_json(f, data) for f in a.warnings],
        "documents": documents,
        "order": order,
        "data_reviewed": {"thresholds": data.thresholds_reviewed.isoformat(), "law": data.law_reviewed.isoformat()},
        "tool": {"name": "thingwalla procure documents", "commit": _git_commit(data.root)},
    }


def validate_record(record: dict) -> list[str]:
    from .data import validator

    return [f"{'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
            for e in validator(RECORD_SCHEMA).iter_errors(record)]


def write_documents(assessment: Assessment, data: ProcurementData, out: Path, *, route: str | None = None,
                    reference: str | None = None, issued: dt.date | None = None, buyer_reference: str | None = None,
                    award: dict | None = None, xsd: Path | None = None, require_xsd: bool = False,
                    requested_by: dict | None = None, profile: str | None = None) -> Written:
    option = choose_route(assessment, data, route)
    issued = issued or assessment.on
    reference = reference or default_reference(assessment)
    if not REFERENCE_RE.match(reference):
        raise RefusedError(f"the reference '{reference}' may hold only letters, digits, '.', '_' and '-' "
                           "(at most 64 characters, starting with a letter or digit)")
    if award and option.orders_now:
        raise RefusedError(f"an award reference is only for routes that need a competition; '{option.route}' "
                           "orders at once")
    makes_order = option.orders_now or award is not None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}

    draft = build_contract(assessment, data, option, reference, issued, award)
    files["contract.html"] = render_html(draft).encode("utf-8")
    files["contract.pdf"] = render_pdf(draft)
    pdf_hash = sha256(files["contract.pdf"])

    order_json = None
    report = None
    if makes_order:
        xml, info = build_order(assessment, data, order_id=f"{reference}-1", contract_id=reference, issue_date=issued,
                                contract_sha256=pdf_hash, buyer_reference=buyer_reference, profile=profile,
                                note=_order_note(assessment, option, data))
        root = parse_order(xml)
        rules = check_rules(root, data.peppol["codelists"])
        xsd_report: XsdReport = validate_order_xsd(root, xsd)
        report = (xsd_report, rules)
        if not rules.ok or xsd_report.status == "invalid":
            problems = [r.as_text() for r in rules.fatal] + xsd_report.errors
            raise RefusedError("the generated order failed validation and was not written:\n  " + "\n  ".join(problems))
        if require_xsd and xsd_report.status != "valid":
            raise RefusedError(f"the order was not checked against the UBL 2.1 XSD: {xsd_report.reason}")
        files["order.xml"] = xml
        order_json = {
            "id": info.id, "contract_id": info.contract_id, "issue_date": info.issue_date.isoformat(),
            "customization_id": data.peppol["customization_id"], "profile_id": info.profile,
            "currency": info.currency, "line_extension_amount": str(info.line_amount),
            "tax_amount": str(info.tax_amount), "payable_amount": str(info.payable),
            "buyer_endpoint": "{}:{}".format(*participant(assessment.buyer.country, assessment.buyer.org_number)),
            "seller_endpoint": "{}:{}".format(*participant(assessment.service.vendor.country,
                                                           assessment.service.vendor.org_number)),
            "validation": {
                "xsd": {"status": xsd_report.status, "schema": "OASIS UBL 2.1 UBL-Order-2.1.xsd"
                        if xsd_report.schema else None, "errors": xsd_report.errors,
                        **({"reason": xsd_report.reason} if xsd_report.reason else {})},
                "rules": {"checked": sorted(RULES), "fatal": len(rules.fatal),
                          "warnings": len(rules.results) - len(rules.fatal),
                          "results": [{"id": r.id, "flag": r.flag, "message": r.message, "location": r.location}
                                      for r in rules.results]},
            },
        }

    media = {"contract.html": "text/html", "contract.pdf": "application/pdf", "order.xml": "application/xml"}
    documents = [{"name": name, "media_type": media[name], "bytes": len(content), "sha256": sha256(content)}
                 for name, content in files.items()]
    record = build_record(assessment, data, option, reference=reference, issued=issued, award=award,
                          requested_by=requested_by, documents=documents, order=order_json)
    errors = validate_record(record)
    if errors:  # pragma: no cover - a bug in this module, not in the input
        raise RuntimeError("the procurement record does not match its schema: " + "; ".join(errors))
    files["record.json"] = (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    hashes = {}
    for name, content in files.items():
        (out / name).write_bytes(content)
        hashes[name] = sha256(content)
    (out / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for n, h in hashes.items()), encoding="utf-8")
    stale = out / "order.xml"
    if "order.xml" not in files and stale.exists():
        stale.unlink()  # never leave an order from an earlier run next to documents that have none
    return Written(out, record, hashes, report)


def _order_note(assessment: Assessment, option: RouteOption, data: ProcurementData) -> str:
    lang = "nb" if assessment.country == "NO" else "sv"
    route = data.phrase(f"route-{option.route}", lang)
    return f"{assessment.service.name(lang)} – {assessment.plan.name(lang)}. {route}."[:500]
