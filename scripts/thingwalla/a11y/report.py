"""Write a check's results as JSON (for tools, and the compliance engine's "verified" evidence) and Markdown.

JSON shape, format "thingwalla-a11y/1" (keep it stable; add fields, never rename):

    {"format": "thingwalla-a11y/1", "tool": "pa11y-ci", "tool_version": "4.1.1",
     "checked": "2026-12-04",                 # UTC date of the run (every result repeats it)
     "started": "2026-12-04T05:30:00Z", "standard": "WCAG2AA",
     "runners": ["axe", "thingwalla"],        # thingwalla = our own checks; htmlcs when asked for
     "gating_runners": ["axe", "thingwalla"], # errors of other runners are advisory
     "summary": {"pages": 2, "passed": 1, "failed": 1, "errors": 3, "advisory": 0},
     "results": {                              # keyed by the URL as REQUESTED (not the final URL)
       "https://demo.example.no/": {
         "url": "https://demo.example.no/", "final_url": "https://demo.example.no/start",
         "checked": "2026-12-04", "http_status": 200, "passed": false,
         "errors": 3,                          # gating error-level findings (a page not checked has 1)
         "advisory": 0,                        # error-level findings of advisory runners
         "criteria": ["1.1.1", "4.1.2"],       # success criteria of the gating errors
         "findings": [{"runner": "axe", "code": "image-alt", "criteria": ["1.1.1"], "level": "error",
                       "gating": true, "message": "...", "selector": "img", "context": "<img src=...>",
                       "needs_review": false}]}}}

A page that could not be checked (HTTP error, load failure, dropped by pa11y-ci) has one finding with
code "thingwalla.page-not-checked". "passed" means the automated checks found no errors; it is never a
claim of WCAG conformance.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .results import PageResult

FORMAT = "thingwalla-a11y/1"


def report_document(pages: list[PageResult], runners: list[str], gating: list[str], started: dt.datetime,
                    tool_version: str, standard: str = "WCAG2AA") -> dict:
    results = {}
    for page in pages:
        results[page.url] = {
            "url": page.url, "final_url": page.final_url, "checked": page.checked.isoformat(),
            "http_status": page.http_status, "passed": page.passed, "errors": page.errors,
            "advisory": page.advisory,
            "criteria": sorted({sc for f in page.findings if f.gating and f.level == "error" for sc in f.criteria},
                               key=lambda sc: tuple(int(p) for p in sc.split("."))),
            "findings": [f.as_dict() for f in page.findings],
        }
    return {
        "format": FORMAT, "tool": "pa11y-ci", "tool_version": tool_version,
        "checked": started.date().isoformat(), "started": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "standard": standard, "runners": runners, "gating_runners": gating,
        "summary": {"pages": len(pages), "passed": sum(p.passed for p in pages),
                    "failed": sum(not p.passed for p in pages), "errors": sum(p.errors for p in pages),
                    "advisory": sum(p.advisory for p in pages)},
        "results": results,
    }


def write_json(document: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")


def markdown(document: dict) -> str:
    s = document["summary"]
    lines = [f"# Accessibility checks ({document['checked']})", "",
             f"Automated checks with {document['tool']} {document['tool_version']} ({', '.join(document['runners'])}; "
             f"{document['standard']}). Errors of {', '.join(document['gating_runners'])} count; others are advisory.",
             "", f"**{s['pages']} page(s): {s['passed']} passed, {s['failed']} failed, {s['errors']} error(s)"
             + (f", {s['advisory']} advisory" if s["advisory"] else "") + ".**", "",
             "A pass means the automated checks found no errors. About half of the WCAG 2.1 A/AA success "
             "criteria cannot be tested automatically, so this is not a statement of WCAG conformance.", "",
             "| page | result | errors | success criteria |", "|---|---|---|---|"]
    for url, page in document["results"].items():
        result = "passed" if page["passed"] else "failed"
        lines.append(f"| {_cell(url)} | {result} | {page['errors']} | {', '.join(page['criteria']) or '–'} |")
    for url, page in document["results"].items():
        shown = [f for f in page["findings"] if f["level"] == "error"]
        if not shown:
            continue
        lines += ["", f"## {_cell(url)}", "", "| SC | runner | rule | element | message |", "|---|---|---|---|---|"]
        for f in shown:
            rule = f["code"] + ("" if f["gating"] else " (advisory)")
            lines.append(f"| {', '.join(f['criteria']) or '–'} | {f['runner']} | {_cell(rule)} | "
                         f"`{_cell(f['selector']) or '–'}` | {_cell(f['message'])} |")
    return "\n".join(lines) + "\n"
