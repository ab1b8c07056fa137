#!/usr/bin/env python3
"""Benchmark: build, validation and search at scale, against a floor measured in the same run.

    .venv/bin/python scripts/bench.py                 # N = 1,000 and 10,000 (minutes; over 1 GiB at 10,000)
    .venv/bin/python scripts/bench.py --sizes 1000    # one size
    .venv/bin/python scripts/bench.py --keep /tmp/b   # keep the generated catalogs and sites

For each N it writes a synthetic catalog (`thingwalla generate`), then measures, each in its own process:

- floor: load every YAML file with the C loader, render each description's Markdown and one Jinja
  template per service and language, write the files. What any generator must at least do.
- validate: `thingwalla validate` on the whole catalog.
- build: `mkdocs build` of the whole site (the plugin validates, writes every page, runs Pagefind).
- pagefind: the search index alone, rerun on the built site (part of the build figure).
- search: headless chromium on loopback opens the search page, types a word, ticks two facets; the bytes
  it downloaded (raw, and gzipped as a server would send text files) and the time from the last key to
  the first results on screen.

Targets (issue 3, at 10,000 services) are printed beside the figures. Times are wall and CPU (user + sys
of the process and its children); on a busy machine trust CPU.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests"))

PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO / "scripts")}
CHROMIUM = "/usr/bin/chromium"
KB = 1000

FLOOR = textwrap.dedent('''
    """The floor: YAML (C loader) + Markdown + one Jinja2 template per service and language, written out."""
    import sys
    from pathlib import Path
    import jinja2, markdown, yaml

    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    page = jinja2.Environment(autoescape=True).from_string(
        "<!doctype html><html lang={{ lang }}><head><title>{{ s.name[lang] }}</title></head><body><main>"
        "<h1>{{ s.name[lang] }}</h1><p>{{ s.tagline[lang] }}</p><p>{{ s.vendor }} · {{ s.category }}</p>"
        "<div>{{ body }}</div><ul>{% for p in s.pricing.plans %}<li>{{ p.name[lang] }}: {{ p.price }} "
        "{{ p.currency }}</li>{% endfor %}</ul><ul>{% for c in s.compliance %}<li>{{ c.regulation }} "
        "{{ c.expires }}</li>{% endfor %}</ul></main></body></html>")
    for path in sorted((root / "catalog").rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if path.name != "service.yaml":
            continue
        for lang in ("nb", "en"):
            md.reset()
            body = md.convert((path.parent / f"description.{lang}.md").read_text(encoding="utf-8"))
            target = out / lang / data["id"] / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.render(s=data, lang=lang, body=jinja2.utils.markupsafe.Markup(body)),
                              encoding="utf-8")
''')


class Run:
    def __init__(self, wall: float, cpu: float, rss_mib: float, returncode: int, stderr: str):
        self.wall, self.cpu, self.rss_mib, self.returncode, self.stderr = wall, cpu, rss_mib, returncode, stderr


def measure(cmd: list[str], cwd: Path | None = None) -> Run:
    """Wall time, CPU (user + sys, children included) and peak RSS of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # wait4 gives this child's own usage including the grandchildren it waited for (Pagefind under MkDocs).
    stderr_chunks = []
    while True:
        chunk = proc.stderr.read(65536)
        if not chunk:
            break
        stderr_chunks.append(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, "".join(stderr_chunks))


