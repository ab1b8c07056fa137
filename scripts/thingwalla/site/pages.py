"""Catalog -> page models -> HTML fragments, independent of MkDocs.

Every page of the marketplace is described by a PageModel (where it lives, in which language,
which template, what data); `Renderer` turns one into the HTML of the page's content area. The
MkDocs plugin only hands these to MkDocs, so a move to another site generator touches the
adapter, not this module.
"""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2
import jinja2.runtime
import markupsafe
from markupsafe import Markup

from .. import render
from ..model import Catalog, Service
from ..schemas import load_schema, schema_names
from ..validate.identifiers import country_name, language_name
from . import i18n
from .breadcrumbs import breadcrumbs
from .cards import Cards
from .compliance_section import compliance_section
from .service_page import service_page

TEMPLATES = Path(__file__).parent / "templates"
# Pages written out in Python instead of a template (site/service_page.py says why): view name -> function of
# the page's context and helpers.
PYTHON_VIEWS = {
    "service": lambda context, helpers: service_page(context["service"], helpers, context["procurement_page"]),
}
EXPIRY_WARNING_DAYS = 60


@dataclass
class SiteSettings:
    repo_url: str = "https://github.com/thingwalla/thingwalla"
    today: dt.date = field(default_factory=dt.date.today)
    icons_dir: Path | None = None  # Material's .icons folder, for inline SVG icons
    a11y_results: object = None  # compliance.verification.A11yResults: automated accessibility checks, if run


@dataclass
class PageModel:
    kind: str
    lang: str
    url: str  # directory URL relative to the site root, e.g. "tjenester/x/" ("" for the home page)
    title: str
    template: str
    context: dict
    alternate_url: str  # the same page in the other language
    description: str = ""
    bulk: bool = False  # one of thousands of entity pages: written from a shell, not through the site generator

    @property
    def src_uri(self) -> str:
        return f"{self.url}index.md"

    @property
    def root(self) -> str:
        """Relative prefix from this page to the site root (works on any host and sub-path)."""
        return "../" * self.url.count("/")


_NORDIC = str.maketrans({"æ": "{1", "ä": "{1", "ø": "{2", "ö": "{2", "å": "{3"})


def nordic_key(text: str) -> str:
    """Sort key that puts æ/ä, ø/ö and å after z, as Norwegian and Swedish readers expect."""
    return text.casefold().translate(_NORDIC)


def url_for(kind: str, lang: str, ident: str | None = None) -> str:
    prefix = "" if lang == i18n.DEFAULT_LANG else f"{lang}/"
    if kind == "home":
        return prefix
    segment = i18n.SEGMENTS[lang][kind]
    return f"{prefix}{segment}/{ident}/" if ident else f"{prefix}{segment}/"


def compliance_state(claim, today: dt.date) -> str:
    """The date-only state of one claim, without rules (PR checks use it). The site's badges come from
    compliance_assessment(), which adds the rules and "verified"."""
    if claim.expires and claim.expires < today:
        return "expired"
    if claim.expires and (claim.expires - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    if claim.evidence_url:
        return "evidenced"
    return "declared"


def compliance_assessment(service: Service, today: dt.date, rulebook=None, a11y=None):
    """The compliance engine's verdict on a service: rule results and one state per regulation.

    Every badge, filter and "fits us" answer on the site comes from here (thingwalla.compliance)."""
    from ..compliance.catalog import assess_service

    return assess_service(service, rulebook, today, a11y)


EEA = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split())
FACETS = ("category", "solution_type", "pricing", "compliance", "integration", "country", "language",
          "data_scope", "data_country", "deployment", "status")


def search_record(service: Service, today: dt.date, rulebook=None, a11y=None) -> dict:
    """What the search index knows of a service: filters (facets), sort keys and card metadata.
    Memoised on the service like its assessment: both languages' pages and the search page ask for it."""
    cache = service.__dict__.setdefault("_search_records", {})
    key = (today, id(rulebook), id(a11y))
    if key not in cache:
        cache[key] = _search_record(service, today, rulebook, a11y)
    return cache[key]


