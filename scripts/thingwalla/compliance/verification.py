"""Results of automatic checks that can lift evidence to "verified".

Accessibility: a JSON file of per-URL results with a date, e.g. from `thingwalla a11y` or pa11y-ci:

    {"tool": "pa11y-ci", "checked": "2026-11-30",
     "results": {"https://demo.example.no/": {"errors": 0, "warnings": 3},
                 "https://other.example.no/": [{"type": "error", "code": "WCAG2AA...", "message": "..."}]}}

`results` maps a URL to counts ({"errors": n, optionally "checked": date}) or to pa11y's list of
issues (each with "type"). A list of {"url", "errors", "checked"} objects is read too. Every URL
needs a date: its own "checked" or the file's. A URL's result counts for a service whose
links.demo is that URL (a trailing slash does not matter).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem


class A11yResultsError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass(frozen=True)
class A11yResult:
    url: str
    errors: int
    checked: dt.date
    tool: str


class A11yResults:
    def __init__(self, results: dict[str, A11yResult], source: str):
        self.results = results
        self.source = source

    def result_for(self, url: str) -> A11yResult | None:
        return self.results.get(_key(url))


def _key(url: str) -> str:
    return url.strip().rstrip("/")


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def load_a11y_results(path: Path, shown_as: str | None = None) -> A11yResults:
    name = shown_as or str(path)
    hint = "see `thingwalla compliance --help` for the format: {\"checked\": \"YYYY-MM-DD\", \"results\": {url: {\"errors\": 0}}}"

    def fail(message: str, line: int = 1, col: int = 1) -> A11yResultsError:
        return A11yResultsError([Problem(name, line, col, message, hint, "compliance.a11y_results")])

    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read the accessibility results: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise fail(f"the accessibility results are not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    if not isinstance(data, dict) or "results" not in data:
        raise fail("the accessibility results have no \"results\"")
    default_date = _date(data.get("checked"))
    tool = str(data.get("tool") or "pa11y")
    entries = data["results"]
    if isinstance(entries, list):
        entries = {str(e.get("url")): e for e in entries if isinstance(e, dict)}
    if not isinstance(entries, dict):
        raise fail("\"results\" must map each URL to its result")
    problems, results = [], {}
    for url, value in entries.items():
        if isinstance(value, list):  # pa11y's issues
            errors, checked = sum(1 for issue in value if isinstance(issue, dict) and issue.get("type") == "error"), None
        elif isinstance(value, dict) and isinstance(value.get("errors"), int) and not isinstance(value.get("errors"), bool):
            errors, checked = value["errors"], _date(value.get("checked"))
        else:
            problems.append(Problem(name, 1, 1, f"the result for {url} has no error count",
                                    "give {\"errors\": <number>} or pa11y's list of issues", "compliance.a11y_results"))
            continue
        checked = checked or default_date
        if checked is None:
            problems.append(Problem(name, 1, 1, f"the result for {url} has no date",
                                    "add \"checked\": \"YYYY-MM-DD\" to the file or to the result", "compliance.a11y_results"))
            continue
        results[_key(url)] = A11yResult(url, errors, checked, tool)
    if problems:
        raise A11yResultsError(problems)
    return A11yResults(results, name)
