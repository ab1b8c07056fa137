#!/usr/bin/env python3
"""Benchmark: `thingwalla check` of a one-entry pull request, against validating the whole catalog.

    .venv/bin/python scripts/bench_check.py                  # N = 1,000 and 10,000 services
    .venv/bin/python scripts/bench_check.py --sizes 10000    # one size
    .venv/bin/python scripts/bench_check.py --keep /tmp/bc   # keep the generated repositories

For each N it writes a synthetic catalog (`thingwalla generate`), commits it on `main` in a new git
repository, and commits on a branch a change to one service (a price and a data location). Then, each in
its own process (so the figures include start-up, as a vendor or CI sees them):

- check: `thingwalla check --base main --author <the vendor's maintainer> --json …` — the pull request check.
- baseline: `thingwalla validate` of the whole catalog — what a check that ignores the change would cost.

Target (issue 8): a one-entry change in a 10,000-service catalog is checked in at most 2 s. The ratio
check/baseline shows the cost follows the change, not the catalog; so does the check's time at 1,000
against 10,000. Times are wall and CPU (user + sys); on a busy machine trust CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0
ENV = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "GIT_AUTHOR_NAME": "bench", "GIT_COMMITTER_NAME": "bench",
       "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def measure(cmd: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True)


def prepare(n: int, work: Path) -> tuple[Path, str]:
    root = work / f"catalog-{n}"
    if root.exists():
        shutil.rmtree(root)
    subprocess.run([sys.executable, "-m", "thingwalla", "generate", "--services", str(n), "--out", str(root)],
                   env=ENV, check=True, capture_output=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "catalog")
    git(root, "switch", "-q", "-c", "pr")
    path = root / "catalog/services/service-00042/service.yaml"
    text = path.read_text(encoding="utf-8")
    text, prices = re.subn(r"(\n\s+price: )(\d+)", lambda m: f"{m.group(1)}{int(m.group(2)) + 100}", text, count=1)
    text = text.replace("data_locations:\n", "data_locations:\n  - US\n", 1) if "data_locations:\n" in text else text
    path.write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-am", "one service changes")
    vendor = re.search(r"^vendor: (\S+)", text, re.M).group(1)
    maintainer = re.search(r"^- (\S+)", (root / f"catalog/vendors/{vendor}.yaml").read_text(), re.M).group(1)
    return root, maintainer


def bench_size(n: int, work: Path) -> dict:
    print(f"N = {n:,}: generating and committing …", file=sys.stderr, flush=True)
    root, maintainer = prepare(n, work)
    out = work / f"check-{n}.json"
    thingwalla = [sys.executable, "-m", "thingwalla"]
    check_wall, check_cpu, proc = measure([*thingwalla, "check", "--base", "main", "--author", maintainer,
                                           "--json", str(out)], root)
    if proc.returncode != 0:
        raise SystemExit(f"check failed at N={n}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    report = json.loads(out.read_text())
    base_wall, base_cpu, proc = measure([*thingwalla, "validate"], root)
    if proc.returncode != 0:
        raise SystemExit(f"validate failed at N={n}:\n{proc.stderr[-2000:]}")
    return {"n": n, "check_wall": check_wall, "check_cpu": check_cpu, "base_wall": base_wall, "base_cpu": base_cpu,
            "files_read": report["files_read"], "validated": report["entries_validated"],
            "changes": [c["text"] for e in report["entries"] for c in e["changes"]]}


def report(results: list[dict]) -> None:
    print()
    print(f"{'services':>9}  {'check wall':>10}  {'check cpu':>9}  {'validate all':>12}  {'ratio':>6}  "
          f"{'files read':>10}  {'validated':>9}")
    for r in results:
        print(f"{r['n']:>9,}  {r['check_wall']:>9.2f}s  {r['check_cpu']:>8.2f}s  {r['base_wall']:>11.2f}s  "
              f"{r['check_wall'] / r['base_wall']:>6.3f}  {r['files_read']:>10}  {r['validated']:>9}")
    print()
    for r in results:
        print(f"N = {r['n']:,}: the change reads as: {'; '.join(r['changes'])}")
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(f"check time at {large['n']:,} / at {small['n']:,} services: "
              f"{large['check_wall'] / small['check_wall']:.2f}× (catalog {large['n'] / small['n']:.0f}× larger)")
    biggest = max(results, key=lambda r: r["n"])
    verdict = "meets" if biggest["check_wall"] <= TARGET_SECONDS else "MISSES"
    print(f"target: one-entry change checked in ≤ {TARGET_SECONDS:.0f} s at 10,000 services — at "
          f"{biggest['n']:,}: {biggest['check_wall']:.2f} s wall, {biggest['check_cpu']:.2f} s CPU ({verdict} it)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated service counts (default 1000,10000)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the repositories")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.keep:
        work = Path(args.keep)
        work.mkdir(parents=True, exist_ok=True)
        results = [bench_size(n, work) for n in sizes]
    else:
        with tempfile.TemporaryDirectory(prefix="thingwalla-bench-check-") as tmp:
            results = [bench_size(n, Path(tmp)) for n in sizes]
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
