"""A service's page: its head, actions, facts, description, users and reviews, plans, compliance, hosting and
APIs.

Written out in Python rather than as a Jinja template, like the cards and the compliance section: at 10,000
services this page is rendered 20,000 times, and as a template each rendering paid Jinja's price per value
(about 140 look-ups, calls and escapes). Every vendor value is escaped here; the helpers (`h`, the page's own,
as templates get them) hand back safe Markup or plain text that is escaped on the way out.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .breadcrumbs import breadcrumbs

_LINKS = ("website", "documentation", "support", "privacy_policy", "accessibility_statement", "source_code")


def service_page(s, h: dict, procurement_page: bool = False) -> Markup:
    """The content area of service `s`'s page, with the page helpers `h` (Renderer.render's)."""
    T, t, lang = h["T"], h["t"], h["lang"]
    url_for, localized, cards = h["url_for"], h["localized"], h["cards"]
    ident = escape(s.id)
    links = s.links
    out = [breadcrumbs([(localized(s.category.name), url_for("categories", s.category.id)),
                        (localized(s.name), url_for("services", s.id))], T, url_for)]

    badges = ""
    if s.sample:
        badges += f'<span class="tw-badge tw-badge--sample">{T["sample.badge"]}</span>'
    if s.status != "stable":
        badges += f'<span class="tw-badge tw-badge--{escape(s.status)}">{escape(t("status." + s.status))}</span>'
    out.append(
        f'<div class="tw-service-head">\n  {cards.service_icon(s, "lg")}  <div class="tw-service-head__text">\n'
        f'    <h1>{localized(s.name)}</h1>\n    <p class="tw-lead">{localized(s.tagline)}</p>\n'
        f'    <p class="tw-service-head__meta">\n      {cards.stars(s)}'
        f'      <span class="tw-sep" aria-hidden="true">·</span>\n      {cards.used_by(s)}{badges}'
        f'\n    </p>\n  </div>\n</div>\n\n')

    demo = ""
    if links.get("demo"):
        demo = (f'  <a class="tw-button tw-button--primary" href="{escape(links["demo"])}" '
                f'rel="noopener noreferrer nofollow">{T["service.demo"]}</a>\n')
    out.append(
        f'<div class="tw-actions" data-tw-service="{ident}">\n{demo}'
        f'  <a class="tw-button" href="{escape(links["website"])}" rel="noopener noreferrer nofollow">'
        f'{T["service.website"]}</a>\n'
        f'  <a class="tw-button" href="{escape(url_for("compare"))}?s={ident}" data-tw-compare="{ident}">'
        f'{T["service.compare"]}</a>\n'
        f'  <a class="tw-button" href="{escape(h["feature_request_url"](s, lang))}" rel="noopener">'
        f'{T["service.request_feature"]}</a>\n</div>\n\n')

    licence = T["service.proprietary"] if s.licence == "proprietary" else escape(s.licence)
    listed = ""
    if s.listed:
        listed = f'  <div><dt>{T["service.listed"]}</dt><dd>{escape(h["date"](s.listed))}</dd></div>\n'
    out.append(
        f'<h2 id="facts">{T["service.facts"]}</h2>\n<dl class="tw-facts">\n'
        f'  <div><dt>{T["service.category"]}</dt><dd><a href="{escape(url_for("categories", s.category.id))}">'
        f'{localized(s.category.name)}</a></dd></div>\n'
        f'  <div><dt>{T["service.solution_type"]}</dt><dd>{localized(s.solution_type.name)}</dd></div>\n'
        f'  <div><dt>{T["card.vendor"]}</dt><dd><a href="{escape(url_for("vendors", s.vendor.id))}">'
        f'{escape(s.vendor.display_name)}</a></dd></div>\n'
        f'  <div><dt>{T["card.pricing"]}</dt><dd>{escape(t("pricing." + s.pricing_model))}</dd></div>\n'
        f'  <div><dt>{T["service.status"]}</dt><dd>{escape(t("status." + s.status))}</dd></div>\n'
        f'  <div><dt>{T["service.countries"]}</dt><dd>{escape(h["countries"](s.countries))}</dd></div>\n'
        f'  <div><dt>{T["service.languages"]}</dt><dd>{escape(h["languages"](s.languages))}</dd></div>\n'
        f'  <div><dt>{T["service.licence"]}</dt><dd>{licence}</dd></div>\n{listed}</dl>\n\n'
        f'<h2 id="about">{T["service.about"]}</h2>\n<div class="tw-prose">{h["markdown"](s.description)}</div>\n\n')

    if s.screenshots:
        out.append(f'<h2 id="screenshots">{T["service.screenshots"]}</h2>\n<ul class="tw-gallery">\n')
        for shot in s.screenshots:
            src = escape(h["asset"](f"assets/services/{s.id}/{shot.file}"))
            out.append(f'  <li><figure>\n    <a href="{src}"><img src="{src}" alt="{escape(shot.alt(lang))}" '
                       f'loading="lazy"></a>\n    <figcaption>{localized(shot.alt)}</figcaption>\n  </figure></li>\n')
        out.append("</ul>\n")
    out.append(_users(s, h))
    out.append(_plans(s, h, procurement_page))
    out.append(h["compliance_section"](s, h["assessment"](s)))
    out.append(_hosting(s, h))
    out.append(_apis(s, h))
    return Markup("".join(out))


def _users(s, h) -> str:
    T, t, date, localized = h["T"], h["t"], h["date"], h["localized"]
    out = [f'\n<h2 id="used-by">{T["service.used_by"]}</h2>\n']
    if not s.used_by:
        out.append(f'<p>{T["service.used_by_none"]}</p>\n')
        return "".join(out)
    out.append('<ul class="tw-used-by">\n')
    for use in s.used_by:
        out.append(f'  <li><a href="{escape(h["url_for"]("buyers", use.buyer.id))}">{escape(use.buyer.name)}</a> '
                   f'<span class="tw-muted">({escape(t("service.since", date=date(use.since)))})</span></li>\n')
    out.append("</ul>\n")
    reviews = [use for use in s.used_by if use.rating]
    if reviews:
        out.append(f'<h3 id="reviews">{T["service.reviews"]}</h3>\n<ul class="tw-reviews">\n')
        for use in reviews:
            stars = "".join("★" if use.rating >= i else "☆" for i in range(1, 6))
            review = f"    <blockquote>{localized(use.review)}</blockquote>\n" if use.review else ""
            out.append(
                f'  <li class="tw-review">\n    <p class="tw-review__head"><strong>{escape(use.buyer.name)}</strong>\n'
                f'      <span class="tw-rating" role="img" aria-label="{escape(t("rating.label", value=use.rating, n=1))}">'
                f'<span class="tw-stars" aria-hidden="true">{stars}</span></span></p>\n{review}  </li>\n')
        out.append("</ul>\n")
    return "".join(out)


def _plans(s, h, procurement_page: bool) -> str:
    T, t, lang, localized = h["T"], h["t"], h["lang"], h["localized"]
    out = [f'\n<h2 id="plans">{T["service.plans"]}</h2>\n']
    if s.pricing_note:
        out.append(f"<p>{localized(s.pricing_note)}</p>")
    if not s.plans:
        out.append(f'<p>{T["service.no_plans"]}</p>\n')
        return "".join(out)
    out.append(
        '<div class="tw-table-wrap" tabindex="0" role="region" aria-labelledby="plans">\n<table class="tw-table">\n'
        f'  <thead><tr><th scope="col">{T["service.plan"]}</th><th scope="col">{T["service.price"]}</th>'
        f'<th scope="col">{T["service.min_term"]}</th><th scope="col">{T["service.includes"]}</th>'
        f'<th scope="col">{T["service.procure_column"]}</th></tr></thead>\n  <tbody>\n')
    for plan in s.plans:
        term = escape(t("service.months", n=plan.minimum_term_months)) if plan.minimum_term_months else "–"
        includes = localized(plan.includes) if plan.includes else "–"
        out.append(
            f'  <tr>\n    <th scope="row">{localized(plan.name)}</th>\n'
            f'    <td>{escape(h["number"](plan.price))} {escape(plan.currency)} {escape(t("unit." + plan.unit))} '
            f'{escape(t("period." + plan.billing_period))}</td>\n'
            f'    <td>{term}</td>\n    <td>{includes}</td>\n'
            f'    <td><a class="tw-button" href="{escape(h["procurement_request_url"](s, plan))}" rel="noopener" '
            f'data-tw-procure="{escape(plan.id)}">{T["service.procure"]}<span class="tw-visually-hidden"> '
            f'{escape(t("service.procure_plan", plan=plan.name(lang)))}</span></a></td>\n  </tr>\n')
    routes = ""
    if procurement_page:
        routes = f' <a href="{escape(h["url_for"]("procurement"))}">{T["service.procure_routes"]}</a>'
    out.append(f'  </tbody>\n</table>\n</div>\n<p class="tw-muted">{T["service.procure_help"]}{routes}</p>\n')
    return "".join(out)


def _hosting(s, h) -> str:
    T, t, localized = h["T"], h["t"], h["localized"]
    deployment = ", ".join(t("deployment." + d) for d in s.deployment)
    image = f'  <div><dt>{T["service.image"]}</dt><dd><code>{escape(s.image)}</code></dd></div>\n' if s.image else ""
    out = [f'\n<h2 id="hosting">{T["service.hosting"]}</h2>\n<dl class="tw-facts">\n'
           f'  <div><dt>{T["service.deployment"]}</dt><dd>{escape(deployment)}</dd></div>\n{image}'
           f'  <div><dt>{T["service.data_locations"]}</dt><dd>{escape(h["countries"](s.data_locations))}</dd></div>\n'
           "</dl>\n"]
    if s.sub_processors:
        out.append(f'<h3 id="sub-processors">{T["service.sub_processors"]}</h3>\n<ul>\n  ')
        out.extend(f'<li>{escape(sp.name)} ({escape(h["country"](sp.country))}): {localized(sp.purpose)}</li>'
                   for sp in s.sub_processors)
        out.append("\n</ul>\n")
    return "".join(out)


def _apis(s, h) -> str:
    T, t, localized = h["T"], h["t"], h["localized"]
    out = [f'\n<h2 id="apis">{T["service.apis"]}</h2>\n']
    if s.integrations:
        out.append(f'<h3 id="integrations">{T["service.integrations"]}</h3>\n<ul class="tw-tags">\n  ')
        out.extend(f'<li><a class="tw-tag" href="{escape(i.url)}" rel="noopener noreferrer">{escape(i.name)}</a></li>'
                   for i in s.integrations)
        out.append("\n</ul>\n")
    if s.apis:
        out.append('<ul class="tw-apis">\n  ')
        for api in s.apis:
            description = f" – {localized(api.description)}" if api.description else ""
            out.append(f'<li><a href="{escape(api.url)}" rel="noopener noreferrer nofollow">{escape(api.name)}</a> '
                       f'<span class="tw-badge">{escape(str(api.kind).upper())}</span>{description}</li>')
        out.append("\n</ul>\n")
    out.append('<ul class="tw-links">\n')
    for key in _LINKS:
        if links_value := s.links.get(key):
            out.append(f'<li><a href="{escape(links_value)}" rel="noopener noreferrer nofollow">'
                       f'{escape(t("link." + key))}</a></li>')
    out.append("</ul>\n")
    return "".join(out)
