"""The JSON Schemas (2020-12) of every kind of catalog entry, shipped inside the package."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from importlib import resources

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

# Kind of entry -> schema file name. The file is what a `# yaml-language-server: $schema=` line names.
SCHEMA_FILES = {
    "service": "service.schema.json",
    "vendor": "vendor.schema.json",
    "buyer": "buyer.schema.json",
    "categories": "categories.schema.json",
    "integrations": "integrations.schema.json",
    "regulations": "regulations.schema.json",
    # challenges/ and methods-library/ (issue 4)
    "challenge": "challenge.schema.json",
    "pledge": "pledge.schema.json",
    "bid": "bid.schema.json",
    "method": "method.schema.json",
}


def schema_names() -> list[str]:
    return sorted(p.name for p in resources.files(__name__).iterdir() if p.name.endswith(".schema.json"))


@cache
def load_schema(name: str) -> dict:
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (load_schema(name)["$id"], Resource.from_contents(load_schema(name))) for name in schema_names()
    )


@cache
def validator_for(kind: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(SCHEMA_FILES[kind]), registry=_registry(), format_checker=FormatChecker())


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_format(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# What Python's re means by \s (str.isspace()), spelled out: the Rust engine's \s (ECMA-262's) differs by a few
# characters (0x1c-0x1f, 0x85, 0xfeff), and the gate must never pass a text the full check refuses.
# tests/test_validate.py holds this list to Python's own \s over every code point.
PYTHON_SPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def _as_python_reads_it(pattern: str) -> str:
    """A schema pattern for the Rust engine, with \\s meaning what Python's re takes it to mean."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            pair = pattern[i:i + 2]
            if pair == "\\s":
                pair = PYTHON_SPACE if in_class else f"[{PYTHON_SPACE}]"
            out.append(pair)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _gate_schema(node):
    if isinstance(node, list):
        return [_gate_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: _as_python_reads_it(value) if key == "pattern" and isinstance(value, str) else _gate_schema(value)
            for key, value in node.items()}


@cache
def _gate_registry():
    import jsonschema_rs

    return jsonschema_rs.Registry([(load_schema(name)["$id"], _gate_schema(load_schema(name)))
                                   for name in schema_names()])


@cache
def fast_validator_for(kind: str):
    """A yes/no check of a document against its kind's schema, in Rust (jsonschema-rs, ~5 µs a service against
    ~45 for the full validator's fastest Python form). Only a yes lets a document skip the full check, which
    finds and locates every error; so the gate may be stricter than the full check but never more lenient:
    dates are checked by the same function, and patterns read \\s as Python does. Anything it cannot take (a
    value JSON has no type for) is a no."""
    import jsonschema_rs

    validator = jsonschema_rs.validator_for(_gate_schema(load_schema(SCHEMA_FILES[kind])), registry=_gate_registry(),
                                            validate_formats=True, formats={"date": _date_format})

    def is_valid(data) -> bool:
        try:
            return validator.is_valid(data)
        except (ValueError, TypeError, OverflowError):
            return False

    return is_valid
