"""The few git operations a pull-request check needs, through gitpython's `git` command wrapper.

Everything reads committed objects (never the working tree), so a check of base..head is the same on a
vendor's laptop and in CI. Each operation is one git process whose cost grows with what is asked for,
not with the size of the catalog: `ls-tree` of named paths, `grep` in named folders, `archive` of named
paths. Blob contents come through gitpython's persistent `cat-file --batch` process.
"""

from __future__ import annotations

import io
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

import git
from git.exc import GitCommandError, InvalidGitRepositoryError, NoSuchPathError

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


class GitError(Exception):
    """A problem with the repository or a revision, worded for the person running the command."""


@dataclass(frozen=True)
class FileChange:
    status: str  # added | modified | deleted | renamed | type_changed
    path: str  # the path at head (at base for a deleted file)
    old_path: str | None = None  # for renames: the path at base


@dataclass(frozen=True)
class TreeEntry:
    path: str
    mode: str  # "100644", "100755", "120000" (symbolic link), "160000" (submodule)
    sha: str

    @property
    def is_link(self) -> bool:
        return self.mode == "120000"

    @property
    def is_submodule(self) -> bool:
        return self.mode == "160000"


class GitRepository:
    def __init__(self, root: Path):
        try:
            self.repo = git.Repo(root, search_parent_directories=False)
        except (InvalidGitRepositoryError, NoSuchPathError):
            raise GitError(f"{root} is not a git repository (a check compares two commits)") from None
        self.root = Path(self.repo.working_tree_dir or root)
        self.files_read = 0  # blobs read or extracted: the check's cost, reported by the benchmark

    # -- revisions ---------------------------------------------------------------------------
    def resolve(self, rev: str) -> str:
        """Full commit id of `rev`; refuses option-like input rather than passing it to git."""
        if not rev or rev.startswith("-") or any(c in rev for c in "\0\n\r"):
            raise GitError(f"'{rev}' is not a revision")
        try:
            return self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").strip()
        except GitCommandError:
            hint = (" (CI: check out with fetch-depth: 0 so the base branch is there)"
                    if self.repo.git.rev_parse("--is-shallow-repository").strip() == "true" else "")
            raise GitError(f"unknown revision '{rev}'{hint}") from None

    def merge_base(self, base: str, head: str) -> str:
        try:
            return self.repo.git.merge_base(base, head).strip()
        except GitCommandError:
            raise GitError(f"{base[:10]} and {head[:10]} share no history; is --base the branch the pull "
                           "request targets?") from None

    def short(self, sha: str) -> str:
        return sha[:10]

    # -- what changed --------------------------------------------------------------------------
    def changed_files(self, old: str, new: str) -> list[FileChange]:
        out = self.repo.git.diff("--name-status", "-z", "-M", "--no-color", "--no-ext-diff", "--no-textconv",
                                 "--no-relative", old, new, "--")
        fields = out.split("\0")
        changes: list[FileChange] = []
        i = 0
        while i < len(fields) and fields[i]:
            status = fields[i]
            letter = status[0]
            if letter in "RC":
                old_path, new_path = fields[i + 1], fields[i + 2]
                i += 3
                if letter == "R":
                    changes.append(FileChange("renamed", new_path, old_path))
                else:
                    changes.append(FileChange("added", new_path))
                continue
            path = fields[i + 1]
            i += 2
            kind = {"A": "added", "M": "modified", "D": "deleted", "T": "type_changed"}.get(letter, "modified")
            changes.append(FileChange(kind, path))
        return changes

    # -- reading trees --------------------------------------------------------------------------
    def entries(self, rev: str, paths: list[str]) -> dict[str, TreeEntry]:
        """Files at `rev` under the given paths (files or folders), recursively. Missing paths are skipped."""
        if not paths:
            return {}
        out = self.repo.git.ls_tree("-r", "-z", "--full-tree", rev, "--", *sorted(set(paths)))
        found: dict[str, TreeEntry] = {}
        for record in out.split("\0"):
            if not record:
                continue
            meta, path = record.split("\t", 1)
            mode, _type, sha = meta.split()
            found[path] = TreeEntry(path, mode, sha)
        return found

    def names(self, rev: str, folder: str) -> list[str]:
        """Names directly inside `folder` at `rev` (files and folders)."""
        out = self.repo.git.ls_tree("-z", "--name-only", "--full-tree", rev, "--", folder.rstrip("/") + "/")
        return [p.rsplit("/", 1)[-1] for p in out.split("\0") if p]

    def read(self, rev: str, path: str) -> bytes | None:
        """Contents of a regular file at `rev`, or None when there is none."""
        entry = self.entries(rev, [path]).get(path)
        if entry is None or entry.is_link or entry.is_submodule:
            return None
        return self.read_blob(entry.sha)

    def read_blob(self, sha: str) -> bytes:
        self.files_read += 1
        return self.repo.odb.stream(bytes.fromhex(sha)).read()

    def grep(self, rev: str, pattern: str, pathspecs: list[str], fixed: bool = True) -> list[str]:
        """Paths at `rev` whose text matches `pattern` (a fast prefilter: callers parse what it finds)."""
        args = ["-l", "-z", "-I", "-F" if fixed else "-E", "-e", pattern, rev, "--", *pathspecs]
        try:
            out = self.repo.git.grep(*args)
        except GitCommandError as exc:
            if exc.status == 1:  # no match
                return []
            raise
        prefix = f"{rev}:"
        return sorted(p[len(prefix):] if p.startswith(prefix) else p for p in out.split("\0") if p)

    def extract(self, rev: str, paths: list[str], dest: Path) -> list[str]:
        """Write the files under `paths` at `rev` into `dest`. Returns the paths refused (links out of the tree)."""
        dest.mkdir(parents=True, exist_ok=True)
        if not paths:
            return []
        listed = self.repo.git.ls_tree("-z", "--name-only", "--full-tree", rev, "--",
                                       *sorted({p.rstrip("/") for p in paths}))
        present = [p for p in listed.split("\0") if p]  # git archive stops at a path that is not there
        if not present:
            return []
        stream = io.BytesIO()
        self.repo.git.archive("--format=tar", rev, "--", *present, output_stream=stream)
        stream.seek(0)
        refused: list[str] = []
        with tarfile.open(fileobj=stream, mode="r:") as archive:
            members = []
            for member in archive:
                try:
                    safe = tarfile.data_filter(member, str(dest))
                except tarfile.FilterError:
                    refused.append(member.name)
                    continue
                if safe is not None:
                    members.append(safe)
                    if safe.isfile():
                        self.files_read += 1
            archive.extractall(dest, members=members, filter="fully_trusted")  # members already filtered
        return refused


_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def ids_pattern(ids: list[str]) -> str | None:
    """An extended regex that finds any of `ids` as a whole id (ids are letters, digits and hyphens)."""
    ids = sorted({i for i in ids if isinstance(i, str) and _ID.match(i)})
    if not ids:
        return None
    return r"(^|[^A-Za-z0-9-])(" + "|".join(ids) + r")([^A-Za-z0-9-]|$)"
