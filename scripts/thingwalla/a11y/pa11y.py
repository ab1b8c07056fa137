"""Run pa11y-ci (Node) as a subprocess on a list of URLs and return one raw record per requested URL.

The working set-up of ../shared/reference/a11y-feasibility.md: Debian's /usr/bin/chromium (no browser
download), URLs written as objects (plain strings break at concurrency > 1, pa11y-ci #354), needs-review
items capped at warnings, and results recorded per *requested* URL by our own reporter (node/reporter.js),
one JSON line per page in a file -- never JSON through a pipe (cut at 64 KiB).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

NODE_DIR = Path(__file__).parent / "node"  # package data (pyproject.toml): reporter and our own checks
SOURCE_CHECKOUT = Path(__file__).resolve().parents[3]  # the repository, when running from a checkout (editable)
PA11Y_BIN = Path("node_modules") / ".bin" / "pa11y-ci"
CHROMIUM = os.environ.get("THINGWALLA_CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
RUNNERS = {"axe": "axe", "htmlcs": "htmlcs", "thingwalla": str(NODE_DIR / "thingwalla-runner.js")}


class Pa11yError(RuntimeError):
    pass


@dataclass
class RunOptions:
    runners: tuple[str, ...] = ("axe", "thingwalla")
    concurrency: int = 2
    timeout_ms: int = 30000
    standard: str = "WCAG2AA"


def node_root(cwd: Path | None = None) -> Path | None:
    """The folder whose node_modules holds pa11y-ci (installed by `npm ci` from package-lock.json).

    The source checkout this package runs from, when it has one (an editable install); otherwise, as for a
    package installed into site-packages, the current directory or the nearest parent folder that has it
    (the repository root, when run anywhere inside the repository). None when there is none."""
    if (SOURCE_CHECKOUT / PA11Y_BIN).exists():
        return SOURCE_CHECKOUT
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PA11Y_BIN).exists():
            return folder
    return None


def _repository_root(cwd: Path) -> Path | None:
    here = cwd.resolve()
    return next((f for f in (here, *here.parents) if (f / "package.json").is_file() or (f / ".git").exists()), None)


def pa11y_ci(cwd: Path | None = None) -> Path:
    root = node_root(cwd)
    if root is None:
        here = (cwd or Path.cwd()).resolve()
        repository = _repository_root(here)
        where = f"in the repository root ({repository})" if repository else "in the Thingwalla repository"
        raise Pa11yError(f"pa11y-ci is not installed: no {PA11Y_BIN} in {here} or its parent folders. Run `npm ci` "
                         f"{where}: it installs pa11y-ci from package-lock.json (with PUPPETEER_SKIP_DOWNLOAD=1; the "
                         "browser is Debian's chromium), as `make test-deps` does. Then run thingwalla a11y inside "
                         "the repository")
    if not Path(CHROMIUM).exists():
        raise Pa11yError(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    return root / PA11Y_BIN


def config(urls: list[str], options: RunOptions, results_file: Path) -> dict:
    return {
        "defaults": {
            "standard": options.standard,
            "runners": [RUNNERS[r] for r in options.runners],
            "timeout": options.timeout_ms,
            "concurrency": options.concurrency,
            "levelCapWhenNeedsReview": "warning",
            "useIncognitoBrowserContext": True,
            "chromeLaunchConfig": {"executablePath": CHROMIUM, "args": CHROME_ARGS},
            "reporters": [[str(NODE_DIR / "reporter.js"), {"fileName": str(results_file), "total": len(urls)}]],
        },
        "urls": [{"url": u} for u in urls],
    }


def run_pa11y(urls: list[str], options: RunOptions, progress=None, workdir: Path | None = None) -> dict[str, dict]:
    """Raw records keyed by requested URL: {"url", "ok", "issues" | "error", ...}. A URL pa11y-ci dropped
    (its browser died between pages, pa11y-ci #282) is missing from the result; the caller reports it."""
    exe = pa11y_ci()
    if not urls:
        return {}
    with tempfile.TemporaryDirectory(prefix="thingwalla-a11y-", dir=workdir) as tmp:
        tmp_path = Path(tmp)
        results_file = tmp_path / "results.jsonl"
        config_file = tmp_path / "pa11yci.json"
        config_file.write_text(json.dumps(config(urls, options, results_file)), encoding="utf-8")
        # node_modules by NODE_PATH: reporter.js (it needs axe-core) lives in the package, not beside them
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1", "PUPPETEER_EXECUTABLE_PATH": CHROMIUM,
               "NODE_PATH": str(exe.parents[1]), "NO_COLOR": "1"}
        total_timeout = 120 + len(urls) * options.timeout_ms / 1000 / max(1, options.concurrency) * 2
        with open(tmp_path / "stdout.txt", "w") as out:  # a file, never a pipe
            proc = subprocess.Popen([str(exe), "--config", str(config_file)], stdout=out, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, text=True, cwd=tmp, env=env)
            tail: list[str] = []
            try:
                for line in proc.stderr:  # stderr is read as it comes, so it never fills up
                    if line.startswith("TWPROGRESS ") and progress:
                        done, _, url = line[11:].strip().partition(" ")
                        progress(done, url)
                    elif not line.startswith("TWPROGRESS "):
                        tail = (tail + [line])[-40:]
                proc.wait(timeout=total_timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise Pa11yError(f"pa11y-ci did not finish within {total_timeout:.0f} s") from None
        records: dict[str, dict] = {}
        for line in results_file.read_text(encoding="utf-8").splitlines() if results_file.exists() else []:
            if line.strip():
                record = json.loads(line)
                records[record["url"]] = record
        if proc.returncode == 1 and not records:  # config, browser start or sitemap failure
            stdout = (tmp_path / "stdout.txt").read_text(errors="replace")[-2000:]
            raise Pa11yError("pa11y-ci could not run (exit 1):\n" + (stdout + "".join(tail)).strip()[-3000:])
        return records