def _search_record(service: Service, today: dt.date, rulebook=None, a11y=None) -> dict:
    from ..compliance.facts import Facts

    assessment = compliance_assessment(service, today, rulebook, a11y)
    states = {r: st.state for r, st in assessment.states.items()}
    # Storage, backup, support access and sub-processors: every place data can be reached from.
    data_countries = sorted(set(service.data_locations) | {p.country for p in service.sub_processors}
                            | {c for c, _ in Facts(service.facts, today).locations()})
    filters = {
        "category": [service.category.id],
        "solution_type": [service.solution_type.id],
        "pricing": [service.pricing_model],
        "regulation": sorted(r for r, st in assessment.states.items() if st.satisfied),
        "compliance": sorted(f"{r}.{state}" for r, state in states.items()),
        "integration": [i.id for i in service.integrations],
        "country": service.countries,
        "language": service.languages,
        "data_country": data_countries,
        "data_scope": ["eea" if set(data_countries) <= EEA else "outside_eea"],
        "deployment": service.deployment,
        "status": [service.status],
    }
    fit = ";".join([f"d={','.join(data_countries)}", f"i={','.join(filters['integration'])}",
                    f"r={','.join(filters['regulation'])}", f"l={','.join(service.languages)}"])
    sort = {"rating": f"{service.rating or 0:.1f}", "users": str(municipality_users(service)),
            "name": "", "listed": service.listed.isoformat() if service.listed else "0000-00-00"}
    return {"filters": filters, "fit": fit, "sort": sort}


def municipality_users(service: Service) -> int:
    return sum(1 for u in service.used_by if u.buyer.kind == "municipality")


# The search page's sort orders (search.js): relevance comes from the search index's scores; these four from
# the build (search_index.py writes each service's place in them, fetched only when the reader sorts).
SORTS = ("rating", "users", "name", "listed")
SEARCH_PAGE_SIZE = 10  # result cards shown at once


def sort_orders(services: list[Service], lang: str) -> dict[str, list]:
    """Each sort of the search page as the services in the order shown: highest rating, most municipalities,
    name (Nordic order), newest; ties by name."""
    by_name = sorted(services, key=lambda s: (nordic_key(s.name(lang)), s.id))
    return {
        "name": by_name,
        "rating": sorted(by_name, key=lambda s: -(s.rating or 0)),
        "users": sorted(by_name, key=lambda s: -municipality_users(s)),
        "listed": sorted(by_name, key=lambda s: -(s.listed.toordinal() if s.listed else 0)),
    }  # (sorted() is stable: equal keys keep the name order)


def search_card(service: Service, lang: str, record: dict, fit: bool = False) -> dict:
    """A result card's data (search.js draws it). With `fit`, also the facts "fits us" gives reasons from."""
    stats = f"{record['sort']['rating'].replace('.', '')} {len(service.ratings)} {record['sort']['users']}"
    filters = {"pricing": record["filters"]["pricing"]}
    if service.logo:
        filters["logo"] = [service.logo]
    if fit:
        for key in ("data_country", "integration", "regulation", "language"):
            filters[key] = record["filters"][key]
    return {"url": url_for("services", lang, service.id),
            "meta": {"title": service.name(lang), "tagline": service.tagline(lang),
                     "vendor": service.vendor.display_name, "stats": stats},
            "filters": filters}


