"""Procurement data from catalog/procurement/: loaded with the catalog's safe loader, checked against
JSON Schemas (scripts/thingwalla/schemas/procurement-*.schema.json) and against each other and the
catalog. Any problem is reported with file, line and column, like `thingwalla validate` does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from ..load import Document, load_file
from ..model import Catalog, Text, text
from ..problems import Problem
from ..schemas import load_schema, schema_names

FOLDER = "catalog/procurement"
# name -> (file, schema, required)
FILES = {
    "thresholds": ("thresholds.yaml", "procurement-thresholds.schema.json", True),
    "law": ("law.yaml", "procurement-law.schema.json", True),
    "peppol": ("peppol.yaml", "procurement-peppol.schema.json", True),
    "contracts": ("contracts.yaml", "procurement-contracts.schema.json", True),
    "authorities": ("authorities.yaml", "procurement-authorities.schema.json", False),
    "frameworks": ("frameworks.yaml", "procurement-frameworks.schema.json", False),
    "dps": ("dps.yaml", "procurement-dps.schema.json", False),
}
SUB_CENTRAL_KINDS = ("municipality", "county")
# The only routes on which the law lets a buyer order at once. Everything else needs a competition first,
# whatever the data says: the data is checked against this.
ORDER_NOW_ROUTES = ("direct-award", "framework-call-off")
ROUTES = ("direct-award", "framework-call-off", "dps-competition", "framework-mini-competition", "competition")


class ProcurementDataError(Exception):
    """The procurement data in the repository is missing or invalid; `problems` say where."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in {FOLDER}/")


@dataclass(frozen=True)
class Citation:
    source: str
    pinpoint: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    jurisdiction: str
    confidence: str


@dataclass(frozen=True)
class Statement:
    key: str
    text: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class RouteInfo:
    id: str
    one_click: bool
    title: Text
    summary: Text
    statements: tuple[str, ...]


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Threshold:
    id: str
    country: str
    kind: str  # direct-award | national-notice | eea-notice
    authority_types: tuple[str, ...]
    amount: Decimal
    currency: str
    comparison: str  # below | at-or-above
    valid_from: dt.date
    valid_to: dt.date | None
    review_due: dt.date | None
    status: str
    confidence: str
    label: Text
    citations: tuple[Citation, ...]

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    def in_force_on(self, day: dt.date) -> bool:
        return (self.status == "in-force" and self.valid_from <= day
                and (self.valid_to is None or day <= self.valid_to))


@dataclass(frozen=True)
class Authority:
    buyer: str
    authority_type: str
    role: str | None
    note: Text


@dataclass(frozen=True)
class FrameworkSupplier:
    vendor: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    id: str
    name: Text
    country: str
    owner: str
    participants: tuple[str, ...]
    notice: str | None
    valid_from: dt.date
    valid_to: dt.date
    call_off: str  # direct | mini-competition
    max_value: Money
    suppliers: tuple[FrameworkSupplier, ...]
    sample: bool

    def covers(self, vendor: str, service: str) -> bool:
        return any(s.vendor == vendor and service in s.services for s in self.suppliers)

    def open_to(self, buyer: str) -> bool:
        return buyer == self.owner or buyer in self.participants


@dataclass(frozen=True)
class Admission:
    vendor: str
    admitted_on: dt.date


@dataclass(frozen=True)
class DpsCategory:
    id: str
    name: Text
    covers: tuple[str, ...]
    max_contract_value: Money | None
    admitted: tuple[Admission, ...]


@dataclass(frozen=True)
class Dps:
    id: str
    name: Text
    country: str
    owner: str
    participants: tuple[str, ...]
    notice: str | None
    valid_from: dt.date
    valid_to: dt.date
    tender_period_days: int
    award_criteria: tuple[tuple[Text, int], ...]
    categories: tuple[DpsCategory, ...]
    sample: bool

    def open_to(self, buyer: str) -> bool:
        return buyer == self.owner or buyer in self.participants


