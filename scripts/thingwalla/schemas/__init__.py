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


def bundled(schema: dict) -> dict:
    """The schema with every $ref inlined as an allOf branch (our schemas have no recursive refs).

    Keeping $ref's siblings beside an allOf keeps 2020-12 semantics in validators that follow
    draft-07, where a $ref hides its siblings.
    """
    def resolve(ref: str, base: dict) -> dict:
        document, _, pointer = ref.partition("#")
        target = load_schema(document) if document else base
        for part in [p for p in pointer.split("/") if p]:
            target = target[part]
        return inline(target, load_schema(document) if document else base)

    def inline(node, base):
        if isinstance(node, list):
            return [inline(n, base) for n in node]
        if not isinstance(node, dict):
            return node
        out = {k: inline(v, base) for k, v in node.items() if k not in ("$ref", "$schema", "$id", "$defs")}
        if "$ref" in node:
            out = {"allOf": [resolve(node["$ref"], base)] + ([out] if out else [])}
        return out

    return inline(schema, schema)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_format(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@cache
def fast_validator_for(kind: str):
    """A compiled yes/no check (fastjsonschema). Only valid documents skip the full, located check."""
    import fastjsonschema

    schema = bundled(load_schema(SCHEMA_FILES[kind]))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(schema, formats={"date": _date_format}, use_default=False)
