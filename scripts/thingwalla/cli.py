"""The `thingwalla` command: argument parsing only. Each sub-command lives in thingwalla.commands."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .commands import EXIT_INTERNAL, EXIT_USAGE, UsageError

# Sub-command modules, in the order `thingwalla --help` lists them.
COMMANDS = [
    "validate",
    "generate",
    "import_",
    "procure",
    "tokens",
    "design_check",
    "check",
    "codeowners",
    "new",
    "a11y",
    "compliance",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thingwalla", description="Thingwalla marketplace tools.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"thingwalla.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
