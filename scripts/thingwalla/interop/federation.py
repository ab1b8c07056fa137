"""Federation: show the services of other Thingwalla catalogs here, each with where it came from.

catalog/upstreams.yaml lists upstream catalogs (schemas/upstreams.schema.json). Each names the upstream's
catalog.json by URL or path and pins it: the document read must have the pinned format_version and, when
given (always for URLs), the pinned SHA-256 digest. A change upstream therefore reaches this site only
through a reviewed pull request that updates the pin.

Rules:
- Upstream content is untrusted, like vendor content: every upstream service is checked with the same
  service schema as local entries, and its category, solution type, integrations and regulations must
  exist in the local taxonomy.
- An id clash is an error, never a silent override: a service id already used here (or by an earlier
  upstream); a vendor or buyer id used here by a different organisation (the same organisation number
  means the same party, and the local entry is kept).
- An upstream is merged whole or not at all. A broken upstream (unreachable, pin mismatch, not JSON,
  wrong schema, clash) gives errors that name it, and the local catalog — and every other upstream — is
  unaffected. `federate` never changes the catalog it is given; it returns a new one.
- Services that an upstream itself took from its own upstreams (entries carrying "provenance" in its
  catalog.json) are not merged again: federation reads each catalog's own entries only, so two catalogs
  listing each other do not loop.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..load import load_file
from ..model import Buyer, Catalog, Requirements, Service, Usage, Vendor, text
from ..problems import Problem

UPSTREAMS_FILE = "catalog/upstreams.yaml"
SUPPORTED_MAJOR = "1"
MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = (10, 60)


@dataclass(frozen=True)
class Upstream:
    id: str
    name: dict
    format_version: str
    url: str | None = None
    path: str | None = None
    site: str | None = None
    sha256: str | None = None

    @property
    def source(self) -> str:
        return self.url or self.path or ""


@dataclass(frozen=True)
class Provenance:
    """Where a merged entry comes from: what pages show and what catalog.json can carry."""

    upstream: Upstream
    sha256: str  # digest of the catalog.json actually read
    generator: str
    format_version: str

    def name(self, lang: str) -> str:
        return text(self.upstream.name)(lang)

    def page_url(self, kind: str, ident: str, lang: str = "nb") -> str | None:
        """The entry's own page on the upstream site (same URL scheme as every Thingwalla site)."""
        if not self.upstream.site:
            return None
        from ..site.pages import url_for

        return self.upstream.site.rstrip("/") + "/" + url_for(kind, lang, ident)

    def as_dict(self) -> dict:
        """For catalog.json ("provenance" on a federated entry) and templates."""
        return {"upstream": self.upstream.id, "name": dict(self.upstream.name), "source": self.upstream.source,
                "site": self.upstream.site, "sha256": self.sha256, "format_version": self.format_version,
                "generator": self.generator}


@dataclass
class FederationResult:
    catalog: Catalog  # the local catalog plus every upstream that merged cleanly (a new object)
    provenance: dict[tuple[str, str], Provenance] = field(default_factory=dict)  # (kind, id) -> origin
    problems: list[Problem] = field(default_factory=list)
    merged: dict[str, list[str]] = field(default_factory=dict)  # upstream id -> merged service ids
    upstreams: list[Upstream] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def provenance_of(self, entry) -> Provenance | None:
        """Provenance of a Service, Vendor or Buyer, or None for a local entry."""
        kind = {Service: "service", Vendor: "vendor", Buyer: "buyer"}.get(type(entry))
        return self.provenance.get((kind, entry.id)) if kind else None

    def is_local(self, entry) -> bool:
        return self.provenance_of(entry) is None


class UpstreamError(Exception):
    """An upstream cannot be merged; the message says why."""


# --- reading upstreams.yaml -----------------------------------------------------------------------

