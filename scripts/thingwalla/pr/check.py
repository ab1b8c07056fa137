"""`thingwalla check`: qualify a pull request — what changed, is it valid, may the author change it.

Cost grows with the change, not with the catalog. The validator runs on a *sparse* copy of each revision:
the changed entries (a changed challenge, pledge or bid brings its whole challenge folder), the taxonomy
and compliance rules, and the entries the change touches through references —

- entries that refer to an id the change deletes or renames (found with `git grep`), challenges included;
- parties sharing a changed party's organisation number or municipality code (also `git grep`);
- catalog/procurement/, only when it names an id the change touches (`git grep` again): a change it does
  not name cannot break it, and the procurement checks then need every entry it names;
- everything the entries above name — a service's vendor, the services a buyer uses, a challenge's
  buyers, pledges (by file name) and bids, what the procurement data names — and, in turn, what those
  name, so the copy is closed under references and the validator's cross-checks see a whole catalog;
- for a reference to nothing, its nearest namesake, so the validator still suggests "did you mean …".

catalog/compliance/ names only regulations and rule checks, never entries, so it needs nothing more.
Both revisions get the same sparse copy. Problems in the changed entries are reported; problems in the
other entries are reported only when the base does not have them, i.e. when the change causes them.
Changes whose reach the sparse copy does not bound — the taxonomy and the other shared catalog data
(procurement and compliance settings), which every entry may use, and the method library — are checked
against the whole catalog.

A changed challenge (its index.md, or only its pledges or bids) also gets the lifecycle check of base
against head (challenges.lifecycle.transition_problems): legal state changes only, history appended to,
funding terms locked once pledging opens, "funded" only when the head's pledges reach the goal, and no
deletion of a challenge that is not a draft.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from ..challenges import lifecycle
from ..load import Document, load_bytes, load_markdown_bytes
from ..problems import Problem
from ..validate import today, validate_repository
from . import ownership
from .changes import (INCREMENTAL_KINDS, PLATFORM_MAINTAINERS_FILE, ChangeSet, EntryChange, EntryKey, classify,
                      collect, entry_prefix, owns_path)
from .fielddiff import FieldChange, Labels, diff_entry, diff_files, short
from .gitrepo import GitRepository, ids_pattern

CONTENT_ROOTS = ("catalog", "challenges", "methods-library")
ENTRY_FOLDERS = ("services", "vendors", "buyers")
CHALLENGE_KINDS = ("challenge", "pledge", "bid")
# Kinds the sparse copy bounds: catalog entries, and challenges, which name only catalog entries and the
# taxonomy. A change to any other content (the method library) is checked against the whole catalog.
SPARSE_KINDS = (*INCREMENTAL_KINDS, *CHALLENGE_KINDS)
# Keys whose values name catalog entries, in every file the sparse copy holds (entries, challenges and the
# procurement data): the copy must hold what they name for the validator to find it.
REFERENCE_KEYS = {"vendor": "vendor", "service": "service", "services": "service", "catalog_service": "service",
                  "buyer": "buyer", "owner": "buyer", "participants": "buyer", "started_by": "buyer",
                  "lead": "buyer", "municipalities": "buyer"}
# The data file of an entry of each kind; a service is copied with its whole folder.
ENTRY_FILES = {"vendor": "catalog/vendors/{}.yaml", "buyer": "catalog/buyers/{}.yaml",
               "service": "catalog/services/{}/service.yaml"}
ENTRY_FOLDER_OF = {"vendor": "catalog/vendors", "buyer": "catalog/buyers", "service": "catalog/services"}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")  # what may be an id: never a path, so never '..' or '/'
REGISTERS = {"NO": "Enhetsregisteret (brreg.no)", "SE": "Bolagsverket (bolagsverket.se)"}


@dataclass
class ComplianceRow:
    regulation: str
    name: str
    noun: str  # certificate | declaration
    state: str  # declared | evidenced | expiring | expired
    issued: str | None
    expires: str | None
    evidence_url: str | None
    days_left: int | None


@dataclass
class RuleRow:
    """A compliance rule the changed service does not meet (from the compliance engine)."""

    severity: str  # error | warning | info
    rule: str
    regulation: str
    message: str
    hint: str
    line: int | None
    column: int | None = None


@dataclass
class EntryResult:
    change: EntryChange
    changes: list[FieldChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # in the entry's own files
    breaks: list[Problem] = field(default_factory=list)  # in other entries, caused by this one
    compliance: list[ComplianceRow] = field(default_factory=list)
    rules: list[RuleRow] = field(default_factory=list)  # failed compliance rules, worst first
    engine: bool = False  # True when the compliance engine assessed the entry
    verdict: ownership.Verdict | None = None
    used_by: list[str] = field(default_factory=list)  # buyers using the service (before a deletion or rename)
    accessibility: str | None = None  # what the accessibility checks found, when they have run

    @property
    def all_problems(self) -> list[Problem]:
        return sorted(self.problems + self.breaks)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.all_problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.all_problems)

    @property
    def refused(self) -> bool:
        return self.verdict is not None and self.verdict.status == "refused"

    @property
    def attention(self) -> list[FieldChange]:
        return [c for c in self.changes if c.attention]

    @property
    def severity_rank(self) -> tuple:
        """Worst first: refused, then errors, then what needs attention, then the rest."""
        rule_errors = sum(r.severity == "error" for r in self.rules)
        return (not self.refused, -self.errors, -rule_errors,
                -len(self.attention) - len(self.verdict.flags if self.verdict else []),
                -self.warnings, self.change.kind, self.change.id)


@dataclass
class CheckResult:
    base: str  # the merge base the change is compared against
    head: str
    base_ref: str
    head_ref: str
    author: str | None
    approvers: list[str]
    mode: str  # incremental | full
    on_date: dt.date
    entries: list[EntryResult] = field(default_factory=list)
    elsewhere: list[Problem] = field(default_factory=list)  # caused in entries the change does not touch
    already_on_base: int = 0  # problems in the entries read that the base already had (not reported)
    checklist: list[str] = field(default_factory=list)
    files_read: int = 0
    entries_validated: int = 0
    ownership_changed: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return sorted([p for e in self.entries for p in e.all_problems] + self.elsewhere)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def refused(self) -> list[EntryResult]:
        return [e for e in self.entries if e.refused]

    @property
    def passed(self) -> bool:
        return self.errors == 0

    def ordered(self) -> list[EntryResult]:
        return sorted(self.entries, key=lambda e: e.severity_rank)


class _Reader:
    """Parsed files of one revision, read once."""

    def __init__(self, git: GitRepository, rev: str):
        self.git, self.rev = git, rev
        self._docs: dict[str, Document | None] = {}
        self._present: dict[str, bool] = {}
        self._files: dict[str, list[str]] = {}

    def load(self, paths) -> None:
        """Parse the files not read yet, found with one `ls-tree` (links and submodules count as absent)."""
        wanted = sorted({p for p in paths if p not in self._docs})
        found = self.git.entries(self.rev, wanted) if wanted else {}
        for path in wanted:
            entry = found.get(path)
            self._present[path] = entry is not None and not entry.is_link and not entry.is_submodule
            self._docs[path] = _parse(self.git.read_blob(entry.sha), path) if self._present[path] else None

    def doc(self, path: str) -> Document | None:
        """The parsed YAML file, or a Markdown file's front matter (None: absent, or it does not parse)."""
        self.load([path])
        return self._docs[path]

    def exists(self, path: str) -> bool:
        self.doc(path)
        return self._present[path]

    def files(self, folder: str) -> list[str]:
        """The files under `folder` (recursively)."""
        if folder not in self._files:
            self._files[folder] = sorted(self.git.entries(self.rev, [folder]))
        return self._files[folder]

    def data(self, path: str) -> dict:
        doc = self.doc(path)
        return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def _parse(raw: bytes, path: str) -> Document | None:
    if path.endswith(".md"):
        markdown = load_markdown_bytes(raw, Path(path), path)[0]
        return markdown.front if markdown is not None else None
    return load_bytes(raw, Path(path), path)[0]


