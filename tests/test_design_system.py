"""The design system: DTCG tokens -> CSS, WCAG contrast of every declared pair, the CSS uses only those
pairs, the components load, and bad token files get located errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, build_site
from thingwalla import cli
from thingwalla.design_system import load_design_system
from thingwalla.tokens import contrast_ratio, load_design_tokens, rounded_ratio, tokens_css

MARKETPLACE_CSS = REPO / "scripts/thingwalla/site/static/marketplace.css"
COMPONENTS = ["skip-link", "header", "footer", "breadcrumbs", "button", "link", "text-input", "select", "checkbox",
              "radio", "alert", "badge", "card", "table", "pagination", "progress"]


@pytest.fixture(scope="module")
def design():
    return load_design_tokens(REPO)


# --- the formula --------------------------------------------------------------------------------------

@pytest.mark.parametrize("fg, bg, expected", [
    ("#767676", "#ffffff", 4.54),  # the darkest grey that passes AA on white
    ("#777777", "#ffffff", 4.47),  # one step lighter fails
    ("#000000", "#ffffff", 21.0),
    ("#ffffff", "#ffffff", 1.0),
    ("#1d4e89", "#ffffff", 8.38),
])
def test_contrast_ratio_follows_wcag_21(fg, bg, expected):
    assert rounded_ratio(contrast_ratio(fg, bg)) == expected
    assert contrast_ratio(fg, bg) == contrast_ratio(bg, fg)


def test_ratios_round_down_so_a_near_miss_never_reads_as_a_pass():
    assert rounded_ratio(4.4999) == 4.49


# --- the real tokens ----------------------------------------------------------------------------------

def test_the_tokens_load_without_problems(design):
    assert [p.as_text() for p in design.problems] == []
    assert design.hex("color.accent.base.default") == "#1d4e89"
    assert design.tokens["color.accent.base.default"].alias_of == "color.blue.700"
    assert design.hex("color.neutral.text.default") == "#1b1f24"


def test_every_declared_text_and_background_pair_meets_wcag_aa(design):
    assert len(design.pairs) == 31
    below = [f"{p.foreground} on {p.background}: {rounded_ratio(p.ratio)} < {p.minimum}" for p in design.pairs
             if p.ratio < p.minimum]
    assert below == []
    body = next(p for p in design.pairs if (p.foreground, p.background) ==
                ("color.neutral.text.default", "color.neutral.surface.default"))
    assert (body.kind, rounded_ratio(body.ratio)) == ("text", 16.56)


def test_tokens_become_css_custom_properties(design):
    css = tokens_css(design)
    assert css.startswith("/* Generated from design-system/tokens/*.tokens.json")
    assert "  --tw-color-blue-700: #1d4e89;\n" in css
    assert "  --tw-color-accent-base-default: var(--tw-color-blue-700);\n" in css
    assert "  --tw-space-5: 1rem;\n" in css
    assert "  --tw-font-family-body: -apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif;\n" in css
    assert "  --tw-font-weight-bold: 700;\n" in css
    assert css.count("--tw-") == len(design.tokens) + css.count("var(--tw-")


def _declared_rules(css: str):
    """(selector, {property: value}) for every rule of a stylesheet, comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        props = {}
        for decl in body.split(";"):
            if ":" in decl:
                name, value = decl.split(":", 1)
                props[name.strip()] = value.strip()
        yield selector.strip(), props


def _token_of(value: str, aliases: dict[str, str]) -> str | None:
    match = re.fullmatch(r"var\((--tw-[a-z0-9-]+)\)", value.replace("!important", "").strip())
    if not match:
        return None
    name = match.group(1)
    while name in aliases:
        name = aliases[name]
    return name


def test_the_css_puts_text_only_on_declared_backgrounds(design):
    """Every rule that sets both a text colour and a background names a pair from contrast-pairs.yaml."""
    stylesheets = MARKETPLACE_CSS.read_text(encoding="utf-8") + load_design_system(REPO).styles()
    aliases = {}
    for selector, props in _declared_rules(stylesheets):
        if selector.startswith(":root"):
            for name, value in props.items():
                target = _token_of(value, {})
                if name.startswith("--tw-") and target:
                    aliases[name] = target
    by_css = {t.css_name: t for t in design.tokens.values()}
    declared = {(design.hex(p.foreground), design.hex(p.background)) for p in design.pairs}
    checked, undeclared = 0, []
    for selector, props in _declared_rules(stylesheets):
        fg = _token_of(props.get("color", ""), aliases)
        bg = _token_of(props.get("background", props.get("background-color", "")), aliases)
        if not (fg and bg):
            continue
        checked += 1
        pair = (by_css[fg].value, by_css[bg].value)
        if pair not in declared:
            undeclared.append(f"{selector}: {fg} on {bg}")
    assert undeclared == []
    assert checked >= 30


