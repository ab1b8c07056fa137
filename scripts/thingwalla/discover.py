"""Find the catalog's entry files in a repository checkout, by kind."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

TAXONOMY_KINDS = ("categories", "integrations", "regulations")


@dataclass(frozen=True)
class EntryFile:
    kind: str  # service | vendor | buyer | categories | integrations | regulations
    path: Path
    relpath: str
    expected_id: str | None  # the id the folder or file name gives, when it gives one


def find_repo_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds catalog/."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "catalog").is_dir():
            return folder
    return None


def discover(root: Path) -> tuple[list[EntryFile], list[Problem]]:
    catalog = root / "catalog"
    entries: list[EntryFile] = []
    problems: list[Problem] = []

    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix()

    services = catalog / "services"
    if services.is_dir():
        # os.scandir knows which entries are folders without a stat each (10,000 service folders)
        with os.scandir(services) as listing:
            found = sorted((entry.name, entry.is_dir()) for entry in listing if not entry.name.startswith("."))
        prefix = rel(services)
        for name, is_dir in found:
            folder = services / name
            if not is_dir:
                problems.append(Problem(f"{prefix}/{name}", 1, 1, "a file directly in catalog/services/ is not read",
                                        "put each service in its own folder: catalog/services/<id>/service.yaml",
                                        "layout.stray"))
                continue
            yaml_file = folder / "service.yaml"
            if not os.path.isfile(yaml_file):
                alt = folder / "service.yml"
                hint = ("rename service.yml to service.yaml" if alt.exists()
                        else "add service.yaml, or remove the folder")
                problems.append(Problem(f"{prefix}/{name}", 1, 1, "the service folder has no service.yaml", hint,
                                        "layout.missing"))
                continue
            entries.append(EntryFile("service", yaml_file, f"{prefix}/{name}/service.yaml", name))

    for kind, folder_name in (("vendor", "vendors"), ("buyer", "buyers")):
        folder = catalog / folder_name
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
            if path.is_file() and path.suffix == ".yaml":
                entries.append(EntryFile(kind, path, rel(path), path.stem))
            else:
                problems.append(Problem(rel(path), 1, 1, f"only <id>.yaml files are read in catalog/{folder_name}/",
                                        "rename the file to end in .yaml" if path.suffix == ".yml" else "remove it",
                                        "layout.stray"))

    taxonomy = catalog / "taxonomy"
    for kind in TAXONOMY_KINDS:
        path = taxonomy / f"{kind}.yaml"
        if path.is_file():
            entries.append(EntryFile(kind, path, rel(path), None))
        else:
            problems.append(Problem(f"catalog/taxonomy/{kind}.yaml", 1, 1, f"the {kind} taxonomy is missing",
                                    "restore the file from the main branch", "layout.missing"))
    return entries, problems
