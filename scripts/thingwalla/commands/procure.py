"""thingwalla procure route|documents|check-order|thresholds

  route        which procurement routes are lawful for a buyer, a service plan and a term, and why
  documents    contract draft (HTML, PDF), Peppol order where lawful, procurement record, SHA256SUMS
  check-order  check UBL 2.1 Order files against the XSD and the Peppol BIS Ordering 3 business rules
  thresholds   the thresholds in force on a date, with their sources

Exit status: 0 done, 1 refused (no lawful route as asked, invalid order, invalid data), 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from . import EXIT_ERRORS, EXIT_OK, UsageError, repository

ROUTES = ("direct-award", "framework-call-off", "dps-competition", "framework-mini-competition", "competition")


def register(commands) -> None:
    parser = commands.add_parser(
        "procure", help="procurement: lawful route, contract draft, Peppol order and record for a plan",
        description="From a service plan to a lawful procurement route, a contract draft and a Peppol order. "
                    "Exit status: 0 done, 1 refused or invalid, 2 usage error.")
    sub = parser.add_subparsers(dest="procure_command", required=True, metavar="ACTION")

    def common(p, *, request=True):
        p.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
        p.add_argument("--date", metavar="YYYY-MM-DD",
                       help="assessment date: thresholds in force on this day are used (default: today, or "
                            "THINGWALLA_TODAY)")
        if not request:
            return
        p.add_argument("--buyer", metavar="ID", help="buyer id (catalog/buyers/<id>.yaml)")
        p.add_argument("--service", metavar="ID", help="service id (catalog/services/<id>/)")
        p.add_argument("--plan", metavar="ID", help="plan id in the service's pricing.plans")
        p.add_argument("--months", type=int, metavar="N", help="firm term in months")
        p.add_argument("--option-months", type=int, default=0, metavar="M",
                       help="options to extend, in months; they count towards the value (default 0)")
        p.add_argument("--quantity", metavar="Q",
                       help="units the plan is priced by, per billing period (schools, users...); not needed for "
                            "plans per organisation, nor per inhabitant when the buyer lists its population")
        p.add_argument("--start", metavar="YYYY-MM-DD", help="contract start (default: the assessment date)")
        p.add_argument("--same-kind-value", default="0", metavar="AMOUNT",
                       help="value (excl. VAT, NOK/SEK) of other purchases of the same kind that must be counted "
                            "with this one (default 0)")
        p.add_argument("--exchange-rate", metavar="RATE",
                       help="NOK or SEK per 1 unit of the plan's currency, for plans priced in another currency")
        p.add_argument("--lang", choices=["nb", "en"], default="nb", help="language of the explanation (default nb)")

    route = sub.add_parser("route", help="which routes are lawful, and why",
                           description="Compute the estimated value (whole term with options, excl. VAT) and "
                                       "explain which procurement routes are lawful, with the legal source of "
                                       "each statement.")
    common(route)
    route.add_argument("--format", choices=["text", "json"], default="text")
    route.set_defaults(run=run_route)

    docs = sub.add_parser("documents", help="contract draft, Peppol order (where lawful) and procurement record",
                          description="Write contract.html, contract.pdf, order.xml (only where the route lets "
                                      "the buyer order now, or after an award), record.json and SHA256SUMS.")
    common(docs)
    docs.add_argument("--from-issue", metavar="EVENT.json",
                      help="read the request from a procurement-request issue event (GITHUB_EVENT_PATH) instead "
                           "of the options above; the issue's author must be a maintainer of the buyer")
    docs.add_argument("--route", choices=ROUTES, help="use this route (default: the recommended lawful route)")
    docs.add_argument("--reference", metavar="REF", help="procurement reference, also the contract id "
                                                         "(default: derived from the request)")
    docs.add_argument("--buyer-reference", metavar="TEXT", help="the buyer's reference for the order and invoice")
    docs.add_argument("--award-reference", metavar="REF",
                      help="after a competition: the award's reference (the order is then written too)")
    docs.add_argument("--award-date", metavar="YYYY-MM-DD", help="after a competition: the award's date")
    docs.add_argument("--profile", choices=["order_only", "ordering"],
                      help="Peppol profile of the order (default from catalog/procurement/peppol.yaml)")
    docs.add_argument("--out", metavar="DIR", default="procurement-out", help="output folder (default procurement-out)")
    docs.add_argument("--ubl-xsd", metavar="DIR", help="folder of the OASIS UBL 2.1 schemas (or THINGWALLA_UBL_XSD)")
    docs.add_argument("--require-xsd", action="store_true",
                      help="refuse to write an order that could not be checked against the UBL 2.1 XSD")
    docs.add_argument("--summary", metavar="FILE", help="append a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)")
    docs.set_defaults(run=run_documents)

    check = sub.add_parser("check-order", help="check Order XML against the UBL 2.1 XSD and the Peppol rules",
                           description="Check UBL 2.1 Order documents against the XSD (xmlschema) and the Peppol "
                                       "BIS Ordering 3 business rules. Exit 1 if any has a fatal error.")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
    check.add_argument("--ubl-xsd", metavar="DIR", help="folder of the OASIS UBL 2.1 schemas (or THINGWALLA_UBL_XSD)")
    check.add_argument("--require-xsd", action="store_true", help="fail when the XSD is not available")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.set_defaults(run=run_check_order)

    thresholds = sub.add_parser("thresholds", help="thresholds in force on a date, with sources")
    common(thresholds, request=False)
    thresholds.add_argument("--country", choices=["NO", "SE"])
    thresholds.add_argument("--lang", choices=["nb", "en"], default="nb")
    thresholds.set_defaults(run=run_thresholds)


# ---- shared -------------------------------------------------------------------------------------------

def _day(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what} must be a date written YYYY-MM-DD (got {value!r})") from None


def _today(args) -> dt.date:
    from ..validate import today

    try:
        return _day(args.date, "--date") or today()
    except ValueError:
        raise UsageError("THINGWALLA_TODAY must be a date written YYYY-MM-DD") from None


def _load(args, *, catalog_needed: bool = True):
    """(root, catalog, procurement data); refuses with the validator's messages when either is invalid."""
    from ..model import build_catalog
    from ..procurement.data import ProcurementDataError, load_procurement_data
    from ..problems import format_problems
    from ..validate import validate_repository

    root = repository(args.repository)
    catalog = None
    if catalog_needed:
        result = validate_repository(root)
        if not result.ok:
            print(format_problems(result.errors, "text"), file=sys.stderr)
            raise _Refused(f"the catalog has {len(result.errors)} error(s); fix them first (thingwalla validate)")
        catalog = build_catalog(result)
    try:
        data = load_procurement_data(root, catalog)
    except ProcurementDataError as exc:
        print(format_problems(exc.problems, "text"), file=sys.stderr)
        raise _Refused(f"the procurement data has {len(exc.problems)} problem(s)") from None
    return root, catalog, data


