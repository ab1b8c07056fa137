"""Typed methods, built from the valid files of methods-library/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..model import Text, text
from .read import MethodFile

TYPES = ("workshop", "training_module", "diagnostic_template", "template", "recipe")
PHASES = ("discover", "plan", "procure", "implement", "evaluate")


@dataclass
class Template:
    file: str
    title: Text
    path: Path  # on disk, for the site to publish


@dataclass
class Step:
    method_id: str
    why: Text


@dataclass
class Method:
    id: str
    type: str
    title: Text
    summary: Text
    phases: list[str]
    minutes: int
    sessions: int
    participants_min: int
    participants_max: int
    roles: list[Text]
    difficulty: str
    outputs: list[Text]
    steps: list[Text]
    sequence: list[Step]
    templates: list[Template]
    languages: list[str]
    licence: str
    last_reviewed: dt.date
    body: str  # Markdown, bokmål (untrusted)
    sample: bool

    @property
    def guide(self) -> Text:
        return Text({"nb": self.body} if self.body else {})

    @property
    def time(self) -> tuple[str, int]:
        """("minutes", 45) or ("hours", 1.5): the duration of one session, in the unit a reader expects."""
        return ("minutes", self.minutes) if self.minutes < 60 else ("hours", self.minutes / 60)


def build_methods(files: list[MethodFile]) -> dict[str, Method]:
    out = {}
    for entry in files:
        if not entry.valid:
            continue
        d = entry.markdown.front.data
        folder = entry.markdown.front.path.parent / d["id"]
        out[d["id"]] = Method(
            id=d["id"], type=d["type"], title=text(d["title"]), summary=text(d["summary"]), phases=d["phase"],
            minutes=d["duration"]["minutes"], sessions=d["duration"].get("sessions", 1),
            participants_min=d["participants"]["min"], participants_max=d["participants"]["max"],
            roles=[text(r) for r in d["participants"]["roles"]], difficulty=d["difficulty"],
            outputs=[text(o) for o in d["outputs"]], steps=[text(s) for s in d.get("steps", [])],
            sequence=[Step(s["method"], text(s.get("why"))) for s in d.get("sequence", [])],
            templates=[Template(t["file"], text(t["title"]), folder / t["file"]) for t in d.get("templates", [])],
            languages=d["languages"], licence=d["licence"], last_reviewed=dt.date.fromisoformat(d["last_reviewed"]),
            body=entry.markdown.body.strip(), sample=bool(d.get("sample")),
        )
    return dict(sorted(out.items()))