def test_marketplace_css_has_no_literal_colours():
    """Colours come from the tokens; a literal colour here escapes the contrast check."""
    literal = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(|:\s*(white|black)\b")
    found = [f"marketplace.css:{n}: {line.strip()}" for n, line in
             enumerate(MARKETPLACE_CSS.read_text(encoding="utf-8").splitlines(), 1)
             if literal.search(line) and "box-shadow" not in line]
    assert found == [], "use a var(--tw-color-…) token (design-system/tokens/) and declare its pair"


# --- located errors in token files --------------------------------------------------------------------

@pytest.fixture
def token_repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "design-system" / "tokens", root / "design-system" / "tokens")
    return root


def _messages(root: Path) -> list[str]:
    return [p.as_text() for p in load_design_tokens(root).problems]


def test_an_alias_to_a_missing_token_is_located_with_a_suggestion(token_repo):
    path = token_repo / "design-system/tokens/semantic.tokens.json"
    text = path.read_text(encoding="utf-8").replace('"{color.blue.700}"', '"{color.blue.70}"', 1)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "{color.blue.70}" in row)
    col = text.splitlines()[line - 1].index('"{color.blue.70}"') + 1
    messages = _messages(token_repo)
    assert messages[0] == (f"design-system/tokens/semantic.tokens.json:{line}:{col}: error: token "
                           "color.accent.base.default refers to {color.blue.70}, which does not exist\n"
                           "    hint: did you mean {color.blue.700}?")


def test_invalid_json_is_located(token_repo):
    path = token_repo / "design-system/tokens/primitives.tokens.json"
    path.write_text('{\n  "color": {\n    "$type": "color",\n  }\n}\n', encoding="utf-8")
    assert _messages(token_repo)[0] == (
        "design-system/tokens/primitives.tokens.json:4:3: error: invalid JSON: Expecting property name enclosed in "
        "double quotes\n    hint: token files are strict JSON: no comments, no trailing commas, keys in double quotes")


def test_a_hex_that_disagrees_with_its_components_is_refused(token_repo):
    path = token_repo / "design-system/tokens/primitives.tokens.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["color"]["red"]["800"]["$value"]["hex"] = "#8a1c1d"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    messages = _messages(token_repo)
    assert len(messages) == 1
    assert re.fullmatch(r"design-system/tokens/primitives\.tokens\.json:\d+:\d+: error: token color\.red\.800: hex "
                        r"#8a1c1d does not match components \[0\.5412, 0\.1098, 0\.1098\] \(#8a1c1c\)\n"
                        r"    hint: make hex and components describe the same colour", messages[0])


def test_a_pair_below_aa_fails_at_its_line_in_the_pairs_file(token_repo):
    path = token_repo / "design-system/tokens/primitives.tokens.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["color"]["neutral"]["600"]["$value"] = {"colorSpace": "srgb", "components": [0.6, 0.6, 0.6], "hex": "#999999"}
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    pairs = (token_repo / "design-system/tokens/contrast-pairs.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(pairs, 1) if row == "  - text: color.neutral.text.subtle")
    messages = _messages(token_repo)
    assert messages == [
        f"design-system/tokens/contrast-pairs.yaml:{line}:5: error: color.neutral.text.subtle (#999999) on "
        "color.neutral.surface.default (#ffffff) has contrast 2.84:1; WCAG 2.1 AA needs 4.5:1 for text\n"
        "    hint: darken the foreground or lighten the background token (or the other way round)",
        f"design-system/tokens/contrast-pairs.yaml:{line + 3}:5: error: color.neutral.text.subtle (#999999) on "
        "color.neutral.surface.tinted (#f4f6f8) has contrast 2.62:1; WCAG 2.1 AA needs 4.5:1 for text\n"
        "    hint: darken the foreground or lighten the background token (or the other way round)",
    ]


def test_a_pair_naming_an_unknown_token_is_located(token_repo):
    path = token_repo / "design-system/tokens/contrast-pairs.yaml"
    text = path.read_text(encoding="utf-8").replace("on: color.neutral.surface.default\n", "on: color.neutral.surfac.default\n", 1)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "surfac.default" in row)
    assert _messages(token_repo) == [
        f"design-system/tokens/contrast-pairs.yaml:{line}:9: error: 'color.neutral.surfac.default' is not a colour "
        "token\n    hint: did you mean color.neutral.surface.default?"]