def read_upstreams(root: Path) -> tuple[list[Upstream], list[Problem]]:
    """The upstreams listed in catalog/upstreams.yaml (none when the file is absent), with located problems."""
    path = root / UPSTREAMS_FILE
    if not path.exists():
        return [], []
    doc, problems = load_file(path, UPSTREAMS_FILE)
    if doc is None:
        if problems and problems[0].code == "load.empty":
            return [], []  # a file with only comments lists no upstreams
        return [], problems
    from ..validate.schema import _explain  # the validator's located, vendor-readable schema messages

    found: list[Problem] = []
    for error in _upstreams_validator().iter_errors(doc.data):
        if error.validator == "oneOf" and isinstance(error.instance, dict):
            line, col = doc.position(tuple(error.absolute_path))
            has = [k for k in ("url", "path") if k in error.instance]
            message = ("give either url (with sha256) or path, not both" if len(has) == 2 else
                       "an upstream with url needs sha256 to pin it" if has == ["url"] else
                       "give url (with sha256) or path: where to read the upstream's catalog.json")
            found.append(Problem(UPSTREAMS_FILE, line, col, message,
                                 "see scripts/thingwalla/schemas/upstreams.schema.json", "upstreams.source"))
        else:
            found.extend(_explain(doc, error))
    if found:
        return [], sorted(set(found))
    upstreams, seen = [], {}
    for i, item in enumerate(doc.data or []):
        if item["id"] in seen:
            line, col = doc.position((i, "id"))
            found.append(Problem(UPSTREAMS_FILE, line, col, f"the upstream id '{item['id']}' is used twice "
                                 f"(first on line {seen[item['id']]})", "give each upstream its own id",
                                 "upstreams.duplicate"))
            continue
        seen[item["id"]] = doc.position((i, "id"))[0]
        upstreams.append(Upstream(item["id"], item["name"], item["format_version"], item.get("url"),
                                  item.get("path"), item.get("site"), item.get("sha256")))
    return upstreams, found


def _upstreams_validator():
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource

    from ..schemas import load_schema, schema_names

    registry = Registry().with_resources(
        (load_schema(n)["$id"], Resource.from_contents(load_schema(n))) for n in schema_names())
    return Draft202012Validator(load_schema("upstreams.schema.json"), registry=registry, format_checker=FormatChecker())


# --- fetching ---------------------------------------------------------------------------------------