def search_initial(catalog: Catalog, lang: str, today: dt.date, rulebook=None, a11y=None) -> dict:
    """What the search page shows before anything is asked, without loading the search index: the number of
    services, every facet value with its count, and the newest services' cards."""
    services = sorted(catalog.services.values(), key=lambda s: s.id)
    counts: dict[str, dict[str, int]] = {key: {} for key in FACETS}
    for service in services:
        filters = search_record(service, today, rulebook, a11y)["filters"]
        for key in FACETS:
            values = counts[key]
            for value in filters[key]:
                values[value] = values.get(value, 0) + 1
    newest = sort_orders(services, lang)["listed"][:SEARCH_PAGE_SIZE]
    return {"total": len(services), "counts": counts, "page_size": SEARCH_PAGE_SIZE,
            "cards": [search_card(s, lang, search_record(s, today, rulebook, a11y)) for s in newest]}


# Entity pages: every one has the same depth and chrome, so the generator renders one shell per
# language and the rest are written by filling it in (MkDocs + Material cost ~10x the page itself).
BULK_KINDS = ("services", "vendors", "buyers")
SERVICES_PER_CATEGORY = 24  # cards per category on the all-services page; the category's page lists them all


def build_pages(catalog: Catalog, procurement: dict | None = None) -> list[PageModel]:
    """`procurement`: the routes page's context (thingwalla.procurement.site.page_context), if any."""
    pages: list[PageModel] = []
    other = {"nb": "en", "en": "nb"}
    services = sorted(catalog.services.values(), key=lambda s: s.id)
    popular = sorted(services, key=lambda s: (-len(s.used_by), -(s.rating or 0)))[:6]
    recent = sorted((s for s in services if s.listed), key=lambda s: s.listed, reverse=True)[:6]
    for lang in i18n.LANGS:
        t = lambda key, **kw: i18n.translate(key, lang, **kw)  # noqa: E731

        def add(kind, title, template, context, ident=None, description=""):
            pages.append(PageModel(kind, lang, url_for(kind, lang, ident), title, template, context,
                                   url_for(kind, other[lang], ident), description,
                                   bulk=ident is not None and kind in BULK_KINDS))

        add("home", t("home.title"), "home.html",
            {"catalog": catalog, "popular": popular, "recent": recent}, description=t("home.lead"))
        add("services", t("services.title"), "services.html",
            {"catalog": catalog, "per_category": SERVICES_PER_CATEGORY,
             "most_used": lambda services: sorted(services, key=lambda s: (-len(s.used_by), -(s.rating or 0), s.id))})
        add("vendors", t("vendor.title"), "vendors.html", {"catalog": catalog})
        add("buyers", t("buyer.title"), "buyers.html", {"catalog": catalog})
        add("about", t("about.title"), "about.html", {"catalog": catalog})
        add("schemas", t("schemas.title"), "schemas.html",
            {"schemas": [(name, load_schema(name).get("title", ""), load_schema(name).get("description", ""))
                         for name in schema_names()]})
        labels = {key: t(key) for key in i18n.STRINGS
                  if key.split(".")[0] in ("pricing", "deployment", "unit", "period")}
        labels["proprietary"] = t("service.proprietary")
        labels.update(code_labels(catalog, lang))  # names of countries and languages (compare, shortlist)
        add("compare", t("compare.title"), "compare.html", {"catalog": catalog, "labels": labels})
        add("search", t("search.title"), "search.html",
            {"catalog": catalog, "labels": search_labels(catalog, lang), "facets": FACETS,
             "profiles": {b.id: {"name": b.name, "regulations": b.requires.regulations,
                                 "integrations": b.requires.integrations,
                                 "data_locations": b.requires.data_locations,
                                 "languages": b.requires.languages}
                          for b in sorted(catalog.buyers.values(), key=lambda b: nordic_key(b.name))
                          if any(vars(b.requires).values())}})
        add("shortlist", t("shortlist.title"), "shortlist.html", {"catalog": catalog, "labels": labels})
        add("rules", t("rules.title"), "rules.html", {"catalog": catalog}, description=t("rules.lead"))
        if procurement is not None:
            add("procurement", t("procurement.title"), "procurement.html", {"catalog": catalog, **procurement})
        for category in catalog.categories:
            add("categories", category.name(lang), "category.html",
                {"catalog": catalog, "category": category, "services": catalog.services_in(category)},
                category.id, category.description(lang))
        for service in catalog.services.values():
            add("services", service.name(lang), "service",
                {"catalog": catalog, "service": service, "procurement_page": procurement is not None},
                service.id, service.tagline(lang))
        for vendor in catalog.vendors.values():
            add("vendors", vendor.display_name, "vendor.html", {"catalog": catalog, "vendor": vendor}, vendor.id,
                vendor.description(lang))
        for buyer in catalog.buyers.values():
            add("buyers", buyer.name, "buyer.html", {"catalog": catalog, "buyer": buyer}, buyer.id)
    return pages