class _Refused(Exception):
    pass


def _request(args, on: dt.date):
    from ..procurement.route import RequestError, RouteRequest, parse_decimal

    missing = [f"--{name}" for name in ("buyer", "service", "plan", "months") if getattr(args, name) is None]
    if missing:
        raise UsageError("missing " + ", ".join(missing) + " (or use --from-issue)")
    try:
        return RouteRequest(
            buyer=args.buyer, service=args.service, plan=args.plan, months=args.months,
            option_months=args.option_months,
            quantity=parse_decimal(args.quantity, "--quantity") if args.quantity is not None else None,
            start=_day(args.start, "--start"), on=on,
            same_kind_value=parse_decimal(args.same_kind_value, "--same-kind-value"),
            exchange_rate=parse_decimal(args.exchange_rate, "--exchange-rate") if args.exchange_rate else None)
    except RequestError as exc:
        raise UsageError(str(exc)) from None


def _assess(catalog, data, request):
    from ..procurement.route import RequestError, assess

    try:
        return assess(catalog, data, request)
    except RequestError as exc:
        raise UsageError(str(exc)) from None


def _refusing(fn):
    def wrapper(args):
        try:
            return fn(args)
        except _Refused as exc:
            print(f"thingwalla: {exc}", file=sys.stderr)
            return EXIT_ERRORS
    return wrapper


# ---- route --------------------------------------------------------------------------------------------

