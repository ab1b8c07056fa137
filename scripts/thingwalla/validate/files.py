"""Files an entry refers to: they must sit inside the entry's own folder and be what they claim."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from ..load import Document
from ..problems import Problem
from .placeholders import is_placeholder_description

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_LOGO_BYTES = 256 * 1024
MAX_DESCRIPTION_BYTES = 64 * 1024
IMAGE_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
LANGS = ("nb", "en", "sv")
_DESCRIPTION_FILE = re.compile(r"description\.[^/]*\.md")  # what folder.glob("description.*.md") matched

# SVG elements and attributes a logo may use: shapes, paint and text. Nothing that runs or loads.
SVG_ELEMENTS = {
    "svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "title", "desc", "defs",
    "lineargradient", "radialgradient", "stop", "clippath", "mask", "use", "text", "tspan", "symbol",
}
SVG_URL_ATTRIBUTES = {"href"}


def referenced_path_problem(doc: Document, where: tuple, value: str, folder: Path) -> tuple[Path | None, list[Problem]]:
    """Resolve `value` inside `folder`, refusing absolute paths and '..'."""
    def at():  # the position, worked out only for a problem (see load.Document)
        return doc.position(where)

    pure = PurePosixPath(value)
    if "\\" in value or pure.is_absolute() or ".." in pure.parts or value.startswith("~"):
        return None, [Problem(doc.relpath, *at(), f"'{value}' points outside the service's folder",
                              "give a path inside the folder, such as screenshots/overview.png", "files.outside")]
    target = folder / pure
    try:
        target.resolve().relative_to(folder.resolve())
    except ValueError:
        return None, [Problem(doc.relpath, *at(), f"'{value}' points outside the service's folder (through a link)",
                              "copy the file into the folder instead of linking to it", "files.outside")]
    if not target.is_file():
        return None, [Problem(doc.relpath, *at(), f"the file '{value}' does not exist",
                              f"add it beside service.yaml, or fix the name (files there: {_listing(folder)})",
                              "files.missing")]
    return target, []


def _listing(folder: Path) -> str:
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return ", ".join(names[:8]) + (" …" if len(names) > 8 else "")


def check_service_files(doc: Document, folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    data = doc.data

    inline = data.get("description") or {}
    has_description = bool(inline)
    # One listing of the folder instead of a look-up per language and a glob (thousands of services).
    try:
        names = {entry.name for entry in os.scandir(folder)}
    except OSError:
        names = set()
    base = os.fspath(folder)
    doc.description_files = {}
    for lang in LANGS:
        name = f"description.{lang}.md"
        if name not in names:
            continue
        has_description = True
        rel = f"{doc.relpath.rsplit('/', 1)[0]}/{name}"
        if lang in inline:
            line, col = doc.key_position(("description", lang))
            problems.append(Problem(doc.relpath, line, col,
                                    f"description.{lang} is given both here and in {name}",
                                    f"keep one: remove description.{lang} here or delete {name}", "files.ambiguous"))
        text, found = _read_description(os.path.join(base, name), rel, lang)
        problems.extend(found)
        if text is not None:
            doc.description_files[lang] = text
    for stray in sorted(name for name in names if _DESCRIPTION_FILE.fullmatch(name)):
        lang = stray.split(".")[1]
        if lang not in LANGS:
            problems.append(Problem(f"{doc.relpath.rsplit('/', 1)[0]}/{stray}", 1, 1,
                                    f"'{lang}' is not a language the catalog shows",
                                    "name the file description.nb.md, description.en.md or description.sv.md",
                                    "files.language"))
    if not has_description:
        line, col = doc.key_position(("name",))
        problems.append(Problem(doc.relpath, 1, 1, "the service has no description",
                                "add description.nb.md and description.en.md beside service.yaml, "
                                "or a 'description:' field with nb/en text", "files.description"))

    if isinstance(data.get("logo"), str):
        target, found = referenced_path_problem(doc, ("logo",), data["logo"], folder)
        problems.extend(found)
        if target is not None:
            problems.extend(_logo_problems(doc, target))
    for index, shot in enumerate(data.get("screenshots") or []):
        if not isinstance(shot, dict) or not isinstance(shot.get("file"), str):
            continue
        where = ("screenshots", index, "file")
        target, found = referenced_path_problem(doc, where, shot["file"], folder)
        problems.extend(found)
        if target is not None:
            problems.extend(_image_problems(doc, where, target, MAX_IMAGE_BYTES))
    return problems


def _read_description(path: str, rel: str, lang: str = "") -> tuple[str | None, list[Problem]]:
    """The text of a description file (None when it cannot be used) and its problems."""
    with open(path, "rb") as file:
        raw = file.read()
    if len(raw) > MAX_DESCRIPTION_BYTES:
        return None, [Problem(rel, 1, 1,
                              f"the description is {len(raw):,} bytes; the limit is {MAX_DESCRIPTION_BYTES:,}",
                              "shorten it; link to your own documentation for details", "files.size")]
    if b"\x00" in raw:
        return None, [Problem(rel, 1, 1, "this is a binary file, not Markdown text", "save it as UTF-8 text",
                              "files.binary")]
    try:
        # Newlines as Path.read_text gives them: the model and the pages use this text as read here.
        text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, 1, "the file is not valid UTF-8", "save it with UTF-8 encoding",
                              "files.encoding")]
    if not text.strip():
        return None, [Problem(rel, 1, 1, "the description file is empty",
                              "write the description, or delete the file", "files.empty")]
    if is_placeholder_description(text, lang):
        return text, [Problem(rel, 1, 1, "the description is still the placeholder from `thingwalla new`",
                              "describe the service for municipalities: who it is for, what it solves, how it is "
                              "taken into use", "text.placeholder", severity="warning")]
    return text, []


def _image_problems(doc: Document, where: tuple, target: Path, limit: int) -> list[Problem]:
    def at():  # the position, worked out only for a problem (see load.Document)
        return doc.position(where)

    suffix = target.suffix.lower()
    if suffix not in IMAGE_SIGNATURES:
        return [Problem(doc.relpath, *at(), f"'{target.name}' is not a PNG or JPEG image",
                        "use a .png or .jpg file", "files.type")]
    size = target.stat().st_size
    if size > limit:
        return [Problem(doc.relpath, *at(), f"'{target.name}' is {size / 1024 / 1024:.1f} MB; the limit is "
                        f"{limit // 1024 // 1024} MB", "resize or compress the image", "files.size")]
    head = target.read_bytes()[:8]
    if not any(head.startswith(sig) for sig in IMAGE_SIGNATURES[suffix]):
        return [Problem(doc.relpath, *at(), f"'{target.name}' is not really a {suffix[1:].upper()} image",
                        "export the image again in the format its name says", "files.type")]
    return []


def _logo_problems(doc: Document, target: Path) -> list[Problem]:
    if target.suffix.lower() == ".png":
        return _image_problems(doc, ("logo",), target, MAX_LOGO_BYTES)
    def at():
        return doc.position(("logo",))

    if target.stat().st_size > MAX_LOGO_BYTES:
        return [Problem(doc.relpath, *at(), "the logo is larger than 256 KB", "simplify or compress the SVG",
                        "files.size")]
    reason = svg_safety_problem(target.read_bytes())
    if reason:
        return [Problem(doc.relpath, *at(), f"the SVG logo is refused: {reason}",
                        "export a plain SVG with shapes only (no scripts, styles, links, embedded images or "
                        "event attributes)", "files.svg")]
    return []


def svg_safety_problem(raw: bytes) -> str | None:
    """None when the SVG holds only allowlisted elements and attributes, else the reason."""
    text = raw.decode("utf-8", errors="replace")
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        return "it declares a DOCTYPE or entities"
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        return f"it is not well-formed XML ({exc})"
    if _local(root.tag) != "svg":
        return "the root element is not <svg>"
    for element in root.iter():
        name = _local(element.tag)
        if name not in SVG_ELEMENTS:
            return f"the element <{name}> is not allowed"
        for attribute, value in element.attrib.items():
            attr = _local(attribute).lower()
            if attr.startswith("on"):
                return f"the event attribute '{attr}' is not allowed"
            if attr == "style" or "url(" in value and not re.fullmatch(r"\s*url\(#[\w-]+\)\s*", value):
                return f"the attribute '{attr}' may load or style content"
            if attr in SVG_URL_ATTRIBUTES and not value.startswith("#"):
                return f"the link '{value}' leaves the logo"
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""
