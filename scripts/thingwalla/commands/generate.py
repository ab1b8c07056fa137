"""thingwalla generate --services N --out DIR"""

from __future__ import annotations

from pathlib import Path

from . import EXIT_OK, UsageError


def register(commands) -> None:
    parser = commands.add_parser(
        "generate", help="write a valid synthetic catalog of N services (for benchmarks)",
        description="Write a complete synthetic repository (catalog, mkdocs.yml, docs/) with N services, "
                    "N/20 vendors and N/50 buyers. Deterministic for a given N and --seed.")
    parser.add_argument("--services", type=int, required=True, metavar="N")
    parser.add_argument("--out", required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=1)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..generate import generate

    if args.services < 1:
        raise UsageError("--services must be at least 1")
    out = Path(args.out)
    if out.exists() and any(out.iterdir()) and not (out / "catalog").exists():
        raise UsageError(f"{out} exists and is not empty; choose a new folder")
    counts = generate(out, args.services, seed=args.seed)
    print(f"wrote {counts['services']} services, {counts['vendors']} vendors and {counts['buyers']} buyers to {out}")
    return EXIT_OK
