"""What the marketplace needs from procurement: the explanation page's context and the "Anskaff" link.

    from thingwalla.procurement.site import page_context, request_url
    context = {"catalog": catalog, **page_context(catalog, data, today)}   # for procurement.html
    href = request_url(settings.repo_url, service, plan, lang)             # the "Anskaff" button of a plan

`page_context` turns catalog/procurement/ into plain values (texts as model.Text, amounts as Decimal,
dates as dt.date), so the template only formats them with the Renderer's helpers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote_plus

from ..model import Catalog, Plan, Service, Text
from .data import ProcurementData, load_procurement_data

FORM = "procurement-request.yml"
COUNTRY_NAMES = {"NO": Text({"nb": "Norge", "en": "Norway"}), "SE": Text({"nb": "Sverige", "en": "Sweden"})}
AUTHORITY = {
    ("central", "sub-central"): Text({"nb": "alle oppdragsgivere", "en": "all contracting authorities"}),
    ("sub-central",): Text({"nb": "kommuner og fylker", "en": "municipalities and counties"}),
    ("central",): Text({"nb": "statlige myndigheter", "en": "central government"}),
}


def _citations(data: ProcurementData, citations) -> list[dict]:
    out, seen = [], set()
    for c in citations:
        key = (c.source, c.pinpoint)
        if key in seen:
            continue
        seen.add(key)
        source = data.sources[c.source]
        out.append({"title": source.title, "url": source.url, "pinpoint": c.pinpoint, "country": c.country})
    return out


def page_context(catalog: Catalog, data: ProcurementData | None = None, today: dt.date | None = None,
                 root: Path | None = None) -> dict:
    """The context of procurement.html: {"procurement": {...}}. Give `data`, or `root` to load it."""
    today = today or dt.date.today()
    if data is None:
        data = load_procurement_data(root, catalog)
    countries = []
    for code in ("NO", "SE"):
        current, proposed = [], []
        for t in data.thresholds:
            if t.country != code:
                continue
            view = {"id": t.id, "kind": t.kind, "label": t.label, "amount": t.amount, "currency": t.currency,
                    "comparison": t.comparison, "authority": AUTHORITY[tuple(sorted(t.authority_types))],
                    "valid_from": t.valid_from, "review_due": t.review_due, "confidence": t.confidence,
                    "review_passed": bool(t.review_due and t.review_due <= today),
                    "citations": _citations(data, t.citations)}
            if t.in_force_on(today):
                current.append(view)
            elif t.status == "proposed":
                proposed.append(view)
        current.sort(key=lambda v: v["amount"])
        countries.append({"code": code, "name": COUNTRY_NAMES[code], "thresholds": current, "proposed": proposed})
    routes = []
    for info in data.routes.values():
        citations = []
        for key in info.statements:
            citations.extend(data.statement(key).citations)
        routes.append({"id": info.id, "title": info.title, "summary": info.summary, "one_click": info.one_click,
                       "citations": _citations(data, citations)})

    def name(buyer_id: str) -> str:
        return catalog.buyers[buyer_id].name if buyer_id in catalog.buyers else buyer_id

    frameworks = [{
        "id": f.id, "name": f.name, "country": f.country, "owner": name(f.owner), "call_off": f.call_off,
        "valid_from": f.valid_from, "valid_to": f.valid_to, "notice": f.notice, "sample": f.sample,
        "participants": [name(b) for b in f.participants],
        "services": [catalog.services[s] for supplier in f.suppliers for s in supplier.services if s in catalog.services],
    } for f in data.frameworks if f.valid_to >= today]
    systems = [{
        "id": d.id, "name": d.name, "country": d.country, "owner": name(d.owner), "valid_from": d.valid_from,
        "valid_to": d.valid_to, "notice": d.notice, "sample": d.sample, "tender_period_days": d.tender_period_days,
        "participants": [name(b) for b in d.participants],
        "categories": [{"name": c.name,
                        "covers": [cat for cat in catalog.categories if cat.id in c.covers],
                        "admitted": [catalog.vendors[a.vendor] for a in c.admitted if a.vendor in catalog.vendors]}
                       for c in d.categories],
    } for d in data.systems if d.valid_to >= today]
    templates = [{"country": t["country"], "name": t["name"], "publisher": t["publisher"],
                  "fit": Text(t["fit"]), "source": data.sources[t["source"]]} for t in data.contracts["templates"]]
    return {"procurement": {
        "today": today,
        "reviewed": data.thresholds_reviewed,
        "countries": countries,
        "routes": routes,
        "frameworks": frameworks,
        "systems": systems,
        "templates": templates,
        "sources": sorted(data.sources.values(), key=lambda s: (s.jurisdiction, s.title)),
        "review_passed": any(v["review_passed"] for c in countries for v in c["thresholds"]),
        "form": FORM,
    }}


def request_url(repo_url: str, service: Service, plan: Plan, lang: str = "nb") -> str:
    """The pre-filled procurement-request issue form for a plan (the "Anskaff" button)."""
    title = f"[Anskaffelse] {service.name(lang)} – {plan.name(lang)}"
    # (what urlencode() writes for these fields, without its per-call overhead: a link per plan on 20,000 pages)
    query = (f"template={quote_plus(FORM)}&title={quote_plus(title)}&labels=procurement"
             f"&service={quote_plus(service.id)}&plan={quote_plus(plan.id)}")
    return f"{repo_url.rstrip('/')}/issues/new?{query}"


def routes_page(root: Path, catalog: Catalog, today: dt.date | None = None) -> dict | None:
    """The routes page's context for a repository, or None when it has no catalog/procurement/ folder.
    The data was checked by `thingwalla validate` before the site is built."""
    from .data import FOLDER

    if not (Path(root) / FOLDER).is_dir():
        return None
    return page_context(catalog, root=Path(root), today=today)