def fetch_source(upstream: Upstream, root: Path) -> bytes:
    """The bytes of the upstream's catalog.json. Raises UpstreamError with a readable reason."""
    if upstream.path:
        path = Path(upstream.path)
        path = path if path.is_absolute() else root / path
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise UpstreamError(f"{upstream.path} is {size:,} bytes; the limit is {MAX_BYTES:,}")
            return path.read_bytes()
        except FileNotFoundError:
            raise UpstreamError(f"{upstream.path} does not exist") from None
        except IsADirectoryError:
            raise UpstreamError(f"{upstream.path} is a folder, not a catalog.json file") from None
        except OSError as exc:
            raise UpstreamError(f"cannot read {upstream.path}: {exc.strerror}") from None
    import requests

    from .. import __version__

    try:
        with requests.get(upstream.url, timeout=TIMEOUT, stream=True,
                          headers={"User-Agent": f"thingwalla/{__version__} (federation)",
                                   "Accept": "application/json"}) as response:
            if not response.url.startswith("https://"):
                raise UpstreamError(f"{upstream.url} redirected to a non-https address ({response.url})")
            if response.status_code != 200:
                raise UpstreamError(f"{upstream.url} answered HTTP {response.status_code}")
            chunks, total = [], 0
            for chunk in response.iter_content(64 * 1024):
                total += len(chunk)
                if total > MAX_BYTES:
                    raise UpstreamError(f"{upstream.url} is larger than {MAX_BYTES:,} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.RequestException as exc:
        raise UpstreamError(f"cannot fetch {upstream.url}: {type(exc).__name__}: {exc}") from None


# --- merging ----------------------------------------------------------------------------------------

def federate(catalog: Catalog, root: Path, upstreams: list[Upstream] | None = None,
             fetch: Callable[[Upstream, Path], bytes] = fetch_source) -> FederationResult:
    """The local catalog plus the services of every upstream that can be merged; never raises for upstreams.

    `catalog` is left as it is. Problems name the upstream (and the entry) that caused them.
    """
    problems: list[Problem] = []
    if upstreams is None:
        upstreams, problems = read_upstreams(root)
    if not upstreams:  # the usual case: no copy of a large catalog
        return FederationResult(catalog, problems=list(problems))
    merged_catalog = copy.deepcopy(catalog)
    result = FederationResult(merged_catalog, problems=list(problems), upstreams=list(upstreams))
    for upstream in upstreams:
        try:
            raw = fetch(upstream, root)
            staged = _stage(upstream, raw, result)
        except UpstreamError as exc:
            result.problems.append(_problem(upstream, str(exc)))
            continue
        _commit(staged, result)
    return result


def _problem(upstream: Upstream, message: str, hint: str = "") -> Problem:
    return Problem(UPSTREAMS_FILE, 1, 1, f"upstream '{upstream.id}' ({upstream.source}): {message}",
                   hint or "the local catalog is published without this upstream's services; fix the upstream or "
                           "its entry in catalog/upstreams.yaml", "upstreams.broken")


@dataclass
class _Staged:
    upstream: Upstream
    provenance: Provenance
    vendors: dict[str, Vendor]  # new vendors to add
    services: dict[str, Service]
    buyers: dict[str, Buyer]  # new buyers to add
    usages: list[tuple[Buyer, Usage]]  # usages to attach (buyer may be a new or an existing local buyer)


def _stage(upstream: Upstream, raw: bytes, result: FederationResult) -> _Staged:
    digest = hashlib.sha256(raw).hexdigest()
    if upstream.sha256 and digest != upstream.sha256:
        raise UpstreamError(f"catalog.json has SHA-256 {digest}, but catalog/upstreams.yaml pins {upstream.sha256}: "
                            "the upstream has changed; review the change and update the pin")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UpstreamError(f"catalog.json is not valid JSON ({exc})") from None
    if not isinstance(document, dict):
        raise UpstreamError("catalog.json is not a JSON object")
    version = str(document.get("format_version", ""))
    if version.split(".")[0] != SUPPORTED_MAJOR:
        raise UpstreamError(f"format_version '{version}' is not supported (this build reads {SUPPORTED_MAJOR}.x)")
    if version != upstream.format_version:
        raise UpstreamError(f"format_version is '{version}', but catalog/upstreams.yaml pins "
                            f"'{upstream.format_version}'; review the change and update the pin")
    schema_errors = _catalog_schema_errors(document)
    if schema_errors:
        raise UpstreamError("catalog.json does not match schemas/catalog.schema.json: " + "; ".join(schema_errors[:5])
                            + (f" (and {len(schema_errors) - 5} more)" if len(schema_errors) > 5 else ""))
    local = result.catalog
    provenance = Provenance(upstream, digest, str(document.get("generator", "")), version)
    errors: list[str] = []

    # vendors: reuse a local one with the same organisation number; a different party with the same id clashes
    vendor_docs = {v["id"]: v for v in document["vendors"]}
    vendors_new: dict[str, Vendor] = {}
    vendor_for: dict[str, Vendor] = {}
    from ..validate.identifiers import compact_org_number, org_number_error

    def same_party(existing, data) -> bool:
        return existing.country == data.get("country") and compact_org_number(existing.org_number, existing.country) \
            == compact_org_number(str(data.get("org_number", "")), str(data.get("country", "")))

    for vid, v in vendor_docs.items():
        if vid in local.vendors:
            if same_party(local.vendors[vid], v):
                vendor_for[vid] = local.vendors[vid]
            else:
                owner = _origin(result, "vendor", vid)
                errors.append(f"vendor id '{vid}' is already used {owner} by a different organisation "
                              f"({local.vendors[vid].legal_name}, {local.vendors[vid].org_number})")
            continue
        problem = _vendor_problem(v)
        if problem:
            errors.append(f"vendor '{vid}': {problem}")
            continue
        vendor = Vendor(vid, v["legal_name"], v.get("display_name") or v["legal_name"], v.get("kind") or "company",
                        v["country"], str(v["org_number"]), v.get("website") or "", v.get("email") or "",
                        text(v.get("description")), [], bool(v.get("sample")))
        vendors_new[vid] = vendor
        vendor_for[vid] = vendor

    # services: the same rules as local entries
    services: dict[str, Service] = {}
    for index, s in enumerate(document["services"]):
        sid = s.get("id")
        if "provenance" in s:
            continue  # the upstream's own upstream entry: read it from its origin instead
        if sid in local.services:
            owner = _origin(result, "service", sid)
            errors.append(f"service id '{sid}' is already used {owner}; an id clash is never resolved silently — "
                          "one of the two catalogs must rename its service")
            continue
        if sid in services:
            errors.append(f"service id '{sid}' appears twice in catalog.json")
            continue
        problems = _service_problems(s, local, vendor_docs)
        if problems:
            errors.extend(f"services[{index}] ('{sid}'): {p}" for p in problems)
            continue
        vendor = vendor_for.get(s["vendor"])
        if vendor is None:
            errors.append(f"services[{index}] ('{sid}'): its vendor '{s['vendor']}' could not be merged")
            continue
        services[sid] = _service(s, vendor, local)

    # buyers and their use of the merged services (a buyer's word about its own use, from its own catalog)
    buyers_new: dict[str, Buyer] = {}
    usages: list[tuple[Buyer, Usage]] = []
    for b in document["buyers"]:
        uses = [u for u in b.get("uses") or [] if u.get("service") in services]
        if not uses:
            continue
        bid = b["id"]
        if bid in local.buyers:
            if same_party(local.buyers[bid], b):
                buyer = local.buyers[bid]
            else:
                owner = _origin(result, "buyer", bid)
                errors.append(f"buyer id '{bid}' is already used {owner} by a different organisation "
                              f"({local.buyers[bid].name})")
                continue
        else:
            problem = org_number_error(str(b.get("org_number", "")), str(b.get("country", "")))
            if problem:
                errors.append(f"buyer '{bid}': {problem[0]}")
                continue
            buyer = Buyer(bid, str(b["name"]), b["kind"], b["country"], str(b.get("org_number", "")),
                          b.get("municipality_code"), None, None, [], Requirements([], [], [], []), bool(b.get("sample")))
            buyers_new[bid] = buyer
        for u in uses:
            try:
                since = dt.date.fromisoformat(u["since"])
            except (TypeError, ValueError):
                errors.append(f"buyer '{bid}': 'since' {u.get('since')!r} is not a date")
                continue
            rating = u.get("rating")
            usages.append((buyer, Usage(buyer, services[u["service"]], since,
                                        rating if isinstance(rating, int) and not isinstance(rating, bool) else None,
                                        text(_localized(u.get("review"))))))
    if errors:
        raise UpstreamError(f"{len(errors)} problem(s), so none of its services are shown: " + "; ".join(errors[:8])
                            + (f"; and {len(errors) - 8} more" if len(errors) > 8 else ""))
    return _Staged(upstream, provenance, vendors_new, services, buyers_new, usages)


def _commit(staged: _Staged, result: FederationResult) -> None:
    catalog = result.catalog
    for vid, vendor in staged.vendors.items():
        catalog.vendors[vid] = vendor
        result.provenance[("vendor", vid)] = staged.provenance
    for sid, service in staged.services.items():
        catalog.services[sid] = service
        service.vendor.services.append(service)
        result.provenance[("service", sid)] = staged.provenance
    for bid, buyer in staged.buyers.items():
        catalog.buyers[bid] = buyer
        result.provenance[("buyer", bid)] = staged.provenance
    for buyer, usage in staged.usages:
        buyer.uses.append(usage)
        usage.service.used_by.append(usage)
    for service in staged.services.values():
        service.used_by.sort(key=lambda u: u.buyer.name)
    result.merged[staged.upstream.id] = sorted(staged.services)


def _origin(result: FederationResult, kind: str, ident: str) -> str:
    prov = result.provenance.get((kind, ident))
    return f"by upstream '{prov.upstream.id}'" if prov else "in this catalog"


def _catalog_schema_errors(document: dict) -> list[str]:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    from ..schemas import load_schema, schema_names
    from ..validate.schema import field_name

    registry = Registry().with_resources(
        (load_schema(n)["$id"], Resource.from_contents(load_schema(n))) for n in schema_names())
    validator = Draft202012Validator(load_schema("catalog.schema.json"), registry=registry)
    return [f"{field_name(tuple(e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(document)]


def _vendor_problem(v: dict) -> str | None:
    from ..validate.identifiers import org_number_error

    for key in ("legal_name", "country", "org_number"):
        if not isinstance(v.get(key), str) or not v[key]:
            return f"'{key}' is missing"
    website = v.get("website")
    if website is not None and not (isinstance(website, str) and website.startswith("https://")):
        return "website is not an https:// address"
    error = org_number_error(v["org_number"], v["country"])
    return error[0] if error else None


def _localized(value) -> dict:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if k in ("nb", "en", "sv") and isinstance(v, str) and v}


def _as_service_yaml(s: dict) -> dict:
    """A catalog.json service written back as service.yaml would hold it (nulls dropped), for the schema."""
    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    from ..schemas import load_schema

    out = _prune(clean({k: v for k, v in s.items() if k not in ("usage", "provenance")}),
                 load_schema("service.schema.json"))
    if not out.get("description"):
        out.pop("description", None)
    return out


def _prune(value, schema: dict):
    """Drop what a newer 1.x catalog.json may add (fields, languages) that this build's schema does not know.

    Minor versions of the format only add; a reader of 1.0 ignores the rest, as the format promises.
    """
    if "$ref" in schema and schema["$ref"].endswith("/localizedText"):
        return _localized(value) if isinstance(value, dict) else value
    if isinstance(value, dict) and "properties" in schema:
        props = schema["properties"]
        keep = value if schema.get("additionalProperties", True) is not False else \
            {k: v for k, v in value.items() if k in props}
        return {k: _prune(v, props.get(k, {})) for k, v in keep.items()}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_prune(v, schema["items"]) for v in value]
    return value


