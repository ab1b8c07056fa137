"""Checks across files: ids that must exist, be unique and agree with one another."""

from __future__ import annotations

import datetime as dt
import difflib

from ..load import Document
from ..problems import Problem
from . import identifiers, placeholders


class Index:
    """Known ids of every kind, from documents that passed their schema."""

    def __init__(self, docs: dict[str, list[Document]], named: dict[str, set[str]] | None = None):
        # Entries that exist on disk count as known even when their own content has errors, so one
        # broken file is reported once instead of again by every file that refers to it.
        named = named or {}
        self.vendors = {d.data["id"] for d in docs.get("vendor", [])} | named.get("vendor", set())
        self.buyers = {d.data["id"] for d in docs.get("buyer", [])} | named.get("buyer", set())
        self.services = {d.data["id"] for d in docs.get("service", [])} | named.get("service", set())
        self.categories: dict[str, set[str]] = {}
        for doc in docs.get("categories", []):
            for cat in doc.data["categories"]:
                self.categories[cat["id"]] = {st["id"] for st in cat["solution_types"]}
        self.integrations = {i["id"] for d in docs.get("integrations", []) for i in d.data["integrations"]}
        self.regulations = {r["id"] for d in docs.get("regulations", []) for r in d.data["regulations"]}


def _unknown(doc: Document, where: tuple, what: str, value: str, known, fix: str) -> Problem:
    line, col = doc.position(where)
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    hint = (f"did you mean '{close[0]}'? " if close else "") + fix
    return Problem(doc.relpath, line, col, f"unknown {what} '{value}'", hint, f"ref.{what.replace(' ', '_')}")


def check_taxonomy(docs: dict[str, list[Document]]) -> list[Problem]:
    problems = []
    for kind, list_key in (("categories", "categories"), ("integrations", "integrations"), ("regulations", "regulations")):
        for doc in docs.get(kind, []):
            seen: dict[str, tuple] = {}
            for index, item in enumerate(doc.data[list_key]):
                problems += _duplicate(doc, (list_key, index, "id"), item["id"], seen, kind[:-1] if kind != "categories" else "category")
                for sindex, st in enumerate(item.get("solution_types", [])):
                    problems += _duplicate(doc, (list_key, index, "solution_types", sindex, "id"), st["id"],
                                           seen, "solution type")
    return problems


def _duplicate(doc: Document, where: tuple, value: str, seen: dict[str, tuple], what: str) -> list[Problem]:
    """`seen`: value -> (document, path) of its first use. Positions are looked up only for a duplicate."""
    if value in seen:
        first_doc, first_where = seen[value]
        line, col = doc.position(where)
        return [Problem(doc.relpath, line, col, f"the {what} id '{value}' is used twice "
                        f"(first on line {first_doc.position(first_where)[0]})", "give each one its own id",
                        "ref.duplicate_id")]
    seen[value] = (doc, where)
    return []


def check_ids_match_names(doc: Document, expected: str, kind: str) -> list[Problem]:
    if doc.data.get("id") == expected:
        return []
    line, col = doc.position(("id",))
    where = "folder" if kind == "service" else "file"
    return [Problem(doc.relpath, line, col, f"id '{doc.data.get('id')}' does not match the {where} name '{expected}'",
                    f"set 'id: {expected}', or rename the {where}", "ref.id_name")]


