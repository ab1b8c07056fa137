"""thingwalla validate [PATH…] [--format text|json|github]"""

from __future__ import annotations

import sys
from pathlib import Path

from ..problems import format_problems
from . import EXIT_ERRORS, EXIT_OK, UsageError, repository


def register(commands) -> None:
    parser = commands.add_parser(
        "validate", help="check the catalog: schemas, references, identifiers and files",
        description="Check the whole catalog and report every problem with file, line and column. "
                    "With PATHs, only problems in those files or folders are reported (the whole catalog is "
                    "still read, since entries refer to each other). Exit status: 0 no errors, 1 errors, 2 usage error.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to report on")
    parser.add_argument("--format", choices=["text", "json", "github"], default="text",
                        help="text for people, json for tools, github for workflow annotations")
    parser.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..validate import validate_repository

    for path in args.paths:
        if not Path(path).exists():
            raise UsageError(f"{path}: no such file or folder")
    root = repository(args.repository, args.paths)
    result = validate_repository(root)
    problems = result.problems
    if args.paths:
        wanted = []
        for path in args.paths:
            try:
                wanted.append(Path(path).resolve().relative_to(root).as_posix())
            except ValueError:
                raise UsageError(f"{path} is outside the repository {root}") from None
        problems = [p for p in problems
                    if any(w in (".", "") or p.path == w or p.path.startswith(w.rstrip("/") + "/") for w in wanted)]
    errors = sum(p.severity == "error" for p in problems)
    output = format_problems(problems, args.format)
    if output:
        print(output)
    if args.format == "text":
        scope = " in the given paths" if args.paths else ""
        summary = (f"{result.files_checked} files checked: "
                   + (f"{errors} error(s){scope}" if errors else f"no errors{scope}")
                   + (f", {len(problems) - errors} warning(s)" if len(problems) > errors else ""))
        elsewhere = len(result.errors) - errors
        if args.paths and elsewhere:
            summary += f" ({elsewhere} more elsewhere in the catalog)"
        print(summary, file=sys.stderr)
    return EXIT_ERRORS if errors else EXIT_OK