def check(run: Run, what: str) -> Run:
    if run.returncode != 0:
        sys.exit(f"bench: {what} failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
    return run


def measure_search(site: Path, word: str) -> dict:
    """Bytes and latency of one search with two facets, in a fresh headless chromium context."""
    from conftest import StaticServer
    from playwright.sync_api import sync_playwright

    server = StaticServer(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox",
                                                                         "--disable-background-networking"])
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
            urls: dict[str, str] = {}
            received: dict[str, int] = {}
            cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
            cdp.on("Network.loadingFinished",
                   lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])))
            page.goto(server.url + "sok/")
            page.locator("[data-tw-results] .tw-card").first.wait_for(timeout=60_000)
            page_load = dict(received)

            # Type the word; time from the last key to the first result card for it.
            count = page.locator("[data-tw-count]")
            before = count.inner_text()
            page.locator("#tw-q").click()
            page.keyboard.type(word, delay=30)
            t0 = page.evaluate("performance.now()")
            t1 = page.evaluate("""(before) => new Promise(resolve => {
                const count = document.querySelector('[data-tw-count]');
                const list = document.querySelector('[data-tw-results]');
                const done = () => count.textContent !== before && !/…/.test(count.textContent) && list.children.length;
                if (done()) return resolve(performance.now());
                new MutationObserver((m, obs) => { if (done()) { obs.disconnect(); resolve(performance.now()); } })
                  .observe(document.body, {subtree: true, childList: true, characterData: true});
            })""", before)
            typed_count = count.inner_text()
            # Two facets: the first category and the first pricing model offered.
            for facet in ("category", "pricing"):
                box = page.locator(f"[data-tw-facets] input[name={facet}]").first
                before = count.inner_text()
                box.check()
                page.wait_for_function("(b) => document.querySelector('[data-tw-count]').textContent !== b "
                                       "&& !/…/.test(document.querySelector('[data-tw-count]').textContent)", arg=before)
            page.wait_for_load_state("networkidle")
            final_count = count.inner_text()
            browser.close()
    finally:
        server.close()

    def local(rid: str) -> Path | None:
        url = urls.get(rid, "")
        if not url.startswith(server.url):
            return None
        rel = url[len(server.url):].split("?")[0].split("#")[0]
        path = site / rel
        return path / "index.html" if path.is_dir() else path

    def sizes(ids) -> tuple[int, int]:
        raw = gz = 0
        for rid in ids:
            path = local(rid)
            if path is None:
                continue
            raw += received.get(rid, 0)
            body = path.read_bytes() if path.is_file() else b""
            # Pagefind's own files are already compressed; text files a server would gzip.
            text = path.suffix in (".js", ".json", ".html", ".css", ".svg")
            gz += len(gzip.compress(body, 6)) + 300 if text else received.get(rid, 0)
        return raw, gz

    pf_all = [rid for rid in received if "/pagefind/" in urls.get(rid, "")]
    pf_query = [rid for rid in pf_all if rid not in page_load]
    chrome = [rid for rid in page_load if "/pagefind/" not in urls.get(rid, "")]
    return {"page_raw": sizes(chrome)[0], "page_gz": sizes(chrome)[1],
            "pagefind_raw": sizes(pf_all)[0], "pagefind_gz": sizes(pf_all)[1],
            "query_raw": sizes(pf_query)[0], "query_gz": sizes(pf_query)[1],
            "requests": len(pf_all), "latency_ms": t1 - t0, "typed": typed_count, "final": final_count}


def bench_size(n: int, work: Path) -> dict:
    from thingwalla.generate import generate

    repo, site, floor_out = work / f"catalog-{n}", work / f"site-{n}", work / f"floor-{n}"
    for folder in (repo, site, floor_out):
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n== N = {n:,} services: generating …", flush=True)
    counts = generate(repo, n)
    script = work / "floor.py"
    script.write_text(FLOOR, encoding="utf-8")

    floor = check(measure([PY, str(script), str(repo), str(floor_out)]), "floor")
    print(f"   floor     {floor.wall:7.1f} s wall {floor.cpu:7.1f} s CPU {floor.rss_mib:7.0f} MiB", flush=True)
    validate = check(measure([PY, "-m", "thingwalla.cli", "validate", "--repository", str(repo)]), "validate")
    print(f"   validate  {validate.wall:7.1f} s wall {validate.cpu:7.1f} s CPU {validate.rss_mib:7.0f} MiB", flush=True)
    build = check(measure([PY, "-m", "mkdocs", "build", "-q", "-f", str(repo / "mkdocs.yml"), "-d", str(site)],
                          cwd=repo), "build")
    print(f"   build     {build.wall:7.1f} s wall {build.cpu:7.1f} s CPU {build.rss_mib:7.0f} MiB", flush=True)
    shutil.rmtree(site / "pagefind-bench", ignore_errors=True)
    pagefind = check(measure([PY, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind-bench",
                              "--quiet"]), "pagefind")
    shutil.rmtree(site / "pagefind-bench", ignore_errors=True)
    print(f"   pagefind  {pagefind.wall:7.1f} s wall {pagefind.cpu:7.1f} s CPU {pagefind.rss_mib:7.0f} MiB", flush=True)
    search = measure_search(site, "saksbehandling")
    print(f"   search    {search['pagefind_gz'] / KB:7.1f} KB ({search['pagefind_raw'] / KB:.1f} KB raw), "
          f"{search['latency_ms']:.0f} ms to first results; typed: {search['typed']}; facets: {search['final']}",
          flush=True)
    pages = sum(1 for _ in site.rglob("index.html"))
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    return {"n": n, "counts": counts, "floor": floor, "validate": validate, "build": build, "pagefind": pagefind,
            "search": search, "pages": pages, "site_mb": size / 1e6}


