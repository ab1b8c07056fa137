"""JSON Schema errors turned into located messages a vendor can act on."""

from __future__ import annotations

import difflib
import re

from jsonschema.exceptions import ValidationError

from ..load import Document
from ..problems import Problem
from ..schemas import fast_validator_for, validator_for

_TYPE_WORDS = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a mapping (key: value lines)", "null": "empty",
}


def check_schema(doc: Document, kind: str) -> list[Problem]:
    # Most entries are valid: a yes/no check in Rust clears them ~8x faster than the full validator's
    # fastest Python form; any doubt goes to the full validator, which finds and locates every error.
    if fast_validator_for(kind)(doc.data):
        return []
    problems: list[Problem] = []
    for error in validator_for(kind).iter_errors(doc.data):
        problems.extend(_explain(doc, error))
    return problems


def field_name(path) -> str:
    """pricing.plans[0].price — the name a vendor sees in their file."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the file"


def _is_number(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


def _value_words(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "empty"
    if isinstance(value, (dict, list)):
        return _TYPE_WORDS["object" if isinstance(value, dict) else "array"]
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _explain(doc: Document, error: ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    name = field_name(path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    line, col = doc.position(path)
    code = f"schema.{error.validator}"

    def one(message: str, hint: str, where=(line, col)) -> list[Problem]:
        return [Problem(doc.relpath, where[0], where[1], message, hint, code)]

    v = error.validator
    if v == "required":
        missing = re.match(r"'([^']+)' is a required property", error.message)
        key = missing.group(1) if missing else "?"
        described = schema.get("properties", {}).get(key, {}).get("description", "")
        where = doc.key_position(path) if path else (1, 1)
        return one(f"{'the entry' if not path else name} is missing the required field '{key}'",
                   f"add '{key}:'" + (f" — {described}" if described else ""), where)
    if v == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        problems = []
        for key in extras:
            kl, kc = doc.key_position(path + (key,))
            if error.instance[key] is None:
                # `{nb: Natt, dag, en: Night}` splits at the comma: the tail becomes a key
                hint = "this looks like text cut at a comma: inside { } put text that contains commas in quotes"
            else:
                hint = _suggest(key, allowed) + "allowed fields: " + ", ".join(allowed)
            problems.append(Problem(doc.relpath, kl, kc, f"unknown field '{key}'" + (f" in {name}" if path else ""),
                                    hint, code))
        return problems
    if v == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        hint = "put the value in quotes" if "string" in expected else f"write {words}"
        if isinstance(error.instance, str) and set(expected) & {"number", "integer"} and _is_number(error.instance):
            hint = f"remove the quotes: write {error.instance.strip()} without \"\" or ''"
        return one(f"{name} must be {words}, not {_value_words(error.instance)}", hint)
    if v == "enum":
        options = error.validator_value
        return one(f"{name} must be one of: {', '.join(map(str, options))} (found {_value_words(error.instance)})",
                   _suggest(error.instance, options) + "pick one of the listed values")
    if v == "const":
        return one(f"{name} must be {error.validator_value!r}", "use the value shown")
    if v == "pattern":
        described = schema.get("description", "")
        if "https" in schema.get("pattern", ""):
            return one(f"{name} must be an absolute https:// address (found {_value_words(error.instance)})",
                       "write the full address starting with https:// — plain http and relative links are refused")
        return one(f"{name} has the wrong form: {_value_words(error.instance)}", described or "see the schema for the expected form")
    if v == "format" and error.validator_value == "date":
        return one(f"{name} is not a real date: {_value_words(error.instance)}", "write a calendar date as YYYY-MM-DD")
    if v == "maxLength":
        return one(f"{name} is {len(error.instance)} characters; the limit is {error.validator_value}",
                   "shorten the text")
    if v == "minLength":
        return one(f"{name} must not be empty", "write the text, or remove the field")
    if v in ("minItems", "minProperties"):
        if error.validator_value > 1 and error.instance:
            return one(f"{name} needs at least {error.validator_value} entries (found {len(error.instance)})",
                       "add the missing entries")
        return one(f"{name} must not be empty", "add at least one entry")
    if v in ("maxItems", "maxProperties"):
        return one(f"{name} has too many entries (at most {error.validator_value})", "keep the most important ones")
    if v == "uniqueItems":
        return one(f"{name} lists the same value twice", "remove the repeated value")
    if v in ("minimum", "exclusiveMinimum"):
        return one(f"{name} must be at least {error.validator_value} (found {error.instance})", "use a larger number")
    if v in ("maximum", "exclusiveMaximum"):
        return one(f"{name} must be at most {error.validator_value} (found {error.instance})", "use a smaller number")
    if v == "anyOf" and isinstance(error.instance, dict):
        # the localized-text rule: at least one of nb / en
        return one(f"{name} needs text in nb (bokmål) or en (English)", "add 'nb:' and/or 'en:' under it")
    if v == "anyOf" and any("mailto" in str(option) for option in error.validator_value):
        return one(f"{name} must be an https:// address or a mailto: e-mail link (found {_value_words(error.instance)})",
                   "write https://… or mailto:name@example.no")
    if v == "anyOf":
        return one(f"{name} is not an allowed value: {_value_words(error.instance)}",
                   schema.get("description", "see the schema for allowed values"))
    return one(f"{name}: {error.message}", "see the schema for this field")
