"""The `thingwalla` command. Argument parsing only: each command calls a library function."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .discover import find_repo_root
from .problems import format_problems

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thingwalla", description="Thingwalla marketplace tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check the catalog: schemas, references, identifiers and files",
        description="Check the whole catalog and report every problem with file, line and column. "
                    "With PATHs, only problems in those files or folders are reported (the whole catalog is "
                    "still read, since entries refer to each other). Exit status: 0 no errors, 1 errors, 2 usage error.")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to report on")
    validate.add_argument("--format", choices=["text", "json", "github"], default="text",
                          help="text for people, json for tools, github for workflow annotations")
    validate.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
    validate.set_defaults(run=run_validate)
    return parser


def _repository(explicit: str | None, paths: list[str]) -> Path:
    if explicit:
        root = Path(explicit)
        if not (root / "catalog").is_dir():
            raise UsageError(f"{explicit} has no catalog/ folder")
        return root.resolve()
    start = Path(paths[0]) if paths else Path.cwd()
    root = find_repo_root(start if start.is_dir() else start.parent)
    if root is None:
        raise UsageError("not inside a Thingwalla repository (no catalog/ folder found here or above)")
    return root


def run_validate(args) -> int:
    from .validate import validate_repository

    for path in args.paths:
        if not Path(path).exists():
            raise UsageError(f"{path}: no such file or folder")
    root = _repository(args.repository, args.paths)
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
        summary = (f"{result.files_checked} files checked: "
                   + (f"{errors} error(s)" if errors else "no errors")
                   + (f", {len(problems) - errors} warning(s)" if len(problems) > errors else ""))
        print(summary, file=sys.stderr)
    return EXIT_ERRORS if errors else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"thingwalla: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # no traceback reaches a vendor; THINGWALLA_DEBUG=1 shows it
        if os.environ.get("THINGWALLA_DEBUG"):
            raise
        print(f"thingwalla: internal error ({type(exc).__name__}: {exc}). Please report it to the platform "
              "maintainers; set THINGWALLA_DEBUG=1 to see the details.", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
