"""thingwalla codeowners [--check]"""

from __future__ import annotations

import sys

from . import EXIT_ERRORS, EXIT_OK, repository


def register(commands) -> None:
    parser = commands.add_parser(
        "codeowners", help="write .github/CODEOWNERS from the maintainers of vendors, buyers and the platform",
        description="Write .github/CODEOWNERS from catalog/platform-maintainers.yaml and the 'maintainers:' of "
                    "every vendor and buyer, so GitHub asks the right people to review. With --check, write "
                    "nothing and fail (exit status 1) when the file is missing or stale.")
    parser.add_argument("--check", action="store_true", help="fail when .github/CODEOWNERS is not up to date")
    parser.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..pr.codeowners import CODEOWNERS_PATH, generate

    root = repository(args.repository)
    path = root / CODEOWNERS_PATH
    wanted = generate(root)
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if args.check:
        if current == wanted:
            print(f"{CODEOWNERS_PATH} is up to date")
            return EXIT_OK
        why = "is missing" if current is None else "is stale: maintainers or entries changed since it was written"
        print(f"{CODEOWNERS_PATH}:1:1: error: {why}\n    hint: run `thingwalla codeowners` and commit the result",
              file=sys.stderr)
        return EXIT_ERRORS
    if current == wanted:
        print(f"{CODEOWNERS_PATH} is already up to date")
        return EXIT_OK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(wanted, encoding="utf-8")
    print(f"wrote {CODEOWNERS_PATH} ({wanted.count(chr(10) + '/')} owned paths)")
    return EXIT_OK