def run_check(root: Path, base: str, head: str = "HEAD", author: str | None = None, approvers: list[str] = (),
              on_date: dt.date | None = None, a11y=None) -> CheckResult:
    """Check head against its merge base with `base`. `a11y`: accessibility results (compliance.verification)."""
    git = GitRepository(root)
    head_sha, base_sha = git.resolve(head), git.resolve(base)
    merge_base = git.merge_base(base_sha, head_sha)
    changes = collect(git, merge_base, head_sha)
    # Shared catalog data (taxonomy, compliance rules, procurement settings) can affect any entry.
    full = any(e.kind not in SPARSE_KINDS or _shared_catalog_data(e) for e in changes.entries)
    result = CheckResult(merge_base, head_sha, base, head, ownership.login(author) if author else None,
                         [ownership.login(a) for a in approvers if a], "full" if full else "incremental",
                         on_date or today())
    head_reader, base_reader = _Reader(git, head_sha), _Reader(git, merge_base)
    labels = _labels(head_reader)

    entries = {e.key: EntryResult(e) for e in changes.entries}
    result.entries = list(entries.values())

    # What the change touches through references, and the invariants it can break.
    context: set[str] = set()
    breaks = _broken_references(changes, head_reader, git, entries, context)

    # Validate the same sparse copy of both revisions; keep what the change causes.
    if full:
        paths = [r for r in CONTENT_ROOTS if git.names(head_sha, r) or git.names(merge_base, r)]
    else:
        paths = _sparse_copy(changes, git, (head_reader, base_reader), context)
    with tempfile.TemporaryDirectory(prefix="thingwalla-check-") as tmp:
        head_tree, base_tree = Path(tmp) / "head", Path(tmp) / "base"
        git.extract(head_sha, paths, head_tree)  # links are not extracted; _file_problems reports them
        git.extract(merge_base, paths, base_tree)
        at_head = validate_repository(head_tree, on_date=result.on_date)
        vendors = {d.data["id"]: d.data for d in at_head.documents.get("vendor", [])}
        at_base = validate_repository(base_tree, on_date=result.on_date)
    result.entries_validated = at_head.files_checked
    result.files_read = git.files_read

    own_problems = [p for p in at_head.problems if _owner(p.path, changes) is not None]
    before = {_problem_key(p) for p in at_base.problems}
    other = [p for p in at_head.problems if _owner(p.path, changes) is None]
    caused = [p for p in other if _problem_key(p) not in before]
    result.already_on_base = len(other) - len(caused)

    own_problems += _file_problems(changes, git, head_sha)
    for entry in changes.entries:
        if entry.key.id == PLATFORM_MAINTAINERS_FILE:
            if entry.status == "deleted":
                own_problems.append(Problem(entry.path, 1, 1, "the platform maintainers file is deleted",
                                            "keep it: it decides who may change the taxonomy, schemas and "
                                            "workflows", "ownership.platform_file"))
            else:
                own_problems += ownership.check_platform_file(entry.new, entry.new_parse_problems)

    # A specific explanation replaces the validator's generic one at the same spot.
    spots = {(p.path, p.line, p.column) for b in breaks.values() for p in b}
    for key, found in breaks.items():
        entries[key].breaks = found
    for problem in own_problems:
        if (problem.path, problem.line, problem.column) in spots:
            continue
        entries[_owner(problem.path, changes)].problems.append(problem)
    result.elsewhere = sorted(p for p in caused if (p.path, p.line, p.column) not in spots)
    _add_transitions(result, entries, changes, (head_reader, base_reader))

    # Field-level differences and the declared compliance of changed services.
    for entry in changes.entries:
        res = entries[entry.key]
        res.changes = diff_entry(entry.kind, entry.old, entry.new, labels)
        if entry.kind == "service":
            res.changes += diff_files(entry_prefix(entry.key), entry.files, entry.path)
            if entry.new is not None:
                res.compliance = compliance_rows(entry.data("new"), labels, result.on_date)
                _assess(res, getattr(at_head, "compliance", None), labels, vendors, result.on_date, a11y)
                res.accessibility = _accessibility(entry.data("new"), a11y)

    # Ownership: verdicts from the base revision's maintainers.
    owners = ownership.Owners(git, merge_base, changes)
    verdicts = ownership.decide(changes, owners, result.author, result.approvers)
    for key, verdict in verdicts.items():
        entries[key].verdict = verdict
    for problem in ownership.refusal_problems(changes, verdicts, result.author):
        entries[_owner(problem.path, changes) or _first_key(changes, problem.path)].problems.append(problem)
    for res in entries.values():
        res.problems.sort()
    result.ownership_changed = _ownership_changes(changes)
    result.checklist = checklist(result, owners)
    return result


