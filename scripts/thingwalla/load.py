"""Read YAML files into plain data, keeping the line and column of every key and value.

Vendor content is untrusted, so this loader refuses what YAML allows but a catalog never needs:
aliases (the "billion laughs" bomb), merge keys, custom tags, duplicate keys, very deep nesting
and very large files. Each refusal is a located Problem, never an exception.

Scalars follow YAML 1.2's core schema for booleans: only true/false are booleans, so a country
code written `NO` stays the string "NO" (YAML 1.1 would read it as false).

Most files are first read by fast_yaml (yaml-rs), which answers only where it gives this module's data
exactly; every other file, and every file with a problem, is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .fast_yaml import EXACT, fast_data
from .problems import Problem

MAX_BYTES = 512 * 1024
MAX_DEPTH = 24
MAX_NODES = 50_000

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"


class Loader(_BaseLoader):
    """The safe loader with its resolver reduced to what a catalog uses. libyaml calls the resolver's three
    methods for every node: at 10,000 services 1.5 million calls each, a third of the time spent composing.
    The catalog has no path resolvers, so descending and ascending have nothing to do, and a scalar's tag is
    found by the same implicit resolvers (by first character) as PyYAML's own resolve()."""

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit, _resolvers=_BaseLoader.yaml_implicit_resolvers):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


assert not _BaseLoader.yaml_path_resolvers and None not in _BaseLoader.yaml_implicit_resolvers
_int_constructor = yaml.constructor.SafeConstructor.construct_yaml_int
_float_constructor = yaml.constructor.SafeConstructor.construct_yaml_float
_BOOL_RE = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")

Position = tuple[int, int]
PathKey = tuple  # tuple of str keys and int indexes


