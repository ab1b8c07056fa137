"""Typed challenges, built from the valid challenge folders and the catalog they refer to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Buyer, Catalog, Category, Regulation, Service, Text, Vendor, text
from . import lifecycle
from .read import ChallengeFiles


@dataclass
class Pledge:
    buyer: Buyer
    amount: int
    currency: str
    date: dt.date
    status: str  # intent | approved | signed | withdrawn
    authorised_by_role: str
    decision_ref: str | None
    conditions: Text


@dataclass
class Bid:
    vendor: Vendor
    submitted: dt.date
    summary: Text
    demo: str | None
    price: int
    currency: str
    team: list[tuple[str, Text]]
    status: str  # submitted | shortlisted | winner | rejected


@dataclass
class Challenge:
    id: str
    title: Text
    summary: Text
    started_by: Buyer
    started: dt.date
    state: str
    category: Category
    problem: Text  # Markdown (untrusted)
    body: str  # the Markdown below the front matter, bokmål (untrusted)
    affected_users: list[Text]
    outcomes: list[Text]
    criteria: list[Text]
    compliance: list[Regulation]
    requirements: list[Text]
    goal: int | None
    currency: str | None
    deadline: dt.date | None
    min_supporters: int
    agreement: dict | None
    procurement: dict | None
    pilot_municipalities: list[Buyer]
    pilot_starts: dt.date | None
    pilot_results: Text
    catalog_service: Service | None
    withdrawn_reason: Text
    history: list[tuple[dt.date, str]]
    sample: bool
    pledges: list[Pledge] = field(default_factory=list)
    bids: list[Bid] = field(default_factory=list)

    @property
    def background(self) -> Text:
        return Text({"nb": self.body} if self.body else {})

    @property
    def counted_pledges(self) -> list[Pledge]:
        return [p for p in self.pledges if p.status != "withdrawn" and p.currency == self.currency]

    @property
    def pledged(self) -> int:
        return sum(p.amount for p in self.counted_pledges)

    @property
    def percent(self) -> int:
        """Percent of the goal pledged, rounded down (99.6 % is not yet 100 %)."""
        return self.pledged * 100 // self.goal if self.goal else 0

    @property
    def supporters(self) -> list[Buyer]:
        return [p.buyer for p in self.counted_pledges]

    @property
    def other_supporters(self) -> list[Buyer]:
        """Buyers backing it besides the one that started it: the "+N kommuner støtter"."""
        return [b for b in self.supporters if b.id != self.started_by.id]

    @property
    def funding_band(self) -> str:
        """For the index filter: under_half | over_half | funded."""
        if self.goal and self.pledged >= self.goal:
            return "funded"
        return "over_half" if self.percent >= 50 else "under_half"

    def days_left(self, today: dt.date) -> int | None:
        if self.deadline is None or self.state != "open_for_pledges":
            return None
        return (self.deadline - today).days

    def reached(self, state: str) -> dt.date | None:
        return next((d for d, s in self.history if s == state), None)


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _with_dates(value: dict | None, *keys: str) -> dict | None:
    return {**value, **{k: _date(value[k]) for k in keys}} if value else None


def build_challenges(files: list[ChallengeFiles], catalog: Catalog) -> list[Challenge]:
    """Only valid challenge folders become challenges (an invalid one fails the site build anyway)."""
    categories = {c.id: c for c in catalog.categories}
    out = []
    for entry in files:
        if not entry.valid:
            continue
        d = entry.front.data
        funding = d.get("funding") or {}
        pilot = d.get("pilot") or {}
        challenge = Challenge(
            id=d["id"], title=text(d["title"]), summary=text(d["summary"]), started_by=catalog.buyers[d["started_by"]],
            started=_date(d["started"]), state=d["state"], category=categories[d["category"]],
            problem=text(d["problem"]), body=entry.markdown.body.strip(),
            affected_users=[text(t) for t in d.get("affected_users", [])],
            outcomes=[text(t) for t in d.get("outcomes", [])], criteria=[text(t) for t in d.get("criteria", [])],
            compliance=[catalog.regulations[r] for r in d.get("compliance", [])],
            requirements=[text(t) for t in d.get("requirements", [])],
            goal=funding.get("goal"), currency=funding.get("currency"), deadline=_date(funding.get("deadline")),
            min_supporters=funding.get("min_supporters", lifecycle.DEFAULT_MIN_SUPPORTERS),
            agreement=_with_dates(d.get("agreement"), "signed"),
            procurement=_with_dates(d.get("procurement"), "bids_open", "bids_close"),
            pilot_municipalities=[catalog.buyers[b] for b in pilot.get("municipalities", [])],
            pilot_starts=_date(pilot.get("starts")), pilot_results=text(pilot.get("results")),
            catalog_service=catalog.services.get(d["catalog_service"]) if "catalog_service" in d else None,
            withdrawn_reason=text(d.get("withdrawn_reason")),
            history=[(_date(h["date"]), h["state"]) for h in d["history"]], sample=bool(d.get("sample")),
        )
        for doc in entry.pledges:
            p = doc.data
            challenge.pledges.append(Pledge(catalog.buyers[lifecycle.pledge_buyer(doc)], p["amount"], p["currency"],
                                            _date(p["date"]), p["status"], p["authorised_by_role"],
                                            p.get("decision_ref"), text(p.get("conditions"))))
        challenge.pledges.sort(key=lambda p: (p.date, p.buyer.name))
        for doc in entry.bids:
            b = doc.data
            challenge.bids.append(Bid(catalog.vendors[lifecycle.pledge_buyer(doc)], _date(b["submitted"]),
                                      text(b["summary"]), b.get("demo"), b["price"], b["currency"],
                                      [(m["name"], text(m["role"])) for m in b["team"]], b["status"]))
        challenge.bids.sort(key=lambda b: (b.status != "winner", b.submitted, b.vendor.display_name))
        out.append(challenge)
    return out