def _shared_catalog_data(entry: EntryChange) -> bool:
    return entry.kind == "platform" and entry.id.startswith("catalog/") and entry.id != PLATFORM_MAINTAINERS_FILE


def _shared_paths(git: GitRepository, rev: str, procurement: bool) -> list[str]:
    """What every entry's validation may read: catalog/ except the entries' own folders (and except the
    procurement data when the change touches nothing it names)."""
    skip = ENTRY_FOLDERS if procurement else (*ENTRY_FOLDERS, "procurement")
    return [f"catalog/{name}" for name in git.names(rev, "catalog") if name not in skip]


def _in_catalog(entry: EntryChange) -> bool:
    return entry.kind in ("service", "vendor", "buyer")


def _owner(path: str, changes: ChangeSet) -> EntryKey | None:
    """The changed entry a file belongs to: the most specific one (a pledge rather than its challenge)."""
    owners = [e.key for e in changes.entries
              if (path == e.id if e.kind == "platform" else owns_path(e.key, path))]
    return max(owners, key=lambda key: len(entry_prefix(key)), default=None)


def _first_key(changes: ChangeSet, path: str) -> EntryKey:
    return next(e.key for e in changes.entries if e.path == path or e.old_path == path)


def _problem_key(problem: Problem) -> tuple:
    return (problem.path, problem.line, problem.column, problem.code, problem.message)


