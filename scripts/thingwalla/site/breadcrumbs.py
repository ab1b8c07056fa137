"""The trail from the marketplace's front page to the page a reader is on (every page has one)."""

from __future__ import annotations

from markupsafe import Markup, escape


def breadcrumbs(items, T, url_for) -> Markup:
    """The trail from the marketplace's front page to this page: [(label, href), ...], the last one this page."""
    out = [f'<nav class="tw-breadcrumbs" aria-label="{T["nav.breadcrumbs"]}">\n  <ol>\n'
           f'    <li><a href="{escape(url_for("home"))}">{T["nav.marketplace"]}</a></li>\n']
    for number, (label, href) in enumerate(items, 1):
        current = ' aria-current="page"' if number == len(items) else ""
        out.append(f'<li><a href="{escape(href)}"{current}>{escape(label)}</a></li>')
    out.append("  </ol>\n</nav>\n")
    return Markup("".join(out))