@dataclass
class ProcurementData:
    root: Path
    thresholds: list[Threshold]
    thresholds_reviewed: dt.date
    sources: dict[str, Source]
    statements: dict[str, Statement]
    routes: dict[str, RouteInfo]
    law_reviewed: dt.date
    authorities: dict[str, Authority]
    frameworks: list[Framework]
    systems: list[Dps]
    peppol: dict
    contracts: dict
    documents: dict[str, Document] = field(default_factory=dict)

    def statement(self, key: str) -> Statement:
        return self.statements[key]

    def contract_template(self, country: str) -> dict:
        return next(t for t in self.contracts["templates"] if t["country"] == country)

    def phrase(self, key: str, lang: str) -> str:
        return self.contracts["text"][key][lang]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _citations(items) -> tuple[Citation, ...]:
    return tuple(Citation(c["source"], c.get("pinpoint"), c.get("country")) for c in items or [])


def _money(value) -> Money | None:
    return Money(Decimal(str(value["amount"])), value["currency"]) if value else None


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (load_schema(name)["$id"], Resource.from_contents(load_schema(name))) for name in schema_names())


@cache
def validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(schema_name), registry=_registry(), format_checker=FormatChecker())


def _check_document(doc: Document, schema_name: str) -> list[Problem]:
    from ..validate.schema import _explain  # located, vendor-friendly schema messages

    problems = []
    expected = f"# yaml-language-server: $schema=../../scripts/thingwalla/schemas/{schema_name}"
    if doc.first_line != expected:
        problems.append(Problem(doc.relpath, 1, 1, "the first line must name the file's schema",
                                f"make line 1 exactly: {expected}", "schema.header"))
    for error in validator(schema_name).iter_errors(doc.data):
        problems.extend(_explain(doc, error))
    return problems


def load_procurement_data(root: Path, catalog: Catalog | None = None) -> ProcurementData:
    """Read and check catalog/procurement/. With a catalog, references to buyers, vendors, services and
    categories are checked too. Raises ProcurementDataError listing every problem found."""
    root = Path(root)
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    for name, (filename, schema, required) in FILES.items():
        relpath = f"{FOLDER}/{filename}"
        path = root / relpath
        if not path.is_file():
            if required:
                problems.append(Problem(relpath, 1, 1, f"the procurement data file {filename} is missing",
                                        "restore it from the main branch", "procurement.missing"))
            continue
        doc, found = load_file(path, relpath)
        problems.extend(found)
        if doc is None:
            continue
        found = _check_document(doc, schema)
        problems.extend(found)
        if not found:
            docs[name] = doc
    if problems:
        raise ProcurementDataError(problems)

    law = docs["law"].data
    sources = {s["id"]: Source(s["id"], s["title"], s["url"], s["jurisdiction"], s["confidence"]) for s in law["sources"]}
    statements = {key: Statement(key, text({"nb": s["nb"], "en": s["en"]}), _citations(s["citations"]))
                  for key, s in law["statements"].items()}
    routes = {key: RouteInfo(key, r["one_click"], text(r["title"]), text(r["summary"]), tuple(r["statements"]))
              for key, r in law["routes"].items()}
    th = docs["thresholds"].data
    thresholds = [Threshold(t["id"], t["country"], t["kind"], tuple(t["authority_types"]), Decimal(t["amount"]),
                            t["currency"], t["comparison"], _date(t["valid_from"]), _date(t.get("valid_to")),
                            _date(t.get("review_due")), t["status"], t["confidence"], text(t["label"]),
                            _citations(t["citations"])) for t in th["thresholds"]]
    authorities = {a["buyer"]: Authority(a["buyer"], a["authority_type"], a.get("role"), text(a.get("note")))
                   for a in (docs["authorities"].data["authorities"] if "authorities" in docs else [])}
    frameworks = [Framework(f["id"], text(f["name"]), f["country"], f["owner"], tuple(f["participants"]),
                            f.get("notice"), _date(f["valid_from"]), _date(f["valid_to"]), f["call_off"],
                            _money(f["max_value"]),
                            tuple(FrameworkSupplier(s["vendor"], tuple(s["services"])) for s in f["suppliers"]),
                            bool(f.get("sample")))
                  for f in (docs["frameworks"].data["frameworks"] if "frameworks" in docs else [])]
    systems = [Dps(d["id"], text(d["name"]), d["country"], d["owner"], tuple(d["participants"]), d.get("notice"),
                   _date(d["valid_from"]), _date(d["valid_to"]), d["tender_period_days"],
                   tuple((text(c["name"]), c["weight"]) for c in d["award_criteria"]),
                   tuple(DpsCategory(c["id"], text(c["name"]), tuple(c["covers"]), _money(c.get("max_contract_value")),
                                     tuple(Admission(a["vendor"], _date(a["admitted_on"])) for a in c["admitted"]))
                         for c in d["categories"]),
                   bool(d.get("sample")))
               for d in (docs["dps"].data["systems"] if "dps" in docs else [])]
    data = ProcurementData(root, thresholds, _date(th["reviewed"]), sources, statements, routes, _date(law["reviewed"]),
                           authorities, frameworks, systems, docs["peppol"].data, docs["contracts"].data, docs)
    problems = _cross_check(data, catalog)
    if problems:
        raise ProcurementDataError(problems)
    return data