def _labels(reader: _Reader) -> Labels:
    return labels_from([reader.data("catalog/taxonomy/regulations.yaml")])


def labels_from(regulation_files: list) -> Labels:
    """Names and kinds of the regulations, from the parsed regulations taxonomy."""
    labels = Labels()
    for data in regulation_files:
        regs = data.get("regulations") if isinstance(data, dict) else None
        for reg in regs if isinstance(regs, list) else []:
            if isinstance(reg, dict) and isinstance(reg.get("id"), str):
                name = reg.get("name") if isinstance(reg.get("name"), dict) else {}
                labels.regulations[reg["id"]] = (str(name.get("en") or name.get("nb") or reg["id"]),
                                                 str(reg.get("kind")))
    return labels


# -- references --------------------------------------------------------------------------------------

def _grep_ids(git: GitRepository, rev: str, ids: list[str], pathspecs: list[str]) -> list[str]:
    pattern = ids_pattern(ids)
    return git.grep(rev, pattern, pathspecs, fixed=False) if pattern else []


def _broken_references(changes: ChangeSet, reader: _Reader, git: GitRepository,
                       entries: dict[EntryKey, EntryResult], context: set[str]) -> dict[EntryKey, list[Problem]]:
    """Entries at head that still refer to an id this change deletes or renames; buyers of changed services."""
    breaks: dict[EntryKey, list[Problem]] = {}
    gone = {}  # (kind, old id) -> (entry, new id or None)
    for entry in changes.of_kind("service", "vendor"):
        if entry.status in ("deleted", "renamed"):
            gone[(entry.kind, entry.old_id or entry.id)] = (entry, entry.id if entry.status == "renamed" else None)

    services = [e for e in changes.of_kind("service") if e.status != "added"]
    if services:
        ids = {e.old_id or e.id: e for e in services}
        for path in _grep_ids(git, reader.rev, list(ids), ["catalog/buyers/"]):
            doc = reader.doc(path)
            uses = doc.data.get("uses") if doc is not None and isinstance(doc.data, dict) else None
            for i, use in enumerate(uses if isinstance(uses, list) else []):
                ident = use.get("service") if isinstance(use, dict) else None
                if ident not in ids:
                    continue
                entry = ids[ident]
                buyer = path.rsplit("/", 1)[-1].removesuffix(".yaml")
                if buyer not in entries[entry.key].used_by:
                    entries[entry.key].used_by.append(buyer)
                if ("service", ident) in gone:
                    context.add(path)
                    _, new_id = gone[("service", ident)]
                    line, col = doc.position(("uses", i, "service"))
                    if new_id:
                        problem = Problem(path, line, col, f"uses the service '{ident}', which this change renames to "
                                          f"'{new_id}'", f"change it to '{new_id}' here in the same pull request (the "
                                          "buyer's maintainers must approve), or keep the old id",
                                          "change.breaks_reference")
                    else:
                        problem = Problem(path, line, col, f"uses the service '{ident}', which this change deletes",
                                          "keep the service and set 'status: deprecated' until its buyers have moved "
                                          "on: a service in use cannot be deleted", "change.breaks_reference")
                    breaks.setdefault(entry.key, []).append(problem)

    vendors = [key for key in gone if key[0] == "vendor"]
    if vendors:
        ids = [ident for _, ident in vendors]
        for path in _grep_ids(git, reader.rev, ids, ["catalog/services/*/service.yaml"]):
            doc = reader.doc(path)
            vendor = doc.data.get("vendor") if doc is not None and isinstance(doc.data, dict) else None
            if ("vendor", vendor) not in gone:
                continue
            entry, new_id = gone[("vendor", vendor)]
            context.add(path)
            line, col = doc.position(("vendor",))
            if new_id:
                problem = Problem(path, line, col, f"names the vendor '{vendor}', which this change renames to '{new_id}'",
                                  f"set 'vendor: {new_id}' in this service in the same pull request",
                                  "change.breaks_reference")
            else:
                problem = Problem(path, line, col, f"names the vendor '{vendor}', which this change deletes",
                                  "delete the vendor's services first, or move them to another vendor (which needs "
                                  "that vendor's consent)", "change.breaks_reference")
            breaks.setdefault(entry.key, []).append(problem)
    for found in breaks.values():
        found.sort()
    return breaks


