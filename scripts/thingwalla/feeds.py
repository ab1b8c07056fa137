"""Machine-readable views of the catalog: catalog.json (described by schemas/catalog.schema.json).

Format versions: a minor version only adds fields (1.1 added "federated_services" and
counts.federated_services), so a reader of 1.0 reads every 1.x; a major version may break.
"""

from __future__ import annotations

from . import __version__
from .model import Catalog, Service

CATALOG_FORMAT_VERSION = "1.1"


def _service(s: Service, rulebook=None, a11y=None) -> dict:
    # States come from the compliance engine (rules + evidence + automated checks); without a rulebook
    # (federated entries) they rest on the evidence and its dates alone.
    from .compliance.catalog import assess_service
    from .validate import today

    states = assess_service(s, rulebook, today(), a11y).states
    return {
        "id": s.id,
        "name": dict(s.name),
        "tagline": dict(s.tagline),
        "description": dict(s.description),
        "vendor": s.vendor.id,
        "category": s.category.id,
        "solution_type": s.solution_type.id,
        "tags": s.tags,
        "countries": s.countries,
        "languages": s.languages,
        "pricing": {
            "model": s.pricing_model,
            "plans": [
                {"id": p.id, "name": dict(p.name), "price": p.price, "currency": p.currency, "unit": p.unit,
                 "billing_period": p.billing_period, "minimum_term_months": p.minimum_term_months}
                for p in s.plans
            ],
        },
        "links": s.links,
        "integrations": [i.id for i in s.integrations],
        "apis": [{"name": a.name, "kind": a.kind, "url": a.url} for a in s.apis],
        "hosting": {
            "deployment": s.deployment,
            "image": s.image,
            "data_locations": s.data_locations,
            "sub_processors": [{"name": p.name, "country": p.country, "purpose": dict(p.purpose)} for p in s.sub_processors],
        },
        "compliance": [
            {"regulation": c.regulation.id, "evidence_url": c.evidence_url, "issuer": c.issuer,
             "certificate_id": c.certificate_id,
             "issued": c.issued.isoformat() if c.issued else None,
             "expires": c.expires.isoformat() if c.expires else None,
             "state": states[c.regulation.id].state,
             "state_on": states[c.regulation.id].on.isoformat() if states[c.regulation.id].on else None,
             "automated_check": states[c.regulation.id].automated_check or None}
            for c in s.compliance
        ],
        "licence": s.licence,
        "status": s.status,
        "listed": s.listed.isoformat() if s.listed else None,
        "sample": s.sample,
        "usage": {
            "buyers": [u.buyer.id for u in s.used_by],
            "rating": s.rating,
            "ratings": len(s.ratings),
        },
    }


def catalog_document(catalog: Catalog, federation=None, a11y=None) -> dict:
    """The catalog.json document. `federation` (interop.federation.FederationResult) adds the services merged
    from upstream catalogs, each with its provenance, beside (never inside) this catalog's own "services"."""
    federated = []
    if federation is not None:
        for sids in federation.merged.values():
            for sid in sids:
                entry = _service(federation.catalog.services[sid])
                entry["provenance"] = federation.provenance[("service", sid)].as_dict()
                federated.append(entry)
    return {
        "$schema": "schemas/catalog.schema.json",
        "format_version": CATALOG_FORMAT_VERSION,
        "generator": f"thingwalla {__version__}",
        "sample_data": any(s.sample for s in catalog.services.values()),
        "counts": {"services": len(catalog.services), "vendors": len(catalog.vendors), "buyers": len(catalog.buyers),
                   "federated_services": len(federated)},
        "categories": [
            {"id": c.id, "name": dict(c.name),
             "solution_types": [{"id": st.id, "name": dict(st.name)} for st in c.solution_types]}
            for c in catalog.categories
        ],
        "integrations": [{"id": i.id, "name": i.name, "region": i.region, "owner": i.owner, "url": i.url}
                         for i in catalog.integrations.values()],
        "regulations": [{"id": r.id, "name": dict(r.name), "kind": r.kind, "applies_to": r.applies_to,
                         "source": r.source} for r in catalog.regulations.values()],
        "vendors": [
            {"id": v.id, "legal_name": v.legal_name, "display_name": v.display_name, "kind": v.kind,
             "country": v.country, "org_number": v.org_number, "website": v.website, "email": v.email,
             "services": sorted(s.id for s in v.services), "sample": v.sample}
            for v in catalog.vendors.values()
        ],
        "buyers": [
            {"id": b.id, "name": b.name, "kind": b.kind, "country": b.country, "org_number": b.org_number,
             "municipality_code": b.municipality_code,
             "uses": [{"service": u.service.id, "since": u.since.isoformat(), "rating": u.rating,
                       "review": dict(u.review)} for u in b.uses],
             "requires": {"regulations": b.requires.regulations, "integrations": b.requires.integrations,
                          "data_locations": b.requires.data_locations, "languages": b.requires.languages},
             "sample": b.sample}
            for b in catalog.buyers.values()
        ],
        "services": [_service(s, catalog.rulebook, a11y) for s in catalog.services.values()],
        "federated_services": federated,
    }
