"""thingwalla a11y (--site DIR | --url URL… | --demos) [--json PATH] [--markdown PATH] [--runner …] [--allow-private]"""

from __future__ import annotations

import sys
from pathlib import Path

from . import EXIT_ERRORS, EXIT_OK, UsageError, repository


def register(commands) -> None:
    parser = commands.add_parser(
        "a11y", help="automated accessibility checks (pa11y-ci: axe and our own checks) of the site or demo pages",
        description="Check every page of a built site (from its sitemap.xml, served on 127.0.0.1) or the given "
                    "URLs with pa11y-ci in Debian's chromium. Errors of axe and of Thingwalla's own checks fail the "
                    "run; HTML_CodeSniffer (--runner htmlcs) is advisory. Writes a JSON and a Markdown report, every "
                    "finding with its WCAG success criterion. A pass means the automated checks found no errors, "
                    "not WCAG conformance. Exit status: 0 every page passed, 1 errors or pages that could not be "
                    "checked, 2 usage error (including refused URLs and a missing or empty sitemap).")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--site", metavar="DIR", help="a built site folder with sitemap.xml (e.g. site/)")
    what.add_argument("--url", nargs="+", metavar="URL", help="pages to check, e.g. vendors' demo pages")
    what.add_argument("--demos", action="store_true",
                      help="every service's demo page (links.demo) in the catalog; the JSON report can then be given "
                           "to the build as THINGWALLA_A11Y_RESULTS, so the badges show the result")
    parser.add_argument("--repository", metavar="DIR", help="repository root, with --demos (default: found from the "
                                                               "current folder)")
    parser.add_argument("--json", metavar="PATH", default="a11y-report.json", help="JSON report (default: %(default)s)")
    parser.add_argument("--markdown", metavar="PATH", default="a11y-report.md",
                        help="Markdown report (default: %(default)s)")
    parser.add_argument("--runner", action="append", choices=["axe", "thingwalla", "htmlcs"],
                        help="runners (repeat; default: axe and thingwalla, our own checks); htmlcs is advisory")
    parser.add_argument("--concurrency", type=int, default=2, metavar="N", help="pages in parallel (default: 2)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time allowed per page (default: 30; use 60 for vendors' demo pages)")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow loopback and private addresses (for tests on this machine only)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..a11y.check import NothingToCheck, check_urls
    from ..a11y.guard import UnsafeUrl
    from ..a11y.pa11y import Pa11yError, RunOptions
    from ..a11y.report import markdown, report_document, write_json
    from ..a11y.server import LocalSite
    from ..a11y.sitemap import SitemapError, site_pages

    runners = tuple(dict.fromkeys(args.runner or ["axe", "thingwalla"]))
    if "axe" not in runners:
        raise UsageError("--runner axe is needed: axe's errors are what the check gates on")
    if not 1 <= args.concurrency <= 8:
        raise UsageError("--concurrency must be between 1 and 8")
    if not 1 <= args.timeout <= 300:
        raise UsageError("--timeout must be between 1 and 300 seconds")
    options = RunOptions(runners=runners, concurrency=args.concurrency, timeout_ms=int(args.timeout * 1000))

    def progress(done: str, url: str) -> None:
        if not args.quiet:
            print(f"[{done}] {url}", file=sys.stderr, flush=True)

    try:
        if args.site:
            paths = site_pages(Path(args.site))
            with LocalSite(Path(args.site)) as local:
                if not args.quiet:
                    print(f"Checking {len(paths)} page(s) of {args.site} (sitemap.xml), served on {local.url}",
                          file=sys.stderr)
                # our own server on loopback: its URLs are trusted, whatever --allow-private says
                result = check_urls([local.url + p for p in paths], options, allow_private=True,
                                    progress=progress, timeout=args.timeout)
        elif args.demos:
            result = check_demos(demo_urls(repository(args.repository)), options, args, progress)
        else:
            result = check_urls(args.url, options, allow_private=args.allow_private, progress=progress,
                                timeout=args.timeout)
    except (UnsafeUrl, SitemapError, NothingToCheck, Pa11yError) as exc:
        raise UsageError(str(exc)) from None
    document = report_document(result.pages, result.runners, result.gating, result.started, result.tool_version)
    try:
        write_json(document, Path(args.json))
        Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(args.markdown).write_text(markdown(document), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write the report: {exc}") from None
    s = document["summary"]
    for page in result.pages:
        if not page.passed:
            criteria = sorted({sc for f in page.findings if f.gating and f.level == "error" for sc in f.criteria})
            print(f"FAILED {page.url}: {page.errors} error(s)" + (f" (SC {', '.join(criteria)})" if criteria else ""))
    print(f"{s['pages']} page(s) checked: {s['passed']} passed, {s['failed']} failed, {s['errors']} error(s)"
          + (f", {s['advisory']} advisory" if s["advisory"] else "")
          + f". Reports: {args.json}, {args.markdown}")
    return EXIT_OK if s["failed"] == 0 else EXIT_ERRORS


def demo_urls(root: Path) -> list[str]:
    """The demo pages of every service in a valid catalog, each once, in id order."""
    from ..model import build_catalog
    from ..validate import validate_repository

    result = validate_repository(root)
    if not result.ok:
        raise UsageError(f"the catalog has {len(result.errors)} validation error(s); run `thingwalla validate`")
    catalog = build_catalog(result)
    urls = [s.links["demo"] for _, s in sorted(catalog.services.items()) if s.links.get("demo")]
    return list(dict.fromkeys(urls))


def check_demos(urls: list[str], options, args, progress):
    """Vendors' demo pages: a refused address (private, unresolvable) fails that page, not the whole run,
    so one vendor's broken link cannot hide the results of the others. No browser ever opens it."""
    import datetime as dt

    from ..a11y.check import CheckRun, NothingToCheck, check_urls, tool_version
    from ..a11y.guard import UnsafeUrl, check_url
    from ..a11y.results import GATING, not_checked

    if not urls:
        raise NothingToCheck("no service in the catalog has a demo link (links.demo)")
    refused = {}
    for url in urls:
        try:
            check_url(url, args.allow_private)
        except UnsafeUrl as exc:
            refused[url] = str(exc).removeprefix(f"{url}: ")
    safe = [u for u in urls if u not in refused]
    if safe:
        run = check_urls(safe, options, allow_private=args.allow_private, progress=progress, timeout=args.timeout)
    else:
        run = CheckRun([], list(options.runners), [r for r in options.runners if r in GATING],
                       dt.datetime.now(dt.timezone.utc), tool_version())
    checked = {page.url: page for page in run.pages}
    today = run.started.date()
    run.pages = [checked[u] if u in checked else not_checked(u, today, f"refused: {refused[u]}") for u in urls]
    return run