LABELS = {
    "nb": {"value": "Anslått verdi", "excl": "uten mva., hele perioden med opsjoner", "firm": "fast periode",
           "options": "opsjoner", "months": "mnd.", "thresholds": "Terskelverdier", "in_force": "gjeldende",
           "routes": "Anskaffelsesveier", "lawful": "lovlig", "not_lawful": "ikke lovlig",
           "one_click": "kan bestilles med én gang", "not_one_click": "konkurranse først – ikke ett klikk",
           "recommended": "Anbefalt", "warnings": "Merk", "none": "Ingen lovlig vei", "sources": "Kilde",
           "authority": {"central": "statlig oppdragsgiver", "sub-central": "kommunal oppdragsgiver"}},
    "en": {"value": "Estimated value", "excl": "excl. VAT, whole term with options", "firm": "firm term",
           "options": "options", "months": "months", "thresholds": "Thresholds", "in_force": "in force",
           "routes": "Procurement routes", "lawful": "lawful", "not_lawful": "not lawful",
           "one_click": "can be ordered at once", "not_one_click": "competition first – not one click",
           "recommended": "Recommended", "warnings": "Note", "none": "No lawful route", "sources": "Source",
           "authority": {"central": "central government authority", "sub-central": "sub-central authority"}},
}


def render_assessment(a, data, lang: str) -> str:
    from ..procurement import fmt

    L = LABELS[lang]
    est = a.estimate
    lines = [f"{a.buyer.name} ({a.country}, {L['authority'][a.authority_type]}) · {a.service.name(lang)} · "
             f"{a.plan.name(lang)} ({a.plan.id})",
             f"{L['value']}: {fmt.money(est.comparison_value, est.threshold_currency, lang)} ({L['excl']})",
             f"  {est.formula(lang)}; {L['firm']} {est.firm_months} {L['months']}, {L['options']} "
             f"{est.option_months} {L['months']}",
             f"{L['thresholds']} ({L['in_force']} {fmt.day(a.on, lang)}):"]
    for t in a.thresholds.values():
        lines.append(f"  {fmt.money(t.amount, t.currency, lang)} – {t.label(lang)} [{t.id}]")
    lines.append(f"{L['routes']}:")
    for o in a.options:
        mark = "✔" if o.lawful else "✘"
        state = (L["one_click"] if o.orders_now else L["not_one_click"]) if o.lawful else L["not_lawful"]
        title = data.routes[o.route].title(lang)
        if o.via:
            title += f" – {o.via['name'](lang)}"
        lines.append(f"  {mark} {title}: {state}")
        for finding in o.findings:
            lines.append(f"      · {finding.text(data, lang)}")
            for source in finding.sources(data):
                lines.append(f"        {L['sources']}: {source}")
    rec = a.recommended
    lines.append(f"{L['recommended']}: {data.routes[rec.route].title(lang) if rec else L['none']}")
    for finding in a.warnings:
        lines.append(f"{L['warnings']}: {finding.text(data, lang)}")
    return "\n".join(lines)


def assessment_json(a, data, lang: str) -> dict:
    from ..procurement.documents import _via_json, finding_json

    est = a.estimate
    return {
        "buyer": a.buyer.id, "service": a.service.id, "plan": a.plan.id, "country": a.country,
        "authority_type": a.authority_type, "assessed_on": a.on.isoformat(), "start": a.start.isoformat(),
        "end": a.end.isoformat(),
        "estimate": {"quantity": str(est.quantity), "unit_price": str(est.unit_price), "currency": est.currency,
                     "firm_value": str(est.firm_value), "option_value": str(est.option_value),
                     "total_value": str(est.total_value), "comparison_value": str(est.comparison_value),
                     "threshold_currency": est.threshold_currency, "formula": est.formula(lang)},
        "band": a.band,
        "thresholds": {k: {"id": t.id, "amount": str(t.amount), "currency": t.currency} for k, t in a.thresholds.items()},
        "routes": [{"route": o.route, "lawful": o.lawful, "one_click": o.one_click, "orders_now": o.orders_now,
                    "via": _via_json(o.via), "reasons": [finding_json(f, data) for f in o.findings]}
                   for o in a.options],
        "recommended": a.recommended.route if a.recommended else None,
        "context": [finding_json(f, data) for f in a.context],
        "warnings": [finding_json(f, data) for f in a.warnings],
    }


