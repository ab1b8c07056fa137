#!/usr/bin/env python3
"""Benchmark: build, validation and search at scale, against a floor measured in the same run.

    .venv/bin/python scripts/bench.py                 # N = 1,000 and 10,000 (minutes; over 1 GiB at 10,000)
    .venv/bin/python scripts/bench.py --sizes 1000    # one size
    .venv/bin/python scripts/bench.py --keep /tmp/b   # keep the generated catalogs and sites
    .venv/bin/python scripts/bench.py --repeat 3      # each measurement three times, the least CPU counts

For each N it writes a synthetic catalog (`thingwalla generate`), then measures, each in its own process:

- floor: load every YAML file with the C loader, render each description's Markdown and one Jinja
  template per service and language, write the files. What any generator must at least do.
- validate: `thingwalla validate` on the whole catalog.
- build: `mkdocs build` of the whole site (the plugin validates, writes every page and the search index).
- search index: the build's own step writing api/search/ (the plugin records its CPU; part of the build figure).
- search: headless chromium on loopback opens the search page, types a word, ticks two facets; the bytes
  every request of the browser context downloaded (the page's and any worker's), raw and gzipped as a server would send text files, for the page load and for the query apart;
  and the time from the last key to the first results on screen.

Targets (issue 3, at 10,000 services) are printed beside the figures. Times are wall and CPU (user + sys
of the process and its children); on a busy machine trust CPU.
"""

from __future__ import annotations

