"""The developer page documents the public files of the built site, and every link on it resolves."""

from __future__ import annotations

import re


def _links(html: str) -> list[str]:
    main = html[html.index('id="main-content"'):]
    return re.findall(r'href="([^"#?]+)"', main[:main.index("</article>")] if "</article>" in main else main)


def test_developer_page_lists_the_public_files_and_they_exist(built_site):
    for page, root in (("for-utviklere/index.html", built_site), ("en/developers/index.html", built_site)):
        html = (built_site / page).read_text(encoding="utf-8")
        table = html[html.index("<table"):html.index("</table>")]
        targets = re.findall(r'<a href="([^"]+)"><code>([^<]+)</code></a>', table)
        assert [name for _, name in targets][:4] == ["catalog.json", "schemas/catalog.schema.json",
                                                    "dcat/catalog.ttl", "dcat/catalog.jsonld"]
        for href, name in targets:
            target = (built_site / page).parent / href
            assert target.resolve().is_file(), f"{page}: {href}"
    nb = (built_site / "for-utviklere/index.html").read_text(encoding="utf-8")
    assert "catalog.json har formatversjon 1.1" in nb
    assert '<html lang="nb"' in nb


def test_every_local_link_on_the_developer_page_resolves(built_site):
    page = built_site / "for-utviklere/index.html"
    local = [h for h in _links(page.read_text(encoding="utf-8")) if not h.startswith(("http", "mailto:"))]
    assert len(local) > 20  # the files, a feed per buyer, the other-catalogs page
    missing = [h for h in local if not ((page.parent / h).resolve().is_file()
                                        or (page.parent / h / "index.html").resolve().is_file())]
    assert missing == []


def test_every_page_links_to_the_developer_page_from_the_footer(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en/services/index.html").read_text(encoding="utf-8")
    assert '<a href="for-utviklere/">For utviklere</a>' in home
    assert '<a href="../developers/">For developers</a>' in en