@_refusing
def run_route(args) -> int:
    on = _today(args)
    request = _request(args, on)
    _, catalog, data = _load(args)
    a = _assess(catalog, data, request)
    if args.format == "json":
        print(json.dumps(assessment_json(a, data, args.lang), indent=2, ensure_ascii=False))
    else:
        print(render_assessment(a, data, args.lang))
    return EXIT_OK


# ---- documents ----------------------------------------------------------------------------------------

@_refusing
def run_documents(args) -> int:
    from ..procurement.documents import RefusedError, write_documents
    from ..procurement.route import RequestError
    from ..procurement.xsd import SchemaNotFound, find_order_xsd

    on = _today(args)
    root = repository(args.repository)
    requested_by = None
    route, buyer_reference, award = args.route, args.buyer_reference, None
    if args.from_issue:
        from ..procurement.issue import read_event

        given = [f"--{n.replace('_', '-')}" for n in ("buyer", "service", "plan", "months", "quantity", "start",
                                                      "exchange_rate") if getattr(args, n) is not None]
        if given:
            raise UsageError("--from-issue reads the request from the issue; do not also give " + ", ".join(given))
        try:
            issue = read_event(Path(args.from_issue), root, on)
        except RequestError as exc:
            raise UsageError(str(exc)) from None
        request = issue.request
        route, buyer_reference, award = issue.route, issue.buyer_reference, issue.award
        requested_by = {"github": issue.login, **({"issue": issue.number} if issue.number is not None else {}),
                        **({"issue_url": issue.url} if issue.url else {})}
    else:
        request = _request(args, on)
        if bool(args.award_reference) != bool(args.award_date):
            raise UsageError("give both --award-reference and --award-date, or neither")
        if args.award_reference:
            award = {"reference": args.award_reference, "date": _day(args.award_date, "--award-date")}
    _, catalog, data = _load(args)
    if args.from_issue:
        buyer = catalog.buyers.get(request.buyer)
        if buyer is not None and requested_by["github"].lower() not in {m.lower() for m in buyer.maintainers}:
            raise _Refused(f"@{requested_by['github']} is not a maintainer of '{buyer.id}' "
                           f"(catalog/buyers/{buyer.id}.yaml lists: {', '.join(buyer.maintainers)}); only they can "
                           "ask for procurement documents on the buyer's behalf")
    a = _assess(catalog, data, request)
    try:
        xsd = find_order_xsd(args.ubl_xsd, root)
    except SchemaNotFound as exc:
        raise UsageError(str(exc)) from None
    try:
        written = write_documents(a, data, Path(args.out), route=route, reference=args.reference, issued=on,
                                  buyer_reference=buyer_reference, award=award, xsd=xsd,
                                  require_xsd=args.require_xsd, requested_by=requested_by, profile=args.profile)
    except RefusedError as exc:
        raise _Refused(str(exc)) from None
    print(render_written(written, data, args.lang))
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as handle:
            handle.write(summary_markdown(written, args.lang) + "\n")
    return EXIT_OK


def render_written(written, data, lang: str) -> str:
    r = written.record
    d = r["decision"]
    title = data.routes[d["route"]].title(lang)
    head = {"nb": ("Anskaffelsesvei", "ordre laget", "ingen ordre: konkurranse først", "Dokumenter i"),
            "en": ("Route", "order written", "no order: competition first", "Documents in")}[lang]
    lines = [f"{r['id']}: {r['buyer']['name']} · {r['service']['name'][lang]} · {r['plan']['id']}",
             f"{head[0]}: {title} ({head[1] if r['order'] else head[2]})",
             f"{head[3]} {written.folder}:"]
    for name, digest in written.files.items():
        lines.append(f"  {digest}  {name}")
    if r["order"]:
        v = r["order"]["validation"]
        lines.append(f"  order.xml: XSD {v['xsd']['status']}, Peppol rules: {v['rules']['fatal']} fatal, "
                     f"{v['rules']['warnings']} warning(s)")
    return "\n".join(lines)


