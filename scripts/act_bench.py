#!/usr/bin/env python3
"""Benchmark: the a11y checker on the W3C ACT Rules test cases that map to WCAG 2.x A/AA.

    .venv/bin/python scripts/act_bench.py                     # axe + our own checks + htmlcs, failed and passed cases
    .venv/bin/python scripts/act_bench.py --runner axe --runner thingwalla --concurrency 2
    .venv/bin/python scripts/act_bench.py --save-run run.json --json figures.json
    .venv/bin/python scripts/act_bench.py --from-run run.json  # score a saved run again, no browser
    .venv/bin/python scripts/act_bench.py --rule 1ec09b --verbose  # one rule, with each case's outcome
    .venv/bin/python scripts/act_bench.py --baseline scripts/thingwalla/a11y/act-baseline.json  # new baseline

Prints, per runner and combined, recall on expected-failed cases and the false-flag rate on
expected-passed cases, counting a case only when an error names one of the rule's success criteria,
then the by-criterion table. Data: ../shared/peer/act-testcases/ (see its SOURCE.md).
Published figures: scripts/thingwalla/a11y/ACT-RESULTS.md and act-baseline.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from thingwalla.a11y.act import ActServer, act_cases, matched, outcomes, summary  # noqa: E402
from thingwalla.a11y.check import check_urls  # noqa: E402
from thingwalla.a11y.pa11y import RunOptions  # noqa: E402
from thingwalla.a11y.results import Finding, PageResult  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "peer" / "act-testcases"
GATING = ("axe", "thingwalla")
TARGET = {"recall": 0.60, "false_flags": 0.08}  # issue 7: recall >= 60 % at <= 8 % false flags (gating runners)


def run_cases(folder: Path, cases, runners, concurrency: int, progress=None) -> dict:
    """case key (ActCase.key, the case file) -> PageResult, from one pa11y-ci run over all the cases.

    Not keyed by the test-case id: 12 ids are shared by two rules with different files and sometimes different
    expected outcomes, and one page's result would overwrite the other's."""
    with ActServer(folder) as server:
        urls = {server.url + case.url_path: case for case in cases}
        result = check_urls(list(urls), RunOptions(runners=tuple(runners), concurrency=concurrency),
                            allow_private=True, progress=progress)
    return {urls[page.url].key: page for page in result.pages}


def save_run(pages: dict, path: Path) -> None:
    doc = {key: {"url": p.url, "checked": p.checked.isoformat(), "findings": [f.as_dict() for f in p.findings]}
           for key, p in pages.items()}
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")


def load_run(path: Path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {key: PageResult(p["url"], dt.date.fromisoformat(p["checked"]),
                            findings=[Finding(**f) for f in p["findings"]]) for key, p in doc.items()}


def baseline_document(cases, pages, doc: dict, command: str) -> dict:
    """The figures tests/test_a11y_act.py holds the checker to: the gating runners' recall and false flags,
    with the cases behind them (so a failing test can name the cases that changed)."""
    gate = doc["runners"][" + ".join(GATING)]
    caught, flagged = outcomes(cases, pages, GATING)
    return {
        "format": "thingwalla-act-baseline/1",
        "measured": doc["date"],
        "command": command,
        "data": "../shared/peer/act-testcases (W3C ACT Rules test cases, w3c/wcag-act-rules 800c3b4; see SOURCE.md)",
        "selection": "cases of rules mapped for conformance to WCAG 2.x A/AA; failed and passed cases scored; a case "
                     "counts only when an error names one of its rule's success criteria",
        "cases": doc["cases"],
        "gating": " + ".join(GATING),
        "recall": gate["recall"], "caught": gate["caught"], "failed": gate["failed"],
        "false_flags": gate["false_flags"], "flagged": gate["flagged"], "passed": gate["passed"],
        "not_scored": gate["not_scored"],
        "target": TARGET,
        "runners": doc["runners"],
        "caught_cases": caught,
        "flagged_cases": flagged,
    }


def percent(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "–"


def print_summary(doc: dict, out=sys.stdout) -> None:
    print("| runners | recall (failed cases caught) | false flags (passed cases flagged) |", file=out)
    print("|---|---|---|", file=out)
    not_scored = 0
    for name, r in doc["runners"].items():
        print(f"| {name} | {percent(r['caught'], r['failed'])} ({r['caught']}/{r['failed']}) | "
              f"{percent(r['flagged'], r['passed'])} ({r['flagged']}/{r['passed']}) |", file=out)
        not_scored = max(not_scored, r["not_scored"])
    if not_scored:
        print(f"\n{not_scored} case(s) could not be checked and are not scored (e.g. redirects off-site).", file=out)
    gate = doc["gating"]
    print(f"\n| SC | failed cases | axe | {gate} |\n|---|---|---|---|", file=out)
    for sc, row in doc["by_criterion"].items():
        print(f"| {sc} | {row['failed']} | {row['axe']} | {row[gate]} |", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the act-testcases folder")
    parser.add_argument("--runner", action="append", choices=["axe", "thingwalla", "htmlcs"])
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--inapplicable", action="store_true", help="also run the inapplicable cases")
    parser.add_argument("--rule", action="append", metavar="RULE_ID", help="only these ACT rules (repeat)")
    parser.add_argument("--save-run", type=Path, metavar="PATH", help="write every case's findings to PATH (JSON)")
    parser.add_argument("--from-run", type=Path, metavar="PATH", help="score a run saved with --save-run")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the figures to PATH (JSON)")
    parser.add_argument("--baseline", type=Path, metavar="PATH",
                        help="write the gating runners' figures as the regression baseline (act-baseline.json)")
    parser.add_argument("--verbose", action="store_true", help="list each scored case with its outcome")
    args = parser.parse_args(argv)
    if not (args.data / "testcases.json").is_file():
        print(f"act_bench: {args.data}/testcases.json is missing (the ACT test cases, see SOURCE.md there)",
              file=sys.stderr)
        return 2
    runners = tuple(dict.fromkeys(args.runner or ["axe", "thingwalla", "htmlcs"]))
    if "axe" not in runners:
        runners = ("axe", *runners)
    cases = act_cases(args.data)
    if args.rule:
        cases = [c for c in cases if c.rule_id in args.rule]
    run = [c for c in cases if args.inapplicable or c.expected in ("failed", "passed")]
    print(f"{len(cases)} ACT cases map to WCAG 2.x A/AA ({len({c.rule_id for c in cases})} rules, "
          f"{len({sc for c in cases for sc in c.criteria})} SCs); "
          + (f"scoring {args.from_run}" if args.from_run else f"running {len(run)} with {', '.join(runners)}"),
          file=sys.stderr)
    started = time.monotonic()

    def progress(done, url):
        n = int(done.split("/")[0])
        if n % 50 == 0:
            print(f"  {done} pages, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    if args.from_run:
        pages = load_run(args.from_run)
    else:
        pages = run_cases(args.data, run, runners, args.concurrency, progress)
        elapsed = time.monotonic() - started
        print(f"\n{len(run)} pages in {elapsed:.0f} s ({elapsed / len(run):.2f} s/page, "
              f"concurrency {args.concurrency})\n")
    if args.save_run:
        save_run(pages, args.save_run)
    doc = summary(cases, pages, runners)
    doc["date"] = dt.date.today().isoformat()
    print_summary(doc)
    if args.verbose:
        gate = tuple(r for r in runners if r != "htmlcs")
        print(f"\n| rule | case | expected | {' + '.join(gate)} | errors (runner code SC) |\n|---|---|---|---|---|")
        for case in run:
            page = pages.get(case.key)
            if page is None:
                continue
            errors = "; ".join(f"{f.runner} {f.code} {','.join(f.criteria)}" for f in page.findings
                               if f.level == "error")
            hit = matched(case, page.findings, gate) if page.checked_ok else "not checked"
            print(f"| {case.rule_id} | {case.case_id[:8]} | {case.expected} | {hit} | {errors} |")
    if args.json:
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    if args.baseline:
        if args.rule or not set(GATING) <= set(runners):
            print("act_bench: --baseline needs every case (no --rule) and the runners axe and thingwalla",
                  file=sys.stderr)
            return 2
        command = " ".join(["scripts/act_bench.py", *(argv if argv is not None else sys.argv[1:])])
        args.baseline.write_text(json.dumps(baseline_document(cases, pages, doc, command), indent=1) + "\n",
                                 encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