def _service_problems(s: dict, local: Catalog, vendor_docs: dict) -> list[str]:
    from ..schemas import validator_for
    from ..validate.identifiers import country_codes, language_codes, licence_error
    from ..validate.schema import field_name

    data = _as_service_yaml(s)
    problems = [f"{field_name(tuple(e.absolute_path))}: {e.message[:160]}"
                for e in validator_for("service").iter_errors(data)]
    if problems:
        return problems
    if data["vendor"] not in vendor_docs:
        problems.append(f"vendor '{data['vendor']}' is not in the upstream's vendors")
    categories = {c.id: {st.id for st in c.solution_types} for c in local.categories}
    if data["category"] not in categories:
        problems.append(f"category '{data['category']}' is not in this catalog's taxonomy")
    elif data["solution_type"] not in categories[data["category"]]:
        problems.append(f"solution type '{data['solution_type']}' is not in this catalog's taxonomy")
    problems += [f"integration '{i}' is not in this catalog's taxonomy" for i in data.get("integrations", [])
                 if i not in local.integrations]
    problems += [f"regulation '{c['regulation']}' is not in this catalog's taxonomy" for c in data.get("compliance", [])
                 if c["regulation"] not in local.regulations]
    codes = list(data["countries"]) + list(data["hosting"]["data_locations"]) + \
        [p["country"] for p in data["hosting"].get("sub_processors", [])]
    problems += [f"'{c}' is not an ISO 3166-1 country code" for c in codes if c not in country_codes()]
    problems += [f"'{c}' is not an ISO 639 language code" for c in data["languages"] if c not in language_codes()]
    licence = licence_error(data["licence"])
    if licence:
        problems.append(licence[0])
    for key in ("listed",):
        if key in data:
            try:
                dt.date.fromisoformat(data[key])
            except ValueError:
                problems.append(f"{key} {data[key]!r} is not a date")
    for claim in data.get("compliance", []):
        for key in ("issued", "expires"):
            if key in claim:
                try:
                    dt.date.fromisoformat(claim[key])
                except ValueError:
                    problems.append(f"compliance {key} {claim[key]!r} is not a date")
    return problems