def test_a_circular_alias_is_reported_once(token_repo):
    path = token_repo / "design-system/tokens/semantic.tokens.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["color"]["loop"] = {"a": {"$value": "{color.loop.b}"}, "b": {"$value": "{color.loop.a}"}}
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    messages = [m.split(": error: ", 1)[1] for m in _messages(token_repo)]
    assert messages == ["circular alias: color.loop.a -> color.loop.b -> color.loop.a\n"
                        "    hint: point the alias at a token that holds a value"]


# --- the command --------------------------------------------------------------------------------------

def test_thingwalla_tokens_prints_css_and_checks(capsys, token_repo):
    (token_repo / "catalog").mkdir()
    assert cli.main(["tokens", "--repository", str(token_repo)]) == 0
    out = capsys.readouterr().out
    assert out == tokens_css(load_design_tokens(token_repo))
    assert cli.main(["tokens", "--check", "--repository", str(token_repo)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == " 16.56:1 (needs 4.5) text  color.neutral.text.default on color.neutral.surface.default"
    assert captured.err.strip() == "75 tokens; all 31 declared pairs meet WCAG 2.1 AA"


def test_thingwalla_tokens_fails_with_located_problems(capsys, token_repo):
    (token_repo / "catalog").mkdir()
    (token_repo / "design-system/tokens/primitives.tokens.json").write_text("[1, 2]\n", encoding="utf-8")
    assert cli.main(["tokens", "--repository", str(token_repo)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("design-system/tokens/primitives.tokens.json:1:1: error: a token file must hold "
                                   "a JSON object of groups and tokens")
    assert "no CSS written" in captured.err


# --- components ---------------------------------------------------------------------------------------

def test_sixteen_components_load_in_page_order():
    system = load_design_system(REPO)
    assert [p.as_text() for p in system.problems] == []
    assert [c.id for c in system.components] == COMPONENTS
    for component in system.components:
        assert set(component.examples) == {"nb", "en"}
        assert component.data["accessibility"]["nb"] and component.data["accessibility"]["en"]


def test_a_component_with_a_wrong_field_is_located(tmp_path):
    folder = tmp_path / "design-system/components/button"
    shutil.copytree(REPO / "design-system/components/button", folder)
    text = (folder / "component.yaml").read_text(encoding="utf-8").replace("status: stable", "status: done")
    (folder / "component.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("status: done") + 1
    problems = [p.as_text() for p in load_design_system(tmp_path).problems]
    assert problems == [f"design-system/components/button/component.yaml:{line}:9: error: status: 'done' is not one "
                        "of ['experimental', 'stable', 'deprecated']\n"
                        "    hint: see design-system/README.md for the fields of component.yaml"]


# --- the built site -----------------------------------------------------------------------------------

def test_the_build_generates_the_token_css_and_the_design_pages(built_site):
    assert (built_site / "assets/thingwalla/tokens.css").read_text(encoding="utf-8") == tokens_css(load_design_tokens(REPO))
    assert ".tw-progress__fill" in (built_site / "assets/thingwalla/components.css").read_text(encoding="utf-8")
    for component in COMPONENTS:
        assert (built_site / "designsystem" / component / "index.html").is_file()
        assert (built_site / "en/design-system" / component / "index.html").is_file()
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="stylesheet" href="assets/thingwalla/tokens.css">\s*'
                     r'<link rel="stylesheet" href="assets/thingwalla/components.css">\s*'
                     r'<link rel="stylesheet" href="assets/thingwalla/marketplace.css">', home)
    assert re.search(r'<a href="designsystem/">Designsystem</a>', home)
    # nothing generated is committed
    assert sorted(REPO.glob("design-system/**/*.css")) == sorted(REPO.glob("design-system/components/*/style.css"))


def test_a_pair_below_aa_stops_the_build(repo, tmp_path):
    shutil.copytree(REPO / "design-system", repo.root / "design-system")
    path = repo.root / "design-system/tokens/primitives.tokens.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["color"]["blue"]["700"]["$value"] = {"colorSpace": "srgb", "components": [0.4, 0.6, 1], "hex": "#6699ff"}
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = build_site(repo.root, tmp_path / "out")
    assert result.returncode != 0
    assert ("design-system/tokens/contrast-pairs.yaml:19:5: error: color.accent.text.default (#6699ff) on "
            "color.neutral.surface.default (#ffffff) has contrast 2.77:1; WCAG 2.1 AA needs 4.5:1 for text") in result.stderr
    assert "the design system has" in result.stderr and "Traceback" not in result.stderr
