"""Who may change what.

- A vendor's files (`catalog/vendors/<v>.yaml`, every `catalog/services/*` whose vendor is `<v>`, its bids)
  belong to that vendor's maintainers; a buyer's file (its uses, ratings, reviews) and its pledges to the
  buyer's maintainers; everything else — taxonomy, schemas, rules, scripts, workflows, methods — to the
  platform maintainers listed in `catalog/platform-maintainers.yaml`.
- Maintainers are read from the **base** revision: a pull request cannot add its author to a vendor's
  maintainers and then use that right. Only a party the change itself creates (a new vendor or buyer)
  takes its maintainers from the change, and the report flags it for an identity review.
- A change needs the consent of every party that owns what it touches: the author's own membership, or
  the approval of a member (`--approved-by`, which the workflow fills from the pull request's reviews of
  the head commit). Moving a service to another vendor therefore needs both vendors. A platform
  maintainer's authorship or approval stands in for any party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from ..load import Document, load_bytes
from ..problems import Problem
from ..schemas import load_schema, schema_names
from .changes import PLATFORM_MAINTAINERS_FILE, ChangeSet, EntryChange, EntryKey, main_path
from .gitrepo import GitRepository

PLATFORM_SCHEMA = "platform-maintainers.schema.json"
PLATFORM_HEADER = f"# yaml-language-server: $schema=../scripts/thingwalla/schemas/{PLATFORM_SCHEMA}"
HANDLE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


def login(value: str) -> str:
    """GitHub logins compare case-insensitively; '@' is optional."""
    return value.strip().lstrip("@").lower()


def handles(value) -> tuple[str, ...]:
    """The valid GitHub handles in a maintainers list (anything else is ignored, never trusted)."""
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str) and HANDLE.match(v))


@dataclass(frozen=True)
class Party:
    kind: str  # vendor | buyer | platform
    id: str
    maintainers: tuple[str, ...]
    new: bool = False  # created by this change: its maintainers come from the change itself

    @property
    def label(self) -> str:
        return "the platform maintainers" if self.kind == "platform" else f"{self.kind} {self.id}"

    @property
    def members_text(self) -> str:
        return ", ".join(f"@{m}" for m in self.maintainers) if self.maintainers else "nobody listed"

    def has(self, user: str | None) -> bool:
        return user is not None and login(user) in {login(m) for m in self.maintainers}


@dataclass
class Verdict:
    status: str  # allowed | refused | not_checked
    owners: list[Party] = field(default_factory=list)  # every party whose consent the change needs
    reasons: list[str] = field(default_factory=list)  # what allows it
    flags: list[str] = field(default_factory=list)  # what the reviewer must look at even when allowed
    refusals: list[str] = field(default_factory=list)  # why it is refused
    hint: str = ""  # what to do about a refusal


class Owners:
    """Maintainers of parties as they are at the base revision, plus the parties the change creates."""

    def __init__(self, git: GitRepository, base: str, changes: ChangeSet):
        self.git, self.base = git, base
        self._cache: dict[tuple[str, str], Party | None] = {}
        self.created: dict[tuple[str, str], Party] = {}
        for entry in changes.of_kind("vendor", "buyer"):
            if entry.status == "added":
                self.created[(entry.kind, entry.id)] = Party(entry.kind, entry.id,
                                                             handles(entry.data("new").get("maintainers")), new=True)
        self.platform = Party("platform", "platform", platform_maintainers(git, base))

    def party(self, kind: str, ident: str | None) -> Party | None:
        if not ident or not isinstance(ident, str):
            return None
        key = (kind, ident)
        if key not in self._cache:
            raw = self.git.read(self.base, main_path(EntryKey(kind, ident)))
            party = None
            if raw is not None:
                doc, _ = load_bytes(raw, Path(main_path(EntryKey(kind, ident))), main_path(EntryKey(kind, ident)))
                data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
                party = Party(kind, ident, handles(data.get("maintainers")))
            self._cache[key] = party
        return self._cache[key] or self.created.get(key)


def platform_maintainers(git: GitRepository, rev: str) -> tuple[str, ...]:
    raw = git.read(rev, PLATFORM_MAINTAINERS_FILE)
    if raw is None:
        return ()
    doc, _ = load_bytes(raw, Path(PLATFORM_MAINTAINERS_FILE), PLATFORM_MAINTAINERS_FILE)
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    return handles(data.get("maintainers"))


def check_platform_file(doc: Document | None, parse_problems: list[Problem]) -> list[Problem]:
    """Schema and header of catalog/platform-maintainers.yaml (the catalog validator does not read it)."""
    if doc is None:
        return parse_problems
    problems = []
    if doc.first_line != PLATFORM_HEADER:
        problems.append(Problem(doc.relpath, 1, 1, "the first line must name the file's schema",
                                f"make line 1 exactly: {PLATFORM_HEADER}", "schema.header"))
    registry = Registry().with_resources(
        (load_schema(name)["$id"], Resource.from_contents(load_schema(name))) for name in schema_names())
    validator = Draft202012Validator(load_schema(PLATFORM_SCHEMA), registry=registry)
    for error in validator.iter_errors(doc.data):
        line, col = doc.position(tuple(error.absolute_path))
        where = ".".join(str(p) for p in error.absolute_path) or "the file"
        problems.append(Problem(doc.relpath, line, col, f"{where}: {error.message}",
                                "a list of GitHub user names under 'maintainers:'", f"schema.{error.validator}"))
    return problems


def owners_of(entry: EntryChange, owners: Owners) -> tuple[list[Party], list[str], str | None]:
    """(parties whose consent the change needs, flags for the reviewer, why the owner is unknown)."""
    flags: list[str] = []
    if entry.is_platform:
        return [owners.platform], flags, None
    old, new = entry.data("old"), entry.data("new")
    if entry.kind == "service":
        before, after = old.get("vendor"), new.get("vendor")
        parties: list[Party] = []
        for ident in dict.fromkeys(v for v in (before if entry.status != "added" else None,
                                               after if entry.status != "deleted" else None) if v):
            party = owners.party("vendor", ident)
            if party is None:
                return [], flags, f"the vendor '{ident}' does not exist"
            parties.append(party)
        if not parties:
            return [], flags, "service.yaml names no vendor it could belong to (see the errors in the file)"
        if len(parties) == 2:
            flags.append(f"moves from vendor {parties[0].id} to vendor {parties[1].id}: needs the maintainers of "
                         "both vendors (or a platform maintainer)")
        return parties, flags, None
    if entry.kind in ("vendor", "buyer"):
        if entry.status == "added":
            party = owners.party(entry.kind, entry.id)
            flags.append(f"new {entry.kind}: identity and qualification review needed" if entry.kind == "vendor"
                         else "new buyer: identity review needed")
            return [party] if party else [], flags, None
        party = owners.party(entry.kind, entry.old_id or entry.id)
        return ([party], flags, None) if party else ([], flags, f"the {entry.kind} file does not parse at the base")
    if entry.kind in ("pledge", "bid"):
        kind = "buyer" if entry.kind == "pledge" else "vendor"
        ident = entry.id.split("/", 1)[1]
        party = owners.party(kind, ident)
        return ([party], flags, None) if party else ([], flags, f"there is no {kind} '{ident}'")
    if entry.kind == "challenge":
        data = old if entry.status != "added" else new
        starter = next((data[k] for k in ("started_by", "buyer", "owner") if isinstance(data.get(k), str)), None)
        party = owners.party("buyer", starter) if starter else None
        return [party] if party else [owners.platform], flags, None
    return [owners.platform], flags, None


def decide(changes: ChangeSet, owners: Owners, author: str | None, approvers: list[str]) -> dict[EntryKey, Verdict]:
    approvers = [a for a in dict.fromkeys(login(a) for a in approvers if a) if not author or a != login(author)]
    platform = owners.platform
    verdicts: dict[EntryKey, Verdict] = {}
    for entry in changes.entries:
        parties, flags, unknown = owners_of(entry, owners)
        verdict = Verdict("not_checked", parties, [], flags)
        verdicts[entry.key] = verdict
        if author is None:
            verdict.reasons.append("not checked: no pull request author given (--author)")
            continue
        if platform.has(author):
            verdict.status = "allowed"
            verdict.reasons.append(f"@{author} is a platform maintainer")
            if not entry.is_platform:
                verdict.flags.append("changed by a platform maintainer on behalf of "
                                     + (", ".join(p.label for p in parties) or "its owner"))
            continue
        platform_approver = next((a for a in approvers if platform.has(a)), None)
        if platform_approver:
            verdict.status = "allowed"
            verdict.reasons.append(f"approved by platform maintainer @{platform_approver}")
            continue
        if unknown:
            verdict.status = "refused"
            verdict.refusals.append(f"the owner cannot be determined: {unknown}")
            verdict.hint = "fix the entry, or ask a platform maintainer (" + platform.members_text + ")"
            continue
        missing = []
        for party in parties:
            if party.has(author):
                verdict.reasons.append(f"@{author} maintains {party.label}" if not party.new
                                       else f"@{author} is listed as a maintainer of the new {party.label}")
            elif (approver := next((a for a in approvers if party.has(a)), None)) and not party.new:
                verdict.reasons.append(f"{party.label} approved: @{approver} is a maintainer")
            else:
                missing.append(party)
        if not missing:
            verdict.status = "allowed"
            continue
        verdict.status = "refused"
        for party in missing:
            if party.new:
                verdict.refusals.append(f"the new {party.label} does not list @{author} among its maintainers "
                                        f"({party.members_text})")
            elif party.kind == "platform":
                verdict.refusals.append(f"only platform maintainers ({party.members_text}) may change it")
            elif len(missing) < len(parties):
                verdict.refusals.append(f"it also needs the consent of {party.label}, whose maintainers are "
                                        f"{party.members_text}")
            else:
                verdict.refusals.append(f"it belongs to {party.label}, whose maintainers are {party.members_text}")
        asks = [f"a maintainer of {p.label} ({p.members_text})" for p in missing if p.kind != "platform" and not p.new]
        if any(p.new for p in missing):
            verdict.hint = "list your GitHub user name under 'maintainers:' in the new file"
        else:
            verdict.hint = ("ask " + (" and ".join(asks) + " to make or approve this change, or " if asks else "")
                            + f"a platform maintainer ({platform.members_text})")
    return verdicts


def refusal_problems(changes: ChangeSet, verdicts: dict[EntryKey, Verdict], author: str | None) -> list[Problem]:
    """A refused change as a located problem, so it fails the check and shows on the file."""
    problems = []
    for entry in changes.entries:
        verdict = verdicts[entry.key]
        if verdict.status != "refused":
            continue
        doc = entry.new or entry.old
        line, col = doc.key_position(("vendor",)) if entry.kind == "service" and doc is not None else (1, 1)
        path = entry.path if entry.status != "deleted" else entry.old_path
        problems.append(Problem(path, line, col, f"@{author} may not change {entry.label}: "
                                + "; ".join(verdict.refusals), verdict.hint, "ownership.refused"))
    return problems