def _sparse_copy(changes: ChangeSet, git: GitRepository, readers: tuple[_Reader, _Reader],
                 context: set[str]) -> list[str]:
    """The paths both revisions are validated on (see the module docstring)."""
    head = readers[0]
    start = {entry_prefix(key) for e in changes.entries if _in_catalog(e) for key in (e.key, e.old_key)}
    start |= {_challenge_folder(e) for e in changes.of_kind(*CHALLENGE_KINDS)}
    start |= context | _namesakes(changes, head, git) | _same_numbers(changes, git, head.rev)
    start |= _challenges_naming(changes, git, head.rev)
    procurement = _names_in_procurement(changes, git, head.rev)
    if procurement:
        start |= _existing(_procurement_refs(head), readers)
    shared = {path for reader in readers for path in _shared_paths(git, reader.rev, procurement)}
    stray = {f.path for f in changes.files if f.status != "deleted" and f.path.startswith("catalog/")
             and classify(f.path).kind == "platform"}
    return sorted(shared | stray | _closure({_copy_path(p) for p in start}, readers))


def _challenge_folder(entry: EntryChange) -> str:
    return f"challenges/{entry.id.split('/', 1)[0]}/"


def _copy_path(path: str) -> str:
    """A service is copied with its folder (its description and logo files are checked with it)."""
    parts = path.split("/")
    return "/".join(parts[:3]) + "/" if parts[:2] == ["catalog", "services"] and len(parts) >= 4 else path


def _named(data) -> set[tuple[str, str]]:
    """(kind, id) of the catalog entries a parsed file names, found by the keys that hold references."""
    found: set[tuple[str, str]] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                kind = REFERENCE_KEYS.get(key)
                for item in (value if isinstance(value, list) else [value]) if kind else []:
                    if isinstance(item, str) and _ID.fullmatch(item):
                        found.add((kind, item))
                stack.append(value)
    return found


def _entry_refs(reader: _Reader, path: str) -> set[tuple[str, str]]:
    """What one entry of the copy names at this revision; a challenge also names the buyers that pledge
    (pledges/<buyer>.yaml) and the vendors that bid (bids/<vendor>.yaml)."""
    if path.startswith("challenges/"):
        found = _named(reader.data(_data_file(path)))
        for file in reader.files(path):
            folder, _, name = file[len(path):].partition("/")
            if folder in ("pledges", "bids") and name.endswith(".yaml") and "/" not in name:
                found.add(("buyer" if folder == "pledges" else "vendor", name[:-5]))
        return found
    if path.startswith("catalog/vendors/"):
        return set()  # a vendor names no other entry
    return _named(reader.data(_data_file(path)))


def _data_file(path: str) -> str:
    """The file that holds what an entry of the copy names (a folder's index.md or service.yaml)."""
    if not path.endswith("/"):
        return path
    return path + ("index.md" if path.startswith("challenges/") else "service.yaml")


def _existing(named: set[tuple[str, str]], readers: tuple[_Reader, ...]) -> set[str]:
    """Copy paths of the named entries that exist at either revision (one `ls-tree` per revision)."""
    files = {ENTRY_FILES[kind].format(ident): kind for kind, ident in named if kind in ENTRY_FILES}
    found: set[str] = set()
    for reader in readers:
        present = reader.git.entries(reader.rev, list(files)) if files else {}
        found |= {_copy_path(path) for path in files if path in present}
    return found


