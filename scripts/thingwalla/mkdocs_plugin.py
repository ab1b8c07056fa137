"""MkDocs plugin `thingwalla`: a thin adapter from page models to MkDocs.

It validates the catalog (an invalid catalog fails the build with the validator's messages),
builds the model and page models, and hands MkDocs one generated page per model, plus the
assets, schemas and catalog.json. Service, vendor and buyer pages stay out of the navigation
tree: a nav holding every page makes the build quadratic.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

from .feeds import catalog_document
from .model import build_catalog
from .problems import format_problems
from .schemas import load_schema, schema_names
from .site import i18n
from .site.pages import PageModel, Renderer, SiteSettings, build_pages, url_for
from .validate import today, validate_repository

log = logging.getLogger("mkdocs.plugins.thingwalla")

SITE_DIR = Path(__file__).parent / "site"
STATIC_FILES = {"assets/thingwalla/marketplace.css": "marketplace.css",
                "assets/thingwalla/marketplace.js": "marketplace.js",
                "assets/thingwalla/compare.js": "compare.js",
                "assets/thingwalla/shortlist.js": "shortlist.js"}


class ThingwallaConfig(Config):
    repository = config_options.Optional(config_options.Dir(exists=True))


class ThingwallaPlugin(BasePlugin[ThingwallaConfig]):
    def on_config(self, config):
        root = Path(self.config.repository or Path(config.config_file_path).parent).resolve()
        result = validate_repository(root)
        if not result.ok:
            for line in format_problems(result.problems, "text").splitlines():
                log.error(line)
            raise PluginError(f"the catalog has {len(result.errors)} validation error(s); the site is not built. "
                              f"Run `thingwalla validate` to see them.")
        self.catalog = build_catalog(result)
        self.pages: dict[str, PageModel] = {p.src_uri: p for p in build_pages(self.catalog)}
        icons = Path(config.theme.dirs[-1]) / ".icons" if config.theme.name == "material" else None
        for folder in config.theme.dirs:
            if (Path(folder) / ".icons").is_dir():
                icons = Path(folder) / ".icons"
        self.renderer = Renderer(SiteSettings(repo_url=config.repo_url or SiteSettings.repo_url, today=today(),
                                              icons_dir=icons))
        config.theme.dirs.insert(0, str(SITE_DIR / "overrides"))
        config.extra_css.append("assets/thingwalla/marketplace.css")
        for dest in STATIC_FILES:
            if dest.endswith(".js"):
                config.extra_javascript.append(dest)
        config.extra["thingwalla_notice"] = {lang: i18n.translate("sample.notice", lang) for lang in i18n.LANGS}
        config.extra["thingwalla_footer"] = {
            lang: {"tagline": i18n.translate("site.tagline", lang),
                   "catalog_json": i18n.translate("footer.catalog_json", lang),
                   "schemas": i18n.translate("footer.schemas", lang),
                   "source": i18n.translate("footer.source", lang)}
            for lang in i18n.LANGS
        }
        if not config.nav:
            config.nav = [{i18n.translate("home.title", "nb"): "index.md"}]
        return config

    def on_files(self, files, config):
        for page in self.pages.values():
            files.append(File.generated(config, page.src_uri, content=""))
        for dest, name in STATIC_FILES.items():
            files.append(File.generated(config, dest, abs_src_path=str(SITE_DIR / "static" / name)))
        for service in self.catalog.services.values():
            wanted = ([service.logo] if service.logo else []) + [shot.file for shot in service.screenshots]
            for name in wanted:
                files.append(File.generated(config, f"assets/services/{service.id}/{name}",
                                            abs_src_path=str(service.folder / name)))
        for name in schema_names():
            files.append(File.generated(config, f"schemas/{name}",
                                        content=json.dumps(load_schema(name), indent=2, ensure_ascii=False)))
        files.append(File.generated(config, "schemas/index.html", content=_schema_index()))
        files.append(File.generated(config, "catalog.json",
                                    content=json.dumps(catalog_document(self.catalog), ensure_ascii=False, indent=1)))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        model = self.pages.get(page.file.src_uri)
        if model is None:
            return markdown
        other = "en" if model.lang == "nb" else "nb"
        page.meta.update({
            "title": model.title,
            "description": model.description or i18n.translate("home.lead", model.lang),
            "hide": ["navigation", "toc"],
            "tw_lang": model.lang,
            "tw_alternate": model.root + model.alternate_url,
            "tw_alternate_lang": other,
            "tw_alternate_name": i18n.translate("lang.switch", model.lang),
            "tw_alternate_label": i18n.translate("lang.switch_label", model.lang),
            "tw_nav_label": i18n.translate("nav.main", model.lang),
            "tw_nav": _main_nav(model),
        })
        return ""

    def on_page_content(self, html, page, config, files):
        model = self.pages.get(page.file.src_uri)
        if model is None:
            return html
        # Material's "skip to content" link points at the first table-of-contents entry.
        page.toc = get_toc([{"level": 1, "id": "main-content", "name": model.title, "children": []}])
        return f'<div id="main-content" tabindex="-1">{self.renderer.render(model)}</div>'



def _main_nav(model: PageModel) -> list[dict]:
    items = [("home", "nav.marketplace"), ("services", "nav.services"), ("vendors", "nav.vendors"),
             ("buyers", "nav.buyers"), ("about", "nav.about")]
    nav = []
    for kind, key in items:
        url = url_for(kind, model.lang)
        nav.append({"label": i18n.translate(key, model.lang), "url": model.root + url or "./",
                    "current": model.url == url})
    return nav


def _schema_index() -> str:
    rows = "".join(f'<li><a href="{name}">{name}</a></li>' for name in schema_names())
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thingwalla schemas</title></head>'
            f'<body><main><h1>Thingwalla JSON Schemas</h1><ul>{rows}</ul></main></body></html>')
