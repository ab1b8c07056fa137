"""The qualification report: Markdown for the workflow's job summary (or a pull-request comment), JSON for
tools, plain text for the terminal and GitHub annotations for the changed files.

Short and scannable: the verdict first, then what must be fixed (refusals, broken references, validation
errors), then the compliance rules a changed service does not meet (shown to buyers, not enforced, but
never only further down), then what a reviewer should look at closely, then one section per changed entry,
worst first, then the reviewer's checklist. Everything a vendor wrote is shown as code, so it cannot become a link, a
mention or markup in the report.
"""

from __future__ import annotations

import json
import re

from ..problems import Problem
from .check import CheckResult, ComplianceRow, EntryResult, RuleRow
from .fielddiff import code_span, markdown_escape

MAX_PROBLEMS = 50  # listed in the Markdown report; the JSON report has all
MAX_CHANGES = 40  # field changes shown per entry
MAX_ENTRIES = 60  # entry sections
STATE_WORDS = {
    "declared": "declared, no evidence link",
    "evidenced": "evidence linked",
    "verified": "verified by automatic checks",
    "expiring": "expires soon",
    "expired": "expired",
}
STATE_ICONS = {"declared": "◻️", "evidenced": "✅", "verified": "✅", "expiring": "⏳", "expired": "❌"}
RULE_ICONS = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
MAX_RULES = 15  # failed compliance rules listed per entry in Markdown
_TOKENS = re.compile(r"(https?://\S+|(?<![\w`@])@[A-Za-z0-9][A-Za-z0-9-]*)")


def md(text: str) -> str:
    """Our own wording, with logins and addresses as code (no mentions, no links) and the rest escaped."""
    parts = _TOKENS.split(str(text))
    return "".join(code_span(part) if i % 2 else markdown_escape(part) for i, part in enumerate(parts))


# -- wording shared by every format ----------------------------------------------------------------

def headline(result: CheckResult) -> str:
    refused = len(result.refused)
    unmet = len(rule_errors(result))
    rules = [f"{unmet} compliance rule(s) not met"] if unmet else []
    if result.passed:
        points = sum(len(e.attention) for e in result.entries) + len(result.checklist)
        return ", ".join([f"check passed: no errors, {result.warnings} warning(s)", *rules,
                          f"{points} point(s) for the reviewer"])
    parts = [f"{result.errors} error(s)"]
    if refused:
        parts.append(f"{refused} refused change(s)")
    return "check failed: " + ", ".join(parts + rules)


def rule_errors(result: CheckResult) -> list[tuple[EntryResult, RuleRow]]:
    """Compliance rules of severity error that changed services do not meet, worst entry first."""
    return [(e, r) for e in result.ordered() for r in e.rules if r.severity == "error"]


def rule_place(entry: EntryResult, rule: RuleRow) -> str:
    return f"{entry.change.path}:{rule.line or 1}:{rule.column or 1}"


def scope(result: CheckResult) -> str:
    n = len(result.entries)
    how = ("only the changed entries and those they touch were read" if result.mode == "incremental"
           else "the whole catalog was read")
    return (f"{result.base[:10]} → {result.head[:10]} · {n} changed {'entry' if n == 1 else 'entries'} · "
            f"{result.entries_validated} catalog file(s) validated ({how})")


def ownership_line(entry: EntryResult) -> str:
    verdict = entry.verdict
    if verdict is None:
        return "not checked"
    if verdict.status == "allowed":
        return "allowed — " + "; ".join(verdict.reasons)
    if verdict.status == "refused":
        return "refused — " + "; ".join(verdict.refusals)
    return "; ".join(verdict.reasons) or "not checked"


def owners_text(entry: EntryResult) -> str:
    if entry.verdict is None or not entry.verdict.owners:
        return "unknown"
    return "; ".join(f"{p.label} ({p.members_text})" for p in entry.verdict.owners)


def compliance_text(row: ComplianceRow) -> str:
    if row.state == "expiring" and row.days_left is not None:
        state = f"expires in {row.days_left} days"
    elif row.state == "expired":
        state = f"expired {row.expires}"
    else:
        state = STATE_WORDS.get(row.state, row.state)
    return f"{row.name} ({row.noun}): {state}"


def status_words(entry: EntryResult) -> str:
    change = entry.change
    if change.status == "renamed":
        return f"renamed from {change.old_id}"
    return change.status


