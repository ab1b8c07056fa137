"""The W3C ACT Rules test cases as a benchmark: which cases count, how they are served, how they are scored.

    cases = act_cases(folder)                  # the cases of rules mapped (for conformance) to WCAG 2.x A/AA
    with ActServer(folder) as server: ...      # serves them where their absolute asset paths expect
    score(cases, pages, runners)               # recall on failed cases, false flags on passed cases

Results are keyed by ActCase.key (the case file), never by the test-case id, which two rules can share.

A case is caught only when an error-level finding of the chosen runners names one of the rule's
success criteria ("SC-matched" in ../shared/reference/a11y-feasibility.md).
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from .server import QuietServer

MOUNT = "/WAI/content-assets/wcag-act-rules/"


@dataclass(frozen=True)
class ActCase:
    rule_id: str
    rule_name: str
    case_id: str
    expected: str  # passed, failed or inapplicable
    path: str  # relative to the folder, e.g. testcases/<rule>/<id>.html
    criteria: tuple[str, ...]

    @property
    def url_path(self) -> str:
        return MOUNT + self.path

    @property
    def key(self) -> str:
        """Unique per case: the case file (testcases/<rule>/<id>.html). A test-case id alone is not: 12 ids
        are shared by two rules, with different files and sometimes different expected outcomes."""
        return self.path


def act_cases(folder: Path) -> list[ActCase]:
    data = json.loads((folder / "testcases.json").read_text(encoding="utf-8"))
    requirements = json.loads((folder / "requirements.json").read_text(encoding="utf-8"))
    levels = {r["num"]: r["level"] for r in requirements.values()}
    cases = []
    for case in data["testcases"]:
        criteria = []
        for key, value in (case.get("ruleAccessibilityRequirements") or {}).items():
            family, _, sc = key.partition(":")
            if family in ("wcag20", "wcag21") and isinstance(value, dict) and value.get("forConformance") \
                    and levels.get(sc) in ("A", "AA"):
                criteria.append(sc)
        if criteria and case["relativePath"].endswith(".html") and (folder / case["relativePath"]).is_file():
            cases.append(ActCase(case["ruleId"], case["ruleName"], case["testcaseId"], case["expected"],
                                 case["relativePath"], tuple(sorted(set(criteria)))))
    return cases


class _Handler(http.server.SimpleHTTPRequestHandler):
    # The case files are UTF-8. Without a charset in the HTTP header, Chromium reads a page that has no
    # <meta charset> as windows-1252 ("▼" becomes "â–¼"), which changes what the checks see on 12 cases.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".html": "text/html; charset=utf-8"}

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(MOUNT):
            path = "/" + path[len(MOUNT):]
        return super().translate_path(path)

    def log_message(self, *args):
        pass


class ActServer:
    """Serve the folder on 127.0.0.1 at /WAI/content-assets/wcag-act-rules/ (the cases' own asset paths)."""

    def __init__(self, folder: Path):
        self.httpd = QuietServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "ActServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class Score:
    caught: int
    failed: int
    flagged: int
    passed: int
    not_scored: int

    @property
    def recall(self) -> float:
        return self.caught / self.failed if self.failed else 0.0

    @property
    def false_flags(self) -> float:
        return self.flagged / self.passed if self.passed else 0.0


def matched(case: ActCase, findings, runners) -> bool:
    """findings: the page's Finding objects (thingwalla.a11y.results)."""
    return any(f.runner in runners and f.level == "error" and set(f.criteria) & set(case.criteria) for f in findings)


def score(cases: list[ActCase], pages: dict, runners) -> Score:
    """pages: case key (ActCase.key) -> PageResult. Cases whose page could not be checked are left out (not_scored)."""
    s = Score(0, 0, 0, 0, 0)
    for case in cases:
        if case.expected not in ("failed", "passed"):
            continue
        page = pages.get(case.key)
        if page is None or not page.checked_ok:
            s.not_scored += 1
            continue
        hit = matched(case, page.findings, runners)
        if case.expected == "failed":
            s.failed += 1
            s.caught += hit
        else:
            s.passed += 1
            s.flagged += hit
    return s


def by_criterion(cases: list[ActCase], pages: dict, runners) -> dict[str, tuple[int, int]]:
    """SC -> (failed cases, caught), each case counted under each of its criteria."""
    table: dict[str, list[int]] = {}
    for case in cases:
        page = pages.get(case.key)
        if case.expected != "failed" or page is None or not page.checked_ok:
            continue
        hit = matched(case, page.findings, runners)
        for sc in case.criteria:
            row = table.setdefault(sc, [0, 0])
            row[0] += 1
            row[1] += hit
    return {sc: tuple(v) for sc, v in sorted(table.items(), key=lambda kv: tuple(int(p) for p in kv[0].split(".")))}


def combinations(runners) -> list[tuple[str, ...]]:
    """Each runner alone, then the combinations that include axe (the runner the checks gate on)."""
    order = [r for r in ("axe", "thingwalla", "htmlcs") if r in runners]
    combos = [(r,) for r in order]
    for extra in (("thingwalla",), ("htmlcs",), ("thingwalla", "htmlcs")):
        combo = ("axe", *extra)
        if set(combo) <= set(order) and combo not in combos:
            combos.append(combo)
    return combos


def summary(cases: list[ActCase], pages: dict, runners, gating=("axe", "thingwalla")) -> dict:
    """The figures of one benchmark run, as data (act_bench.py --json, act-baseline.json, tests/test_a11y_act.py)."""
    scored = [c for c in cases if c.expected in ("failed", "passed")]
    doc: dict = {
        "cases": {"mapped": len(cases), "rules": len({c.rule_id for c in cases}),
                  "criteria": len({sc for c in cases for sc in c.criteria}),
                  "failed": sum(c.expected == "failed" for c in cases),
                  "passed": sum(c.expected == "passed" for c in cases),
                  "inapplicable": sum(c.expected == "inapplicable" for c in cases),
                  "run": sum(1 for c in cases if c.key in pages)},
        "runners": {},
    }
    for combo in combinations(runners):
        s = score(scored, pages, combo)
        doc["runners"][" + ".join(combo)] = {
            "recall": round(s.recall, 4), "caught": s.caught, "failed": s.failed,
            "false_flags": round(s.false_flags, 4), "flagged": s.flagged, "passed": s.passed,
            "not_scored": s.not_scored}
    gate = tuple(r for r in gating if r in runners)
    base, ours = by_criterion(cases, pages, ("axe",)), by_criterion(cases, pages, gate)
    doc["gating"] = " + ".join(gate)
    doc["by_criterion"] = {sc: {"failed": n, "axe": base[sc][1], doc["gating"]: hit} for sc, (n, hit) in ours.items()}
    return doc


def outcomes(cases: list[ActCase], pages: dict, runners) -> tuple[list[str], list[str]]:
    """(keys of the failed cases caught, keys of the passed cases flagged), for naming what changed."""
    caught, flagged = [], []
    for case in cases:
        page = pages.get(case.key)
        if case.expected not in ("failed", "passed") or page is None or not page.checked_ok:
            continue
        if matched(case, page.findings, runners):
            (caught if case.expected == "failed" else flagged).append(case.key)
    return sorted(caught), sorted(flagged)
