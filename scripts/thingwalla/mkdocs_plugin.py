"""MkDocs plugin `thingwalla`: a thin adapter from page models to MkDocs.

It validates the catalog (an invalid catalog fails the build with the validator's messages),
builds the model and page models, and hands MkDocs the few overview pages. The thousands of
service, vendor and buyer pages share one depth and one chrome: MkDocs renders a single "shell"
page per language, and the plugin writes every entity page by filling the shell in. That keeps
the build linear and close to the cost of rendering the pages themselves, and keeps entity pages
out of the navigation tree (a nav holding every page makes MkDocs quadratic).
"""

from __future__ import annotations

import gc
import html
import json
import logging
import os
import re
import resource
import shutil
import time
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

from .feeds import catalog_document
from .interop.publish import interop_files, interop_pages
from .interop.publish import prepare as prepare_interop
from .model import build_catalog
from .problems import format_problems
from .schemas import load_schema, schema_names
from .site import i18n
from .site.design_pages import DesignBuild
from .site.pages import PageModel, Renderer, SiteSettings, build_pages, markdown_html, url_for
from .site.search_index import write_search_index
from .validate import today, validate_repository

log = logging.getLogger("mkdocs.plugins.thingwalla")

SITE_DIR = Path(__file__).parent / "site"
STATIC_FILES = {"assets/thingwalla/marketplace.css": "marketplace.css",
                "assets/thingwalla/marketplace.js": "marketplace.js",
                "assets/thingwalla/compare.js": "compare.js",
                "assets/thingwalla/shortlist.js": "shortlist.js",
                "assets/thingwalla/search.js": "search.js",
                "assets/thingwalla/listfilter.js": "listfilter.js"}
MARK = "TWSHELL{}TWSHELL"
_MARKS = re.compile(r"TWSHELL(TITLE|DESC|ALT|CONTENT|URL)TWSHELL")


class ThingwallaConfig(Config):
    repository = config_options.Optional(config_options.Dir(exists=True))
    search_index = config_options.Type(bool, default=True)  # write the search page's index (api/search/)