@dataclass
class Document:
    """A parsed YAML file: its data and where each value sits in the source.

    Positions are worked out when first asked for (a problem to report, a change to show), by composing the
    source again: most entries of a big catalog are valid and never need them, and keeping them for every
    value cost the validator more than parsing the YAML."""

    path: Path
    relpath: str
    data: object
    first_line: str = ""
    source: str = field(default="", repr=False)  # the YAML text the data came from
    _positions: dict | None = field(default=None, repr=False)
    _key_positions: dict | None = field(default=None, repr=False)
    # A service's description files ({"nb": text, ...}), read once by the validator's file checks
    # (validate/files.py) for the model too: 20,000 files at 10,000 services.
    description_files: dict | None = field(default=None, repr=False)

    @property
    def positions(self) -> dict[PathKey, Position]:
        """Position of every value, by its path."""
        if self._positions is None:
            self._locate()
        return self._positions

    @property
    def key_positions(self) -> dict[PathKey, Position]:
        """Position of every mapping key, by the path of its value."""
        if self._key_positions is None:
            self._locate()
        return self._key_positions

    def _locate(self) -> None:
        self._positions, self._key_positions = {}, {}
        try:
            root = yaml.compose(self.source, Loader=Loader) if self.source else None
        except yaml.YAMLError:  # pragma: no cover - the same text composed once already
            root = None
        if root is not None:
            _walk_positions(root, self._positions, self._key_positions)

    def position(self, path: PathKey, prefer_key: bool = False) -> Position:
        """Best position for a value path: the exact node, else the nearest parent."""
        path = tuple(path)
        positions, key_positions = self.positions, self.key_positions
        while True:
            if prefer_key and path in key_positions:
                return key_positions[path]
            if path in positions:
                return positions[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def key_position(self, path: PathKey) -> Position:
        return self.position(path, prefer_key=True)


def load_file(path: Path, relpath: str) -> tuple[Document | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(relpath, 1, 1, f"cannot read the file: {exc.strerror}", "check the file's permissions", "load.read")]
    return load_bytes(raw, path, relpath)


def load_bytes(raw: bytes, path: Path, relpath: str) -> tuple[Document | None, list[Problem]]:
    def problem(line: int, col: int, message: str, hint: str, code: str) -> tuple[None, list[Problem]]:
        return None, [Problem(relpath, line, col, message, hint, code)]

    if len(raw) > MAX_BYTES:
        return problem(1, 1, f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
                       "move long text into description.nb.md / description.en.md, or split the entry", "load.size")
    if b"\x00" in raw:
        return problem(1, 1, "this is a binary file, not YAML text", "save the file as UTF-8 text", "load.binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        return problem(line, col, f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                       "save the file with UTF-8 encoding", "load.encoding")
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return problem(1, 1, "the file is empty", "fill in the entry; `thingwalla new` writes a template", "load.empty")

    data = fast_data(text, MAX_DEPTH, MAX_NODES)
    if data is not EXACT:
        return Document(path=path, relpath=relpath, data=data, first_line=text.split("\n", 1)[0].strip(),
                        source=text), []
    if "*" in text:  # aliases can only appear where a '*' does; skip the event scan otherwise
        found = _refuse_aliases(text, relpath)
        if found is not None:
            return None, found
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            reason = "a tab character where YAML expects spaces"
        elif "another document" in reason or "single document" in reason:
            reason = "the file holds more than one YAML document ('---')"
        elif exc.context and exc.context_mark and exc.problem and exc.context_mark.line != mark.line:
            # libyaml notices an unclosed bracket or quote where it gives up; say where it began
            reason = f"{exc.problem} ({exc.context} that starts on line {exc.context_mark.line + 1})"
        return problem(line, col, f"YAML syntax error: {reason}", _syntax_hint(reason), "load.syntax")
    except yaml.YAMLError as exc:
        return problem(1, 1, f"YAML syntax error: {exc}", "check indentation and quoting", "load.syntax")
    except RecursionError:
        return problem(1, 1, "the document is nested too deeply", f"keep nesting under {MAX_DEPTH} levels", "load.depth")
    if root is None:
        return problem(1, 1, "the file is empty", "fill in the entry; `thingwalla new` writes a template", "load.empty")

    doc = Document(path=path, relpath=relpath, data=None, first_line=text.split("\n", 1)[0].strip(), source=text)
    problems: list[Problem] = []
    doc.data = _build(root, relpath, problems)
    if problems:
        return None, problems
    return doc, []


def _refuse_aliases(text: str, relpath: str) -> list[Problem] | None:
    problems = []
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                problems.append(Problem(
                    relpath, mark.line + 1, mark.column + 1,
                    f"YAML alias '*{event.anchor}' is not allowed",
                    "write the value out in full; anchors and aliases are refused because they can expand "
                    "a small file into a huge one", "load.alias"))
    except yaml.YAMLError:
        return None  # a syntax error: compose() reports it with its position
    return problems or None


class _Refused(Exception):
    """A document too big or too deep: building stops at the first node over the limit."""

    def __init__(self, problem: Problem):
        self.problem = problem


def _build(root: yaml.Node, relpath: str, problems: list[Problem]) -> object:
    """Turn the node tree into plain data, refusing what a catalog never needs (see the module's docstring).
    Recursion stops at MAX_DEPTH levels, far below Python's limit."""
    budget = [MAX_NODES]

    def refuse(node: yaml.Node, message: str, hint: str, code: str) -> _Refused:
        return _Refused(Problem(relpath, node.start_mark.line + 1, node.start_mark.column + 1, message, hint, code))

    def value(node: yaml.Node, depth: int) -> object:
        budget[0] -= 1
        if budget[0] < 0:
            raise refuse(node, f"the document has more than {MAX_NODES:,} values",
                         "a catalog entry needs far fewer; split it up", "load.size")
        if depth > MAX_DEPTH:
            raise refuse(node, f"the document is nested more than {MAX_DEPTH} levels deep", "flatten the structure",
                         "load.depth")
        kind = type(node)
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR else _scalar(node, relpath, problems)
        if kind is yaml.SequenceNode:
            if node.tag != _SEQ:
                problems.append(_tag_problem(relpath, node))
            leaf_ok = depth < MAX_DEPTH  # (a text item one level down is within the depth limit)
            items = []
            for child in node.value:
                if leaf_ok and type(child) is yaml.ScalarNode and child.tag == _STR and budget[0] > 0:
                    budget[0] -= 1  # text, the common case, without a call
                    items.append(child.value)
                else:
                    items.append(value(child, depth + 1))
            return items
        if kind is yaml.MappingNode:
            if node.tag != _MAP:
                problems.append(_tag_problem(relpath, node))
            mapping: dict = {}
            first_seen: dict[str, yaml.Node] = {}  # key -> its node (a duplicate's message names its line)
            leaf_ok = depth < MAX_DEPTH
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    problems.append(Problem(relpath, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                            "YAML merge keys ('<<') are not allowed", "write the keys out in full",
                                            "load.merge"))
                    continue
                if type(key_node) is not yaml.ScalarNode:
                    problems.append(Problem(relpath, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                            "a mapping key must be plain text", "use a simple word as the key",
                                            "load.key"))
                    continue
                key = str(key_node.value)
                if key in first_seen:
                    hint = ("inside { } put text that contains commas in quotes" if node.flow_style and " " in key
                            else "keep one of them; YAML would silently use the last")
                    problems.append(Problem(relpath, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                            f"duplicate key '{key}' (first given on line "
                                            f"{first_seen[key].start_mark.line + 1})",
                                            hint, "load.duplicate"))
                    continue
                first_seen[key] = key_node
                if leaf_ok and type(value_node) is yaml.ScalarNode and value_node.tag == _STR and budget[0] > 0:
                    budget[0] -= 1  # text, the common case, without a call
                    mapping[key] = value_node.value
                else:
                    mapping[key] = value(value_node, depth + 1)
            return mapping
        return None  # pragma: no cover - PyYAML has only these three node kinds

    try:
        return value(root, 1)
    except _Refused as stop:
        problems.append(stop.problem)
        return None


def _walk_positions(root: yaml.Node, positions: dict, key_positions: dict) -> None:
    """Line and column (1-based) of every value and mapping key of a document that loaded without problems."""
    stack: list = [(root, ())]
    while stack:
        node, path = stack.pop()
        positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, path + (index,)) for index, child in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                    continue
                where = path + (str(key_node.value),)
                if where not in key_positions:
                    key_positions[where] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                    stack.append((value_node, where))


def _scalar(node: yaml.ScalarNode, relpath: str, problems: list[Problem]) -> object:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:str" or tag == "tag:yaml.org,2002:timestamp":
        return value  # dates stay text: the schema's "date" format checks them
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        if _BOOL_RE.match(value):
            return value.lower() == "true"
        return value  # yes/no/on/off/NO: text under YAML 1.2
    if tag == "tag:yaml.org,2002:int":
        try:
            return _int_constructor(_ScalarOnly, node)
        except (ValueError, TypeError):
            return value
    if tag == "tag:yaml.org,2002:float":
        try:
            return _float_constructor(_ScalarOnly, node)
        except (ValueError, TypeError):
            return value
    problems.append(_tag_problem(relpath, node))
    return None


class _ScalarOnly:
    """Stands in for a constructor: PyYAML's int/float constructors only call construct_scalar."""

    @staticmethod
    def construct_scalar(node):
        return node.value


def _tag_problem(relpath: str, node: yaml.Node) -> Problem:
    return Problem(relpath, node.start_mark.line + 1, node.start_mark.column + 1,
                   f"the YAML tag '{node.tag}' is not allowed",
                   "remove the '!' tag; plain text, numbers, lists and mappings are enough", "load.tag")


def _line_col(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


def _syntax_hint(reason: str) -> str:
    if "more than one YAML document" in reason:
        return "keep one entry per file and remove the '---' line"
    if "tab" in reason:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in reason:
        return "put text containing ': ' in quotes"
    if "could not find expected ':'" in reason:
        return "each line of a mapping needs 'key: value'"
    if "found character" in reason and "cannot start any token" in reason:
        return "put the value in quotes"
    if "nesting depth" in reason:
        return f"keep nesting under {MAX_DEPTH} levels"
    return "check indentation, quoting and that every list item starts with '- '"


# --- Markdown with YAML front matter (challenges/, methods-library/; issue 4) ----------------------------

@dataclass
class MarkdownDocument:
    """A Markdown file whose front matter was loaded like any YAML entry, positions in the .md file's lines."""

    front: Document
    body: str
    body_line: int  # line of the .md file where the body starts


def load_markdown_file(path: Path, relpath: str) -> tuple[MarkdownDocument | None, list[Problem]]:
    """Split `---` front matter from the body and load it with the same safe loader as the YAML entries.

    The opening `---` is replaced by an empty line, so every line and column the loader reports is the
    line and column in the Markdown file itself.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(relpath, 1, 1, f"cannot read the file: {exc.strerror}", "check the file's permissions", "load.read")]
    return load_markdown_bytes(raw, path, relpath)


def load_markdown_bytes(raw: bytes, path: Path, relpath: str) -> tuple[MarkdownDocument | None, list[Problem]]:
    """load_markdown_file for bytes read elsewhere (a git blob, for instance)."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(relpath, 1, 1, f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
                              "shorten the text, or split it", "load.size")]
    lines = raw.split(b"\n")
    if lines[0].lstrip(b"\xef\xbb\xbf").rstrip(b"\r") != b"---":
        return None, [Problem(relpath, 1, 1, "the file does not start with front matter",
                              "make line 1 exactly '---', then the fields, then a line '---' before the text",
                              "load.front_matter")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip(b"\r") in (b"---", b"...")), None)
    if end is None:
        return None, [Problem(relpath, 1, 1, "the front matter is not closed",
                              "add a line with just '---' after the last field", "load.front_matter")]
    front_raw = b"\n" + b"\n".join(lines[1:end]) + b"\n"
    doc, problems = load_bytes(front_raw, path, relpath)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, [Problem(relpath, 2, 1, "the front matter must be 'field: value' lines",
                              "write each field as 'name: value'", "load.front_matter")]
    body = b"\n".join(lines[end + 1:])
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(body, exc.start)
        return None, [Problem(relpath, end + 1 + line, col, "the file is not valid UTF-8",
                              "save the file with UTF-8 encoding", "load.encoding")]
    return MarkdownDocument(doc, text, end + 2), []