def _closure(start: set[str], readers: tuple[_Reader, ...]) -> set[str]:
    """`start` and what it names, and what that names, … at either revision, until nothing new is named."""
    done: set[str] = set()
    todo = set(start)
    while todo:
        done |= todo
        for reader in readers:
            reader.load(_data_file(path) for path in todo)
        named = {ref for reader in readers for path in todo for ref in _entry_refs(reader, path)}
        todo = _existing(named, readers) - done
    return done


def _namesakes(changes: ChangeSet, reader: _Reader, git: GitRepository) -> set[str]:
    """For what a changed entry names that does not exist, the nearest namesake (for "did you mean …")."""
    wanted: set[tuple[str, str]] = set()
    for entry in changes.entries:
        if entry.status == "deleted":
            continue
        if entry.kind in ("service", "buyer"):
            wanted |= _named(entry.data("new"))
        elif entry.kind in CHALLENGE_KINDS:
            wanted |= _entry_refs(reader, _challenge_folder(entry))
    files = {ENTRY_FILES[kind].format(ident): (kind, ident) for kind, ident in wanted if kind in ENTRY_FILES}
    present = git.entries(reader.rev, list(files)) if files else {}
    missing = [ref for path, ref in files.items() if path not in present]
    found: set[str] = set()
    for kind in ENTRY_FILES:
        absent = [ident for k, ident in missing if k == kind]
        if not absent:
            continue
        names = [n.removesuffix(".yaml") for n in git.names(reader.rev, ENTRY_FOLDER_OF[kind])]
        for ident in absent:
            for close in difflib.get_close_matches(ident, names, n=1, cutoff=0.6):
                found.add(_copy_path(ENTRY_FILES[kind].format(close)))
    return found


def _changed_ids(changes: ChangeSet, statuses: tuple[str, ...]) -> list[tuple[str, str]]:
    return sorted({(e.kind, ident) for e in changes.of_kind("service", "vendor", "buyer") if e.status in statuses
                   for ident in (e.id, e.old_id) if ident})


def _names_in_procurement(changes: ChangeSet, git: GitRepository, rev: str) -> bool:
    """Does catalog/procurement/ name an entry the change touches? Only then can the change break it."""
    ids = [ident for _, ident in _changed_ids(changes, ("added", "modified", "renamed", "deleted"))]
    return bool(_grep_ids(git, rev, ids, ["catalog/procurement/"]))


def _procurement_refs(reader: _Reader) -> set[tuple[str, str]]:
    paths = [path for path in reader.files("catalog/procurement") if path.endswith(".yaml")]
    reader.load(paths)
    return {ref for path in paths for ref in _named(reader.data(path))}


def _challenges_naming(changes: ChangeSet, git: GitRepository, rev: str) -> set[str]:
    """Challenge folders that name an entry the change deletes or renames, so the validator shows what breaks."""
    gone = _changed_ids(changes, ("deleted", "renamed"))
    gone = [(kind, ident) for kind, ident in gone if _ID.fullmatch(ident)]
    paths = _grep_ids(git, rev, [ident for _, ident in gone], ["challenges/*/index.md"])
    files = [f"challenges/*/{'pledges' if kind == 'buyer' else 'bids'}/{ident}.yaml"
             for kind, ident in gone if kind != "service"]
    if files:
        paths += git.grep(rev, "^", files, fixed=False)  # every line matches: the pledges and bids that exist
    return {"/".join(path.split("/")[:2]) + "/" for path in paths}


def _same_numbers(changes: ChangeSet, git: GitRepository, rev: str) -> set[str]:
    """Parties that share a changed party's organisation number or municipality code."""
    found: set[str] = set()
    for entry in changes.of_kind("vendor", "buyer"):
        data = entry.data("new")
        number = re.sub(r"\D", "", str(data.get("org_number") or ""))
        if entry.status == "deleted" or not 9 <= len(number) <= 10:
            continue
        pattern = number[:6] + "[- ]?" + number[6:]
        found |= set(git.grep(rev, pattern, ["catalog/vendors/", "catalog/buyers/"], fixed=False))
        code = str(data.get("municipality_code") or "")
        if entry.kind == "buyer" and re.fullmatch(r"[0-9]{4}", code):
            found |= set(git.grep(rev, f"municipality_code:.*{code}", ["catalog/buyers/"], fixed=False))
    return found


