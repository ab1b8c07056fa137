"""git diff base..head -> the catalog entries a pull request adds, modifies, renames or deletes.

A changed file belongs to one entry: `catalog/services/<id>/…` to a service, `catalog/vendors/<id>.yaml`
to a vendor, `catalog/buyers/<id>.yaml` to a buyer, `catalog/taxonomy/*` to the taxonomy,
`challenges/<id>/pledges/<buyer>.yaml` to a pledge, `challenges/<id>/bids/<vendor>.yaml` to a bid, other
files in `challenges/<id>/` to the challenge, `methods-library/<id>…` to a method. Everything else
(scripts, schemas, workflows, documentation, the platform maintainers file) is a platform file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..load import Document, load_bytes
from ..problems import Problem
from .gitrepo import FileChange, GitRepository

# Kinds whose owner is a party named in the catalog; the rest belong to the platform maintainers.
ENTRY_KINDS = ("service", "vendor", "buyer", "challenge", "pledge", "bid")
PLATFORM_KINDS = ("taxonomy", "method", "platform")
# Kinds the validator of this version reads; a change to any other kind of content is checked against the
# whole catalog, since its cross-references are not known here.
INCREMENTAL_KINDS = ("service", "vendor", "buyer", "platform")
PLATFORM_MAINTAINERS_FILE = "catalog/platform-maintainers.yaml"

NOUNS = {"service": "service", "vendor": "vendor", "buyer": "buyer", "taxonomy": "taxonomy",
         "challenge": "challenge", "pledge": "pledge", "bid": "bid", "method": "method", "platform": "platform file"}


@dataclass(frozen=True, order=True)
class EntryKey:
    kind: str
    id: str  # for platform files: the path


def classify(path: str) -> EntryKey:
    parts = path.split("/")
    if parts[0] == "catalog" and len(parts) >= 3:
        folder, name = parts[1], parts[2]
        if folder == "services" and len(parts) >= 4:
            return EntryKey("service", name)
        if folder in ("vendors", "buyers") and len(parts) == 3 and name.endswith(".yaml") and len(name) > 5:
            return EntryKey(folder[:-1], name[:-5])
        if folder == "taxonomy":
            return EntryKey("taxonomy", path)
    if parts[0] == "challenges" and len(parts) >= 3:
        challenge = parts[1]
        if len(parts) == 4 and parts[2] in ("pledges", "bids") and parts[3].endswith(".yaml"):
            kind = "pledge" if parts[2] == "pledges" else "bid"
            return EntryKey(kind, f"{challenge}/{parts[3][:-5]}")
        return EntryKey("challenge", challenge)
    if parts[0] == "methods-library" and len(parts) >= 2 and parts[1].lower() != "readme.md":
        return EntryKey("method", parts[1].removesuffix(".md"))
    return EntryKey("platform", path)


def main_path(key: EntryKey) -> str:
    """The file that holds the entry's data."""
    if key.kind == "service":
        return f"catalog/services/{key.id}/service.yaml"
    if key.kind in ("vendor", "buyer"):
        return f"catalog/{key.kind}s/{key.id}.yaml"
    if key.kind == "challenge":
        return f"challenges/{key.id}/index.md"
    if key.kind in ("pledge", "bid"):
        challenge, party = key.id.split("/", 1)
        return f"challenges/{challenge}/{key.kind}s/{party}.yaml"
    if key.kind == "method":
        return f"methods-library/{key.id}.md"
    return key.id


def entry_prefix(key: EntryKey) -> str:
    """Problems on paths equal to or under this prefix belong to the entry."""
    if key.kind == "service":
        return f"catalog/services/{key.id}/"
    if key.kind == "challenge":
        return f"challenges/{key.id}/"
    return main_path(key)


def owns_path(key: EntryKey, path: str) -> bool:
    prefix = entry_prefix(key)
    return path == prefix or (prefix.endswith("/") and path.startswith(prefix)) or path == prefix.rstrip("/")


@dataclass
class EntryChange:
    kind: str
    id: str  # at head; at base when deleted
    status: str  # added | modified | renamed | deleted
    files: list[FileChange] = field(default_factory=list)
    old_id: str | None = None  # the id at base, when renamed
    old: Document | None = None  # the entry's data file at base, parsed (None: absent or does not parse)
    new: Document | None = None  # at head
    new_parse_problems: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> EntryKey:
        return EntryKey(self.kind, self.id)

    @property
    def old_key(self) -> EntryKey:
        return EntryKey(self.kind, self.old_id or self.id)

    @property
    def path(self) -> str:
        return main_path(self.key)

    @property
    def old_path(self) -> str:
        return main_path(self.old_key)

    @property
    def label(self) -> str:
        if self.kind == "platform":
            return self.id
        if self.kind == "taxonomy":
            return f"taxonomy {Path(self.id).name}"
        return f"{NOUNS[self.kind]} {self.id}"

    @property
    def is_platform(self) -> bool:
        return self.kind in PLATFORM_KINDS

    def data(self, which: str = "new") -> dict:
        doc = self.new if which == "new" else self.old
        return doc.data if doc is not None and isinstance(doc.data, dict) else {}


