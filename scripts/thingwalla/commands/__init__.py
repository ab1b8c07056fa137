"""One module per `thingwalla` sub-command. Each has `register(subparsers)`; cli.py lists them.

A command parses nothing itself beyond its arguments and calls library functions; it raises
UsageError for mistakes in how it was called (exit status 2).
"""

from __future__ import annotations

from pathlib import Path

from ..discover import find_repo_root

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    pass


def repository(explicit: str | None, paths: list[str] | None = None) -> Path:
    """The repository root: --repository if given, else found from the first path or the current folder."""
    if explicit:
        root = Path(explicit)
        if not (root / "catalog").is_dir():
            raise UsageError(f"{explicit} has no catalog/ folder")
        return root.resolve()
    start = Path(paths[0]) if paths else Path.cwd()
    root = find_repo_root(start if start.is_dir() else start.parent)
    if root is None:
        raise UsageError("not inside a Thingwalla repository (no catalog/ folder found here or above)")
    return root