def _file_problems(changes: ChangeSet, git: GitRepository, rev: str) -> list[Problem]:
    """Links and submodules have no place in the catalog: a link can point anywhere on the machine that reads it."""
    paths = [f.path for f in changes.files if f.status != "deleted" and f.path.split("/", 1)[0] in CONTENT_ROOTS]
    problems = []
    for path, entry in git.entries(rev, paths).items():
        if entry.is_link:
            problems.append(Problem(path, 1, 1, "symbolic links are not allowed in the catalog",
                                    "commit the file itself instead of a link to it", "files.link"))
        elif entry.is_submodule:
            problems.append(Problem(path, 1, 1, "git submodules are not allowed in the catalog",
                                    "commit the files themselves", "files.submodule"))
    return problems


# -- challenges: the lifecycle, base against head ------------------------------------------------------

def _add_transitions(result: CheckResult, entries: dict[EntryKey, EntryResult], changes: ChangeSet,
                     readers: tuple[_Reader, _Reader]) -> None:
    """What a pull request may not do to a challenge, on the entry that changed it; a problem the validator
    also found at head is listed once."""
    taken: set[tuple] = set()
    for key, found in _transitions(changes, readers).items():
        known = {_problem_key(p) for p in entries[key].problems}
        entries[key].problems += [p for p in found if _problem_key(p) not in known]
        taken |= {_problem_key(p) for p in found}
    result.elsewhere = [p for p in result.elsewhere if _problem_key(p) not in taken]


def _transitions(changes: ChangeSet, readers: tuple[_Reader, _Reader]) -> dict[EntryKey, list[Problem]]:
    head, base = readers
    found: dict[EntryKey, list[Problem]] = {}
    for folder, key in _changed_challenges(changes).items():
        path = folder + "index.md"
        if head.exists(path) and head.doc(path) is None:
            continue  # the front matter does not parse: validation says where
        pledges = [head.doc(f) for f in head.files(folder + "pledges/") if f.endswith(".yaml")]
        found[key] = lifecycle.transition_problems(base.doc(path), head.doc(path), [d for d in pledges if d])
    return found


def _changed_challenges(changes: ChangeSet) -> dict[str, EntryKey]:
    """Each changed challenge folder, and the entry its lifecycle problems go to: the challenge itself when
    its index.md changed, else its first changed pledge or bid (a pledge withdrawn can unfund it)."""
    owners: dict[str, EntryKey] = {}
    for entry in sorted(changes.of_kind(*CHALLENGE_KINDS), key=lambda e: (e.kind != "challenge", e.key)):
        owners.setdefault(_challenge_folder(entry), entry.key)
    return owners


# -- compliance (declarations and evidence dates, until the compliance engine exists) ----------------

def compliance_rows(data: dict, labels: Labels, on_date: dt.date) -> list[ComplianceRow]:
    from ..site.pages import compliance_state  # the state the service page shows: one rule, one place

    rows = []
    claims = data.get("compliance")
    for claim in claims if isinstance(claims, list) else []:
        if not isinstance(claim, dict) or not isinstance(claim.get("regulation"), str):
            continue
        expires = _date(claim.get("expires"))
        name, noun = labels.regulation(claim["regulation"])
        state = compliance_state(SimpleNamespace(expires=expires, evidence_url=claim.get("evidence_url")), on_date)
        rows.append(ComplianceRow(claim["regulation"], name, noun, state, _text(claim.get("issued")),
                                  _text(claim.get("expires")), claim.get("evidence_url"),
                                  (expires - on_date).days if expires else None))
    return rows


def _accessibility(data: dict, a11y) -> str | None:
    """What the automatic accessibility checks found on the service's demo page (None: not run)."""
    if a11y is None:
        return None
    links = data.get("links") if isinstance(data.get("links"), dict) else {}
    demo = links.get("demo")
    found = a11y.result_for(demo) if isinstance(demo, str) else None
    if found is None:
        return "not run: no result for the demo link" if demo else "not run: the service has no demo link"
    return f"{found.tool} on {found.checked.isoformat()}: {found.errors} error(s) on {found.url}"


