"""What changed in the catalog and when, read from git history (GitPython).

The history follows the first-parent line of the branch (a merged pull request counts when it is merged) and
compares each service.yaml with its previous version. Besides "added / updated / removed" it names the
changes a buyer must assess for compliance:

- data location   hosting.data_locations
- sub-processors  hosting.sub_processors (added, removed, moved to another country)
- certificates    compliance claims (added, removed, evidence, issuer, certificate id, dates)
- price           pricing.model and the plans (price, currency, unit, billing period, minimum term)

Old versions are read with thingwalla.load, so history gets the same hostile-input refusals as the working
tree. Only committed history is read. In a shallow clone the oldest commit present is taken as the starting
point (nothing before it is known, so nothing in it is reported as new) and `History.shallow` says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..load import load_bytes

SERVICES = "catalog/services"
ASPECTS = ("data_location", "sub_processors", "certificates", "price")


@dataclass
class ComplianceChange:
    aspect: str  # one of ASPECTS
    before: str  # human-readable summaries (codes and names as written in the catalog)
    after: str


@dataclass
class Change:
    """One service changed by one commit."""

    commit: str
    date: dt.datetime  # commit date of the change on the branch (timezone-aware)
    service: str
    kind: str  # added | updated | removed
    fields: list[str] = field(default_factory=list)  # changed top-level fields (and "description", "files")
    compliance: list[ComplianceChange] = field(default_factory=list)
    name: dict = field(default_factory=dict)  # the service's name at that commit (before it, when removed)

    @property
    def compliance_relevant(self) -> bool:
        return bool(self.compliance)


@dataclass
class History:
    changes: list[Change] = field(default_factory=list)  # newest first
    head: str | None = None
    head_date: dt.datetime | None = None
    shallow: bool = False
    warnings: list[str] = field(default_factory=list)

    def for_service(self, service_id: str) -> list[Change]:
        """Changes to one service, newest first (indexed once: exports ask this for every service)."""
        if getattr(self, "_indexed", None) != len(self.changes):
            self._by_service: dict[str, list[Change]] = {}
            for change in self.changes:
                self._by_service.setdefault(change.service, []).append(change)
            self._indexed = len(self.changes)
        return self._by_service.get(service_id, [])

    def first_seen(self, service_id: str) -> dt.datetime | None:
        added = [c.date for c in self.for_service(service_id) if c.kind == "added"]
        return min(added) if added else None

    def last_changed(self, service_id: str) -> dt.datetime | None:
        dates = [c.date for c in self.for_service(service_id) if c.kind != "removed"]
        return max(dates) if dates else None

    def last_commit_date(self) -> dt.date | None:
        return self.head_date.date() if self.head_date else None


def read_history(root: Path, rev: str = "HEAD", max_commits: int = 5000) -> History:
    """Service changes on the first-parent line of `rev`. An empty History (with a warning) outside git."""
    import git

    history = History()
    try:
        repo = git.Repo(root, search_parent_directories=True)
        head = repo.commit(rev)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        history.warnings.append(f"{root} is not in a git repository; feeds and change dates are empty")
        return history
    except (git.BadName, ValueError):
        history.warnings.append(f"'{rev}' is not a commit (an empty repository?); feeds and change dates are empty")
        return history
    top = Path(repo.working_tree_dir).resolve()
    try:
        prefix = (Path(root).resolve() / SERVICES).relative_to(top).as_posix()
    except ValueError:
        prefix = SERVICES
    history.head, history.head_date = head.hexsha, head.committed_datetime
    shallow = set()
    shallow_file = Path(repo.git_dir) / "shallow"
    if shallow_file.exists():
        shallow = set(shallow_file.read_text().split())
        history.shallow = bool(shallow)
    commits = list(repo.iter_commits(rev, first_parent=True, max_count=max_commits))
    if len(commits) == max_commits:
        history.warnings.append(f"only the latest {max_commits} commits are read")
    for commit in commits:  # newest first
        if commit.hexsha in shallow or (not commit.parents and len(commits) == max_commits):
            history.warnings.append(f"history starts at {commit.hexsha[:12]} ({commit.committed_datetime:%Y-%m-%d}); "
                                    "a shallow clone: fetch the full history for complete feeds")
            continue
        parent = commit.parents[0] if commit.parents else None
        history.changes.extend(_changes(commit, parent, prefix, history))
    return history


def _touched(commit, parent, prefix: str) -> dict[str, dict]:
    """Per service folder: the files changed in it, and the service.yaml blobs before and after (when changed).

    Blobs come straight from the diff (or, for a root commit, from its tree): looking each path up in a tree
    costs a round trip to git per folder level, which made a 2,000-service history take a minute.
    """
    touched: dict[str, dict] = {}

    def note(path: str | None, side: str | None, blob) -> None:
        if not path or not path.startswith(prefix + "/"):
            return
        rel = PurePosixPath(path).relative_to(prefix)
        if len(rel.parts) < 2 or rel.parts[0].startswith("."):
            return
        entry = touched.setdefault(rel.parts[0], {"files": set(), "yaml": False, "before": None, "after": None})
        inner = "/".join(rel.parts[1:])
        entry["files"].add(inner)
        if inner == "service.yaml" and side:
            entry["yaml"] = True
            entry[side] = blob

    if parent is None:
        try:
            tree = commit.tree / prefix
        except KeyError:
            return touched
        for item in tree.traverse():
            if item.type == "blob":
                note(item.path, "after", item)
        return touched
    for diff in parent.diff(commit, paths=prefix):
        note(diff.a_path, "before" if diff.a_blob is not None else None, diff.a_blob)
        note(diff.b_path, "after" if diff.b_blob is not None else None, diff.b_blob)
    return touched


def _changes(commit, parent, prefix: str, history: History) -> list[Change]:
    changes = []
    for service_id, entry in sorted(_touched(commit, parent, prefix).items()):
        path = f"{prefix}/{service_id}/service.yaml"
        if entry["yaml"]:
            before = _read(entry["before"], path, commit, history) if entry["before"] is not None else None
            after = _read(entry["after"], path, commit, history) if entry["after"] is not None else None
        else:  # only other files changed: the service is the same before and after, if it is one
            if not _exists(commit, path):
                continue
            before = after = {}
        files = entry["files"]
        if before is None and after is None:
            continue
        if before is None:
            kind, fields = "added", []
        elif after is None:
            kind, fields = "removed", []
        else:
            kind = "updated"
            fields = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            if any(f.startswith("description.") for f in files):
                fields.append("description")
            if any(f.startswith(("screenshots/", "logo.")) for f in files):
                fields.append("files")
            if not fields:
                continue
        compliance = compliance_changes(before or {}, after or {}) if kind == "updated" else []
        changes.append(Change(commit.hexsha, commit.committed_datetime, service_id, kind, fields, compliance,
                              dict((after or before or {}).get("name") or {})))
    return changes


def _exists(commit, path: str) -> bool:
    try:
        commit.tree / path
    except KeyError:
        return False
    return True


def _read(blob, path: str, commit, history: History) -> dict | None:
    doc, problems = load_bytes(blob.data_stream.read(), Path(path), path)
    if doc is None or not isinstance(doc.data, dict):
        history.warnings.append(f"{path} at {commit.hexsha[:12]} could not be read ({problems[0].message if problems else 'not a mapping'})")
        return None
    return doc.data


# --- what a buyer must reassess -------------------------------------------------------------------------

def compliance_changes(before: dict, after: dict) -> list[ComplianceChange]:
    out = []
    hb, ha = before.get("hosting") or {}, after.get("hosting") or {}
    locations = (_codes(hb.get("data_locations")), _codes(ha.get("data_locations")))
    if locations[0] != locations[1]:
        out.append(ComplianceChange("data_location", ", ".join(locations[0]) or "–", ", ".join(locations[1]) or "–"))
    subs = (_subprocessors(hb.get("sub_processors")), _subprocessors(ha.get("sub_processors")))
    if subs[0] != subs[1]:
        out.append(ComplianceChange("sub_processors", "; ".join(subs[0]) or "–", "; ".join(subs[1]) or "–"))
    certs = (_claims(before.get("compliance")), _claims(after.get("compliance")))
    if certs[0] != certs[1]:
        changed = sorted(set(certs[0]) ^ set(certs[1]))
        out.append(ComplianceChange("certificates",
                                    "; ".join(c for c in certs[0] if c in changed) or "–",
                                    "; ".join(c for c in certs[1] if c in changed) or "–"))
    prices = (_prices(before.get("pricing")), _prices(after.get("pricing")))
    if prices[0] != prices[1]:
        changed = sorted(set(prices[0]) ^ set(prices[1]))
        out.append(ComplianceChange("price", "; ".join(p for p in prices[0] if p in changed) or "–",
                                    "; ".join(p for p in prices[1] if p in changed) or "–"))
    return out


def _codes(value) -> list[str]:
    return sorted(str(v) for v in value) if isinstance(value, list) else []


def _subprocessors(value) -> list[str]:
    if not isinstance(value, list):
        return []
    return sorted(f"{s.get('name')} ({s.get('country')})" for s in value if isinstance(s, dict))


def _claims(value) -> list[str]:
    if not isinstance(value, list):
        return []
    out = []
    for c in value:
        if not isinstance(c, dict):
            continue
        parts = [str(c.get("regulation"))]
        for key, label in (("certificate_id", "id"), ("issuer", "issuer"), ("issued", "issued"),
                           ("expires", "expires"), ("evidence_url", "evidence")):
            if c.get(key):
                parts.append(f"{label} {c[key]}")
        out.append(", ".join(parts))
    return sorted(out)


def _prices(value) -> list[str]:
    if not isinstance(value, dict):
        return []
    out = [f"model {value.get('model')}"]
    for plan in value.get("plans") or []:
        if isinstance(plan, dict):
            term = f", minimum {plan['minimum_term_months']} months" if plan.get("minimum_term_months") else ""
            out.append(f"{plan.get('id')}: {plan.get('price')} {plan.get('currency')} per {plan.get('unit')} "
                       f"per {plan.get('billing_period')}{term}")
    return sorted(out)
