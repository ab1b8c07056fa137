"""thingwalla design-check [--write]"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..problems import format_problems
from . import EXIT_ERRORS, EXIT_OK, UsageError, repository


def register(commands) -> None:
    parser = commands.add_parser(
        "design-check", help="check every design-system component's example for accessibility, in headless chromium",
        description="Build the site, open every component page (bokmål and English) in headless Debian chromium and "
                    "check its live example: axe-core's WCAG 2.1 A/AA rules, keyboard focus, reflow at 320 px and "
                    "text contrast with token colours only. Without --write, compare with each component's "
                    "a11y-results.json and fail when a check fails or a record is stale. Needs Playwright, "
                    "/usr/bin/chromium and axe-core (npm install, or THINGWALLA_AXE_CORE=path/to/axe.min.js).")
    parser.add_argument("--write", action="store_true", help="write the results into each component's a11y-results.json")
    parser.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..design_check import CheckSetupError, comparable, find_axe, run_checks, write_results
    from ..design_system import load_design_system
    from ..tokens import load_design_tokens
    from ..validate import today

    root = repository(args.repository)
    tokens, design = load_design_tokens(root), load_design_system(root)
    if tokens.problems or design.problems:
        print(format_problems([*tokens.problems, *design.problems], "text"))
        return EXIT_ERRORS
    try:
        axe = find_axe(root)
        with tempfile.TemporaryDirectory(prefix="thingwalla-design-") as tmp:
            site = Path(tmp) / "site"
            build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                                    "-d", str(site)], cwd=root, capture_output=True, text=True,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            if build.returncode != 0:
                print(build.stderr[-3000:], file=sys.stderr)
                raise UsageError("the site does not build; fix that first (see the messages above)")
            results = _serve_and_check(site, design, tokens, axe, run_checks)
    except CheckSetupError as exc:
        raise UsageError(str(exc)) from None
    failing = [(cid, c) for cid, r in results.items() for c in r["checks"] if c["result"] != "pass"]
    for cid, check in failing:
        for detail in check.get("violations", []) + check.get("failures", []):
            print(f"design-system/components/{cid}: {check['id']}: {detail}")
    if args.write:
        for path in write_results(design, results, today()):
            print(f"wrote {path.relative_to(root)}", file=sys.stderr)
    else:
        stale = [c.id for c in design.components if comparable(c.results) != comparable(results[c.id])]
        for cid in stale:
            print(f"design-system/components/{cid}/a11y-results.json: the recorded results differ from this run; "
                  "run `thingwalla design-check --write` and commit the file")
        if stale:
            return EXIT_ERRORS
    checks = sum(len(r["checks"]) for r in results.values())
    print(f"{len(results)} components, {checks} checks: {len(failing)} failed", file=sys.stderr)
    return EXIT_ERRORS if failing else EXIT_OK


def _serve_and_check(site: Path, design, tokens, axe: Path, run_checks) -> dict:
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        return run_checks(f"http://127.0.0.1:{httpd.server_address[1]}/", design, tokens, axe)
    finally:
        httpd.shutdown()
        httpd.server_close()