def report(results: list[dict]) -> None:
    print("\n## Results\n")
    print("| N | pages | floor wall / CPU | validate wall / CPU | build wall / CPU / peak RSS | of which Pagefind CPU "
          "| build CPU / floor CPU | validate / build (CPU) | site |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        f, v, b, p = r["floor"], r["validate"], r["build"], r["pagefind"]
        print(f"| {r['n']:,} | {r['pages']:,} | {f.wall:.1f} / {f.cpu:.1f} s | {v.wall:.1f} / {v.cpu:.1f} s "
              f"| {b.wall:.1f} / {b.cpu:.1f} s / {b.rss_mib:,.0f} MiB | {p.cpu:.1f} s | {b.cpu / f.cpu:.2f}x "
              f"| {100 * v.cpu / b.cpu:.1f}% | {r['site_mb']:.0f} MB |")
    print("\n| N | search: Pagefind bytes, gzipped (raw) | of which for the query | requests | first results "
          "after the last key | page itself (HTML, CSS, JS), gzipped |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        s = r["search"]
        print(f"| {r['n']:,} | {s['pagefind_gz'] / KB:.1f} KB ({s['pagefind_raw'] / KB:.1f} KB) "
              f"| {s['query_gz'] / KB:.1f} KB | {s['requests']} | {s['latency_ms']:.0f} ms "
              f"| {s['page_gz'] / KB:.1f} KB |")
    big = max(results, key=lambda r: r["n"])
    print(f"\n## Targets at N = {big['n']:,}\n")
    rows = [
        ("build CPU <= 2x floor CPU", big["build"].cpu / big["floor"].cpu, 2.0, "{:.2f}x"),
        ("validation <= 10% of build (CPU)", 100 * big["validate"].cpu / big["build"].cpu, 10.0, "{:.1f}%"),
        ("<= 300 KB downloaded per search (gzipped)", big["search"]["pagefind_gz"] / KB, 300.0, "{:.1f} KB"),
        ("first results <= 300 ms after typing", big["search"]["latency_ms"], 300.0, "{:.0f} ms"),
    ]
    small = min(results, key=lambda r: r["n"])
    if small is not big:
        for label, key in (("CPU", "cpu"), ("wall", "wall")):
            ratio = getattr(big["build"], key) / getattr(small["build"], key)
            rows.append((f"build {label} t({big['n'] // 1000}k)/t({small['n'] // 1000}k) <= 11", ratio, 11.0, "{:.2f}"))
    for label, value, limit, fmt in rows:
        print(f"- {label}: {fmt.format(value)} — {'met' if value <= limit else 'MISSED'}")
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated service counts (default 1000,10000)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the catalogs and sites")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not Path(CHROMIUM).exists():
        sys.exit(f"bench: {CHROMIUM} is missing (make test-deps installs Debian's chromium)")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="thingwalla-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench_size(n, work) for n in sizes]
        report(results)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
