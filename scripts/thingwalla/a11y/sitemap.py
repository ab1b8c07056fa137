"""The pages of a built site, from its sitemap.xml: a missing or empty sitemap is an error, never a pass."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class SitemapError(ValueError):
    pass


def sitemap_urls(text: str, source: str) -> list[str]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SitemapError(f"{source}: not a readable sitemap ({exc})") from None
    if root.tag != f"{NS}urlset":
        raise SitemapError(f"{source}: not a sitemap (<urlset> expected, found <{root.tag.split('}')[-1]}>)")
    urls = [loc.text.strip() for loc in root.iter(f"{NS}loc") if loc.text and loc.text.strip()]
    if not urls:
        raise SitemapError(f"{source}: the sitemap lists no pages, so nothing would be checked")
    return list(dict.fromkeys(urls))


def site_pages(folder: Path) -> list[str]:
    """Paths of the pages (relative to the site root, "" for the home page) listed in folder/sitemap.xml."""
    path = folder / "sitemap.xml"
    if not folder.is_dir():
        raise SitemapError(f"{folder}: no such folder (build the site first: make site)")
    if not path.is_file():
        raise SitemapError(f"{path}: missing, so the site's pages are unknown (is {folder} a built site?)")
    urls = sitemap_urls(path.read_text(encoding="utf-8", errors="replace"), str(path))
    # Locations carry the published base (site_url); the base is the longest common prefix up to a '/'.
    paths = [urlsplit(u).path for u in urls]
    base = os.path.commonprefix(paths)
    base = base[: base.rfind("/") + 1] if "/" in base else "/"
    return [p[len(base):] for p in paths]