import argparse
import gzip
import json
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


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Wall time, CPU (user + sys, children included) and peak RSS of one command."""
    # The previous command's written files go to disk first: left in memory, their write-back runs during
    # this command and bills its system time (a floor after a build took a third more CPU than before it).
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**ENV, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    # wait4 gives this child's own usage including the grandchildren it waited for.
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


TEXT_SUFFIXES = (".js", ".mjs", ".json", ".html", ".css", ".svg", ".xml", ".txt")


def measure_search(site: Path, word: str) -> dict:
    """Bytes and latency of one search with two facets, in a fresh headless chromium context.

    Every request of the browser context is counted, the page's and any worker's alike: Playwright reports them
    all at the context level. Two phases: opening the search page (until its first cards show) and the query (typing
    a word, then ticking two facets, until the network is idle). Bytes are the response bodies as sent by the
    loopback server (no compression: "raw"), and as a server that gzips text files would send them ("gzipped";
    files that are not text count as they are)."""
    from conftest import StaticServer
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    server = StaticServer(site)
    phase = ["load"]
    finished: list[tuple[str, object]] = []
    failed: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox",
                                                                         "--disable-background-networking"])
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
            context.on("requestfinished", lambda request: finished.append((phase[0], request)))
            context.on("requestfailed", lambda request: failed.append(request.url))
            page = context.new_page()
            page.goto(server.url + "sok/")
            page.locator("[data-tw-results] .tw-card").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle")
            # A reader starts typing once the page has settled: its search index made ready (search.js marks
            # it; a site built before that mark existed is measured without it).
            try:
                page.locator("[data-tw-searchpage][data-tw-ready]").wait_for(state="attached", timeout=15_000)
            except PlaywrightTimeout:
                pass
            phase[0] = "query"

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
            # Sizes are asked for while the context is still open.
            rows = []
            for when, request in finished:
                sizes = request.sizes()
                body = sizes["responseBodySize"]
                response = request.response()
                if body == 0 and response is not None and response.status == 200:
                    # A worker's own script is reported with an empty body: take the length the server sent.
                    body = int(response.headers.get("content-length") or 0)
                rows.append((when, request.url, body, sizes["responseHeadersSize"]))
            browser.close()
    finally:
        server.close()

    def local(url: str) -> Path | None:
        if not url.startswith(server.url):
            return None
        rel = url[len(server.url):].split("?")[0].split("#")[0]
        path = site / rel
        return path / "index.html" if path.is_dir() else path

    gz_cache: dict[Path, int] = {}

    def gzipped(url: str, body: int) -> int:
        path = local(url)
        if body == 0 or path is None or not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            return body
        if path not in gz_cache:
            gz_cache[path] = len(gzip.compress(path.read_bytes(), 6))
        return gz_cache[path]

    def search_file(url: str) -> bool:
        # the search bundle, and any data the search page fetches for itself
        return "/api/" in url

    out: dict = {"latency_ms": t1 - t0, "typed": typed_count, "final": final_count, "failed": failed,
                 "files": {}}
    for when in ("load", "query"):
        for part, test in (("search", search_file), ("page", lambda url: not search_file(url))):
            picked = [(url, body, head) for w, url, body, head in rows if w == when and test(url)]
            out[f"{when}_{part}"] = {"requests": len(picked), "raw": sum(b for _, b, _ in picked),
                                     "headers": sum(max(h, 0) for _, _, h in picked),
                                     "gz": sum(gzipped(u, b) for u, b, _ in picked)}
    # What the search downloads, by kind of file (both phases)
    kinds: dict[str, list[int]] = {}
    for _, url, body, _ in rows:
        if not search_file(url):
            continue
        parts = url.split("?")[0].split("/")
        # api/search/<lang>/<kind>/<n>.json, api/search/<lang>/index.json, api/services/<id>.json ...
        kind = parts[-2] if parts[-2] in ("terms", "facets", "cards") else parts[-1]
        entry = kinds.setdefault(kind, [0, 0, 0])
        entry[0] += 1
        entry[1] += body
        entry[2] += gzipped(url, body)
    out["files"] = kinds
    total = [out[f"{w}_search"] for w in ("load", "query")]
    out["search_raw"] = sum(t["raw"] for t in total)
    out["search_gz"] = sum(t["gz"] for t in total)
    out["requests"] = sum(t["requests"] for t in total)
    return out


def bench_size(n: int, work: Path, repeat: int = 1) -> dict:
    from thingwalla.generate import generate

    repo, site, floor_out = work / f"catalog-{n}", work / f"site-{n}", work / f"floor-{n}"
    for folder in (repo, site, floor_out):
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n== N = {n:,} services: generating …", flush=True)
    counts = generate(repo, n)
    script = work / "floor.py"
    script.write_text(FLOOR, encoding="utf-8")

    timings = work / f"timings-{n}.jsonl"
    floor = validate = build = step = None
    rounds = []  # (floor CPU, build CPU) of each round: measured minutes apart, on the same machine state
    # Each measurement `repeat` times, taking turns; the run with the least CPU counts (like timeit: on a shared
    # machine the other runs measure the neighbours too).
    for _ in range(repeat):
        shutil.rmtree(floor_out, ignore_errors=True)
        run = floor_run = check(measure([PY, str(script), str(repo), str(floor_out)]), "floor")
        print(f"   floor     {run.wall:7.1f} s wall {run.cpu:7.1f} s CPU {run.rss_mib:7.0f} MiB", flush=True)
        floor = run if floor is None or run.cpu < floor.cpu else floor
        run = check(measure([PY, "-m", "thingwalla.cli", "validate", "--repository", str(repo)]), "validate")
        print(f"   validate  {run.wall:7.1f} s wall {run.cpu:7.1f} s CPU {run.rss_mib:7.0f} MiB", flush=True)
        validate = run if validate is None or run.cpu < validate.cpu else validate
        timings.unlink(missing_ok=True)
        shutil.rmtree(site, ignore_errors=True)
        run = check(measure([PY, "-m", "mkdocs", "build", "-q", "-f", str(repo / "mkdocs.yml"), "-d", str(site)],
                            cwd=repo, env={"THINGWALLA_BUILD_TIMINGS": str(timings)}), "build")
        print(f"   build     {run.wall:7.1f} s wall {run.cpu:7.1f} s CPU {run.rss_mib:7.0f} MiB", flush=True)
        rounds.append((floor_run.cpu, run.cpu))
        if build is None or run.cpu < build.cpu:
            build = run
            # The search index step as the build ran it (the plugin records it): part of the build figure.
            steps = ([json.loads(line) for line in timings.read_text(encoding="utf-8").splitlines()]
                     if timings.exists() else [])
            step = next((s for s in steps if s["step"] == "search_index"), {"wall": 0.0, "cpu": 0.0, "rss_mib": 0.0})
    index_step = Run(step["wall"], step["cpu"], step["rss_mib"], 0, "")
    print(f"   index     {index_step.wall:7.1f} s wall {index_step.cpu:7.1f} s CPU {index_step.rss_mib:7.0f} MiB "
          "(within the build)", flush=True)
    search = measure_search(site, "saksbehandling")
    print_search(search)
    pages = sum(1 for _ in site.rglob("index.html"))
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    return {"n": n, "counts": counts, "floor": floor, "validate": validate, "build": build, "index": index_step,
            "search": search, "pages": pages, "site_mb": size / 1e6, "rounds": rounds}


def print_search(search: dict) -> None:
    print(f"   search    {search['search_gz'] / KB:7.1f} KB gzipped ({search['search_raw'] / KB:.1f} KB raw) in "
          f"{search['requests']} requests: page load {search['load_search']['gz'] / KB:.1f} KB, query "
          f"{search['query_search']['gz'] / KB:.1f} KB; {search['latency_ms']:.0f} ms to first results; "
          f"typed: {search['typed']}; facets: {search['final']}", flush=True)
    for kind, (n_files, raw, gz) in sorted(search["files"].items(), key=lambda item: -item[1][2]):
        print(f"             {kind:22s} {n_files:4d} x  {gz / KB:7.1f} KB gzipped ({raw / KB:.1f} KB raw)", flush=True)
    if search["failed"]:
        print(f"   search: {len(search['failed'])} request(s) failed, e.g. {search['failed'][0]}", flush=True)


def report(results: list[dict]) -> None:
    print("\n## Results\n")
    print("| N | pages | floor wall / CPU | validate wall / CPU | build wall / CPU / peak RSS | of which search index CPU "
          "| build CPU / floor CPU | validate / build (CPU) | site |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        f, v, b, p = r["floor"], r["validate"], r["build"], r["index"]
        print(f"| {r['n']:,} | {r['pages']:,} | {f.wall:.1f} / {f.cpu:.1f} s | {v.wall:.1f} / {v.cpu:.1f} s "
              f"| {b.wall:.1f} / {b.cpu:.1f} s / {b.rss_mib:,.0f} MiB | {p.cpu:.1f} s | {b.cpu / f.cpu:.2f}x "
              f"| {100 * v.cpu / b.cpu:.1f}% | {r['site_mb']:.0f} MB |")
    print("\n| N | search total, gzipped (raw) | requests | page load: search files, gzipped (raw) "
          "| query (word + two facets): search files, gzipped (raw) | first results after the last key "
          "| page itself (HTML, CSS, JS), gzipped (raw) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        s = r["search"]
        ls, qs, lp = s["load_search"], s["query_search"], s["load_page"]
        print(f"| {r['n']:,} | {s['search_gz'] / KB:.1f} KB ({s['search_raw'] / KB:.1f} KB) | {s['requests']} "
              f"| {ls['gz'] / KB:.1f} KB ({ls['raw'] / KB:.1f} KB) | {qs['gz'] / KB:.1f} KB ({qs['raw'] / KB:.1f} KB) "
              f"| {s['latency_ms']:.0f} ms | {lp['gz'] / KB:.1f} KB ({lp['raw'] / KB:.1f} KB) |")
    big = max(results, key=lambda r: r["n"])
    print(f"\n## Targets at N = {big['n']:,}\n")
    rows = [
        ("build CPU <= 2x floor CPU", big["build"].cpu / big["floor"].cpu, 2.0, "{:.2f}x"),
        ("validation <= 10% of build (CPU)", 100 * big["validate"].cpu / big["build"].cpu, 10.0, "{:.1f}%"),
        ("<= 300 KB downloaded per search (search files, page load + query, gzipped)",
         big["search"]["search_gz"] / KB, 300.0, "{:.1f} KB"),
        ("first results <= 300 ms after typing", big["search"]["latency_ms"], 300.0, "{:.0f} ms"),
    ]
    small = min(results, key=lambda r: r["n"])
    if small is not big:
        for label, key in (("CPU", "cpu"), ("wall", "wall")):
            ratio = getattr(big["build"], key) / getattr(small["build"], key)
            rows.append((f"build {label} t({_size(big['n'])})/t({_size(small['n'])}) <= 11", ratio, 11.0, "{:.2f}"))
    for label, value, limit, fmt in rows:
        print(f"- {label}: {fmt.format(value)} — {'met' if value <= limit else 'MISSED'}")
    if len(big["rounds"]) > 1:
        # The machine's speed drifts between rounds; a build and the floor just before it share one state.
        ratios = [b / f for f, b in big["rounds"]]
        print(f"  (build / floor round by round: {', '.join(f'{r:.2f}x' for r in ratios)}; "
              f"median {sorted(ratios)[len(ratios) // 2]:.2f}x)")
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")


def _size(n: int) -> str:
    """1000 -> '1k', 10000 -> '10k', 300 -> '300', 1500 -> '1.5k'."""
    return f"{n / 1000:g}k" if n >= 1000 else str(n)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated service counts (default 1000,10000)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the catalogs and sites")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run floor, validation and build N times each and keep the least CPU (default 1)")
    parser.add_argument("--search-only", metavar="SITE", help="only measure the search on an already built site")
    args = parser.parse_args()
    if args.search_only:
        search = measure_search(Path(args.search_only), "saksbehandling")
        print_search(search)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not Path(CHROMIUM).exists():
        sys.exit(f"bench: {CHROMIUM} is missing (make test-deps installs Debian's chromium)")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="thingwalla-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench_size(n, work, max(1, args.repeat)) for n in sizes]
        report(results)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
