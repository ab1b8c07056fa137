#!/usr/bin/env python3
"""Benchmark: the a11y checker on the W3C ACT Rules test cases that map to WCAG 2.x A/AA.

    .venv/bin/python scripts/act_bench.py                     # axe + our own checks + htmlcs, failed and passed cases
    .venv/bin/python scripts/act_bench.py --runner axe --runner thingwalla --concurrency 2

Prints, per runner and combined, recall on expected-failed cases and the false-flag rate on
expected-passed cases, counting a case only when an error names one of the rule's success criteria,
then the by-criterion table. Data: ../shared/peer/act-testcases/ (see its SOURCE.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from thingwalla.a11y.act import ActServer, act_cases, by_criterion, score  # noqa: E402
from thingwalla.a11y.check import check_urls  # noqa: E402
from thingwalla.a11y.pa11y import RunOptions  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "peer" / "act-testcases"
COMBINATIONS = [("axe",), ("thingwalla",), ("htmlcs",), ("axe", "thingwalla"), ("axe", "htmlcs"),
                ("axe", "thingwalla", "htmlcs")]


def run_cases(folder: Path, cases, runners, concurrency: int, progress=None) -> dict:
    """case_id -> PageResult, from one pa11y-ci run over all the cases."""
    with ActServer(folder) as server:
        urls = {server.url + case.url_path: case for case in cases}
        result = check_urls(list(urls), RunOptions(runners=tuple(runners), concurrency=concurrency),
                            allow_private=True, progress=progress)
    return {urls[page.url].case_id: page for page in result.pages}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the act-testcases folder")
    parser.add_argument("--runner", action="append", choices=["axe", "thingwalla", "htmlcs"])
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--inapplicable", action="store_true", help="also run the inapplicable cases")
    args = parser.parse_args(argv)
    if not (args.data / "testcases.json").is_file():
        print(f"act_bench: {args.data}/testcases.json is missing (the ACT test cases, see SOURCE.md there)",
              file=sys.stderr)
        return 2
    runners = tuple(dict.fromkeys(args.runner or ["axe", "thingwalla", "htmlcs"]))
    if "axe" not in runners:
        runners = ("axe", *runners)
    cases = act_cases(args.data)
    run = [c for c in cases if args.inapplicable or c.expected in ("failed", "passed")]
    print(f"{len(cases)} ACT cases map to WCAG 2.x A/AA ({len({c.rule_id for c in cases})} rules, "
          f"{len({sc for c in cases for sc in c.criteria})} SCs); running {len(run)} with {', '.join(runners)}",
          file=sys.stderr)
    started = time.monotonic()

    def progress(done, url):
        n = int(done.split("/")[0])
        if n % 50 == 0:
            print(f"  {done} pages, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    pages = run_cases(args.data, run, runners, args.concurrency, progress)
    elapsed = time.monotonic() - started
    print(f"\n{len(run)} pages in {elapsed:.0f} s ({elapsed / len(run):.2f} s/page, concurrency {args.concurrency})\n")
    print("| runners | recall (failed cases caught) | false flags (passed cases flagged) |")
    print("|---|---|---|")
    for combo in COMBINATIONS:
        if set(combo) <= set(runners):
            s = score(cases, pages, combo)
            print(f"| {' + '.join(combo)} | {s.recall:.1%} ({s.caught}/{s.failed}) | "
                  f"{s.false_flags:.1%} ({s.flagged}/{s.passed}) |")
    s = score(cases, pages, runners)
    if s.not_scored:
        print(f"\n{s.not_scored} case(s) could not be checked and are not scored (e.g. redirects off-site).")
    gate = tuple(r for r in runners if r != "htmlcs")
    base, ours = by_criterion(cases, pages, ("axe",)), by_criterion(cases, pages, gate)
    print(f"\n| SC | failed cases | axe | {' + '.join(gate)} |\n|---|---|---|---|")
    for sc, (n, hit) in ours.items():
        print(f"| {sc} | {n} | {base[sc][1]} | {hit} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