def code_names(catalog: Catalog, lang: str) -> dict[str, dict[str, str]]:
    """Names (Babel/CLDR) of every country and language code the catalog uses. Browsers' Intl names are not
    enough: Chromium's trimmed ICU data has no name for Northern Sami ("se") and shows the code."""
    countries: set[str] = set()
    languages: set[str] = set()
    for s in catalog.services.values():
        countries.update(s.countries, s.data_locations, (p.country for p in s.sub_processors))
        languages.update(s.languages)
    for b in catalog.buyers.values():
        countries.update(c for c in b.requires.data_locations if c != "EEA")
        languages.update(b.requires.languages)
    return {"country": {c: country_name(c, lang) for c in sorted(countries)},
            "language": {code: language_name(code, lang) for code in sorted(languages)}}


def code_labels(catalog: Catalog, lang: str) -> dict[str, str]:
    names = code_names(catalog, lang)
    return {**{f"country.{c}": n for c, n in names["country"].items()},
            **{f"language.{c}": n for c, n in names["language"].items()}}


def search_labels(catalog: Catalog, lang: str) -> dict:
    """Names of every facet value in one language, for the search page's filters and cards."""
    t = lambda key, **kw: i18n.translate(key, lang, **kw)  # noqa: E731
    values: dict[str, dict[str, str]] = {
        "category": {c.id: c.name(lang) for c in catalog.categories},
        "solution_type": {st.id: st.name(lang) for c in catalog.categories for st in c.solution_types},
        "pricing": {m: t(f"pricing.{m}") for m in ("free", "usage_based", "annual_subscription", "per_user", "one_time")},
        "regulation": {r.id: r.name(lang) for r in catalog.regulations.values()},
        "integration": {i.id: i.name for i in catalog.integrations.values()},
        "deployment": {d: t(f"deployment.{d}") for d in ("saas", "on_premises", "oci_image")},
        "status": {s: t(f"status.{s}") for s in ("beta", "stable", "deprecated")},
        "data_scope": {"eea": t("search.eea_only"), "outside_eea": t("search.outside_eea")},
        "state": {s: t(f"state.{s}") for s in ("declared", "evidenced", "verified", "expiring", "expired")},
    }
    names = code_names(catalog, lang)
    values.update({"country": names["country"], "data_country": names["country"], "language": names["language"]})
    values["compliance"] = {f"{r}.{s}": f"{values['regulation'][r]}: {values['state'][s]}"
                            for r in values["regulation"] for s in values["state"]}
    facet_names = {key: t(f"facet.{key}") for key in FACETS}
    ui = {key.split(".", 1)[1]: text[lang] for key, text in i18n.STRINGS.items() if key.startswith("search.")}
    return {"values": values, "facets": facet_names, "ui": ui, "eea": sorted(EEA)}