def summary_markdown(written, lang: str) -> str:
    r = written.record
    d = r["decision"]

    def clean(value: str) -> str:
        return value.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")

    rows = [f"### {clean(r['id'])}: {clean(r['buyer']['name'])} · {clean(r['service']['name'][lang])}", "",
            f"- {'Anskaffelsesvei' if lang == 'nb' else 'Route'}: `{d['route']}`"
            + (" – ordre laget" if r["order"] else " – ingen ordre før konkurransen er avsluttet" if lang == "nb"
               else (" – order written" if r["order"] else " – no order before the competition ends")),
            f"- {'Anslått verdi' if lang == 'nb' else 'Estimated value'}: {r['estimate']['comparison_value']} "
            f"{r['estimate']['threshold_currency']}", ""]
    for reason in d["reasons"]:
        rows.append(f"- {clean(reason['text'][lang])}")
    rows += ["", "| file | SHA-256 |", "|---|---|"]
    rows += [f"| {name} | `{digest}` |" for name, digest in written.files.items()]
    return "\n".join(rows)


# ---- check-order --------------------------------------------------------------------------------------

@_refusing
def run_check_order(args) -> int:
    from ..procurement.rules import OrderParseError, check_rules, parse_order
    from ..procurement.xsd import SchemaNotFound, find_order_xsd, validate_order_xsd

    for name in args.files:
        if not Path(name).is_file():
            raise UsageError(f"{name}: no such file")
    _, _, data = _load(args, catalog_needed=False)
    root_dir = repository(args.repository)
    try:
        xsd = find_order_xsd(args.ubl_xsd, root_dir)
    except SchemaNotFound as exc:
        raise UsageError(str(exc)) from None
    if xsd is None and args.require_xsd:
        raise UsageError("no UBL 2.1 schema folder found: give --ubl-xsd DIR or set THINGWALLA_UBL_XSD")
    reports, failed = [], False
    for name in args.files:
        try:
            root = parse_order(Path(name).read_bytes())
        except OrderParseError as exc:
            reports.append({"file": name, "ok": False, "error": str(exc), "xsd": None, "rules": []})
            failed = True
            continue
        xsd_report = validate_order_xsd(root, xsd)
        rules = check_rules(root, data.peppol["codelists"])
        ok = rules.ok and xsd_report.status != "invalid"
        failed |= not ok
        reports.append({"file": name, "ok": ok,
                        "xsd": {"status": xsd_report.status, "errors": xsd_report.errors, "reason": xsd_report.reason},
                        "rules": [{"id": r.id, "flag": r.flag, "message": r.message, "location": r.location}
                                  for r in rules.results]})
    if args.format == "json":
        print(json.dumps({"files": reports}, indent=2, ensure_ascii=False))
    else:
        for report in reports:
            if "error" in report:
                print(f"{report['file']}: error: {report['error']}")
                continue
            xsd_part = report["xsd"]["status"]
            fatal = sum(r["flag"] == "fatal" for r in report["rules"])
            print(f"{report['file']}: {'ok' if report['ok'] else 'FAILED'} (XSD {xsd_part}; Peppol rules: {fatal} fatal, "
                  f"{len(report['rules']) - fatal} warning(s))")
            for error in report["xsd"]["errors"]:
                print(f"  XSD: {error}")
            for r in report["rules"]:
                print(f"  [{r['id']}] {r['flag']}: {r['message']} at {r['location']}")
    return EXIT_ERRORS if failed else EXIT_OK


# ---- thresholds ---------------------------------------------------------------------------------------

@_refusing
def run_thresholds(args) -> int:
    from ..procurement import fmt

    on = _today(args)
    _, _, data = _load(args, catalog_needed=False)
    for t in data.thresholds:
        if args.country and t.country != args.country:
            continue
        state = "in force" if t.in_force_on(on) else t.status if t.status != "in-force" else "not in force"
        sources = "; ".join(data.sources[c.source].title + (f", {c.pinpoint}" if c.pinpoint else "")
                            for c in t.citations)
        due = f", review due {t.review_due.isoformat()}" if t.review_due else ""
        print(f"{t.country} {fmt.money(t.amount, t.currency, args.lang):>16}  {t.kind:<16} "
              f"{'/'.join(t.authority_types):<19} from {t.valid_from.isoformat()}{due} [{state}; {t.confidence}]")
        print(f"    {t.label(args.lang)}")
        print(f"    {sources}")
    return EXIT_OK
