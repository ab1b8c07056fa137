"""Automated accessibility checks of every design-system component, on its page in the built site.

For each component page (bokmål and English) in headless Chromium, on the live example only:
- axe: axe-core's WCAG 2.1 A/AA rules (wcag2a, wcag2aa, wcag21a, wcag21aa);
- keyboard: Tab reaches every focusable element in document order (one stop per radio group) and each
  shows a focus indicator (an outline or a box-shadow, read with getComputedStyle);
- reflow: at a 320 CSS px wide window the example does not overflow its box (WCAG 1.4.10);
- contrast: every text's colour against its effective background meets 4.5:1 (3:1 for large text), and
  both colours are design-token colours (so components cannot drift from the tokens).
The results are what `a11y-results.json` records in each component folder; the page shows them.
Needs Playwright, Debian's chromium and a local copy of axe-core (never downloaded here).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from .design_system import RESULTS_FILE, Component, DesignSystem
from .site import i18n
from .site.pages import url_for
from .tokens import DesignTokens, rounded_ratio

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EXAMPLE = "[data-tw-example]"
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class CheckSetupError(Exception):
    """Something the checks need is missing (axe-core, Playwright, chromium); the message says how to get it."""


def find_axe(root: Path) -> Path:
    candidates = [os.environ.get("THINGWALLA_AXE_CORE", ""), str(root / "node_modules" / "axe-core" / "axe.min.js")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise CheckSetupError("axe-core was not found: run `npm install` in the repository (pa11y-ci brings axe-core), "
                          "or set THINGWALLA_AXE_CORE to the path of axe.min.js")


_KEYBOARD_JS = """async ([selector]) => {
  const example = document.querySelector(selector);
  const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), ' +
                    'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  const all = [...example.querySelectorAll(focusable)];
  const seen = new Set(), expected = [];
  for (const e of all) {  // a radio group is one Tab stop: its checked button, else its first
    if (e.type !== 'radio') { expected.push(e); continue; }
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    const group = all.filter(o => o.type === 'radio' && o.name === e.name);
    expected.push(group.find(o => o.checked) || group[0]);
  }
  const start = document.createElement('span');
  start.tabIndex = 0; start.id = 'tw-keyboard-start';
  example.before(start);
  start.focus();
  return expected.length;
}"""

_FOCUS_STATE_JS = """([selector]) => {
  const el = document.activeElement;
  const example = document.querySelector(selector);
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const path = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).filter(c => c !== 'focus-visible').join('.') : '');
  const all = [...example.querySelectorAll('*')];
  return {inside: example.contains(el), index: all.indexOf(el), visible: box.width > 0 && box.height > 0,
          indicator: outline || shadow, name: path};
}"""

_CONTRAST_JS = """([selector]) => {
  const example = document.querySelector(selector);
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return {rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1}; };
  const hex = rgb => '#' + rgb.map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  const background = el => { for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) return hex(c.rgb); }
    return '#ffffff'; };
  const out = [];
  for (const el of example.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(el); const box = el.getBoundingClientRect();
    if (s.visibility === 'hidden' || box.width <= 1 || box.height <= 1 || box.right < 0) continue;  // hidden or off-screen
    if (el.closest('[aria-hidden="true"]') && !el.closest('.tw-stars')) continue;
    const size = parseFloat(s.fontSize); const bold = parseInt(s.fontWeight) >= 700;
    out.push({name: el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/)[0] : ''),
              text: [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join(' ').slice(0, 30),
              color: hex(parse(s.color).rgb), background: background(el), large: size >= 24 || (bold && size >= 18.66)});
  }
  return out;
}"""


def check_component(page, base_url: str, component: Component, tokens: DesignTokens, axe_source: str) -> dict:
    """Run every check on the component's page in both languages; a summary per check."""
    from .tokens import contrast_ratio

    token_colours = {t.value for t in tokens.tokens.values() if t.type == "color"}
    axe = {"id": "axe", "tool": "", "result": "pass", "violations": [], "passes": 0}
    keyboard = {"id": "keyboard", "result": "pass", "elements": 0, "failures": []}
    reflow = {"id": "reflow", "result": "pass", "width": 0, "failures": []}
    contrast = {"id": "contrast", "result": "pass", "elements": 0, "lowest": 21.0, "failures": []}
    passed_rules: set[str] = set()
    for lang in i18n.LANGS:
        url = base_url + url_for("design", lang, component.id)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        if page.locator(EXAMPLE).count() != 1:
            raise CheckSetupError(f"{url} has no live example ({EXAMPLE}); is the site built from this repository?")
        # axe-core on the example
        page.add_script_tag(content=axe_source)
        run = page.evaluate("""async ([selector, tags]) => {
            const r = await axe.run({include: [selector]}, {runOnly: {type: 'tag', values: tags},
                                                             resultTypes: ['violations', 'passes']});
            return {version: axe.version, violations: r.violations.map(v => v.id + ' (' + v.nodes.length + ')'),
                    passes: r.passes.map(p => p.id)};
        }""", [EXAMPLE, AXE_TAGS])
        axe["tool"] = f"axe-core {run['version']}"
        axe["violations"] += [f"{lang}: {v}" for v in run["violations"]]
        passed_rules |= set(run["passes"])
        # keyboard
        expected = page.evaluate(_KEYBOARD_JS, [EXAMPLE])
        last_index = -1
        for step in range(expected):
            page.keyboard.press("Tab")
            state = page.evaluate(_FOCUS_STATE_JS, [EXAMPLE])
            if not state["inside"]:
                keyboard["failures"].append(f"{lang}: Tab {step + 1} left the example at {state['name']}")
                break
            if state["index"] <= last_index:
                keyboard["failures"].append(f"{lang}: Tab {step + 1} went back to {state['name']}")
            if not state["visible"] or not state["indicator"]:
                keyboard["failures"].append(f"{lang}: {state['name']} has no visible focus indicator")
            last_index = state["index"]
        keyboard["elements"] += expected
        # contrast, and that the colours are tokens: at rest (no focus, no transition half-way)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.add_style_tag(content=NO_MOTION)
        for item in page.evaluate(_CONTRAST_JS, [EXAMPLE]):
            ratio = contrast_ratio(item["color"], item["background"])
            contrast["elements"] += 1
            contrast["lowest"] = min(contrast["lowest"], rounded_ratio(ratio))
            needed = 3.0 if item["large"] else 4.5
            where = f"{lang}: {item['name']} \u201c{item['text']}\u201d"
            if ratio < needed:
                contrast["failures"].append(f"{where} {item['color']} on {item['background']} is "
                                            f"{rounded_ratio(ratio):.2f}:1, needs {needed}:1")
            for colour in (item["color"], item["background"]):
                if colour not in token_colours:
                    contrast["failures"].append(f"{where} uses {colour}, which is not a design token colour")
        # reflow at 320 CSS px
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(url)
        size = page.evaluate("""([selector]) => { const e = document.querySelector(selector);
                                 return {scroll: e.scrollWidth, client: e.clientWidth}; }""", [EXAMPLE])
        reflow["width"] = max(reflow["width"], size["scroll"])
        if size["scroll"] > size["client"]:
            reflow["failures"].append(f"{lang}: the example is {size['scroll']} px wide in a {size['client']} px box")
    axe["passes"] = len(passed_rules)
    contrast["failures"] = sorted(set(contrast["failures"]))
    for check in (axe, keyboard, reflow, contrast):
        if check.get("violations") or check.get("failures"):
            check["result"] = "fail"
    if contrast["elements"] == 0:
        contrast["lowest"] = 0
    return {"component": component.id, "checks": [axe, keyboard, reflow, contrast]}