class ThingwallaPlugin(BasePlugin[ThingwallaConfig]):
    def on_config(self, config):
        root = Path(self.config.repository or Path(config.config_file_path).parent).resolve()
        result = validate_repository(root)
        if not result.ok:
            # (errors only: a warning printed at ERROR level reads as one more thing that stops the build)
            for line in format_problems(result.errors, "text").splitlines():
                log.error(line)
            raise PluginError(f"the catalog has {len(result.errors)} validation error(s); the site is not built. "
                              f"Run `thingwalla validate` to see them.")
        self.catalog = build_catalog(result)
        from .procurement.site import routes_page  # the procurement routes page (issue 5)

        models = build_pages(self.catalog, routes_page(root, self.catalog, today()))
        self.design = DesignBuild(root)  # the design system (issue 4): tokens -> CSS, component pages
        if self.design.problems:
            for line in format_problems(self.design.problems, "text").splitlines():
                log.error(line)
            raise PluginError(f"the design system has {len(self.design.problems)} problem(s); the site is not built. "
                              "Run `thingwalla tokens --check` to see the token problems.")
        models += self.design.pages()
        # interop (issue 6): federated services, developer page, DCAT-AP, Atom feeds. A broken upstream is
        # logged as an error (so --strict fails) and the local catalog is published without it.
        self.interop = prepare_interop(self.catalog, root, config.site_url)
        for line in format_problems(self.interop.problems, "text").splitlines():
            log.error(line)
        for note in self.interop.notes:
            log.info(note)
        models += interop_pages(self.interop)
        # challenges and the method library (issue 4): index pages in the main nav, entries out of the nav tree
        from .challenges.model import build_challenges
        from .challenges.pages import challenge_pages
        from .methods.model import build_methods
        from .methods.pages import method_pages

        self.methods = build_methods(result.methods)
        models += challenge_pages(build_challenges(result.challenges, self.catalog)) + method_pages(self.methods)
        self.bulk = [p for p in models if p.bulk]
        self.pages: dict[str, PageModel] = {p.src_uri: p for p in models if not p.bulk}
        self.shells: dict[str, PageModel] = {}
        for lang in i18n.LANGS:
            shell = PageModel("shell", lang, url_for("services", lang, "__shell__"), MARK.format("TITLE"),
                              "", {}, MARK.format("ALT"), MARK.format("DESC"))
            self.shells[shell.src_uri] = shell
        self.shell_output: dict[str, str] = {}

        icons = None
        for folder in config.theme.dirs:
            if (Path(folder) / ".icons").is_dir():
                icons = Path(folder) / ".icons"
        self.renderer = Renderer(SiteSettings(repo_url=config.repo_url or SiteSettings.repo_url, today=today(),
                                              icons_dir=icons))
        # Automated accessibility results (THINGWALLA_A11Y_RESULTS) can lift evidence to "verified".
        self.renderer.settings.a11y_results = _a11y_results(root)
        config.theme.dirs.insert(0, str(SITE_DIR / "overrides"))
        config.extra_css.extend([*self.design.files(), "assets/thingwalla/marketplace.css"])
        for dest in STATIC_FILES:
            if dest.endswith(".js"):
                config.extra_javascript.append(dest)
        config.extra["thingwalla_notice"] = {lang: i18n.translate("sample.notice", lang) for lang in i18n.LANGS}
        config.extra["thingwalla_footer"] = {
            lang: {"tagline": i18n.translate("site.tagline", lang),
                   "catalog_json": i18n.translate("footer.catalog_json", lang),
                   "schemas": i18n.translate("footer.schemas", lang),
                   "source": i18n.translate("footer.source", lang),
                   "developers": i18n.translate("footer.developers", lang),
                   "developers_url": url_for("developers", lang),
                   "design": i18n.translate("footer.design", lang), "design_url": url_for("design", lang)}
            for lang in i18n.LANGS
        }
        if not config.nav:
            config.nav = [{i18n.translate("home.title", "nb"): "index.md"}]
        # The catalog, its model and page models live until the build ends: kept out of the cycle collector's
        # way (a full collection would walk them all again, seconds at 10,000 services), and handed back when
        # the build ends, so `mkdocs serve` can free them on the next rebuild.
        gc.freeze()
        return config

    def on_build_error(self, error):
        gc.unfreeze()

    def on_files(self, files, config):
        for page in [*self.pages.values(), *self.shells.values()]:
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
        # The big data files (catalog.json, the service API, DCAT-AP, feeds: ~200 MB at 10,000 services) go
        # straight into the site folder, which MkDocs has emptied by now, and are let go: given to MkDocs as
        # files, their text would stay in memory until the build ends, and every page after them would grow
        # the process instead of reusing that memory.
        site = Path(config.site_dir)
        document = catalog_document(self.catalog, self.interop.federation, self.renderer.settings.a11y_results)
        # Each service's entry is encoded once, for catalog.json and for the service API alike.
        encoded = [json.dumps(service, ensure_ascii=False) for service in document["services"]]
        _write_file(site / "catalog.json", catalog_json(document, encoded))
        write_service_api(site, document, encoded)
        del document, encoded
        for path, content in interop_files(self.interop).items():
            _write_file(site / path, content)
        for path, content in self.design.files().items():
            files.append(File.generated(config, path, content=content))
        return files

    def _model(self, page) -> PageModel | None:
        uri = page.file.src_uri
        return self.pages.get(uri) or self.shells.get(uri)

    def on_page_markdown(self, markdown, page, config, files):
        model = self._model(page)
        if model is None:
            return markdown
        page.meta.update(page_meta(model))
        return ""

    def on_page_content(self, html_text, page, config, files):
        model = self._model(page)
        if model is None:
            return html_text
        # Material's "skip to content" link points at the first table-of-contents entry.
        page.toc = get_toc([{"level": 1, "id": "main-content", "name": model.title, "children": []}])
        # (The shell's comment tells Material the filled-in content brings its own <h1>.)
        body = f"<!-- <h1> -->{MARK.format('CONTENT')}" if model.kind == "shell" else self.renderer.render(model)
        return f'<div id="main-content" tabindex="-1">{body}</div>'

    def on_post_page(self, output, page, config):
        model = self.shells.get(page.file.src_uri)
        if model is not None:
            if page.canonical_url:
                # The shell's own address would make every entity page name the shell as its canonical page.
                output = output.replace(f'href="{page.canonical_url}"', f'href="{MARK.format("URL")}"')
            self.shell_output[model.lang] = compact_whitespace(output)
        return output

    def on_post_build(self, config):
        site = Path(config.site_dir)
        try:
            self._post_build(site, config)
        finally:
            gc.unfreeze()

    def _post_build(self, site: Path, config) -> None:
        for shell in self.shells.values():
            shutil.rmtree(site / shell.url, ignore_errors=True)
        write_bulk_pages(site, self.bulk, self.shell_output, self.renderer, config.site_url or "")
        write_sitemap(site, config.site_url, [*self.pages.values(), *self.bulk])
        # The method library's downloadable templates are copied as they are: given to MkDocs as files,
        # a Markdown template would be rendered as a page and its download link would answer 404.
        from .methods.pages import template_files

        for path, source in template_files(self.methods).items():
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        if self.config.search_index:
            # After the pages: their descriptions' HTML is cached on the model, and the index reads its words.
            start, before = time.perf_counter(), time.process_time()
            write_search_index(site, self.catalog, i18n.LANGS, self.renderer.settings.today,
                               lambda service, lang: markdown_html(service.description, lang)[0],
                               self.catalog.rulebook, self.renderer.settings.a11y_results)
            _record_timing("search_index", time.perf_counter() - start, time.process_time() - before,
                           resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _a11y_results(root: Path):
    from .compliance.catalog import a11y_results_from_env
    from .compliance.verification import A11yResultsError

    try:
        return a11y_results_from_env(root)
    except A11yResultsError as exc:
        for line in format_problems(exc.problems, "text").splitlines():
            log.error(line)
        raise PluginError("the accessibility results could not be read; the site is not built.") from None


def page_meta(model: PageModel) -> dict:
    other = "en" if model.lang == "nb" else "nb"
    shell = model.kind == "shell"
    return {
        "title": model.title,
        "description": model.description or i18n.translate("home.lead", model.lang),
        "hide": ["navigation", "toc"],
        "tw_lang": model.lang,
        "tw_alternate": model.alternate_url if shell else model.root + model.alternate_url,
        "tw_alternate_lang": other,
        "tw_alternate_name": i18n.translate("lang.switch", model.lang),
        "tw_alternate_label": i18n.translate("lang.switch_label", model.lang),
        "tw_nav_label": i18n.translate("nav.main", model.lang),
        "tw_nav": _main_nav(model),
    }


_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
_BLANK_LINES = re.compile(r"[ \t]*\n\s*")


def compact_whitespace(page: str) -> str:
    """Each run of blank lines and indentation as one line break, outside <pre>, <textarea>, <script> and <style>.
    The theme's templates leave ~2 KB of them in every page: 40 MB over the 20,000 entity pages at 10,000
    services, all written out for nothing (a browser shows the page the same)."""
    parts = _KEEP_WHITESPACE.split(page)
    out = []
    # split() with two groups yields: text, whole kept element, its tag name, text, ...
    for index in range(0, len(parts), 3):
        out.append(_BLANK_LINES.sub("\n", parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


def write_bulk_pages(site: Path, pages: list[PageModel], shells: dict[str, str], renderer: Renderer,
                     site_url: str = "") -> None:
    """Fill each language's shell with each entity page's title, description, address, links and content."""
    canonical_base = site_url.rstrip("/") + "/" if site_url else ""
    split_shells: dict[str, list[str]] = {}
    for page in pages:
        values = {
            "TITLE": html.escape(page.title),
            "DESC": html.escape(page.description or i18n.translate("home.lead", page.lang)),
            "ALT": html.escape(page.root + page.alternate_url),
            "URL": html.escape(canonical_base + page.url),
            "CONTENT": renderer.render(page),
        }
        # The shell cut at its marks once: [text, mark, text, mark, ..., text]
        parts = split_shells.get(page.lang)
        if parts is None:
            parts = split_shells[page.lang] = _MARKS.split(shells[page.lang])
        out = site / page.url / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(values[part] if index % 2 else part for index, part in enumerate(parts)),
                       encoding="utf-8")


def _write_file(target: Path, content: str | bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")


def catalog_json(document: dict, encoded_services: list[str]) -> str:
    """catalog.json with one entry of each list per line: as readable in a diff as an indented file, and
    written by the C JSON encoder (json.dumps with indent= runs in pure Python: seconds at 10,000 services).
    `encoded_services`: the services' entries already encoded (json.dumps of each, in order)."""
    parts = []
    for key, value in document.items():
        if key == "services" and value:
            body = "[\n" + ",\n".join(encoded_services) + "\n]"
        elif isinstance(value, list) and value:
            body = "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in value) + "\n]"
        else:
            body = json.dumps(value, ensure_ascii=False)
        parts.append(f"{json.dumps(key)}: {body}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


API_INDEX = "api/catalog-index.json"
SERVICES_PER_API_FILE = 8


def service_file(service_id: str, files: int) -> int:
    """Which of the `files` api/services/<n>.json holds a service: FNV-1a (32-bit) of its id's UTF-8 bytes, modulo
    `files`. compare.js and shortlist.js compute the same to fetch a service."""
    h = 0x811C9DC5
    for byte in service_id.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h % files


def write_service_api(site: Path, document: dict, encoded_services: list[str]) -> None:
    """What compare and shortlist fetch instead of the whole catalog.json (42 MB at 10,000 services):
    api/catalog-index.json (the taxonomy, regulations, integrations and buyers the entries refer to, and how many
    service files there are), and api/services/<n>.json, each holding about SERVICES_PER_API_FILE services (their
    catalog.json entry and their vendor's name) by id. A file per service would be 10,000 files to create."""
    vendors = {v["id"]: v for v in document["vendors"]}
    files = max(1, -(-len(document["services"]) // SERVICES_PER_API_FILE))
    index = {"format_version": document["format_version"], "sample_data": document["sample_data"],
             "categories": document["categories"], "integrations": document["integrations"],
             "regulations": document["regulations"],
             "buyers": [{"id": b["id"], "name": b["name"]} for b in document["buyers"]],
             "service_files": files}
    folder = site / "api" / "services"
    folder.mkdir(parents=True, exist_ok=True)
    (site / API_INDEX).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    # Each file is {id: {"service": entry, "vendor": {...}}, ...}, put together from the encoded entries (as
    # json.dumps would write it).
    buckets: list[list[str]] = [[] for _ in range(files)]
    for service, encoded in zip(document["services"], encoded_services):
        vendor = vendors.get(service["vendor"], {})
        vendor_entry = json.dumps({"id": service["vendor"], "display_name": vendor.get("display_name")},
                                  ensure_ascii=False)
        buckets[service_file(service["id"], files)].append(
            f'{json.dumps(service["id"], ensure_ascii=False)}: {{"service": {encoded}, "vendor": {vendor_entry}}}')
    for number, entries in enumerate(buckets):
        (folder / f"{number}.json").write_text("{" + ", ".join(entries) + "}", encoding="utf-8")


def write_sitemap(site: Path, site_url: str | None, pages: list[PageModel]) -> None:
    base = (site_url or "/").rstrip("/") + "/"
    rows = "".join(f"<url><loc>{html.escape(base + p.url)}</loc></url>\n" for p in sorted(pages, key=lambda p: p.url))
    (site / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                                      f"{rows}</urlset>\n", encoding="utf-8")
    gz = site / "sitemap.xml.gz"
    if gz.exists():
        gz.unlink()


def _record_timing(step: str, wall: float, cpu: float, rss_mib: float) -> None:
    """scripts/bench.py asks for the search index step's own figures: THINGWALLA_BUILD_TIMINGS names a file."""
    target = os.environ.get("THINGWALLA_BUILD_TIMINGS")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps({"step": step, "wall": wall, "cpu": cpu, "rss_mib": rss_mib}) + "\n")


def _main_nav(model: PageModel) -> list[dict]:
    items = [("home", "nav.marketplace"), ("search", "nav.search"), ("services", "nav.services"),
             ("vendors", "nav.vendors"), ("buyers", "nav.buyers"), ("challenges", "nav.challenges"),
             ("methods", "nav.methods"), ("shortlist", "nav.shortlist"),
             ("about", "nav.about")]
    nav = []
    for kind, key in items:
        url = url_for(kind, model.lang)
        nav.append({"label": i18n.translate(key, model.lang), "url": model.root + url or "./",
                    "current": model.url == url})
    return nav
