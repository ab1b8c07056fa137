"""Typed catalog entries, built only from validated documents.

The rest of the code reads this model, never raw YAML. Usage and ratings are derived here from
buyers' `uses:` lists: a service cannot claim its own users.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .validate import ValidationResult

LANGS = ("nb", "en")


class Text(dict):
    """Text per language with fallback: the other UI language, then Swedish."""

    def get_lang(self, lang: str) -> tuple[str, str]:
        """(text, language it is actually in)."""
        for candidate in (lang, *[l for l in LANGS if l != lang], "sv"):
            if self.get(candidate):
                return self[candidate], candidate
        return "", lang

    def __call__(self, lang: str) -> str:
        return self.get_lang(lang)[0]


def text(value) -> Text:
    return Text(value or {})


@dataclass
class SolutionType:
    id: str
    name: Text
    category_id: str


@dataclass
class Category:
    id: str
    name: Text
    description: Text
    icon: str
    solution_types: list[SolutionType]


@dataclass
class Integration:
    id: str
    name: str
    region: str
    owner: str
    url: str
    description: Text


@dataclass
class Regulation:
    id: str
    name: Text
    kind: str
    applies_to: list[str]
    source: str
    description: Text

    @property
    def binds_public_bodies(self) -> bool:
        return "public_bodies" in self.applies_to

    @property
    def relevant_to_public_buyers(self) -> bool:
        """False for rules such as DORA that bind only financial entities, not municipalities."""
        return "public_bodies" in self.applies_to or "companies" in self.applies_to


@dataclass
class Plan:
    id: str
    name: Text
    price: float
    currency: str
    unit: str
    billing_period: str
    minimum_term_months: int | None
    includes: Text


@dataclass
class ComplianceClaim:
    regulation: Regulation
    evidence_url: str | None
    issuer: str | None
    certificate_id: str | None
    issued: dt.date | None
    expires: dt.date | None
    note: Text


@dataclass
class SubProcessor:
    name: str
    country: str
    purpose: Text


@dataclass
class Api:
    name: str
    kind: str
    url: str
    description: Text


@dataclass
class Screenshot:
    file: str
    alt: Text


@dataclass(repr=False)  # entries refer to each other: the generated repr would never end
class Usage:
    buyer: "Buyer"
    service: "Service"
    since: dt.date
    rating: int | None
    review: Text


@dataclass(repr=False)  # entries refer to each other: the generated repr would never end
class Vendor:
    id: str
    legal_name: str
    display_name: str
    kind: str
    country: str
    org_number: str
    website: str
    email: str
    description: Text
    maintainers: list[str]
    sample: bool
    services: list["Service"] = field(default_factory=list)


@dataclass
class Requirements:
    regulations: list[str]
    integrations: list[str]
    data_locations: list[str]
    languages: list[str]


@dataclass(repr=False)  # entries refer to each other: the generated repr would never end
class Buyer:
    id: str
    name: str
    kind: str
    country: str
    org_number: str
    municipality_code: str | None
    population: int | None
    website: str | None
    maintainers: list[str]
    requires: Requirements
    sample: bool
    uses: list[Usage] = field(default_factory=list)


@dataclass(repr=False)  # entries refer to each other: the generated repr would never end
class Service:
    id: str
    folder: Path
    name: Text
    tagline: Text
    description: Text  # Markdown source per language (untrusted)
    vendor: Vendor
    category: Category
    solution_type: SolutionType
    tags: list[str]
    countries: list[str]
    languages: list[str]
    pricing_model: str
    pricing_note: Text
    plans: list[Plan]
    links: dict[str, str]
    integrations: list[Integration]
    apis: list[Api]
    deployment: list[str]
    image: str | None
    data_locations: list[str]
    sub_processors: list[SubProcessor]
    compliance: list[ComplianceClaim]
    licence: str
    status: str
    listed: dt.date | None
    logo: str | None
    screenshots: list[Screenshot]
    sample: bool
    used_by: list[Usage] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # the validated service.yaml, read by the compliance engine

    @property
    def ratings(self) -> list[int]:
        return [u.rating for u in self.used_by if u.rating is not None]

    @property
    def rating(self) -> float | None:
        r = self.ratings
        return round(sum(r) / len(r), 1) if r else None


@dataclass
class Catalog:
    categories: list[Category]
    integrations: dict[str, Integration]
    regulations: dict[str, Regulation]
    vendors: dict[str, Vendor]
    buyers: dict[str, Buyer]
    services: dict[str, Service]
    rulebook: object = None  # compliance.data.Rulebook from the validation result

    def services_in(self, category: Category) -> list[Service]:
        return [s for s in self.services.values() if s.category.id == category.id]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def build_catalog(result: ValidationResult) -> Catalog:
    """Assemble the model. Call only when the validation result has no errors."""
    if not result.ok:
        raise ValueError("the catalog has validation errors; the model is built only from valid content")
    docs = result.documents
    categories = []
    solution_types: dict[tuple[str, str], SolutionType] = {}
    for doc in docs.get("categories", []):
        for c in doc.data["categories"]:
            types = [SolutionType(st["id"], text(st["name"]), c["id"]) for st in c["solution_types"]]
            solution_types.update({(c["id"], st.id): st for st in types})
            categories.append(Category(c["id"], text(c["name"]), text(c.get("description")),
                                       c.get("icon", "material/apps"), types))
    by_category = {c.id: c for c in categories}
    integrations = {
        i["id"]: Integration(i["id"], i["name"], i["region"], i["owner"], i["url"], text(i.get("description")))
        for doc in docs.get("integrations", []) for i in doc.data["integrations"]
    }
    regulations = {
        r["id"]: Regulation(r["id"], text(r["name"]), r["kind"], r["applies_to"], r["source"], text(r.get("description")))
        for doc in docs.get("regulations", []) for r in doc.data["regulations"]
    }
    vendors = {}
    for doc in sorted(docs.get("vendor", []), key=lambda d: d.data["id"]):
        v = doc.data
        vendors[v["id"]] = Vendor(v["id"], v["legal_name"], v.get("display_name") or v["legal_name"],
                                  v.get("kind", "company"), v["country"], v["org_number"], v["website"], v["email"],
                                  text(v.get("description")), v["maintainers"], bool(v.get("sample")))
    services = {}
    for doc in sorted(docs.get("service", []), key=lambda d: d.data["id"]):
        services[doc.data["id"]] = _service(doc, vendors, by_category, solution_types, integrations, regulations)
    buyers = {}
    for doc in sorted(docs.get("buyer", []), key=lambda d: d.data["id"]):
        b = doc.data
        req = b.get("requires") or {}
        buyer = Buyer(b["id"], b["name"], b["kind"], b["country"], b["org_number"], b.get("municipality_code"),
                      b.get("population"), b.get("website"), b["maintainers"],
                      Requirements(req.get("regulations", []), req.get("integrations", []),
                                   req.get("data_locations", []), req.get("languages", [])),
                      bool(b.get("sample")))
        for use in b.get("uses", []):
            service = services[use["service"]]
            usage = Usage(buyer, service, _date(use["since"]), use.get("rating"), text(use.get("review")))
            buyer.uses.append(usage)
            service.used_by.append(usage)
        buyers[buyer.id] = buyer
    for service in services.values():
        service.vendor.services.append(service)
        service.used_by.sort(key=lambda u: u.buyer.name)
    return Catalog(categories, integrations, regulations, vendors, buyers, services, result.compliance)


def _service(doc, vendors, categories, solution_types, integrations, regulations) -> Service:
    d = doc.data
    folder = doc.path.parent
    description = text(d.get("description"))
    description.update(doc.description_files or {})  # description.<lang>.md, as the validator read them
    pricing, hosting = d["pricing"], d["hosting"]
    return Service(
        id=d["id"], folder=folder, name=text(d["name"]), tagline=text(d["tagline"]), description=description,
        vendor=vendors[d["vendor"]], category=categories[d["category"]],
        solution_type=solution_types[(d["category"], d["solution_type"])],
        tags=d.get("tags", []), countries=d["countries"], languages=d["languages"],
        pricing_model=pricing["model"], pricing_note=text(pricing.get("note")),
        plans=[Plan(p["id"], text(p["name"]), p["price"], p["currency"], p["unit"], p["billing_period"],
                    p.get("minimum_term_months"), text(p.get("includes"))) for p in pricing.get("plans", [])],
        links=d["links"], integrations=[integrations[i] for i in d.get("integrations", [])],
        apis=[Api(a["name"], a["kind"], a["url"], text(a.get("description"))) for a in d.get("apis", [])],
        deployment=hosting["deployment"], image=hosting.get("image"), data_locations=hosting["data_locations"],
        sub_processors=[SubProcessor(s["name"], s["country"], text(s["purpose"])) for s in hosting.get("sub_processors", [])],
        compliance=[ComplianceClaim(regulations[c["regulation"]], c.get("evidence_url"), c.get("issuer"),
                                    c.get("certificate_id"), _date(c.get("issued")), _date(c.get("expires")),
                                    text(c.get("note"))) for c in d.get("compliance", [])],
        licence=d["licence"], status=d["status"], listed=_date(d.get("listed")), logo=d.get("logo"),
        screenshots=[Screenshot(s["file"], text(s["alt"])) for s in d.get("screenshots", [])],
        sample=bool(d.get("sample")), facts=d,
    )


def _short_repr(self) -> str:
    if isinstance(self, Usage):
        return f"Usage(buyer={self.buyer.id!r}, service={self.service.id!r})"
    return f"{type(self).__name__}(id={self.id!r})"


for _cls in (Usage, Vendor, Buyer, Service):
    _cls.__repr__ = _short_repr