def title(entry: EntryResult) -> str:
    change = entry.change
    data = change.data("new") or change.data("old")
    name = data.get("name") or data.get("title")  # a challenge has a title
    if isinstance(name, dict):
        name = name.get("en") or name.get("nb")
    name = name or data.get("display_name") or data.get("legal_name")
    return f"{change.label}" + (f" ({name})" if isinstance(name, str) and name else "")


def _problem_order(problem: Problem) -> tuple:
    rank = {"ownership.refused": 0, "change.breaks_reference": 1}.get(problem.code, 2)
    return (problem.severity != "error", rank, problem)


# -- Markdown -------------------------------------------------------------------------------------

def markdown(result: CheckResult) -> str:
    out: list[str] = ["## Kvalifiseringsrapport / Qualification report", ""]
    summary = md(headline(result).split(": ", 1)[1])
    if not result.passed:
        out.append(f"**❌ Må rettes før gjennomgang / Changes needed** — {summary}")
    elif rule_errors(result):
        out.append(f"**⚠️ Klar for gjennomgang, men samsvarsregler er ikke oppfylt / Ready for review, but compliance "
                   f"rules are not met** — {summary}")
    else:
        out.append(f"**✅ Klar for gjennomgang / Ready for review** — {summary}")
    out += ["", md(scope(result)) + (f" · author {code_span('@' + result.author)}" if result.author else
                                      " · ownership not checked (no author given)"), ""]

    problems = sorted(result.problems, key=_problem_order)
    if problems:
        out += ["### Må rettes / Must be fixed", ""]
        for i, problem in enumerate(problems[:MAX_PROBLEMS], 1):
            icon = {"ownership.refused": "⛔", "change.breaks_reference": "💥"}.get(problem.code, "❌")
            if problem.severity == "warning":
                icon = "⚠️"
            out.append(f"{i}. {icon} {code_span(f'{problem.path}:{problem.line}:{problem.column}')} — {md(problem.message)}")
            if problem.hint:
                out.append(f"   ↳ {md(problem.hint)}")
        if len(problems) > MAX_PROBLEMS:
            out.append(f"\n… and {len(problems) - MAX_PROBLEMS} more (all of them are in the JSON report).")
        out.append("")
        if result.already_on_base:
            out += [md(f"{result.already_on_base} problem(s) in other entries were already on the base branch "
                       "and are not caused by this change."), ""]

    out += _rule_errors_markdown(result)

    look = [(e, c) for e in result.ordered() for c in e.attention]
    flags = [(e, f) for e in result.ordered() for f in (e.verdict.flags if e.verdict else [])]
    if look or flags:
        out += ["### Se nøye på / Look closely at", ""]
        for entry, flag in flags:
            out.append(f"- {md(entry.change.label)}: {md(flag)}")
        for entry, change in look:
            out.append(f"- {md(entry.change.label)}: {change.markdown()} — *{md(change.attention)}*")
        out.append("")

    out += ["### Endrede oppføringer / Changed entries", ""]
    ordered = result.ordered()
    for entry in ordered[:MAX_ENTRIES]:
        out += _entry_markdown(entry)
    if len(ordered) > MAX_ENTRIES:
        out += [f"… and {len(ordered) - MAX_ENTRIES} more entries (all of them are in the JSON report).", ""]

    if result.checklist:
        out += ["### Sjekkliste for gjennomgang / Reviewer checklist", ""]
        out += [f"- [ ] {md(item)}" for item in result.checklist]
        out.append("")
    engine = any(e.engine for e in result.entries)
    out.append("<sub>Thingwalla check · " + ("compliance states and rules come from the compliance rule engine "
               "(catalog/compliance/); they are shown, not enforced, by this check."
               if engine else "compliance shows the vendor's declarations and evidence dates.") + "</sub>")
    return "\n".join(out) + "\n"


def _rule_errors_markdown(result: CheckResult) -> list[str]:
    found = rule_errors(result)
    if not found:
        return []
    out = ["### Samsvarsregler som ikke er oppfylt / Compliance rules not met", "",
           md("Buyers see these on the service page; this check shows them and does not block the merge."), ""]
    for i, (entry, rule) in enumerate(found[:MAX_PROBLEMS], 1):
        out.append(f"{i}. {RULE_ICONS['error']} {code_span(rule_place(entry, rule))} — {md(entry.change.label)}: "
                   f"{code_span(rule.rule)} {md(rule.message)}")
        if rule.hint:
            out.append(f"   ↳ {md(rule.hint)}")
    if len(found) > MAX_PROBLEMS:
        out.append(f"\n… and {len(found) - MAX_PROBLEMS} more (all of them are in the JSON report).")
    return out + [""]