@dataclass
class ChangeSet:
    base: str  # the commit compared against (the merge base of --base and --head)
    head: str
    files: list[FileChange]
    entries: list[EntryChange]

    def of_kind(self, *kinds: str) -> list[EntryChange]:
        return [e for e in self.entries if e.kind in kinds]

    def find(self, kind: str, ident: str) -> EntryChange | None:
        return next((e for e in self.entries if e.kind == kind and e.id == ident), None)


def collect(git: GitRepository, base: str, head: str) -> ChangeSet:
    files = git.changed_files(base, head)
    grouped: dict[EntryKey, list[FileChange]] = {}
    renamed_from: dict[EntryKey, EntryKey] = {}
    for change in files:
        new_key = classify(change.path)
        if change.status == "renamed" and change.old_path is not None:
            old_key = classify(change.old_path)
            if old_key != new_key:
                # An entry renamed when its data file moves (service.yaml to another folder, a.yaml to b.yaml).
                if (old_key.kind == new_key.kind and old_key.kind in ("service", "vendor", "buyer")
                        and change.old_path == main_path(old_key) and change.path == main_path(new_key)):
                    renamed_from[new_key] = old_key
                else:  # a file moved between entries: a deletion in one and an addition in the other
                    grouped.setdefault(old_key, []).append(FileChange("deleted", change.old_path))
                    grouped.setdefault(new_key, []).append(FileChange("added", change.path))
                    continue
        grouped.setdefault(new_key, []).append(change)
    for new_key, old_key in renamed_from.items():  # the old folder's other files moved with it
        grouped.setdefault(new_key, []).extend(grouped.pop(old_key, []))

    keys = sorted(grouped)
    mains_base = git.entries(base, [main_path(renamed_from.get(k, k)) for k in keys])
    mains_head = git.entries(head, [main_path(k) for k in keys])
    entries: list[EntryChange] = []
    for key in keys:
        old_key = renamed_from.get(key, key)
        at_base = main_path(old_key) in mains_base
        at_head = main_path(key) in mains_head
        if key.kind == "platform":
            at_base = at_head = True  # a platform file is just a file: its own status says what happened
            status = {"added": "added", "deleted": "deleted", "renamed": "renamed"}.get(grouped[key][0].status,
                                                                                    "modified")
        elif not at_head and not at_base:
            status = "modified"  # files of an entry without its data file (a stray logo, say)
        elif not at_base:
            status = "added"
        elif not at_head:
            status = "deleted"
        else:
            status = "renamed" if old_key != key else "modified"
        entry = EntryChange(key.kind, key.id, status, grouped[key],
                            old_id=old_key.id if old_key != key else None)
        if key.kind != "platform" and key.kind != "method":
            if at_base:
                entry.old, _ = _parse(git, base, mains_base[main_path(old_key)].sha, main_path(old_key))
            if at_head:
                entry.new, entry.new_parse_problems = _parse(git, head, mains_head[main_path(key)].sha,
                                                             main_path(key))
        elif key.id == PLATFORM_MAINTAINERS_FILE and status != "deleted":
            raw = git.read(head, key.id)
            if raw is not None:
                entry.new, entry.new_parse_problems = load_bytes(raw, Path(key.id), key.id)
        entries.append(entry)
    return ChangeSet(base, head, files, entries)


def _parse(git: GitRepository, rev: str, sha: str, path: str) -> tuple[Document | None, list[Problem]]:
    raw = git.read_blob(sha)
    if path.endswith(".md"):
        raw = front_matter(raw)
        if raw is None:
            return None, []
    return load_bytes(raw, Path(path), path)


def front_matter(raw: bytes) -> bytes | None:
    """The YAML between the opening and closing '---' lines of a Markdown file (blank lines keep positions)."""
    lines = raw.split(b"\n")
    if not lines or lines[0].strip() != b"---":
        return None
    for end in range(1, len(lines)):
        if lines[end].strip() == b"---":
            return b"\n".join([b""] + lines[1:end])
    return None
