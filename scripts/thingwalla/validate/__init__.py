"""One validator for the whole catalog: every problem in one run, each with file, line and column.

Stages: discover files -> load YAML (positions kept) -> schema per kind -> checks across files.
A document that fails its schema is left out of the cross-file checks, so one typo does not
cascade into a page of follow-on errors; the schema error itself is reported.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..discover import discover
from ..load import Document, load_file
from ..problems import Problem
from ..schemas import SCHEMA_FILES
from . import references
from .files import check_service_files
from .schema import check_schema


@dataclass
class ValidationResult:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    documents: dict[str, list[Document]] = field(default_factory=dict)
    files_checked: int = 0
    compliance: object = None  # compliance.data.Rulebook: the rule catalogue, country profiles, adequacy list
    challenges: list = field(default_factory=list)  # challenges.read.ChallengeFiles (issue 4)
    methods: list = field(default_factory=list)  # methods.read.MethodFile (issue 4)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def today() -> dt.date:
    """The validator's idea of today; THINGWALLA_TODAY (YYYY-MM-DD) pins it for reproducible checks."""
    pinned = os.environ.get("THINGWALLA_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def schema_line(relpath: str, kind: str) -> str:
    depth = relpath.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}scripts/thingwalla/schemas/{SCHEMA_FILES[kind]}"


@contextmanager
def gc_paused():
    """Python's cycle collector off while a catalog is read: every file adds hundreds of objects that live on,
    and each collection walks all of them again (a fifth of the validator's time at 10,000 services). The
    objects read hold no cycles; anything left over is collected once the collector is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                # Back on without the full collection its counters would now ask for (0.2 s at 10,000
                # services): what was read moves to the oldest generation, collected there in due course.
                gc.freeze()
                gc.enable()
                gc.unfreeze()
            else:
                gc.enable()


def validate_repository(root: Path, on_date: dt.date | None = None) -> ValidationResult:
    with gc_paused():
        return _validate_repository(root, on_date)


def _validate_repository(root: Path, on_date: dt.date | None) -> ValidationResult:
    on_date = on_date or today()
    result = ValidationResult(root=root)
    entries, problems = discover(root)
    result.problems.extend(problems)
    result.files_checked = len(entries)

    valid: dict[str, list[Document]] = {}
    flawed: list[tuple[str, Document]] = []  # loaded, but failed the schema: checked across files as far as possible
    for entry in entries:
        doc, found = load_file(entry.path, entry.relpath)
        result.problems.extend(found)
        if doc is None:
            continue
        expected_line = schema_line(entry.relpath, entry.kind)
        if doc.first_line != expected_line:
            result.problems.append(Problem(entry.relpath, 1, 1, "the first line must name the entry's schema",
                                           f"make line 1 exactly: {expected_line}", "schema.header"))
        schema_problems = check_schema(doc, entry.kind)
        result.problems.extend(schema_problems)
        if entry.expected_id is not None and isinstance(doc.data, dict):
            mismatch = references.check_ids_match_names(doc, entry.expected_id, entry.kind)
            result.problems.extend(mismatch)
            schema_problems = schema_problems or mismatch
        if schema_problems:
            flawed.append((entry.kind, doc))
            continue
        valid.setdefault(entry.kind, []).append(doc)

    named: dict[str, set[str]] = {}
    for entry in entries:
        if entry.expected_id is not None:
            named.setdefault(entry.kind, set()).add(entry.expected_id)
    index = references.Index(valid, named)
    result.problems.extend(references.check_taxonomy(valid))
    parties = [("vendor", d) for d in valid.get("vendor", [])] + [("buyer", d) for d in valid.get("buyer", [])]
    for kind, doc in parties:
        result.problems.extend(references.check_party(doc, kind))
    result.problems.extend(references.check_unique_numbers(parties))
    for doc in valid.get("service", []):
        result.problems.extend(references.check_service(doc, index, on_date))
        result.problems.extend(check_service_files(doc, doc.path.parent))
    for doc in valid.get("buyer", []):
        result.problems.extend(references.check_buyer(doc, index, on_date))
    # An entry with schema errors still gets the checks that can run on it, so a vendor sees every
    # problem in one run; a check that trips over a malformed field simply has nothing to add.
    checks = {"service": [lambda d: references.check_service_as_far_as_possible(d, index, on_date),
                          lambda d: check_service_files(d, d.path.parent)],
              "buyer": [lambda d: references.check_buyer(d, index, on_date)],
              "vendor": [lambda d: references.check_party(d, "vendor")]}
    for kind, doc in flawed:
        if isinstance(doc.data, dict):
            for check in checks.get(kind, ()):
                result.problems.extend(_as_far_as_possible(check, doc))

    # The compliance rule data (catalog/compliance/): schemas, and consistency with the taxonomy and checks.
    from ..compliance.data import check_compliance_data

    audiences = {r["id"]: tuple(r["applies_to"]) for doc in valid.get("regulations", []) for r in doc.data["regulations"]}
    result.compliance, found, read = check_compliance_data(root, audiences)
    result.problems.extend(found)
    result.files_checked += read

    result.documents = valid
    # catalog/procurement/ (thresholds, law, frameworks, DPS, Peppol settings) refers to the entries above.
    from ..procurement.data import check_procurement_folder

    result.problems.extend(check_procurement_folder(root, result))
    # challenges/ and methods-library/ (issue 4): front matter, pledges, bids, the challenge lifecycle.
    from ..challenges.read import read_challenges
    from ..methods.read import read_methods

    result.challenges, found, read = read_challenges(root, index, on_date)
    result.problems.extend(found)
    result.files_checked += read
    result.methods, found, read = read_methods(root, on_date)
    result.problems.extend(found)
    result.files_checked += read
    result.problems = _one_per_position(result.problems)
    return result


def _as_far_as_possible(check, doc: Document) -> list[Problem]:
    try:
        return check(doc)
    except references.SCHEMA_TRIPS:
        return []


def _one_per_position(problems: list[Problem]) -> list[Problem]:
    """Keep the first problem reported at each place: a schema error outranks later checks on the same value."""
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for problem in problems:
        key = (problem.path, problem.line, problem.column)
        if key in seen and problem.line > 1:
            continue
        seen.add(key)
        kept.append(problem)
    return sorted(kept)
