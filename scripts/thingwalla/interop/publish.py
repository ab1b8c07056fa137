"""What the interoperability stage adds to a site build: federated services, the developer page, DCAT-AP RDF
and Atom feeds. The MkDocs plugin calls `prepare` once and then asks for pages and files; nothing here knows
MkDocs.

Counting rule (kept by tests/test_site_build.py): local services == local service pages == catalog.json
"services". Federated services get their own pages under /andre-kataloger/<id>/ (/en/other-catalogs/<id>/)
and their own array, catalog.json "federated_services", counted in counts.federated_services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Catalog, Service
from ..problems import Problem
from ..site import i18n
from ..site.pages import PageModel, url_for
from .federation import FederationResult, Provenance, federate
from .history import History, read_history

DEFAULT_BASE_URL = "https://thingwalla.github.io/thingwalla/"


@dataclass
class InteropBuild:
    catalog: Catalog  # local entries only
    federation: FederationResult
    history: History
    base_url: str
    notes: list[str] = field(default_factory=list)  # degraded but fine (no git history, shallow clone)

    @property
    def problems(self) -> list[Problem]:
        """Federation problems: each names the upstream; the local catalog is published without it."""
        return self.federation.problems

    @property
    def federated(self) -> list[tuple[Service, Provenance]]:
        merged = self.federation.catalog.services
        return [(merged[sid], self.federation.provenance[("service", sid)])
                for upstream in self.federation.merged.values() for sid in upstream]

    def groups(self) -> list[tuple[Provenance, list[Service]]]:
        out: dict[str, tuple[Provenance, list[Service]]] = {}
        for service, provenance in self.federated:
            out.setdefault(provenance.upstream.id, (provenance, []))[1].append(service)
        return list(out.values())


def prepare(catalog: Catalog, root: Path, base_url: str | None) -> InteropBuild:
    """Federate and read history. Never raises for a broken upstream or a missing/shallow git history."""
    federation = federate(catalog, root)
    history = read_history(root)
    notes = [f"feeds: {w}" for w in history.warnings]
    return InteropBuild(catalog, federation, history, _base(base_url), notes)


def _base(url: str | None) -> str:
    url = url or DEFAULT_BASE_URL
    return url if url.endswith("/") else url + "/"


def history_note(build: InteropBuild, lang: str) -> str:
    if build.history.head is None:
        return i18n.translate("feed.note_nogit", lang)
    if build.history.shallow:
        return i18n.translate("feed.note_shallow", lang)
    return ""


def interop_pages(build: InteropBuild) -> list[PageModel]:
    from .atom import feed_path
    from ..feeds import CATALOG_FORMAT_VERSION

    pages = []
    other = {"nb": "en", "en": "nb"}
    groups = build.groups()
    for lang in i18n.LANGS:
        t = lambda key, **kw: i18n.translate(key, lang, **kw)  # noqa: E731
        files = [("catalog.json", "JSON", "dev.file.catalog"),
                 ("schemas/catalog.schema.json", "JSON Schema", "dev.file.schema"),
                 ("dcat/catalog.ttl", "Turtle", "dev.file.turtle"),
                 ("dcat/catalog.jsonld", "JSON-LD", "dev.file.jsonld"),
                 (feed_path("services", lang), "Atom", "dev.file.feed")]
        buyers = sorted(((b, feed_path("buyers", lang, b.id)) for b in build.catalog.buyers.values()),
                        key=lambda item: item[0].name)
        pages.append(PageModel("developers", lang, url_for("developers", lang), t("dev.title"), "developers.html",
                               {"files": files, "format_version": CATALOG_FORMAT_VERSION, "buyers": buyers,
                                "services_feed": feed_path("services", lang), "upstreams": groups,
                                "history_note": history_note(build, lang)},
                               url_for("developers", other[lang]), t("dev.lead")))
        pages.append(PageModel("federated", lang, url_for("federated", lang), t("fed.title"), "federated.html",
                               {"groups": groups}, url_for("federated", other[lang]), t("fed.lead")))
        for service, provenance in build.federated:
            # bulk: same depth as the entity shell (andre-kataloger/<id>/), written by filling it in
            pages.append(PageModel("federated", lang, url_for("federated", lang, service.id), service.name(lang),
                                   "federated_service.html", {"service": service, "provenance": provenance},
                                   url_for("federated", other[lang], service.id), service.tagline(lang), bulk=True))
    return pages


def interop_files(build: InteropBuild) -> dict[str, str]:
    """Site files: dcat/catalog.ttl, dcat/catalog.jsonld and the Atom feeds."""
    from .atom import feed_files
    from .dcat import dcat_files

    files = dcat_files(build.federation.catalog, build.base_url, history=build.history,
                       federation=build.federation)
    files.update(feed_files(build.catalog, build.history, build.base_url))
    return files
