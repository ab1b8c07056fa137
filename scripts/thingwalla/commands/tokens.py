"""thingwalla tokens [--out FILE] [--check] [--format text|json|github]"""

from __future__ import annotations

import sys
from pathlib import Path

from ..problems import format_problems
from . import EXIT_ERRORS, EXIT_OK, UsageError, repository


def register(commands) -> None:
    parser = commands.add_parser(
        "tokens", help="turn the design tokens into CSS custom properties and check their contrast",
        description="Read design-system/tokens/*.tokens.json (W3C Design Tokens, DTCG 2025.10), check every "
                    "text/background pair declared in contrast-pairs.yaml against WCAG 2.1 AA, and print the "
                    "tokens as CSS custom properties (--tw-*). The site build generates the same CSS itself. "
                    "Exit status: 0 fine, 1 invalid tokens or a pair below AA, 2 usage error.")
    parser.add_argument("--out", metavar="FILE", help="write the CSS to FILE instead of standard output")
    parser.add_argument("--check", action="store_true", help="only check; print the contrast of every pair")
    parser.add_argument("--format", choices=["text", "json", "github"], default="text",
                        help="how problems are reported")
    parser.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..tokens import load_design_tokens, rounded_ratio, tokens_css

    root = repository(args.repository)
    design = load_design_tokens(root)
    if design.problems:
        print(format_problems(design.problems, args.format))
        print(f"{len(design.problems)} problem(s) in the design tokens; no CSS written", file=sys.stderr)
        return EXIT_ERRORS
    if args.check:
        for pair in design.pairs:
            print(f"{rounded_ratio(pair.ratio):6.2f}:1 (needs {pair.minimum}) {pair.kind:5} "
                  f"{pair.foreground} on {pair.background}")
        print(f"{len(design.tokens)} tokens; all {len(design.pairs)} declared pairs meet WCAG 2.1 AA", file=sys.stderr)
        return EXIT_OK
    css = tokens_css(design)
    if args.out:
        out = Path(args.out)
        if not out.parent.is_dir():
            raise UsageError(f"{out.parent} is not a folder")
        out.write_text(css, encoding="utf-8")
        print(f"wrote {len(design.tokens)} custom properties to {out}", file=sys.stderr)
    else:
        sys.stdout.write(css)
    return EXIT_OK
