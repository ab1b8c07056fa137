"""thingwalla compliance [SERVICE…] [--format text|json] [--buyer ID] [--a11y-results FILE] [--lang nb|en]"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from . import EXIT_ERRORS, EXIT_OK, UsageError, repository

A11Y_FORMAT = ('accessibility results: JSON {"checked": "YYYY-MM-DD", "results": {URL: {"errors": N}}}; '
               "a URL may also map to pa11y's list of issues, and a result may carry its own \"checked\" date")


def register(commands) -> None:
    parser = commands.add_parser(
        "compliance", help="run the compliance rules on services and show the state per regulation",
        description="Run every compliance rule (catalog/compliance/rules.yaml) on the given services, or on all, "
                    "and print each failed rule with file, line and column, its legal source and how to fix it, "
                    "then the state per regulation (declared, evidenced, verified, expiring, expired). "
                    "Exit status: 0 no rule errors, 1 rule errors or invalid input, 2 usage error.")
    parser.add_argument("services", nargs="*", metavar="SERVICE", help="service ids (default: every service)")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="text for people, json for tools")
    parser.add_argument("--lang", choices=["en", "nb"], default="en", help="language of the rule messages")
    parser.add_argument("--buyer", metavar="ID", help="judge the services against this buyer's requirement profile")
    parser.add_argument("--a11y-results", metavar="FILE", help=A11Y_FORMAT)
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="judge dates as on this day (default: THINGWALLA_TODAY or today)")
    parser.add_argument("--passed", action="store_true", help="list passed rules too")
    parser.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..compliance.catalog import a11y_results_from_env, assess_service
    from ..compliance.verification import A11yResultsError, load_a11y_results
    from ..model import build_catalog
    from ..problems import format_problems
    from ..validate import today, validate_repository

    on_date = _date(args.today) if args.today else today()
    root = repository(args.repository)
    result = validate_repository(root, on_date)
    if not result.ok:
        print(format_problems(result.errors, "text"), file=sys.stderr)
        print(f"thingwalla: the catalog has {len(result.errors)} validation error(s); compliance is judged only on a "
              "valid catalog. Run `thingwalla validate` for details.", file=sys.stderr)
        return EXIT_ERRORS
    catalog = build_catalog(result)
    unknown = [s for s in args.services if s not in catalog.services]
    if unknown:
        raise UsageError(f"unknown service(s): {', '.join(unknown)} (ids are folder names in catalog/services/)")
    if args.buyer and args.buyer not in catalog.buyers:
        raise UsageError(f"unknown buyer '{args.buyer}' (ids are file names in catalog/buyers/)")
    try:
        a11y = (load_a11y_results(Path(args.a11y_results), args.a11y_results) if args.a11y_results
                else a11y_results_from_env(root))
    except A11yResultsError as exc:
        print(format_problems(exc.problems, "text"), file=sys.stderr)
        return EXIT_ERRORS
    services = [catalog.services[s] for s in args.services] if args.services else list(catalog.services.values())
    docs = {d.data["id"]: d for d in result.documents.get("service", [])}
    assessments = [(s, assess_service(s, catalog.rulebook, on_date, a11y)) for s in services]
    if args.buyer:
        return _buyer(args, catalog, assessments)
    rows = [_rows(s, a, docs[s.id], args.lang, args.passed) for s, a in assessments]
    errors = sum(a.count("error") for _, a in assessments)
    warnings = sum(a.count("warning") for _, a in assessments)
    if args.format == "json":
        print(json.dumps({"today": on_date.isoformat(), "rules": len(catalog.rulebook.rules) if catalog.rulebook else 0,
                          "errors": errors, "warnings": warnings,
                          "services": [_json(s, a, r) for (s, a), r in zip(assessments, rows)]},
                         ensure_ascii=False, indent=2))
    else:
        for (service, assessment), lines in zip(assessments, rows):
            for line in lines:
                print(_text(line))
            print(f"{service.id}: " + (" · ".join(_state_words(st) for st in assessment.states.values()
                                                 if st.binds_public_buyers) or "no regulations declared"))
        rules = len(catalog.rulebook.rules) if catalog.rulebook else 0
        print(f"{len(services)} service(s) checked against {rules} rules on {on_date.isoformat()}: "
              + (f"{errors} error(s)" if errors else "no errors") + f", {warnings} warning(s)", file=sys.stderr)
    return EXIT_ERRORS if errors else EXIT_OK


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today {value!r} is not a date written YYYY-MM-DD") from None


def _rows(service, assessment, doc, lang: str, passed: bool) -> list[dict]:
    rows = []
    for r in assessment.results:
        if r.passed and not passed:
            continue
        path = r.failures[0].path if r.failures else ()
        line, col = doc.position(path) if path else (1, 1)
        rows.append({"rule": r.rule.id, "regulation": r.regulation, "passed": r.passed,
                     "severity": r.severity or "passed", "message": r.message(lang) if not r.passed else r.rule.title(lang),
                     "hint": r.rule.hint(lang) if not r.passed else "", "source": r.rule.source,
                     "confidence": r.rule.confidence, "path": doc.relpath, "line": line, "column": col})
    return sorted(rows, key=lambda row: (row["line"], row["column"], row["rule"]))


def _text(row: dict) -> str:
    source = row["source"] + (" [not verified]" if row["confidence"] == "not-verified" else "")
    text = f"{row['path']}:{row['line']}:{row['column']}: {row['severity']}: {row['rule']} {row['message']} ({source})"
    return text + (f"\n    hint: {row['hint']}" if row["hint"] else "")


def _state_words(st) -> str:
    words = f"{st.regulation} {st.state}"
    if st.state == "verified" and st.automated_check:
        words += f" (automated checks passed {st.on.isoformat()})"
    elif st.state in ("expiring", "expired") and st.on:
        words += f" ({st.on.isoformat()})"
    return words


def _json(service, assessment, rows) -> dict:
    return {"id": service.id,
            "states": {reg: {"state": st.state, "on": st.on.isoformat() if st.on else None, "evidence_url": st.evidence_url,
                             "satisfied": st.satisfied, "automated_check": st.automated_check or None}
                       for reg, st in assessment.states.items() if st.binds_public_buyers},
            "results": rows}


def _buyer(args, catalog, assessments) -> int:
    from ..compliance.buyers import judge

    buyer = catalog.buyers[args.buyer]
    requires = {k: v for k, v in vars(buyer.requires).items() if v}
    judged = [(s, judge(requires, s.facts, a, catalog.rulebook)) for s, a in assessments]
    if args.format == "json":
        print(json.dumps({"buyer": buyer.id, "requires": requires, "services": [
            {"id": s.id, "fits": all(v.met is not False for v in verdicts),
             "verdicts": [vars(v) for v in verdicts]} for s, verdicts in judged]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    for service, verdicts in judged:
        misses = [v for v in verdicts if v.met is False]
        skipped = [v for v in verdicts if v.met is None]
        line = f"{service.id}: " + ("fits" if not misses else "does not fit: " + "; ".join(
            f"{v.requirement} {v.value}" + (f" ({v.reason})" if v.reason else "") for v in misses))
        if skipped:
            line += " — not judged: " + ", ".join(f"{v.value} (binds financial entities, not municipalities)" for v in skipped)
        print(line)
    fits = sum(1 for _, verdicts in judged if all(v.met is not False for v in verdicts))
    print(f"{fits} of {len(judged)} service(s) fit {buyer.name}'s requirements", file=sys.stderr)
    return EXIT_OK
