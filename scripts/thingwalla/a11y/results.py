"""Turn pa11y-ci's raw per-URL records into page results with findings mapped to WCAG success criteria.

A page fails when it has an error from a gating runner (axe, our own checks), when it answered with an
HTTP error, when it could not be loaded or tested, or when pa11y-ci dropped it from its run; a failure
to check is itself an error finding, so a page can never pass unseen. HTML_CodeSniffer is advisory only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from .criteria import criteria_of
from .fetch import Fetched

GATING = ("axe", "thingwalla")
NOT_CHECKED = "thingwalla.page-not-checked"


@dataclass
class Finding:
    runner: str  # axe, htmlcs or thingwalla (our own checks)
    code: str  # the runner's rule id
    criteria: list[str]  # WCAG success criteria, e.g. ["1.4.3"]; [] for best-practice rules
    level: str  # error, warning or notice
    gating: bool  # counts towards the page's errors (axe and our own checks); htmlcs is advisory
    message: str
    selector: str = ""
    context: str = ""
    needs_review: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class PageResult:
    url: str  # the URL as requested
    checked: dt.date
    final_url: str = ""
    http_status: int | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level == "error" and f.gating)

    @property
    def advisory(self) -> int:
        return sum(1 for f in self.findings if f.level == "error" and not f.gating)

    @property
    def checked_ok(self) -> bool:
        return not any(f.code == NOT_CHECKED for f in self.findings)

    @property
    def passed(self) -> bool:
        return self.errors == 0


def _runner_name(raw: str | None) -> str:
    raw = raw or ""
    return "thingwalla" if raw.endswith("thingwalla-runner.js") else raw


def not_checked(url: str, checked: dt.date, reason: str, fetched: Fetched | None = None) -> PageResult:
    return PageResult(url, checked, fetched.final_url if fetched else url, fetched.status if fetched else None,
                      [Finding("thingwalla", NOT_CHECKED, [], "error", True, f"The page could not be checked: {reason}")])


def page_result(url: str, record: dict | None, fetched: Fetched | None, checked: dt.date) -> PageResult:
    if record is None:
        return not_checked(url, checked, "pa11y-ci reported nothing for it (its browser may have stopped)", fetched)
    if not record.get("ok"):
        return not_checked(url, checked, record.get("error") or "unknown error", fetched)
    findings = []
    for issue in record.get("issues", []):
        if not issue.get("code"):  # pa11y's form of a page that failed to load
            return not_checked(url, checked, issue.get("message") or "the page failed to load", fetched)
        runner = _runner_name(issue.get("runner"))
        findings.append(Finding(runner, issue["code"], criteria_of(runner, issue["code"], issue.get("sc")),
                                issue.get("type") or "error", runner in GATING, issue.get("message") or "",
                                issue.get("selector") or "", (issue.get("context") or "")[:300],
                                bool(issue.get("needsReview"))))
    order = {"error": 0, "warning": 1, "notice": 2}
    findings.sort(key=lambda f: (order.get(f.level, 3), not f.gating, f.criteria, f.code))
    return PageResult(url, checked, record.get("finalUrl") or url, fetched.status if fetched else None, findings)
