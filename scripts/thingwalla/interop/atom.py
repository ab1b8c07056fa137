"""Atom feeds (RFC 4287) from the catalog's git history: new and updated services, and one feed per buyer with
the compliance-relevant changes (data location, sub-processors, certificates, price) to the services it uses.

Feeds are written with xml.etree (a real XML writer, so vendor text is escaped), and characters XML 1.0 cannot
carry are dropped first: vendor text is untrusted and a control character would make the whole feed unreadable.
A feed is one language: every Thingwalla page exists in nb and en, and so does every feed.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..model import Buyer, Catalog
from ..site import i18n
from ..site.pages import url_for
from .history import Change, History

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def clean(text: object) -> str:
    """Text XML 1.0 can carry (control characters and lone surrogates dropped)."""
    return _NOT_XML.sub("", str(text))


def feed_path(kind: str, lang: str, ident: str | None = None) -> str:
    """Where a feed lives on the site: feeds/services.nb.atom, feeds/buyers/<id>.en.atom."""
    return f"feeds/services.{lang}.atom" if kind == "services" else f"feeds/buyers/{ident}.{lang}.atom"


@dataclass(frozen=True)
class FeedSite:
    base_url: str  # the published site's address, ending in /
    updated: dt.datetime  # the feed's <updated> when it has no entries (the head commit's date)


def _t(key: str, lang: str, **kw) -> str:
    return i18n.translate(key, lang, **kw)


def _element(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        node.text = clean(text)
    return node


def _feed(site: FeedSite, lang: str, ident: str, title: str, subtitle: str, page: str, self_path: str,
          entries: list[tuple[Change, str, str, str]]) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _element(feed, "id", site.base_url + self_path)
    _element(feed, "title", title)
    _element(feed, "subtitle", subtitle)
    _element(feed, "link", rel="self", type="application/atom+xml", href=site.base_url + self_path)
    _element(feed, "link", rel="alternate", type="text/html", href=site.base_url + page)
    updated = max((change.date for change, *_ in entries), default=site.updated)
    _element(feed, "updated", updated.isoformat())
    author = _element(feed, "author")
    _element(author, "name", "Thingwalla")
    _element(feed, "generator", "thingwalla")
    for change, entry_title, summary, link in entries:
        entry = _element(feed, "entry")
        _element(entry, "id", f"tag:thingwalla,{change.date:%Y-%m-%d}:{ident}:{change.service}:{change.commit}")
        _element(entry, "title", entry_title)
        _element(entry, "link", rel="alternate", type="text/html", href=link)
        _element(entry, "updated", change.date.isoformat())
        _element(entry, "summary", summary, type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _name(change: Change, catalog: Catalog, lang: str) -> str:
    service = catalog.services.get(change.service)
    if service is not None:
        return service.name(lang)
    names = change.name or {}
    return str(names.get(lang) or names.get("nb") or names.get("en") or change.service)


def _link(site: FeedSite, change: Change, catalog: Catalog, lang: str) -> str:
    if change.service not in catalog.services:
        return site.base_url + url_for("services", lang)  # a removed service has no page any more
    return site.base_url + url_for("services", lang, change.service)


def _field_names(fields: list[str], lang: str) -> str:
    return ", ".join(_t(f"feed.field.{f}", lang) if f"feed.field.{f}" in i18n.STRINGS else f for f in fields)


def services_feed(catalog: Catalog, history: History, site: FeedSite, lang: str) -> str:
    """New, updated and removed services, newest first."""
    entries = []
    for change in history.changes[:MAX_ENTRIES]:
        name = _name(change, catalog, lang)
        title = _t(f"feed.{change.kind}", lang, name=name)
        summary = title
        if change.kind == "updated":
            summary = _t("feed.changed_fields", lang, fields=_field_names(change.fields, lang))
        entries.append((change, title, summary, _link(site, change, catalog, lang)))
    note = f" {_t('feed.note_' + ('shallow' if history.shallow else 'nogit'), lang)}" \
        if history.shallow or history.head is None else ""
    return _feed(site, lang, "services", _t("feed.services_title", lang), _t("feed.services_subtitle", lang) + note,
                 url_for("services", lang), feed_path("services", lang), entries)


def buyer_feed(catalog: Catalog, history: History, buyer: Buyer, site: FeedSite, lang: str) -> str:
    """Compliance-relevant changes to the services the buyer lists under `uses:` today."""
    used = {u.service.id for u in buyer.uses}
    entries = []
    for change in history.changes:
        if change.service not in used or not change.compliance:
            continue
        name = _name(change, catalog, lang)
        aspects = ", ".join(_t(f"feed.aspect.{c.aspect}", lang) for c in change.compliance)
        lines = [f"{_t(f'feed.aspect.{c.aspect}', lang)}: {c.before} → {c.after}" for c in change.compliance]
        entries.append((change, _t("feed.compliance_title", lang, name=name, aspects=aspects), "\n".join(lines),
                        _link(site, change, catalog, lang)))
        if len(entries) >= MAX_ENTRIES:
            break
    return _feed(site, lang, f"buyer-{buyer.id}", _t("feed.buyer_title", lang, name=buyer.name),
                 _t("feed.buyer_subtitle", lang), url_for("buyers", lang, buyer.id),
                 feed_path("buyers", lang, buyer.id), entries)


def feed_files(catalog: Catalog, history: History, base_url: str) -> dict[str, str]:
    """Every feed of the site: {path: Atom XML}. Buyers from upstream catalogs get none (their history is not ours)."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    # without history, <updated> is the newest listing date: stable from build to build, unlike the clock
    listed = max((s.listed for s in catalog.services.values() if s.listed), default=None)
    fallback = dt.datetime.combine(listed, dt.time(), dt.timezone.utc) if listed else EPOCH
    site = FeedSite(base, history.head_date or fallback)
    files = {}
    for lang in i18n.LANGS:
        files[feed_path("services", lang)] = services_feed(catalog, history, site, lang)
        for buyer in catalog.buyers.values():
            files[feed_path("buyers", lang, buyer.id)] = buyer_feed(catalog, history, buyer, site, lang)
    return files
