"""Read and check methods-library/: each method's front matter and the templates it offers for download.

Layout: methods-library/<id>.md, with downloadable templates in methods-library/<id>/. Recipes sequence
other methods by id."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from ..load import MarkdownDocument, load_markdown_file
from ..problems import Problem
from ..validate import identifiers
from ..validate.schema import check_schema

FOLDER = "methods-library"
MAX_TEMPLATE_BYTES = 256 * 1024
REVIEW_DAYS = 2 * 365  # a method not looked at for two years gets a warning


@dataclass
class MethodFile:
    markdown: MarkdownDocument
    valid: bool = True


def read_methods(root: Path, today: dt.date) -> tuple[list[MethodFile], list[Problem], int]:
    base = root / FOLDER
    problems: list[Problem] = []
    loaded: list[tuple[MethodFile, int]] = []
    read = 0
    if not base.is_dir():
        return [], problems, read
    names = {p.stem for p in base.glob("*.md") if p.name.lower() != "readme.md"}
    for path in sorted(p for p in base.iterdir() if not p.name.startswith(".")):
        rel = f"{FOLDER}/{path.name}"
        if path.is_dir():
            if path.name not in names:
                problems.append(Problem(rel, 1, 1, f"the folder '{path.name}' belongs to no method",
                                        f"templates of a method go in methods-library/<id>/ beside <id>.md; "
                                        f"add {path.name}.md or move the files", "layout.stray"))
            continue
        if path.name.lower() == "readme.md":
            continue
        if path.suffix != ".md":
            problems.append(Problem(rel, 1, 1, "only <id>.md files are read in methods-library/",
                                    "rename the file to end in .md, or remove it", "layout.stray"))
            continue
        read += 1
        markdown, found = load_markdown_file(path, rel)
        problems += found
        if markdown is None:
            continue
        found = check_schema(markdown.front, "method")
        problems += found
        if found:
            continue
        loaded.append((MethodFile(markdown), len(problems)))
    # Every method file counts as known, valid or not, so one broken method is reported once, not again
    # by every recipe that sequences it.
    kinds = {name: "" for name in names} | {m.markdown.front.data["id"]: m.markdown.front.data["type"] for m, _ in loaded}
    out = []
    for method, _ in loaded:
        found = check_method(method, base, kinds, today)
        problems += found
        method.valid = not any(p.severity == "error" for p in found)
        out.append(method)
    return out, problems, read


def check_method(method: MethodFile, base: Path, kinds: dict[str, str], today: dt.date) -> list[Problem]:
    doc = method.markdown.front
    data, problems = doc.data, []
    stem = Path(doc.relpath).stem

    def at(where, message, hint, code, severity="error"):
        line, col = doc.position(where)
        problems.append(Problem(doc.relpath, line, col, message, hint, code, severity))

    if data["id"] != stem:
        at(("id",), f"id '{data['id']}' does not match the file name '{stem}'",
           f"set 'id: {stem}', or rename the file", "ref.id_name")
    if data["type"] == "recipe":
        if "sequence" not in data:
            at(("type",), "a recipe needs 'sequence': the methods in the order to use them",
               "add 'sequence:' with '- method: <id>' items", "method.sequence")
        for i, step in enumerate(data.get("sequence", [])):
            if step["method"] not in kinds:
                close = difflib.get_close_matches(step["method"], sorted(kinds), n=1, cutoff=0.6)
                at(("sequence", i, "method"), f"unknown method '{step['method']}'",
                   (f"did you mean '{close[0]}'? " if close else "") + "use the file name of a method in methods-library/",
                   "ref.method")
            elif step["method"] == data["id"]:
                at(("sequence", i, "method"), "a recipe cannot include itself", "remove this step", "method.sequence")
    else:
        if "steps" not in data:
            at(("type",), f"a {data['type'].replace('_', ' ')} needs 'steps': what to do, in order",
               "add 'steps:' with one item per step", "method.steps")
        if "sequence" in data:
            at(("sequence",), "only a recipe has a 'sequence'", "set 'type: recipe', or use 'steps'", "method.sequence")
    participants = data["participants"]
    if participants["max"] < participants["min"]:
        at(("participants", "max"), f"participants.max ({participants['max']}) is below participants.min "
           f"({participants['min']})", "check the two numbers", "method.participants")
    for i, code in enumerate(data["languages"]):
        if code not in identifiers.language_codes():
            at(("languages", i), f"'{code}' is not an ISO 639 language code",
               "e.g. nb (bokmål), nn (nynorsk), se (Northern Sami), sv, en, fi", "ids.language")
    licence = identifiers.licence_error(data["licence"])
    if licence:
        at(("licence",), licence[0], licence[1], "ids.licence")
    reviewed = dt.date.fromisoformat(data["last_reviewed"])
    if reviewed > today:
        at(("last_reviewed",), f"the date {data['last_reviewed']} is in the future",
           f"last_reviewed records a review that happened; use {today.isoformat()} or earlier", "dates.future")
    elif (today - reviewed).days > REVIEW_DAYS:
        at(("last_reviewed",), f"the method was last reviewed on {data['last_reviewed']}, more than two years ago",
           "read it through, update what is out of date and set last_reviewed", "method.review", "warning")
    folder = base / stem  # the file name decides the folder; a wrong id is reported once, above
    for i, template in enumerate(data.get("templates", [])):
        target = folder / template["file"]
        if not target.is_file():
            at(("templates", i, "file"), f"the template '{template['file']}' does not exist",
               f"add it as methods-library/{stem}/{template['file']}", "files.missing")
            continue
        try:
            target.resolve().relative_to(folder.resolve())
        except ValueError:
            at(("templates", i, "file"), f"'{template['file']}' points outside methods-library/{stem}/ "
               "(through a link)", "copy the file into the folder instead of linking to it", "files.outside")
            continue
        raw = target.read_bytes()
        if len(raw) > MAX_TEMPLATE_BYTES or b"\x00" in raw:
            at(("templates", i, "file"), f"'{template['file']}' is not a text file under 256 KB",
               "templates are plain text, Markdown or CSV", "files.type")
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            at(("templates", i, "file"), f"'{template['file']}' is not valid UTF-8", "save it with UTF-8 encoding",
               "files.encoding")
    return problems
