"""Page models of the method library: the index (filters by type and phase) and one page per method."""

from __future__ import annotations

from ..site import i18n
from ..site.pages import PageModel, url_for
from .model import PHASES, TYPES, Method


def method_pages(methods: dict[str, Method]) -> list[PageModel]:
    pages: list[PageModel] = []
    other = {"nb": "en", "en": "nb"}
    ordered = sorted(methods.values(), key=lambda m: (m.type == "recipe", PHASES.index(m.phases[0]), m.id))
    used_in = {m.id: [r for r in ordered if any(s.method_id == m.id for s in r.sequence)] for m in ordered}
    for lang in i18n.LANGS:
        def add(title, template, context, ident=None, description=""):
            pages.append(PageModel("methods", lang, url_for("methods", lang, ident), title, template, context,
                                   url_for("methods", other[lang], ident), description))

        add(i18n.translate("method.index_title", lang), "methods.html",
            {"methods": ordered, "types": [t for t in TYPES if any(m.type == t for m in ordered)], "phases": PHASES},
            description=i18n.translate("method.index_lead", lang))
        for method in ordered:
            add(method.title(lang), "method.html",
                {"method": method, "methods": methods, "used_in": used_in[method.id]}, method.id, method.summary(lang))
    return pages


def template_files(methods: dict[str, Method]) -> dict[str, str]:
    """Site path -> file on disk, for each downloadable template."""
    return {f"assets/methods/{m.id}/{t.file}": str(t.path) for m in methods.values() for t in m.templates}