def _entry_markdown(entry: EntryResult) -> list[str]:
    change = entry.change
    verdict_icon = {"allowed": "✅", "refused": "⛔"}.get(entry.verdict.status if entry.verdict else "", "◻️")
    problems = (f"❌ {entry.errors} error(s)" if entry.errors else "no errors") + (
        f", ⚠️ {entry.warnings} warning(s)" if entry.warnings else "")
    out = [f"#### {md(title(entry))} — {md(status_words(entry))}", ""]
    rows = [("Eier / Owner", md(owners_text(entry))),
            ("Eierskap / Ownership", f"{verdict_icon} {md(ownership_line(entry))}"),
            ("Validering / Validation", problems)]
    if change.kind == "service" and entry.engine:
        counts = {sev: sum(r.severity == sev for r in entry.rules) for sev in ("error", "warning")}
        rows.append(("Samsvarsregler / Compliance rules",
                     ", ".join(f"{RULE_ICONS[k]} {v} {k}(s)" for k, v in counts.items() if v) or "all met"))
    if change.kind == "service":
        if entry.used_by:
            rows.append(("Brukes av / Used by", ", ".join(code_span(b) for b in entry.used_by)))
        rows.append(("Tilgjengelighet / Accessibility", md("not run in this check")
                     if entry.accessibility is None else md(str(entry.accessibility))))
    out += ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows] + [""]
    if entry.changes:
        out += ["**Hva er endret / What changed**", ""]
        for item in entry.changes[:MAX_CHANGES]:
            mark = "⚠️ " if item.attention else ""
            line = f" (line {item.line})" if item.line else ""
            out.append(f"- {mark}{item.markdown()}{md(line)}")
        if len(entry.changes) > MAX_CHANGES:
            out.append(f"- … and {len(entry.changes) - MAX_CHANGES} more")
        out.append("")
    elif change.status in ("added", "deleted") and change.kind != "platform":
        out += [md(f"The whole {change.kind} is {change.status}."), ""]
    if entry.compliance:
        heading = ("**Samsvar (regelmotoren) / Compliance (rule engine)**" if entry.engine
                   else "**Samsvar (erklært, ikke verifisert) / Compliance (declared, not verified)**")
        out += [heading, "",
                "| Regelverk / Regulation | Tilstand / State | Utstedt / Issued | Utløper / Expires | Dokumentasjon / Evidence |",
                "|---|---|---|---|---|"]
        for row in entry.compliance:
            state = compliance_text(row).split(": ", 1)[1]
            out.append(f"| {md(row.name)} | {STATE_ICONS.get(row.state, '')} {md(state)} | {md(row.issued or '—')} | "
                       f"{md(row.expires or '—')} | {code_span(row.evidence_url) if row.evidence_url else '—'} |")
        out.append("")
    if entry.rules:
        out += ["**Samsvarsregler som ikke er oppfylt / Compliance rules not met**", ""]
        for rule in entry.rules[:MAX_RULES]:
            line = f" (line {rule.line})" if rule.line else ""
            out.append(f"- {RULE_ICONS.get(rule.severity, '')} {code_span(rule.rule)} {md(rule.message)}{md(line)}")
        if len(entry.rules) > MAX_RULES:
            out.append(f"- … and {len(entry.rules) - MAX_RULES} more (all of them are in the JSON report)")
        out.append("")
    return out


# -- JSON -----------------------------------------------------------------------------------------