class _PageContext(jinja2.runtime.Context):
    """Jinja's context with a shorter way to call the page helpers. Jinja asks every callable, on every call,
    whether it wants the context passed in (three attribute look-ups); at 20,000 pages that is two million
    calls. Plain functions, methods and macros answer once by their type; anything else goes Jinja's way."""

    _PLAIN = frozenset({types.FunctionType, types.MethodType, types.BuiltinFunctionType, jinja2.runtime.Macro})

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature (keyword names are free)
        if type(__obj) not in _PageContext._PLAIN or getattr(__obj, "jinja_pass_arg", None) is not None:
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_loop_vars", None)  # (Jinja adds these inside loops and blocks, for context users)
            kwargs.pop("_block_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


class Renderer:
    """Jinja2 environment with the marketplace's helpers; renders one page model at a time."""

    def __init__(self, settings: SiteSettings):
        self.settings = settings
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            # Templates do not change during a build: no file-date check on every page (thousands of them).
            auto_reload=False,
        )
        self.env.context_class = _PageContext
        self.env.filters["sort_nordic"] = lambda items, attribute: sorted(
            items, key=lambda item: nordic_key(getattr(item, attribute)))
        self._rule_items: dict[tuple, Markup] = {}
        # T['key'] in templates: each language's texts, escaped once per build instead of on every page
        self._texts = {lang: {key: markupsafe.escape(text) for key, text in i18n.table(lang).items()}
                       for lang in i18n.LANGS}
        self._cards: dict[tuple, str] = {}

    def render(self, page: PageModel, template: str | None = None) -> str:
        """The page's content area (or, with `template`, another view of the same page model)."""
        lang = page.lang
        helpers = {
            "page": page,
            "lang": lang,
            "settings": self.settings,
            "today": self.settings.today,
            "t": lambda key, **kw: i18n.translate(key, lang, **kw),
            # T['key']: a text without values, looked up instead of called (20,000 pages x ~60 texts)
            "T": self._texts[lang],
            "link": lambda url: page.root + url,
            "url_for": lambda kind, ident=None: page.root + url_for(kind, lang, ident),
            "asset": lambda path: page.root + path,
            "localized": lambda value: _localized(value, lang),
            "markdown": lambda value: _markdown(value, lang),
            "number": lambda value, decimals=None: i18n.number(value, lang, decimals),
            "date": lambda value: i18n.date(value, lang),
            "country": lambda code: country_name(code, lang),
            "language": lambda code: language_name(code, lang),
            "countries": lambda codes: ", ".join(country_name(c, lang) for c in codes),
            "languages": lambda codes: ", ".join(language_name(c, lang) for c in codes),
            "icon": self.icon,
            "assessment": lambda service: compliance_assessment(
                service, self.settings.today, _rulebook(page), self.settings.a11y_results),
            "municipality_users": municipality_users,
            "search_record": lambda service: search_record(service, self.settings.today, _rulebook(page),
                                                           self.settings.a11y_results),
            "search_initial": lambda catalog: search_initial(catalog, lang, self.settings.today, _rulebook(page),
                                                             self.settings.a11y_results),
            "nordic_key": nordic_key,
            "feature_request_url": self.feature_request_url,
            "rule_results": lambda results: self.rule_results(results, lang),
            "compliance_section": lambda service, assessment: compliance_section(
                service, assessment, _rulebook(page), lang, localized=helpers["localized"],
                url_for=helpers["url_for"], rule_results=helpers["rule_results"]),
            "breadcrumbs_html": lambda items: breadcrumbs(items, self._texts[lang], helpers["url_for"]),
            "procurement_request_url": lambda service, plan: _procurement_request_url(
                self.settings.repo_url, service, plan, lang),
        }
        helpers["cards"] = Cards(lang, url_for=helpers["url_for"], asset=helpers["asset"], icon=self.icon,
                                 localized=helpers["localized"], municipality_users=municipality_users,
                                 root=page.root, shared=self._cards)
        view = template or page.template
        if view in PYTHON_VIEWS:
            return PYTHON_VIEWS[view](page.context, helpers)
        return self.env.get_template(view).render(**page.context, **helpers)

    def feature_request_url(self, service: Service, lang: str) -> str:
        from urllib.parse import quote_plus

        # (what urlencode() writes for these four fields, without its per-call overhead: 20,000 pages)
        query = (f"template=feature-request.yml&title={quote_plus(f'[{service.name(lang)}] ')}"
                 f"&service={quote_plus(service.id)}&labels=feature-request")
        return f"{self.settings.repo_url.rstrip('/')}/issues/new?{query}"

    def rule_results(self, results, lang: str) -> Markup:
        """The list items of a service's rule results, failed first. An item depends only on the rule, its
        outcome and message, and the language, so each distinct one is built once per build."""
        items = []
        for result in sorted(results, key=lambda r: r.passed):
            status = "passed" if result.passed else result.severity
            message = "" if result.passed else result.message(lang)
            key = (result.rule.id, status, message, lang)
            item = self._rule_items.get(key)
            if item is None:
                item = self._rule_items[key] = _rule_item(result.rule, status, message, lang)
            items.append(item)
        return Markup("").join(items)

    @cache  # noqa: B019 - one renderer per build; icons are few
    def icon(self, name: str) -> Markup:
        """Inline one of Material's SVG icons, hidden from screen readers (text says the same)."""
        if self.settings.icons_dir is None:
            return Markup("")
        path = self.settings.icons_dir / f"{name}.svg"
        if not path.is_file():
            return Markup("")
        svg = path.read_text(encoding="utf-8")
        return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" class="tw-icon" ', 1))


