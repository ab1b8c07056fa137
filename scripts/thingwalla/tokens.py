"""Design tokens: W3C Design Tokens (DTCG 2025.10) JSON -> CSS custom properties, and WCAG contrast.

The tokens live in `design-system/tokens/*.tokens.json`; `contrast-pairs.yaml` beside them declares
which text (or UI) colour token the site puts on which background token. Loading never raises: every
mistake is a located Problem (file:line:col, what is wrong, how to fix it). The CSS is generated at
build time by the MkDocs plugin (and printed by `thingwalla tokens`), so nothing generated is committed.

Token names map to CSS by joining the path with dashes under the `--tw-` prefix:
`color.accent.base.default` -> `--tw-color-accent-base-default`. An alias (`"{color.blue.700}"`)
becomes `var(--tw-color-blue-700)`, so a theme can override one primitive and every role follows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .load import Document, load_bytes, load_file
from .problems import Problem

TOKENS_DIR = "design-system/tokens"
PAIRS_FILE = f"{TOKENS_DIR}/contrast-pairs.yaml"
CSS_PREFIX = "--tw-"
# WCAG 2.1 AA: 1.4.3 text 4.5:1, large text 3:1; 1.4.11 user-interface components and focus 3:1.
MINIMUM_RATIO = {"text": 4.5, "large": 3.0, "ui": 3.0}
TYPES = ("color", "dimension", "fontFamily", "fontWeight", "number", "duration")
GROUP_KEYS = {"$type", "$description", "$extensions", "$deprecated"}
TOKEN_KEYS = GROUP_KEYS | {"$value"}
_ALIAS = re.compile(r"^\{([^{}]+)\}$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass
class Token:
    name: str  # dotted path, e.g. "color.accent.base.default"
    type: str
    raw: object  # $value as written
    file: str
    line: int
    column: int
    description: str = ""
    value: object = None  # resolved value (aliases followed); a hex string for colours
    alias_of: str | None = None
    resolved: bool = False  # tried once; value stays None when it could not be resolved

    @property
    def css_name(self) -> str:
        return CSS_PREFIX + self.name.replace(".", "-")


@dataclass
class ContrastPair:
    kind: str  # "text", "large" or "ui"
    foreground: str
    background: str
    where: dict  # {"nb": ..., "en": ...}
    file: str
    line: int
    column: int
    ratio: float = 0.0

    @property
    def minimum(self) -> float:
        return MINIMUM_RATIO[self.kind]

    @property
    def passes(self) -> bool:
        return self.ratio >= self.minimum


@dataclass
class DesignTokens:
    tokens: dict[str, Token] = field(default_factory=dict)
    pairs: list[ContrastPair] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unresolved: set[str] = field(default_factory=set)  # tokens whose problem is already reported

    @property
    def ok(self) -> bool:
        return not self.problems

    def hex(self, name: str) -> str:
        return self.tokens[name].value


# --- WCAG 2.1 contrast --------------------------------------------------------------------------------

def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour written #rrggbb."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter colour's luminance over the darker's."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def rounded_ratio(ratio: float) -> float:
    """Ratios are shown to two decimals, rounded down so 4.499 never reads as a pass."""
    return int(ratio * 100) / 100


# --- loading -----------------------------------------------------------------------------------------

def load_design_tokens(root: Path) -> DesignTokens:
    """Read every token file and the contrast pairs under `root`; problems instead of exceptions."""
    result = DesignTokens()
    folder = root / TOKENS_DIR
    files = sorted(folder.glob("*.tokens.json")) if folder.is_dir() else []
    if not files:
        result.problems.append(Problem(TOKENS_DIR, 1, 1, "no design token files (*.tokens.json) found",
                                       f"add {TOKENS_DIR}/primitives.tokens.json in the DTCG format", "tokens.missing"))
        return result
    for path in files:
        doc = _load_json(path, path.relative_to(root).as_posix(), result.problems)
        if doc is not None:
            _collect(doc, doc.data, (), None, result)
    _resolve_all(result)
    _load_pairs(root, result)
    return result


def _load_json(path: Path, relpath: str, problems: list[Problem]) -> Document | None:
    raw = path.read_bytes()
    try:
        json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass  # the YAML loader reports the encoding problem with its position
    except json.JSONDecodeError as exc:
        problems.append(Problem(relpath, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}",
                                "token files are strict JSON: no comments, no trailing commas, keys in double quotes",
                                "tokens.syntax"))
        return None
    # JSON is YAML 1.2: the catalog's loader gives every key and value its line and column.
    doc, found = load_bytes(raw, path, relpath)
    problems.extend(found)
    if doc is not None and not isinstance(doc.data, dict):
        line, col = doc.position(())
        problems.append(Problem(relpath, line, col, "a token file must hold a JSON object of groups and tokens",
                                'start the file with {"color": {...}}', "tokens.shape"))
        return None
    return doc


def _problem(doc: Document, path: tuple, message: str, hint: str, code: str, key: bool = False) -> Problem:
    line, col = doc.key_position(path) if key else doc.position(path)
    return Problem(doc.relpath, line, col, message, hint, code)


def _collect(doc: Document, node: dict, path: tuple, inherited_type: str | None, result: DesignTokens) -> None:
    group_type = node.get("$type", inherited_type)
    if "$type" in node and node["$type"] not in TYPES:
        result.problems.append(_problem(doc, (*path, "$type"), f"unknown $type {node['$type']!r}",
                                        f"use one of: {', '.join(TYPES)}", "tokens.type"))
        group_type = None
    for key, value in node.items():
        here = (*path, key)
        if key.startswith("$"):
            if key not in GROUP_KEYS:
                result.problems.append(_problem(doc, here, f"unknown group property {key!r}",
                                                f"a group may hold {', '.join(sorted(GROUP_KEYS))}; "
                                                "a token needs $value", "tokens.property", key=True))
            continue
        if not _NAME.match(key):
            result.problems.append(_problem(doc, here, f"token or group name {key!r} has characters DTCG does not allow",
                                            "use letters, digits, '-' and '_' (no '.', '{', '}' or spaces)",
                                            "tokens.name", key=True))
            continue
        if not isinstance(value, dict):
            result.problems.append(_problem(doc, here, f"{'.'.join(here)} is neither a token nor a group",
                                            'write a token as {"$value": ..., "$type": ...} or a group as an object',
                                            "tokens.shape"))
            continue
        if "$value" in value:
            _add_token(doc, value, here, group_type, result)
        else:
            _collect(doc, value, here, group_type, result)


def _add_token(doc: Document, node: dict, path: tuple, group_type: str | None, result: DesignTokens) -> None:
    name = ".".join(path)
    for key in node:
        if key not in TOKEN_KEYS:
            result.problems.append(_problem(doc, (*path, key), f"unknown token property {key!r} in {name}",
                                            f"a token may hold {', '.join(sorted(TOKEN_KEYS))}", "tokens.property",
                                            key=True))
    token_type = node.get("$type", group_type)
    line, col = doc.position((*path, "$value"))
    if token_type is None:
        result.problems.append(Problem(doc.relpath, line, col, f"token {name} has no $type",
                                       'add "$type" to the token or to a group around it', "tokens.type"))
        return
    if token_type not in TYPES:
        if "$type" in node:
            result.problems.append(_problem(doc, (*path, "$type"), f"unknown $type {token_type!r}",
                                            f"use one of: {', '.join(TYPES)}", "tokens.type"))
        return
    if name in result.tokens:
        first = result.tokens[name]
        result.problems.append(Problem(doc.relpath, line, col, f"token {name} is defined twice",
                                       f"the first definition is at {first.file}:{first.line}:{first.column}; "
                                       "keep one", "tokens.duplicate"))
        return
    result.tokens[name] = Token(name, token_type, node["$value"], doc.relpath, line, col,
                                str(node.get("$description", "")))


def _resolve_all(result: DesignTokens) -> None:
    for token in list(result.tokens.values()):
        _resolve(token, result, [])
    failed = [name for name, token in result.tokens.items() if token.value is None]
    for name in failed:
        del result.tokens[name]
    result.unresolved.update(failed)


def _resolve(token: Token, result: DesignTokens, chain: list[str]) -> object:
    if token.resolved:
        return token.value
    if token.name in chain:
        return None  # reported by the alias that closes the loop
    where = (token.file, token.line, token.column)
    if isinstance(token.raw, str) and (match := _ALIAS.match(token.raw)):
        target_name = match.group(1)
        if target_name in chain or target_name == token.name:
            loop = " -> ".join([*chain, token.name, target_name])
            result.problems.append(Problem(*where, f"circular alias: {loop}",
                                           "point the alias at a token that holds a value", "tokens.alias"))
            token.resolved = True
            return None
        target = result.tokens.get(target_name)
        if target is None:
            result.problems.append(Problem(*where, f"token {token.name} refers to {token.raw}, which does not exist",
                                           _did_you_mean(target_name, result.tokens), "tokens.alias"))
            token.resolved = True
            return None
        if target.type != token.type:
            result.problems.append(Problem(*where, f"token {token.name} ({token.type}) refers to {target_name}, "
                                           f"a {target.type} token", "an alias must point at a token of its own $type",
                                           "tokens.alias"))
            token.resolved = True
            return None
        value = _resolve(target, result, [*chain, token.name])
        token.resolved = True
        if value is not None:
            token.value, token.alias_of = value, target_name
        return token.value
    value, error = _parse_value(token.type, token.raw)
    token.resolved = True
    if error:
        result.problems.append(Problem(*where, f"token {token.name}: {error[0]}", error[1], "tokens.value"))
        return None
    token.value = value
    return value


def _did_you_mean(name: str, tokens: dict[str, Token]) -> str:
    import difflib

    close = difflib.get_close_matches(name, tokens, n=1)
    return f"did you mean {{{close[0]}}}?" if close else "write the full dotted path of an existing token in braces"


def _parse_value(kind: str, raw: object) -> tuple[object, tuple[str, str] | None]:
    """The value of a token that is not an alias, or (None, (what is wrong, how to fix it))."""
    number = (int, float)
    if kind == "color":
        hint = 'write {"colorSpace": "srgb", "components": [r, g, b], "hex": "#rrggbb"} with r, g, b from 0 to 1'
        if not isinstance(raw, dict) or raw.get("colorSpace") != "srgb":
            return None, ("a colour must be an object in the srgb colour space", hint)
        comps = raw.get("components")
        if (not isinstance(comps, list) or len(comps) != 3
                or not all(isinstance(c, number) and not isinstance(c, bool) and 0 <= c <= 1 for c in comps)):
            return None, ("components must be three numbers from 0 to 1", hint)
        alpha = raw.get("alpha", 1)
        if alpha != 1:
            return None, ("only opaque colours (alpha 1) are tokens here, so contrast can be computed",
                          "remove alpha, or mix the colour with its background first")
        computed = "#" + "".join(f"{round(c * 255):02x}" for c in comps)
        written = raw.get("hex")
        if written is not None:
            if not isinstance(written, str) or not _HEX.match(written):
                return None, (f"hex {written!r} is not #rrggbb", hint)
            if written.lower() != computed:
                return None, (f"hex {written} does not match components {comps} ({computed})",
                              "make hex and components describe the same colour")
        return computed, None
    if kind == "dimension":
        if (isinstance(raw, dict) and isinstance(raw.get("value"), number) and not isinstance(raw.get("value"), bool)
                and raw.get("unit") in ("px", "rem")):
            return raw, None
        return None, ("a dimension must be {\"value\": number, \"unit\": \"px\" or \"rem\"}",
                      'for example {"value": 0.4, "unit": "rem"}')
    if kind == "duration":
        if isinstance(raw, dict) and isinstance(raw.get("value"), number) and raw.get("unit") in ("ms", "s"):
            return raw, None
        return None, ('a duration must be {"value": number, "unit": "ms" or "s"}', 'for example {"value": 150, "unit": "ms"}')
    if kind == "fontFamily":
        if isinstance(raw, str) and raw or isinstance(raw, list) and raw and all(isinstance(f, str) and f for f in raw):
            return raw, None
        return None, ("a font family must be a name or a list of names", 'for example ["Inter", "Arial", "sans-serif"]')
    if kind == "fontWeight":
        if isinstance(raw, number) and not isinstance(raw, bool) and 1 <= raw <= 1000:
            return raw, None
        return None, ("a font weight must be a number from 1 to 1000", "for example 400 or 700")
    if isinstance(raw, number) and not isinstance(raw, bool):  # number
        return raw, None
    return None, ("a number token must hold a number", "for example 1.5")


def _load_pairs(root: Path, result: DesignTokens) -> None:
    path = root / PAIRS_FILE
    if not path.is_file():
        result.problems.append(Problem(PAIRS_FILE, 1, 1, "the contrast pairs file is missing",
                                       "declare which text token goes on which background token", "tokens.pairs"))
        return
    doc, found = load_file(path, PAIRS_FILE)
    result.problems.extend(found)
    if doc is None:
        return
    entries = doc.data.get("pairs") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list):
        result.problems.append(_problem(doc, (), "the file must hold `pairs:`, a list of pairs",
                                        "write `pairs:` then items like `- {text: color.x, on: color.y, where: {nb: …, en: …}}`",
                                        "tokens.pairs"))
        return
    for index, entry in enumerate(entries):
        here = ("pairs", index)
        kinds = [k for k in MINIMUM_RATIO if isinstance(entry, dict) and k in entry]
        if len(kinds) != 1 or "on" not in entry:
            result.problems.append(_problem(doc, here, "a pair names one foreground (text:, large: or ui:) and `on:`",
                                            "for example {text: color.neutral.text.default, on: color.neutral.surface.default}",
                                            "tokens.pairs"))
            continue
        kind = kinds[0]
        where = entry.get("where")
        if not (isinstance(where, dict) and where.get("nb") and where.get("en")):
            result.problems.append(_problem(doc, here, "a pair says where it is used, in bokmål and English",
                                            "add where: {nb: …, en: …}", "tokens.pairs"))
            continue
        if {entry[kind], entry["on"]} & result.unresolved:
            continue  # the token's own problem is reported where it is defined
        missing = False
        for key in (kind, "on"):
            name = entry[key]
            token = result.tokens.get(name) if isinstance(name, str) else None
            if token is None or token.type != "color":
                missing = True
                result.problems.append(_problem(doc, (*here, key), f"{name!r} is not a colour token",
                                                _did_you_mean(str(name), {n: t for n, t in result.tokens.items()
                                                                          if t.type == "color"}).replace("{", "").replace("}", ""),
                                                "tokens.pairs"))
        if missing:
            continue
        line, col = doc.position(here)
        pair = ContrastPair(kind, entry[kind], entry["on"], where, PAIRS_FILE, line, col)
        pair.ratio = contrast_ratio(result.hex(pair.foreground), result.hex(pair.background))
        result.pairs.append(pair)
        if not pair.passes:
            result.problems.append(Problem(
                PAIRS_FILE, line, col,
                f"{pair.foreground} ({result.hex(pair.foreground)}) on {pair.background} ({result.hex(pair.background)}) "
                f"has contrast {rounded_ratio(pair.ratio):.2f}:1; WCAG 2.1 AA needs {pair.minimum}:1 for {kind}",
                "darken the foreground or lighten the background token (or the other way round)", "tokens.contrast"))


# --- CSS ---------------------------------------------------------------------------------------------

def css_value(token: Token) -> str:
    if token.alias_of:
        return f"var({CSS_PREFIX}{token.alias_of.replace('.', '-')})"
    value = token.value
    if token.type == "color":
        return value
    if token.type in ("dimension", "duration"):
        return f"{value['value']:g}{value['unit']}"
    if token.type == "fontFamily":
        names = [value] if isinstance(value, str) else value
        return ", ".join(f'"{n}"' if " " in n else n for n in names)
    return f"{value:g}" if isinstance(value, float) else str(value)


def tokens_css(design: DesignTokens) -> str:
    """The tokens as CSS custom properties on :root, in the order the files declare them."""
    lines = ["/* Generated from design-system/tokens/*.tokens.json by thingwalla.tokens; do not edit. */", ":root {"]
    for token in design.tokens.values():
        lines.append(f"  {token.css_name}: {css_value(token)};")
    lines.append("}")
    return "\n".join(lines) + "\n"