def as_json(result: CheckResult) -> str:
    def change_dict(item):
        return {"text": item.text, "attention": item.attention or None, "field": _field(item.where),
                "line": item.line}

    entries = []
    for entry in result.ordered():
        change = entry.change
        verdict = entry.verdict
        entries.append({
            "kind": change.kind, "id": change.id, "status": change.status, "old_id": change.old_id,
            "path": change.path if change.status != "deleted" else change.old_path,
            "files": [{"status": f.status, "path": f.path, "old_path": f.old_path} for f in change.files],
            "changes": [change_dict(c) for c in entry.changes],
            "problems": [p.as_dict() for p in entry.all_problems],
            "compliance": [row.__dict__ for row in entry.compliance] if change.kind == "service" else None,
            "compliance_rules": [rule.__dict__ for rule in entry.rules] if entry.engine else None,
            "accessibility": entry.accessibility,
            "used_by": entry.used_by,
            "ownership": None if verdict is None else {
                "verdict": verdict.status,
                "owners": [{"kind": p.kind, "id": p.id, "maintainers": list(p.maintainers), "new": p.new}
                           for p in verdict.owners],
                "reasons": verdict.reasons, "refusals": verdict.refusals, "flags": verdict.flags,
                "hint": verdict.hint or None},
        })
    return json.dumps({
        "version": 1,
        "result": "pass" if result.passed else "fail",
        "summary": headline(result),
        "base": result.base, "head": result.head, "base_ref": result.base_ref, "head_ref": result.head_ref,
        "author": result.author, "approved_by": result.approvers, "mode": result.mode,
        "date": result.on_date.isoformat(),
        "errors": result.errors, "warnings": result.warnings, "refused": len(result.refused),
        "entries_validated": result.entries_validated, "files_read": result.files_read,
        "entries": entries,
        "problems_elsewhere": [p.as_dict() for p in result.elsewhere],
        "problems_already_on_base": result.already_on_base,
        "checklist": result.checklist,
        "codeowners_affected_by": result.ownership_changed,
    }, ensure_ascii=False, indent=2) + "\n"


def _field(where: tuple) -> str | None:
    if not where:
        return None
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# -- terminal and GitHub ----------------------------------------------------------------------------

def text(result: CheckResult) -> str:
    out = [f"thingwalla check: {result.base_ref}..{result.head_ref}: {scope(result)}", ""]
    for entry in result.ordered():
        out.append(f"{title(entry)} — {status_words(entry)}")
        out.append(f"  owner: {owners_text(entry)}")
        out.append(f"  ownership: {ownership_line(entry)}")
        for flag in entry.verdict.flags if entry.verdict else []:
            out.append(f"  ! {flag}")
        if entry.used_by:
            out.append(f"  used by: {', '.join(entry.used_by)}")
        if entry.accessibility:
            out.append(f"  accessibility: {entry.accessibility}")
        for item in entry.changes[:MAX_CHANGES]:
            out.append(f"  {'!' if item.attention else ' '} {item.text}" + (f"  ({item.attention})" if item.attention else ""))
        if len(entry.changes) > MAX_CHANGES:
            out.append(f"    … and {len(entry.changes) - MAX_CHANGES} more")
        for row in entry.compliance:
            out.append(f"  compliance: {compliance_text(row)}")
        for rule in entry.rules:
            out.append(f"  rule {rule.rule} ({rule.severity}): {rule.message}")
        out.append("")
    problems = sorted(result.problems, key=_problem_order)
    out += [p.as_text() for p in problems]
    if problems:
        out.append("")
    unmet = rule_errors(result)
    if unmet:
        out.append("Compliance rules not met (shown to buyers, not enforced by this check):")
        for entry, rule in unmet:
            out.append(f"{rule_place(entry, rule)}: compliance {rule.rule}: {rule.message}"
                       + (f"\n    hint: {rule.hint}" if rule.hint else ""))
        out.append("")
    if result.checklist:
        out.append("For the reviewer:")
        out += [f"  - {item}" for item in result.checklist]
    return "\n".join(out).rstrip() + "\n"


def github(result: CheckResult) -> str:
    lines = [p.as_github() for p in sorted(result.problems, key=_problem_order)]
    for entry, rule in rule_errors(result):  # not enforced: a warning on the line, never a failed check
        lines.append(Problem(entry.change.path, rule.line or 1, rule.column or 1, rule.message, rule.hint,
                             f"compliance {rule.rule}", "warning").as_github())
    for entry in result.ordered():
        path = entry.change.path if entry.change.status != "deleted" else entry.change.old_path
        for item in entry.attention:
            notice = Problem(path, item.line or 1, 1, f"{item.text}: {item.attention}", code="review")
            lines.append(notice.as_github().replace("::error ", "::notice ", 1))
    return "\n".join(lines) + ("\n" if lines else "")
