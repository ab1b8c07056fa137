"""The JSON Schemas (2020-12) of every kind of catalog entry, shipped inside the package."""

from __future__ import annotations

import json
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