def check_service(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    return [problem for step in SERVICE_STEPS for problem in step(doc, index, today)]


# What a check raises when it meets a field the schema errors are already about.
SCHEMA_TRIPS = (KeyError, TypeError, AttributeError, ValueError, IndexError)


def check_service_as_far_as_possible(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    """check_service on an entry with schema errors: each step that can run on it adds its problems, so a
    vendor sees a misspelt vendor id in the same run as a missing category."""
    problems: list[Problem] = []
    for step in SERVICE_STEPS:
        try:
            problems += step(doc, index, today)
        except SCHEMA_TRIPS:
            continue  # this step needs a field the schema errors are already about
    return problems


def _service_vendor(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    vendor = doc.data["vendor"]
    if vendor in index.vendors:
        return []
    return [_unknown(doc, ("vendor",), "vendor", vendor, index.vendors,
                     "add catalog/vendors/<id>.yaml first, or use an existing vendor id")]


def _service_category(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    data = doc.data
    if data["category"] not in index.categories:
        return [_unknown(doc, ("category",), "category", data["category"], index.categories,
                         "use an id from catalog/taxonomy/categories.yaml")]
    if data["solution_type"] not in index.categories[data["category"]]:
        return [_unknown(doc, ("solution_type",), "solution type", data["solution_type"],
                         index.categories[data["category"]],
                         f"use one of the solution types of '{data['category']}': "
                         + ", ".join(sorted(index.categories[data["category"]])))]
    return []


def _service_integrations(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    return [_unknown(doc, ("integrations", i), "integration", integration, index.integrations,
                     "use an id from catalog/taxonomy/integrations.yaml, or propose a new one there")
            for i, integration in enumerate(doc.data.get("integrations", [])) if integration not in index.integrations]


def _service_compliance(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    seen_regulations: dict[str, tuple] = {}
    for i, claim in enumerate(doc.data.get("compliance", [])):
        reg = claim["regulation"]
        if reg not in index.regulations:
            problems.append(_unknown(doc, ("compliance", i, "regulation"), "regulation", reg, index.regulations,
                                     "use an id from catalog/taxonomy/regulations.yaml"))
        problems += _duplicate(doc, ("compliance", i, "regulation"), reg, seen_regulations, "compliance regulation")
        issued, expires = claim.get("issued"), claim.get("expires")
        if issued and expires and expires <= issued:
            line, col = doc.position(("compliance", i, "expires"))
            problems.append(Problem(doc.relpath, line, col, f"the evidence expires ({expires}) before it was issued ({issued})",
                                    "check the two dates", "dates.order"))
        if issued:
            problems += _not_future(doc, ("compliance", i, "issued"), issued, today)
    return problems


def _service_listed(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    return _not_future(doc, ("listed",), doc.data["listed"], today) if doc.data.get("listed") else []


def _service_plans(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    data, problems = doc.data, []
    seen_plans: dict[str, tuple] = {}
    for i, plan in enumerate(data.get("pricing", {}).get("plans", [])):
        problems += _duplicate(doc, ("pricing", "plans", i, "id"), plan["id"], seen_plans, "plan")
    if data["pricing"]["model"] == "free":
        for i, plan in enumerate(data["pricing"].get("plans", [])):
            if plan["price"] > 0:
                line, col = doc.position(("pricing", "plans", i, "price"))
                problems.append(Problem(doc.relpath, line, col, "a plan has a price although the pricing model is 'free'",
                                        "set the price to 0, or choose another pricing model", "pricing.free"))
    return problems


def _service_countries(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    return _countries(doc, ("countries",), doc.data.get("countries", []))


def _service_hosting(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    hosting = doc.data["hosting"]
    problems = _countries(doc, ("hosting", "data_locations"), hosting.get("data_locations", []))
    for i, sub in enumerate(hosting.get("sub_processors", [])):
        problems += _countries(doc, ("hosting", "sub_processors", i, "country"), [sub["country"]], single=True)
    return problems


def _service_languages(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    return _languages(doc, ("languages",), doc.data.get("languages", []))


def _service_licence(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    licence = identifiers.licence_error(doc.data["licence"])
    if not licence:
        return []
    line, col = doc.position(("licence",))
    return [Problem(doc.relpath, line, col, licence[0], licence[1], "ids.licence")]


def _service_placeholders(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    tagline = doc.data.get("tagline") or {}
    problems = []
    for lang, text in placeholders.TAGLINE.items():
        if tagline.get(lang) == text:
            line, col = doc.position(("tagline", lang))
            problems.append(Problem(doc.relpath, line, col, f"tagline.{lang} is still the placeholder from `thingwalla new`",
                                    "write one sentence of your own on what the service does", "text.placeholder",
                                    severity="warning"))
    return problems


# In the order a vendor reads the entry; each step is independent of the others.
SERVICE_STEPS = (_service_placeholders, _service_vendor, _service_category, _service_integrations, _service_compliance,
                 _service_listed, _service_plans, _service_countries, _service_hosting, _service_languages, _service_licence)


def check_party(doc: Document, kind: str) -> list[Problem]:
    """Vendor and buyer identifiers."""
    data, problems = doc.data, []
    error = identifiers.org_number_error(data["org_number"], data["country"])
    if error:
        line, col = doc.position(("org_number",))
        problems.append(Problem(doc.relpath, line, col, error[0], error[1], "ids.org_number"))
    if kind == "buyer" and data.get("municipality_code"):
        error = identifiers.municipality_code_error(data["municipality_code"], data["country"])
        if error:
            line, col = doc.position(("municipality_code",))
            problems.append(Problem(doc.relpath, line, col, error[0], error[1], "ids.municipality_code"))
    return problems


def check_unique_numbers(parties: list[tuple[str, Document]]) -> list[Problem]:
    """No two parties share an organisation number, and no two buyers a municipality code."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], Document] = {}

    def claim(doc: Document, field_name: str, value: str, label: str, hint: str) -> None:
        key = (field_name, doc.data["country"], value)
        if key not in seen:
            seen[key] = doc
            return
        line, col = doc.position((field_name,))
        problems.append(Problem(doc.relpath, line, col, f"{label} {doc.data[field_name]} is already used by "
                                f"{seen[key].relpath}", hint, f"ids.duplicate_{field_name}"))

    for kind, doc in parties:
        number = identifiers.compact_org_number(doc.data["org_number"], doc.data["country"])
        claim(doc, "org_number", number, "organisation number", "each organisation is listed once; check the number")
        if kind == "buyer" and doc.data.get("municipality_code"):
            claim(doc, "municipality_code", doc.data["municipality_code"], "municipality code",
                  "each municipality has its own code")
    return problems


def check_buyer(doc: Document, index: Index, today: dt.date) -> list[Problem]:
    data, problems = doc.data, []
    seen: dict[str, tuple] = {}
    for i, use in enumerate(data.get("uses", [])):
        if use["service"] not in index.services:
            problems.append(_unknown(doc, ("uses", i, "service"), "service", use["service"], index.services,
                                     "use the folder name of a service in catalog/services/"))
        problems += _duplicate(doc, ("uses", i, "service"), use["service"], seen, "used service")
        problems += _not_future(doc, ("uses", i, "since"), use["since"], today)
    requires = data.get("requires", {})
    for i, reg in enumerate(requires.get("regulations", [])):
        if reg not in index.regulations:
            problems.append(_unknown(doc, ("requires", "regulations", i), "regulation", reg, index.regulations,
                                     "use an id from catalog/taxonomy/regulations.yaml"))
    for i, integration in enumerate(requires.get("integrations", [])):
        if integration not in index.integrations:
            problems.append(_unknown(doc, ("requires", "integrations", i), "integration", integration,
                                     index.integrations, "use an id from catalog/taxonomy/integrations.yaml"))
    problems += _countries(doc, ("requires", "data_locations"),
                           [c for c in requires.get("data_locations", []) if c != "EEA"], positions_of=requires.get("data_locations", []))
    problems += _languages(doc, ("requires", "languages"), requires.get("languages", []))
    return problems


def _not_future(doc: Document, where: tuple, value: str, today: dt.date) -> list[Problem]:
    if dt.date.fromisoformat(value) <= today:
        return []
    line, col = doc.position(where)
    return [Problem(doc.relpath, line, col, f"the date {value} is in the future",
                    f"this date records something that has happened; use {today.isoformat()} or earlier", "dates.future")]


def _countries(doc, where, codes, single=False, positions_of=None) -> list[Problem]:
    valid = identifiers.country_codes()
    problems = []
    reference = positions_of if positions_of is not None else codes
    for code in codes:
        if code in valid:
            continue
        spot = where if single else where + (reference.index(code),)
        line, col = doc.position(spot)
        problems.append(Problem(doc.relpath, line, col, f"'{code}' is not an ISO 3166-1 country code",
                                "use two capital letters, e.g. NO, SE, FI, DK, IE, DE", "ids.country"))
    return problems


def _languages(doc, where, codes) -> list[Problem]:
    valid = identifiers.language_codes()
    problems = []
    for i, code in enumerate(codes):
        if code not in valid:
            line, col = doc.position(where + (i,))
            problems.append(Problem(doc.relpath, line, col, f"'{code}' is not an ISO 639 language code",
                                    "e.g. nb (bokmål), nn (nynorsk), se (Northern Sami), sv, en, fi", "ids.language"))
    return problems