def _assess(res: EntryResult, rulebook, labels: Labels, vendors: dict, on_date: dt.date, a11y=None) -> None:
    """The compliance engine's states and failed rules for a changed service, when the engine is there."""
    try:
        from ..compliance import assess
    except ImportError:  # a version without the rule engine: declarations and dates only
        return
    if rulebook is None or res.change.new is None:
        return
    data, doc = res.change.data("new"), res.change.new
    vendor = vendors.get(data.get("vendor"), {})
    kinds = {ident: kind for ident, (_name, kind) in labels.regulations.items()}
    assessment = assess(data, rulebook, on_date, vendor_country=vendor.get("country"),
                        vendor_name=vendor.get("legal_name"), regulation_kinds=kinds, a11y=a11y)
    res.engine = True
    for row in res.compliance:
        state = assessment.states.get(row.regulation)
        if state is not None:
            row.state = state.state
    order = {"error": 0, "warning": 1, "info": 2}
    for failed in sorted(assessment.failed, key=lambda r: (order.get(r.severity, 3), r.rule.id)):
        path = next((f.path for f in failed.failures if f.path), ())
        line, col = doc.position(path) if path else (None, None)
        res.rules.append(RuleRow(failed.severity, failed.rule.id, failed.regulation, failed.message("en"),
                                 str(failed.rule.hint("en")), line, col))


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _text(value) -> str | None:
    return None if value is None else str(value)


# -- the reviewer's checklist -----------------------------------------------------------------------

def _ownership_changes(changes: ChangeSet) -> list[str]:
    """What alters .github/CODEOWNERS: entries added, removed or renamed; maintainers; a service's vendor."""
    reasons = []
    for entry in changes.of_kind("service", "vendor", "buyer"):
        if entry.status in ("added", "deleted", "renamed"):
            reasons.append(f"{entry.label} {entry.status}")
        elif entry.old is None or entry.new is None:
            continue  # a file that does not parse is an error to fix first, not an ownership change
        elif entry.kind == "service" and entry.data("old").get("vendor") != entry.data("new").get("vendor"):
            reasons.append(f"{entry.label} changes vendor")
        elif entry.kind != "service" and entry.data("old").get("maintainers") != entry.data("new").get("maintainers"):
            reasons.append(f"{entry.label} changes maintainers")
    if changes.find("platform", PLATFORM_MAINTAINERS_FILE):
        reasons.append("platform maintainers change")
    return reasons


def checklist(result: CheckResult, owners: ownership.Owners) -> list[str]:
    items: list[str] = []
    for res in result.ordered():
        entry = res.change
        data = entry.data("new")
        if entry.kind in ("vendor", "buyer") and entry.status == "added":
            country = str(data.get("country", ""))
            name = data.get("legal_name") or data.get("name") or entry.id
            items.append(f"Identity of the new {entry.kind} {entry.id}: organisation number {short(data.get('org_number'))}"
                         f" belongs to {short(name)} in {REGISTERS.get(country, 'the national register')}, and "
                         f"@{result.author or '(the author)'} acts for it"
                         + (f" (confirm through {short(data.get('email'))})" if data.get("email") else ""))
        for change in res.attention:
            items.append(f"{entry.label}: {change.text} — {change.attention}")
        if entry.kind == "service" and entry.status == "added":
            items.append(f"{entry.label}: the website and demo links work and show this service, and the description "
                         "matches it")
            missing = [row.name for row in res.compliance if not row.evidence_url]
            if res.compliance:
                items.append(f"{entry.label}: the evidence behind each compliance declaration supports it"
                             + (f" (no evidence link: {', '.join(missing)})" if missing else ""))
        rule_errors = [r.rule for r in res.rules if r.severity == "error"]
        if rule_errors:
            items.append(f"{entry.label}: compliance rules not met ({', '.join(rule_errors)}): the service page shows "
                         "them to buyers; ask the vendor to complete the declarations")
        for row in res.compliance:
            if row.state == "expired":
                items.append(f"{entry.label}: {row.name} expired on {row.expires}: ask for the renewed evidence")
    platform = [e for e in result.entries if e.change.kind in ("platform", "taxonomy", "method")]
    if platform:
        items.append(f"Platform change ({len(platform)} file(s)): review the diff itself; this check ran with the "
                     "base branch's tooling, the test job runs the pull request's own tests")
    if any(e.change.id.startswith(".github/workflows/") for e in platform):
        items.append("Workflow change: permissions stay read-only, no pull_request_target, actions pinned by commit "
                     "SHA (zizmor and check-jsonschema run in the tests)")
    if result.ownership_changed:
        items.append("After merging, regenerate CODEOWNERS with `thingwalla codeowners` (" +
                     "; ".join(result.ownership_changed[:5]) + (" …" if len(result.ownership_changed) > 5 else "") + ")")
    return list(dict.fromkeys(items))