def _rule_item(rule, status: str, message: str, lang: str) -> Markup:
    def t(key: str) -> Markup:
        return Markup.escape(i18n.translate(key, lang))

    e = Markup.escape
    html = (f'<li class="tw-rule-result tw-rule-result--{status}">\n'
            f'    <span class="tw-rule-result__status">{t("compliance.status." + status)}</span>\n'
            f'    <strong>{e(rule.id)}</strong> {e(rule.title(lang))}\n')
    if status != "passed":
        html += (f'    <br>{e(message)}<br><span class="tw-rule-result__hint">{t("compliance.fix")}: '
                 f'{e(rule.hint(lang))}</span>\n')
    html += (f'    <br><span class="tw-rule-result__source">{t("compliance.source")}: {e(rule.source)}'
             + (f' ({t("confidence.not-verified")})' if rule.confidence == "not-verified" else "")
             + "</span>\n  </li>\n")
    return Markup(html)


def _procurement_request_url(repo_url: str, service: Service, plan, lang: str) -> str:
    from ..procurement.site import request_url  # the "Anskaff" link: the pre-filled issue form

    return request_url(repo_url, service, plan, lang)


def _rulebook(page: PageModel):
    catalog = page.context.get("catalog")
    return getattr(catalog, "rulebook", None)


def _localized(value, lang: str) -> Markup:
    """Escaped text in the page language, marked with lang= when it fell back to another language."""
    text, actual = value.get_lang(lang) if hasattr(value, "get_lang") else (str(value or ""), lang)
    escaped = Markup.escape(text)
    if actual != lang and text:
        return Markup(f'<span lang="{actual}">') + escaped + Markup("</span>")
    return escaped


def markdown_html(value, lang: str) -> tuple[str, str]:
    """(safe HTML, the language it is in) of a Markdown text, converted once per text: the page shows it, the
    search index reads its words."""
    text, actual = value.get_lang(lang)
    if not text:
        return "", actual
    cache = value.__dict__.setdefault("_html", {}) if hasattr(value, "__dict__") else {}
    html = cache.get(text)
    if html is None:
        html = cache[text] = render.markdown_to_safe_html(text)
    return html, actual


def _markdown(value, lang: str) -> Markup:
    html, actual = markdown_html(value, lang)
    if not html:
        return Markup("")
    if actual != lang:
        note = Markup.escape(i18n.translate("lang.fallback", lang))
        return Markup(f'<p class="tw-fallback-note">{note}</p><div lang="{actual}">{html}</div>')
    return Markup(html)
