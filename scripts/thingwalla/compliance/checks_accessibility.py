"""Accessibility rules (A-…): WAD, EN 301 549, the Norwegian and Swedish statement routes."""

from __future__ import annotations

import re

from .facts import Facts, Failure, date, words
from .registry import rule

UI_KINDS = ("web", "ios", "android", "desktop")
UUSTATUS = re.compile(r"^https://uustatus\.no/(nb|nn|en)/erklaringer/publisert/"
                      r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/?$")
A11Y_RESULT_MAX_AGE_DAYS = 90


def _applies(f: Facts) -> bool:
    return f.has_claim("wcag-2-1-aa") or bool(f.interfaces())


@rule("A-01")
def standard_declared(f: Facts):
    if not _applies(f):
        return None
    if not f.interfaces():
        return [Failure(("accessibility",), "interfaces")]
    out = []
    for i, ui in f.interfaces():
        wrong = [k for k, ok in (("standard", ui.get("standard") == "en-301-549-v3.2.1"),
                                 ("wcag_version", ui.get("wcag_version") in ("2.1", "2.2")),
                                 ("level", ui.get("level") in ("AA", "AAA"))) if not ok]
        if wrong:
            out.append(Failure(("accessibility", "interfaces", i, wrong[0]), ", ".join(wrong)))
    return out


@rule("A-02")
def conformance_report_current(f: Facts):
    if not f.interfaces():
        return None
    out = []
    for i, ui in f.interfaces():
        evaluated = date(ui.get("evaluated"))
        if not ui.get("report_url"):
            out.append(Failure(("accessibility", "interfaces", i), "report_url"))
        elif evaluated is None or (f.today - evaluated).days > 365:
            out.append(Failure(("accessibility", "interfaces", i, "evaluated"), str(evaluated or "evaluated")))
    return out


@rule("A-03")
def non_accessible_content_listed(f: Facts):
    partial = [(i, ui) for i, ui in f.interfaces() if ui.get("status") in ("partial", "none")]
    if not partial:
        return None
    return [Failure(("accessibility", "interfaces", i, "status"), ui["status"]) for i, ui in partial
            if not any(item.get("wcag_sc") and item.get("reason") and item.get("description")
                       for item in ui.get("non_accessible", []))]


@rule("A-04")
def evaluation_method_declared(f: Facts):
    if not f.interfaces():
        return None
    return [Failure(("accessibility", "interfaces", i), "evaluation_method") for i, ui in f.interfaces()
            if ui.get("evaluation_method") not in ("self", "third_party")]


@rule("A-05")
def feedback_mechanism(f: Facts):
    if not f.interfaces():
        return None
    return [Failure(("accessibility", "interfaces", i), "feedback_url") for i, ui in f.interfaces()
            if not ui.get("feedback_url")]


@rule("A-06")
def no_disproportionate_burden_by_vendor(f: Facts):
    if not f.interfaces():
        return None
    return [Failure(("accessibility", "interfaces", i, "non_accessible", j, "reason"), item.get("wcag_sc", ""))
            for i, ui in f.interfaces() for j, item in enumerate(ui.get("non_accessible", []))
            if item.get("reason") == "disproportionate_burden"]


@rule("A-07")
def uustatus_criteria_data(f: Facts):
    public = [ui for _, ui in f.interfaces() if ui.get("audience") in ("public", "both")]
    if "NO" not in f.countries or not public:
        return None
    return [] if f.get("accessibility", "statement_data_no") else [Failure(("accessibility",), "statement_data_no")]


@rule("A-08")
def uustatus_statement_url(f: Facts):
    url = f.get("links", "accessibility_statement")
    if "NO" not in f.countries or not url:
        return None
    return [] if UUSTATUS.match(url) else [Failure(("links", "accessibility_statement"), url)]


@rule("A-09")
def digg_report_link(f: Facts):
    if "SE" not in f.countries or not _applies(f):
        return None
    missing = [k for k, ok in (("statement_template_se", f.get("accessibility", "statement_template_se")),
                               ("digg_report_link", f.get("accessibility", "digg_report_link") is True)) if not ok]
    return [Failure(("accessibility",), ", ".join(missing))] if missing else []


@rule("A-11")
def automated_check_passed(f: Facts):
    demo = f.get("links", "demo")
    if not f.has_claim("wcag-2-1-aa") or not any(ui.get("kind") == "web" for _, ui in f.interfaces()):
        return None
    if not demo:
        return [Failure(("links",), "links.demo")]
    result = f.a11y.result_for(demo) if f.a11y else None
    if result is None:
        return [Failure(("links", "demo"), words("ingen resultat", "no result"))]
    if (f.today - result.checked).days > A11Y_RESULT_MAX_AGE_DAYS:
        return [Failure(("links", "demo"), f"{result.checked.isoformat()} > {A11Y_RESULT_MAX_AGE_DAYS} d")]
    if result.errors:
        checked = result.checked.isoformat()
        return [Failure(("links", "demo"), words(f"{result.errors} feil, {checked}",
                                                 f"{result.errors} error(s), {checked}"))]
    return []
