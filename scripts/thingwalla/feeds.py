"""Machine-readable views of the catalog: catalog.json (described by schemas/catalog.schema.json)."""

from __future__ import annotations

from . import __version__
from .model import Catalog, Service

CATALOG_FORMAT_VERSION = "1.0"


def _service(s: Service) -> dict:
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
             "expires": c.expires.isoformat() if c.expires else None}
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


def catalog_document(catalog: Catalog) -> dict:
    return {
        "$schema": "schemas/catalog.schema.json",
        "format_version": CATALOG_FORMAT_VERSION,
        "generator": f"thingwalla {__version__}",
        "sample_data": any(s.sample for s in catalog.services.values()),
        "counts": {"services": len(catalog.services), "vendors": len(catalog.vendors), "buyers": len(catalog.buyers)},
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
        "services": [_service(s) for s in catalog.services.values()],
    }
