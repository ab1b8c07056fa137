"""The design system's components: one folder each under design-system/components/<id>/.

A folder holds `component.yaml` (name, summary, where the marketplace uses it, accessibility notes,
checks done by hand), `example.nb.html` and `example.en.html` (the live example, shown and tested as
written), optionally `style.css` (the component's rules, served in the site's components.css) and
`a11y-results.json` (the automated checks, written by a real run of `thingwalla design-check --write`).
Loading never raises: every mistake is a located Problem.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator

from .load import load_file
from .problems import Problem

COMPONENTS_DIR = "design-system/components"
RESULTS_FILE = "a11y-results.json"
LANGS = ("nb", "en")

_TEXT = {"type": "object", "required": ["nb", "en"], "additionalProperties": False,
         "properties": {"nb": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}}}
_TEXTS = {"type": "object", "required": ["nb", "en"], "additionalProperties": False,
          "properties": {"nb": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                         "en": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}}}
COMPONENT_SCHEMA = {
    "type": "object",
    "required": ["id", "name", "summary", "status", "used_on", "wcag", "accessibility", "manual_checks"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "order": {"type": "integer"},
        "name": _TEXT,
        "summary": _TEXT,
        "status": {"enum": ["experimental", "stable", "deprecated"]},
        "classes": {"type": "array", "items": {"type": "string", "pattern": "^tw-[a-z0-9_-]+$"}},
        "used_on": _TEXT,
        "wcag": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": r"^\d\.\d\.\d+$"}},
        "accessibility": _TEXTS,
        "manual_checks": {"type": "array", "items": {
            "type": "object", "required": ["check", "how", "result"], "additionalProperties": False,
            "properties": {"check": _TEXT, "how": _TEXT, "result": {"enum": ["pass", "fail", "untested"]},
                           "date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                           "by": {"type": "string"}}}},
    },
}
_VALIDATOR = Draft202012Validator(COMPONENT_SCHEMA)


@dataclass
class Component:
    id: str
    folder: Path
    data: dict
    examples: dict[str, str]  # language -> example HTML
    style: str = ""
    results: dict | None = None  # the recorded automated checks, if any
    order: int = 100

    def text(self, key: str, lang: str) -> str:
        return self.data[key][lang]


@dataclass
class DesignSystem:
    components: list[Component] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def get(self, ident: str) -> Component:
        return next(c for c in self.components if c.id == ident)

    def styles(self) -> str:
        """Every component's style.css, in page order, for the site's components.css."""
        parts = [f"/* design-system/components/{c.id}/style.css */\n{c.style.strip()}\n" for c in self.components if c.style]
        return "/* Generated from the style.css of each design-system component; do not edit. */\n" + "\n".join(parts)


def load_design_system(root: Path) -> DesignSystem:
    result = DesignSystem()
    folder = root / COMPONENTS_DIR
    if not folder.is_dir():
        result.problems.append(Problem(COMPONENTS_DIR, 1, 1, "the design system has no components folder",
                                       f"add {COMPONENTS_DIR}/<id>/component.yaml", "design.missing"))
        return result
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        component = _load_component(root, sub, result.problems)
        if component is not None:
            result.components.append(component)
    result.components.sort(key=lambda c: (c.order, c.id))
    return result


def _load_component(root: Path, folder: Path, problems: list[Problem]) -> Component | None:
    rel = folder.relative_to(root).as_posix()
    yaml_path = folder / "component.yaml"
    if not yaml_path.is_file():
        problems.append(Problem(rel, 1, 1, "this component folder has no component.yaml",
                                "add component.yaml (copy one from design-system/components/button/)", "design.missing"))
        return None
    doc, found = load_file(yaml_path, f"{rel}/component.yaml")
    problems.extend(found)
    if doc is None:
        return None
    errors = sorted(_VALIDATOR.iter_errors(doc.data), key=lambda e: list(e.absolute_path))
    for error in errors:
        path = tuple(error.absolute_path)
        line, col = doc.position(path)
        name = ".".join(str(p) for p in path) or "the file"
        problems.append(Problem(doc.relpath, line, col, f"{name}: {error.message}",
                                "see design-system/README.md for the fields of component.yaml", "design.schema"))
    if errors:
        return None
    if doc.data["id"] != folder.name:
        line, col = doc.position(("id",))
        problems.append(Problem(doc.relpath, line, col, f"id {doc.data['id']!r} does not match the folder {folder.name!r}",
                                f"write id: {folder.name}", "design.id"))
        return None
    for index, check in enumerate(doc.data["manual_checks"]):
        try:
            check["date_value"] = dt.date.fromisoformat(check["date"]) if check.get("date") else None
        except ValueError:
            line, col = doc.position(("manual_checks", index, "date"))
            problems.append(Problem(doc.relpath, line, col, f"{check['date']} is not a real date",
                                    "write the day the check was done as YYYY-MM-DD", "design.date"))
            return None
    examples = {}
    for lang in LANGS:
        path = folder / f"example.{lang}.html"
        if not path.is_file():
            problems.append(Problem(f"{rel}/example.{lang}.html", 1, 1, f"the example in {lang} is missing",
                                    "every component shows its live example in bokmål (nb) and English (en)",
                                    "design.example"))
            continue
        examples[lang] = path.read_text(encoding="utf-8").strip()
    if len(examples) != len(LANGS):
        return None
    style_path = folder / "style.css"
    results = _load_results(folder / RESULTS_FILE, f"{rel}/{RESULTS_FILE}", problems)
    return Component(doc.data["id"], folder, doc.data, examples,
                     style_path.read_text(encoding="utf-8") if style_path.is_file() else "",
                     results, doc.data.get("order", 100))


def _load_results(path: Path, rel: str, problems: list[Problem]) -> dict | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["date_value"] = dt.date.fromisoformat(data["date"])
        assert isinstance(data["checks"], list)
    except json.JSONDecodeError as exc:
        problems.append(Problem(rel, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}",
                                "write the file again with `thingwalla design-check --write`", "design.results"))
        return None
    except (KeyError, ValueError, TypeError, AssertionError):
        problems.append(Problem(rel, 1, 1, "the accessibility results are not in the expected form",
                                "write the file again with `thingwalla design-check --write`", "design.results"))
        return None
    return data
