"""The rule data in catalog/compliance/: rules.yaml, country-profiles.yaml, adequacy.yaml.

Loaded with the catalog's safe loader, checked against their JSON Schemas, then against each other,
the regulations taxonomy and the Python checks: every problem located (file:line:col) in one run.
A repository without catalog/compliance/ has an empty rulebook (no rules run; states then come
from the evidence alone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from ..load import Document, load_file
from ..model import Text, text
from ..problems import Problem
from ..schemas import load_schema
from .facts import EEA, date

FOLDER = "catalog/compliance"
FILES = {  # name -> (file, schema)
    "rules": ("rules.yaml", "compliance-rules.schema.json"),
    "profiles": ("country-profiles.yaml", "compliance-country-profiles.schema.json"),
    "adequacy": ("adequacy.yaml", "compliance-adequacy.schema.json"),
}
# Who a rule's regulation must bind for the engine to show it to municipalities and their buyers.
PUBLIC_AUDIENCES = ("public_bodies", "companies")


@dataclass(frozen=True)
class Rule:
    id: str
    regulation: str  # a regulation id, or "*" for the evidence of every regulation
    countries: tuple[str, ...] | None
    source: str
    confidence: str
    severity: str
    effective_from: dt.date | None
    title: Text
    applies_when: Text
    message: Text
    hint: Text
    location: tuple[str, int, int]  # where the rule is defined, for "see rules.yaml:12"


@dataclass(frozen=True)
class Note:
    regulation: str
    source: str
    confidence: str
    text: Text


@dataclass(frozen=True)
class CountryProfile:
    country: str
    name: Text
    regulations: tuple[str, ...]
    statement_route: str
    statement_url: str
    statement_text: Text
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Adequacy:
    country: str
    decision: str
    since: dt.date
    until: dt.date | None
    only_via: str | None
    scope: Text


@dataclass
class Rulebook:
    rules: list[Rule] = field(default_factory=list)
    profiles: dict[str, CountryProfile] = field(default_factory=dict)
    adequacy: list[Adequacy] = field(default_factory=list)
    adequacy_source: str = ""
    adequacy_checked: dt.date | None = None
    regulation_audiences: dict[str, tuple[str, ...]] = field(default_factory=dict)  # from the taxonomy

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def adequate(self, today: dt.date) -> dict[str, Adequacy]:
        return {a.country: a for a in self.adequacy if a.since <= today and (a.until is None or a.until > today)}

    def binds_public_buyers(self, regulation: str) -> bool:
        """False for DORA: it binds financial entities, and is never reported to municipalities."""
        if regulation == "*":
            return True
        audiences = self.regulation_audiences.get(regulation, PUBLIC_AUDIENCES)
        return any(a in audiences for a in PUBLIC_AUDIENCES)


def check_compliance_data(root: Path, regulations: dict[str, tuple[str, ...]]) -> tuple[Rulebook, list[Problem], int]:
    """(rulebook, problems, files read). `regulations` maps regulation id -> applies_to."""
    from .registry import all_checks

    book = Rulebook(regulation_audiences=dict(regulations))
    folder = root / FOLDER
    if not folder.is_dir():
        return book, [], 0
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    for name, (filename, schema) in FILES.items():
        relpath = f"{FOLDER}/{filename}"
        path = folder / filename
        if not path.is_file():
            problems.append(Problem(relpath, 1, 1, f"{relpath} is missing", "restore the file from the main branch",
                                    "compliance.missing"))
            continue
        doc, found = load_file(path, relpath)
        problems += found
        if doc is None:
            continue
        header = f"# yaml-language-server: $schema=../../scripts/thingwalla/schemas/{schema}"
        if doc.first_line != header:
            problems.append(Problem(relpath, 1, 1, "the first line must name the file's schema",
                                    f"make line 1 exactly: {header}", "schema.header"))
        schema_problems = _schema_problems(doc, schema)
        problems += schema_problems
        if not schema_problems:
            docs[name] = doc
    if "rules" in docs:
        problems += _rules(docs["rules"], book, regulations, set(all_checks()))
    if "profiles" in docs:
        problems += _profiles(docs["profiles"], book, regulations)
    if "adequacy" in docs:
        problems += _adequacy(docs["adequacy"], book)
    return book, problems, len(FILES)


@cache
def _validator(schema: str) -> Draft202012Validator:
    from ..schemas import _registry

    return Draft202012Validator(load_schema(schema), registry=_registry(), format_checker=FormatChecker())


def _schema_problems(doc: Document, schema: str) -> list[Problem]:
    from ..validate.schema import _explain

    problems = []
    for error in _validator(schema).iter_errors(doc.data):
        problems += _explain(doc, error)
    return problems


def _at(doc: Document, path: tuple, message: str, hint: str, code: str) -> Problem:
    line, col = doc.position(path)
    return Problem(doc.relpath, line, col, message, hint, code)


def _rules(doc: Document, book: Rulebook, regulations: dict, checks: set[str]) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, r in enumerate(doc.data["rules"]):
        line, col = doc.position(("rules", i, "id"))
        if r["id"] in seen:
            problems.append(_at(doc, ("rules", i, "id"), f"the rule id '{r['id']}' is used twice (first on line {seen[r['id']]})",
                                "give each rule its own id", "compliance.duplicate"))
            continue
        seen[r["id"]] = line
        if r["id"] not in checks:
            problems.append(_at(doc, ("rules", i, "id"), f"rule {r['id']} has no check in scripts/thingwalla/compliance/checks_*.py",
                                "write the check (one function with @rule(...)), or remove the rule", "compliance.no_check"))
        if r["regulation"] != "*" and r["regulation"] not in regulations:
            problems.append(_at(doc, ("rules", i, "regulation"), f"unknown regulation '{r['regulation']}'",
                                f"use an id from catalog/taxonomy/regulations.yaml: {', '.join(sorted(regulations))}",
                                "compliance.regulation"))
        for lang in ("nb", "en"):
            if "{" in r["message"][lang].replace("{details}", "") or "}" in r["message"][lang].replace("{details}", ""):
                problems.append(_at(doc, ("rules", i, "message", lang), "a message may use only the placeholder {details}",
                                    "remove the other braces", "compliance.placeholder"))
        book.rules.append(Rule(r["id"], r["regulation"], tuple(r["countries"]) if "countries" in r else None,
                               r["source"], r["confidence"], r["severity"], date(r.get("effective_from")),
                               text(r["title"]), text(r["applies_when"]), text(r["message"]), text(r["hint"]),
                               (doc.relpath, line, col)))
    for missing in sorted(checks - set(seen)):
        problems.append(Problem(doc.relpath, 1, 1, f"the check for rule {missing} has no entry in rules.yaml",
                                "add the rule with its source, severity and messages, or remove the check",
                                "compliance.no_rule"))
    return problems


def _profiles(doc: Document, book: Rulebook, regulations: dict) -> list[Problem]:
    problems = []
    for i, p in enumerate(doc.data["profiles"]):
        if p["country"] in book.profiles:
            problems.append(_at(doc, ("profiles", i, "country"), f"the country {p['country']} has two profiles",
                                "merge them into one", "compliance.duplicate"))
            continue
        for j, reg in enumerate(p["regulations"]):
            if reg not in regulations:
                problems.append(_at(doc, ("profiles", i, "regulations", j), f"unknown regulation '{reg}'",
                                    "use an id from catalog/taxonomy/regulations.yaml", "compliance.regulation"))
            elif not any(a in regulations[reg] for a in PUBLIC_AUDIENCES):
                problems.append(_at(doc, ("profiles", i, "regulations", j),
                                    f"'{reg}' binds only {', '.join(regulations[reg])}, not municipalities or their vendors",
                                    "remove it: a country profile lists what applies when a municipality buys",
                                    "compliance.audience"))
        notes = []
        for j, n in enumerate(p.get("notes", [])):
            if n["regulation"] not in regulations:
                problems.append(_at(doc, ("profiles", i, "notes", j, "regulation"), f"unknown regulation '{n['regulation']}'",
                                    "use an id from catalog/taxonomy/regulations.yaml", "compliance.regulation"))
            notes.append(Note(n["regulation"], n["source"], n["confidence"], text(n["text"])))
        st = p["accessibility_statement"]
        book.profiles[p["country"]] = CountryProfile(p["country"], text(p["name"]), tuple(p["regulations"]), st["route"],
                                                     st["url"], text(st["text"]), tuple(notes))
    return problems


def _adequacy(doc: Document, book: Rulebook) -> list[Problem]:
    problems = []
    data = doc.data
    book.adequacy_source, book.adequacy_checked = data["source"], date(data["checked"])
    seen = set()
    for i, a in enumerate(data["countries"]):
        if a["country"] in seen:
            problems.append(_at(doc, ("countries", i, "country"), f"{a['country']} is listed twice", "keep one entry",
                                "compliance.duplicate"))
            continue
        seen.add(a["country"])
        if a["country"] in EEA:
            problems.append(_at(doc, ("countries", i, "country"), f"{a['country']} is in the EEA, not a third country",
                                "remove it: transfers inside the EEA need no adequacy decision", "compliance.eea"))
        since, until = date(a["since"]), date(a.get("until"))
        if until and since and until <= since:
            problems.append(_at(doc, ("countries", i, "until"), f"the decision ends ({until}) before it starts ({since})",
                                "check the dates", "compliance.dates"))
        book.adequacy.append(Adequacy(a["country"], a["decision"], since, until, a.get("only_via"), text(a.get("scope"))))
    return problems
