"""Page models of the challenges: the index (filters by state, category and funding) and one page per
challenge, in both languages. Independent of MkDocs, like site/pages.py."""

from __future__ import annotations

from urllib.parse import urlencode

from ..site import i18n
from ..site.pages import PageModel, nordic_key, url_for
from . import lifecycle
from .model import Challenge

FUNDING_BANDS = ("under_half", "over_half", "funded")


def challenge_pages(challenges: list[Challenge]) -> list[PageModel]:
    pages: list[PageModel] = []
    other = {"nb": "en", "en": "nb"}
    # open for pledges first (they need support now), then by how far they have come
    order = {state: i for i, state in enumerate(("open_for_pledges", *lifecycle.HAPPY_PATH[2:], "draft",
                                                 "expired", "withdrawn"))}
    ordered = sorted(challenges, key=lambda c: (order[c.state], c.deadline or c.started, c.id))
    for lang in i18n.LANGS:
        def add(title, template, context, ident=None, description=""):
            pages.append(PageModel("challenges", lang, url_for("challenges", lang, ident), title, template, context,
                                   url_for("challenges", other[lang], ident), description))

        categories = sorted({c.category.id: c.category for c in challenges}.values(),
                            key=lambda c: nordic_key(c.name(lang)))
        add(i18n.translate("challenge.index_title", lang), "challenges.html",
            {"challenges": ordered, "states": [s for s in lifecycle.STATES if any(c.state == s for c in challenges)],
             "categories": categories, "bands": FUNDING_BANDS},
            description=i18n.translate("challenge.index_lead", lang))
        for challenge in ordered:
            add(challenge.title(lang), "challenge.html",
                {"challenge": challenge, "steps": timeline(challenge),
                 "support_url": support_url, "bid_url": bid_url}, challenge.id, challenge.summary(lang))
    return pages


def timeline(challenge: Challenge) -> list[dict]:
    """The lifecycle steps with the date each was reached; a challenge that left the path ends there."""
    reached = dict((state, date) for date, state in challenge.history)
    steps = [{"state": s, "date": reached.get(s), "current": s == challenge.state} for s in lifecycle.HAPPY_PATH]
    if challenge.state in ("expired", "withdrawn"):
        last = max(lifecycle.HAPPY_PATH.index(s) for s in reached if s in lifecycle.HAPPY_PATH)
        steps = steps[: last + 1] + [{"state": challenge.state, "date": reached[challenge.state], "current": True}]
    return steps


def _issue_url(repo_url: str, template: str, title: str, fields: dict) -> str:
    query = urlencode({"template": template, "title": title, **fields})
    return f"{repo_url.rstrip('/')}/issues/new?{query}"


def support_url(repo_url: str, challenge: Challenge, lang: str) -> str:
    """"Støtt dette prosjektet": the challenge-support issue form with the challenge filled in."""
    return _issue_url(repo_url, "challenge-support.yml", f"[Støtte / Support] {challenge.title(lang)}",
                      {"challenge": challenge.id, "amount": f"{challenge.currency} "})


def bid_url(repo_url: str, challenge: Challenge, lang: str) -> str:
    """"Søk om å utvikle": the challenge-bid issue form with the challenge filled in."""
    return _issue_url(repo_url, "challenge-bid.yml", f"[Bud / Bid] {challenge.title(lang)}",
                      {"challenge": challenge.id, "currency": challenge.currency or ""})