def run_checks(base_url: str, design: DesignSystem, tokens: DesignTokens, axe_path: Path, browser=None) -> dict:
    """{component id: results} for every component, in a headless Chromium (started here unless given)."""
    axe_source = axe_path.read_text(encoding="utf-8")
    if browser is not None:
        return _run_all(browser, base_url, design, tokens, axe_source)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise CheckSetupError("Playwright is not installed: run `make test-deps`") from None
    if not Path(CHROMIUM).exists():
        raise CheckSetupError(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _run_all(instance, base_url, design, tokens, axe_source)
        finally:
            instance.close()


def _run_all(browser, base_url, design, tokens, axe_source) -> dict:
    context = browser.new_context(locale="nb-NO")
    try:
        page = context.new_page()
        results = {}
        for component in design.components:
            record = check_component(page, base_url, component, tokens, axe_source)
            record["browser"] = f"Chromium {browser.version}"
            results[component.id] = record
        return results
    finally:
        context.close()


def comparable(record: dict | None) -> dict | None:
    """A record without what changes on every run (the date and the browser build)."""
    if record is None:
        return None
    return {k: v for k, v in record.items() if k not in ("date", "date_value", "browser")}


def write_results(design: DesignSystem, results: dict, today: dt.date) -> list[Path]:
    written = []
    for component in design.components:
        record = {"component": component.id, "date": today.isoformat(), **comparable(results[component.id]),
                  "browser": results[component.id]["browser"]}
        path = component.folder / RESULTS_FILE
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