def _service(s: dict, vendor: Vendor, local: Catalog) -> Service:
    from ..model import Api, ComplianceClaim, Plan, Screenshot, SubProcessor  # noqa: F401 - Screenshot for clarity

    def date(value):
        return dt.date.fromisoformat(value) if value else None

    category = next(c for c in local.categories if c.id == s["category"])
    solution_type = next(st for st in category.solution_types if st.id == s["solution_type"])
    pricing, hosting = s["pricing"], s["hosting"]
    return Service(
        id=s["id"], folder=Path("."), name=text(s["name"]), tagline=text(s["tagline"]),
        description=text(_localized(s.get("description"))), vendor=vendor, category=category,
        solution_type=solution_type, tags=list(s.get("tags") or []), countries=list(s["countries"]),
        languages=list(s["languages"]), pricing_model=pricing["model"], pricing_note=text(_localized(pricing.get("note"))),
        plans=[Plan(p["id"], text(p["name"]), p["price"], p["currency"], p["unit"], p["billing_period"],
                    p.get("minimum_term_months"), text(_localized(p.get("includes"))))
               for p in pricing.get("plans") or []],
        links=dict(s["links"]), integrations=[local.integrations[i] for i in s.get("integrations") or []],
        apis=[Api(a["name"], a["kind"], a["url"], text(_localized(a.get("description")))) for a in s.get("apis") or []],
        deployment=list(hosting["deployment"]), image=hosting.get("image"),
        data_locations=list(hosting["data_locations"]),
        sub_processors=[SubProcessor(p["name"], p["country"], text(p["purpose"])) for p in hosting.get("sub_processors") or []],
        compliance=[ComplianceClaim(local.regulations[c["regulation"]], c.get("evidence_url"), c.get("issuer"),
                                    c.get("certificate_id"), date(c.get("issued")), date(c.get("expires")),
                                    text(_localized(c.get("note")))) for c in s.get("compliance") or []],
        licence=s["licence"], status=s["status"], listed=date(s.get("listed")), logo=None, screenshots=[],
        sample=bool(s.get("sample")), facts=_as_service_yaml(s),  # what the compliance engine reads
    )


def pin(raw: bytes) -> str:
    """The sha256 to write in catalog/upstreams.yaml for a catalog.json's bytes."""
    return hashlib.sha256(raw).hexdigest()
