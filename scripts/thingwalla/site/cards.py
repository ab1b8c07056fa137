"""Service cards and the pieces they share with service pages: logo or category icon, stars, usage.

Written out in Python rather than as Jinja macros: at 10,000 services every service has a card on its
category page and on its vendor's page, in two languages (40,000 cards), and as macros they took a tenth
of the build. Vendor text is escaped here.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import i18n


class Cards:
    """The card pieces for one page: its language, and its helpers for links, assets and icons."""

    def __init__(self, lang: str, *, url_for, asset, icon, localized, municipality_users, root: str = "",
                 shared: dict | None = None):
        self.lang, self.url_for, self.asset, self.icon = lang, url_for, asset, icon
        self.localized, self.municipality_users = localized, municipality_users
        # Cards already written in this build, by service, language and the page's way to the site root: a
        # service's card on its category page and on its vendor's page is the same text (20,000 cards fewer).
        self.root, self.shared = root, shared if shared is not None else {}

    def t(self, key: str, **values) -> str:
        return i18n.translate(key, self.lang, **values)

    def stars(self, service) -> Markup:
        value = service.rating
        if value is None:
            return Markup(f'<span class="tw-rating tw-rating--none">{escape(self.t("rating.none"))}</span>\n')
        n = len(service.ratings)
        shown = i18n.number(value, self.lang, 1)
        stars = "".join("★" if value >= i - 0.5 else "☆" for i in range(1, 6))
        count = self.t("rating.review_one") if n == 1 else self.t("rating.reviews", n=n)
        return Markup(
            f'<span class="tw-rating" role="img" aria-label="{escape(self.t("rating.label", value=shown, n=n))}">\n'
            f'  <span class="tw-stars" aria-hidden="true">{stars}</span>\n'
            f'  <span class="tw-rating__value" aria-hidden="true">{escape(shown)}</span>\n'
            f'  <span class="tw-rating__count" aria-hidden="true">({escape(count)})</span>\n</span>\n')

    def used_by(self, service) -> Markup:
        n = self.municipality_users(service)
        text = (self.t("card.no_users") if n == 0 else self.t("card.used_by_one") if n == 1
                else self.t("card.used_by", n=n))
        return Markup(f'<span class="tw-usage">{escape(text)}</span>\n')

    def service_icon(self, service, size: str = "md") -> Markup:
        size = escape(size)
        if service.logo:
            src = escape(self.asset(f"assets/services/{service.id}/{service.logo}"))
            return Markup(f'<img class="tw-logo tw-logo--{size}" src="{src}" alt="" width="48" height="48">\n')
        return Markup(f'<span class="tw-logo tw-logo--{size} tw-logo--icon">{self.icon(service.category.icon)}</span>\n')

    def card(self, service, heading: str = "h3") -> Markup:
        key = (service.id, self.lang, self.root)
        parts = self.shared.get(key)
        if parts is None:
            parts = self.shared[key] = self._card_parts(service)
        return Markup(heading.join(parts))

    def _card_parts(self, service) -> tuple[str, str, str]:
        """The card's HTML in three parts, to be joined by its heading's tag name (h2 or h3, by page)."""
        ident = escape(service.id)
        status = ""
        if service.status != "stable":
            status = (f'    <p class="tw-badge tw-badge--{escape(service.status)}">'
                      f'{escape(self.t("status." + service.status))}</p>\n')
        return (
            f'<li class="tw-card" data-solution-type="{escape(service.solution_type.id)}" data-tw-service="{ident}">\n'
            f'  <article aria-labelledby="card-{ident}">\n'
            f'    <div class="tw-card__head">\n'
            f'      {self.service_icon(service)}'
            f'      <div>\n'
            f'        <',
            f' class="tw-card__title" id="card-{ident}"><a href="'
            f'{escape(self.url_for("services", service.id))}">{self.localized(service.name)}</a></',
            f'>\n'
            f'        <p class="tw-card__vendor"><span class="tw-visually-hidden">{escape(self.t("card.vendor"))}: '
            f'</span>{escape(service.vendor.display_name)}</p>\n'
            f'      </div>\n    </div>\n'
            f'    <p class="tw-card__tagline">{self.localized(service.tagline)}</p>\n'
            f'    <dl class="tw-card__facts">\n'
            f'      <div><dt>{escape(self.t("card.pricing"))}</dt>'
            f'<dd>{escape(self.t("pricing." + service.pricing_model))}</dd></div>\n'
            f'    </dl>\n'
            f'    <p class="tw-card__meta">{self.stars(service)} {self.used_by(service)}</p>\n'
            f'{status}'
            f'    <div class="tw-card__actions" data-tw-actions hidden></div>\n'
            f'  </article>\n</li>\n')

