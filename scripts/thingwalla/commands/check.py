"""thingwalla check --base REF [--head REF] [--author LOGIN] [--report FILE.md] [--json FILE]
thingwalla check --all [--links] [--report FILE.md] [--json FILE]"""

from __future__ import annotations

import sys
from pathlib import Path

from . import EXIT_ERRORS, EXIT_OK, UsageError, repository


def register(commands) -> None:
    parser = commands.add_parser(
        "check", help="qualify a pull request: changed entries, ownership, field-level diff, report",
        description="Compare two commits and check what the change adds, modifies, renames or deletes: the changed "
                    "entries are validated together with the entries they touch, invariants the change can break "
                    "are checked (a deleted service still in use, a renamed id still referenced), every changed "
                    "field is described, and the author's right to change each entry is decided from the base "
                    "commit's maintainers. With --all, the weekly requalification of the whole catalog instead. "
                    "Exit status: 0 passed, 1 errors or a refused change, 2 usage error.")
    parser.add_argument("--base", metavar="REF", help="the branch or commit the pull request targets (e.g. origin/main)")
    parser.add_argument("--head", metavar="REF", default="HEAD", help="the pull request's commit (default: HEAD)")
    parser.add_argument("--author", metavar="LOGIN", help="GitHub user name of the pull request's author; "
                        "without it, ownership is not checked")
    parser.add_argument("--approved-by", metavar="LOGIN", action="append", default=[],
                        help="a GitHub user who approved the head commit (repeatable, or comma-separated)")
    parser.add_argument("--all", action="store_true", help="requalify the whole catalog: full validation, evidence "
                        "expiring within 60 days, entries not updated for 365 days")
    parser.add_argument("--links", action="store_true", help="with --all: also fetch every https link (network)")
    parser.add_argument("--a11y-results", metavar="FILE.json", help="results of automatic accessibility checks "
                        "of the demo pages (pa11y-ci JSON), shown per service and used by the compliance rules")
    parser.add_argument("--report", metavar="FILE.md", help="write the Markdown report (for a job summary)")
    parser.add_argument("--json", metavar="FILE", help="write the JSON report")
    parser.add_argument("--format", choices=["text", "github"], default="text",
                        help="what to print: text for people, github for workflow annotations")
    parser.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
    parser.set_defaults(run=run)


def run(args) -> int:
    root = repository(args.repository)
    if args.all:
        if args.base or args.author or args.approved_by:
            raise UsageError("--all checks the whole catalog; it takes no --base, --author or --approved-by")
        return _requalify(root, args)
    if args.links:
        raise UsageError("--links goes with --all (pull request checks never use the network)")
    if not args.base:
        raise UsageError("give --base REF (the branch the pull request targets), or --all")
    from ..pr import report
    from ..pr.check import run_check
    from ..pr.gitrepo import GitError

    approvers = [login for value in args.approved_by for login in value.split(",") if login.strip()]
    a11y = _a11y_results(args.a11y_results)
    try:
        result = run_check(root, args.base, args.head, author=args.author, approvers=approvers, a11y=a11y)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    _write(args.report, report.markdown(result))
    _write(args.json, report.as_json(result))
    print(report.github(result) if args.format == "github" else report.text(result), end="")
    print(report.headline(result), file=sys.stderr)
    return EXIT_OK if result.passed else EXIT_ERRORS


def _requalify(root: Path, args) -> int:
    from ..pr import requalify

    result = requalify.run_requalify(root, links=args.links)
    _write(args.report, requalify.markdown(result))
    _write(args.json, requalify.as_json(result))
    print(requalify.text(result) if args.format == "text" else requalify.github(result), end="")
    print(requalify.headline(result), file=sys.stderr)
    return EXIT_OK if result.passed else EXIT_ERRORS


def _a11y_results(path: str | None):
    if not path:
        return None
    from ..compliance.verification import A11yResultsError, load_a11y_results

    try:
        return load_a11y_results(Path(path), path)
    except A11yResultsError as exc:
        raise UsageError("; ".join(p.as_text() for p in exc.problems)) from None


def _write(path: str | None, text: str) -> None:
    if not path:
        return
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
