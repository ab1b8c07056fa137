"""One accessibility check: guard the URLs, fetch each once (HTTP status), run pa11y-ci, collect results."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from .fetch import fetch_all
from .guard import UnsafeUrl, check_url
from .pa11y import RunOptions, node_root, pa11y_ci, run_pa11y
from .results import GATING, PageResult, not_checked, page_result


class NothingToCheck(ValueError):
    pass


@dataclass
class CheckRun:
    pages: list[PageResult]
    runners: list[str]
    gating: list[str]
    started: dt.datetime
    tool_version: str


def guard_all(urls: list[str], allow_private: bool) -> list[str]:
    """Every URL checked before any browser starts; all refusals are reported together."""
    if not urls:
        raise NothingToCheck("no URLs to check: an empty list is an error, never a pass")
    refused = []
    for url in urls:
        try:
            check_url(url, allow_private)
        except UnsafeUrl as exc:
            refused.append(str(exc))
    if refused:
        raise UnsafeUrl("\n".join(refused))
    return list(dict.fromkeys(urls))


def tool_version() -> str:
    root = node_root()
    try:
        return json.loads((root / "node_modules" / "pa11y-ci" / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return "unknown"


def check_urls(urls: list[str], options: RunOptions, allow_private: bool = False, progress=None,
               timeout: float = 30.0) -> CheckRun:
    urls = guard_all(urls, allow_private)
    pa11y_ci()  # pa11y-ci and chromium are there, before any page is fetched (Pa11yError names `npm ci`)
    started = dt.datetime.now(dt.timezone.utc)
    today = started.date()
    fetched = {f.url: f for f in fetch_all(urls, allow_private, timeout=timeout)}
    reachable = [u for u in urls if not fetched[u].problem]
    records = run_pa11y(reachable, options, progress)
    pages = []
    for url in urls:
        f = fetched[url]
        pages.append(not_checked(url, today, f.problem, f) if f.problem else page_result(url, records.get(url), f, today))
    return CheckRun(pages, list(options.runners), [r for r in options.runners if r in GATING], started, tool_version())