def _cross_check(data: ProcurementData, catalog: Catalog | None) -> list[Problem]:
    problems: list[Problem] = []

    def where(name: str, path) -> tuple[str, int, int]:
        doc = data.documents[name]
        line, col = doc.position(tuple(path))
        return doc.relpath, line, col

    def problem(name, path, message, hint, code):
        relpath, line, col = where(name, path)
        problems.append(Problem(relpath, line, col, message, hint, code))

    def check_citations(name, path, citations):
        for i, c in enumerate(citations):
            if c["source"] not in data.sources:
                problem(name, [*path, i, "source"], f"unknown legal source '{c['source']}'",
                        "add it under sources: in catalog/procurement/law.yaml", "procurement.source")

    law = data.documents["law"].data
    seen = set()
    for i, s in enumerate(law["sources"]):
        if s["id"] in seen:
            problem("law", ["sources", i, "id"], f"the source id '{s['id']}' is used twice", "keep ids unique",
                    "procurement.duplicate")
        seen.add(s["id"])
    for key, s in law["statements"].items():
        check_citations("law", ["statements", key, "citations"], s["citations"])
    for key, r in law["routes"].items():
        if r["one_click"] != (key in ORDER_NOW_ROUTES):
            problem("law", ["routes", key, "one_click"],
                    f"the route '{key}' {'allows' if key in ORDER_NOW_ROUTES else 'does not allow'} ordering at once",
                    f"set one_click: {'true' if key in ORDER_NOW_ROUTES else 'false'}: only a direct award and a "
                    "call-off from a framework with every term fixed can be one click", "procurement.one-click")
        for i, key2 in enumerate(r["statements"]):
            if key2 not in law["statements"]:
                problem("law", ["routes", key, "statements", i], f"unknown statement '{key2}'",
                        "add it under statements:", "procurement.statement")
    th = data.documents["thresholds"].data["thresholds"]
    seen = set()
    for i, t in enumerate(th):
        check_citations("thresholds", ["thresholds", i, "citations"], t["citations"])
        if t["id"] in seen:
            problem("thresholds", ["thresholds", i, "id"], f"the threshold id '{t['id']}' is used twice",
                    "keep ids unique", "procurement.duplicate")
        seen.add(t["id"])
        if t.get("valid_to") and t["valid_to"] < t["valid_from"]:
            problem("thresholds", ["thresholds", i, "valid_to"], "valid_to is before valid_from",
                    "swap or correct the dates", "procurement.dates")
    # two in-force thresholds of one kind must not overlap for the same country and authority type
    for i, a in enumerate(data.thresholds):
        for b in data.thresholds[i + 1:]:
            if (a.status == b.status == "in-force" and a.country == b.country and a.kind == b.kind
                    and set(a.authority_types) & set(b.authority_types)
                    and a.valid_from <= (b.valid_to or dt.date.max) and b.valid_from <= (a.valid_to or dt.date.max)):
                idx = data.thresholds.index(b)
                problem("thresholds", ["thresholds", idx, "valid_from"],
                        f"'{b.id}' overlaps '{a.id}' (same country, kind and authority type)",
                        "give the older entry a valid_to the day before the newer one's valid_from",
                        "procurement.overlap")
    for t in data.contracts["templates"]:
        if t["source"] not in data.sources:
            problems.append(Problem(f"{FOLDER}/contracts.yaml", 1, 1, f"unknown legal source '{t['source']}'",
                                    "add it under sources: in catalog/procurement/law.yaml", "procurement.source"))
    if data.peppol["source"] not in data.sources:
        problems.append(Problem(f"{FOLDER}/peppol.yaml", 1, 1, f"unknown legal source '{data.peppol['source']}'",
                                "add it under sources: in catalog/procurement/law.yaml", "procurement.source"))
    if catalog is None:
        return problems

    def known(kind: str, ident: str, name: str, path):
        pool = {"buyer": catalog.buyers, "vendor": catalog.vendors, "service": catalog.services,
                "category": {c.id: c for c in catalog.categories}}[kind]
        if ident not in pool:
            problem(name, path, f"unknown {kind} '{ident}'", f"use the id of an existing {kind} in the catalog",
                    f"procurement.{kind}")
            return False
        return True

    if "authorities" in data.documents:
        for i, a in enumerate(data.documents["authorities"].data["authorities"]):
            if known("buyer", a["buyer"], "authorities", ["authorities", i, "buyer"]):
                kind = catalog.buyers[a["buyer"]].kind
                if kind in SUB_CENTRAL_KINDS and a["authority_type"] != "sub-central":
                    problem("authorities", ["authorities", i, "authority_type"],
                            f"'{a['buyer']}' is a {kind}, which is a sub-central authority",
                            "use authority_type: sub-central", "procurement.authority")
    for i, f in enumerate(data.documents["frameworks"].data["frameworks"] if "frameworks" in data.documents else []):
        base = ["frameworks", i]
        known("buyer", f["owner"], "frameworks", [*base, "owner"])
        for j, b in enumerate(f["participants"]):
            known("buyer", b, "frameworks", [*base, "participants", j])
        if f["valid_to"] < f["valid_from"]:
            problem("frameworks", [*base, "valid_to"], "valid_to is before valid_from", "correct the dates",
                    "procurement.dates")
        elif _date(f["valid_to"]) > _add_years(_date(f["valid_from"]), 4):
            problem("frameworks", [*base, "valid_to"], "a framework agreement may last at most four years",
                    "shorten it (Directive 2014/24/EU art. 33(1)), or explain the exception in the notice",
                    "procurement.framework-term")
        for j, s in enumerate(f["suppliers"]):
            if known("vendor", s["vendor"], "frameworks", [*base, "suppliers", j, "vendor"]):
                for k, service in enumerate(s["services"]):
                    if known("service", service, "frameworks", [*base, "suppliers", j, "services", k]) and \
                            catalog.services[service].vendor.id != s["vendor"]:
                        problem("frameworks", [*base, "suppliers", j, "services", k],
                                f"the service '{service}' belongs to vendor '{catalog.services[service].vendor.id}'",
                                "list it under its own vendor", "procurement.service-vendor")
    for i, d in enumerate(data.documents["dps"].data["systems"] if "dps" in data.documents else []):
        base = ["systems", i]
        known("buyer", d["owner"], "dps", [*base, "owner"])
        for j, b in enumerate(d["participants"]):
            known("buyer", b, "dps", [*base, "participants", j])
        if sum(c["weight"] for c in d["award_criteria"]) != 100:
            problem("dps", [*base, "award_criteria"], "the award criteria weights must add up to 100",
                    "adjust the weights", "procurement.weights")
        for j, c in enumerate(d["categories"]):
            for k, cat in enumerate(c["covers"]):
                known("category", cat, "dps", [*base, "categories", j, "covers", k])
            for k, a in enumerate(c["admitted"]):
                known("vendor", a["vendor"], "dps", [*base, "categories", j, "admitted", k, "vendor"])
    return problems


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_procurement_folder(root: Path, result) -> list[Problem]:
    """The problems in catalog/procurement/, for `thingwalla validate` (and so for the site build).

    A repository without the folder has nothing to check (small test catalogs). References to buyers,
    vendors, services and categories are checked only when the rest of the catalog is valid, since the
    model they refer to is built only from a valid catalog."""
    if not (Path(root) / FOLDER).is_dir():
        return []
    catalog = None
    if result.ok:
        from ..model import build_catalog

        catalog = build_catalog(result)
    try:
        load_procurement_data(root, catalog)
    except ProcurementDataError as exc:
        return exc.problems
    return []
