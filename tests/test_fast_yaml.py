"""The fast first reading of YAML (yaml-rs) gives exactly the data of the exact path (libyaml + load.py), or
steps aside: on the repository's content, a generated catalog, the publiccode.yml parser's cases and texts
written to tell YAML 1.1 from 1.2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED
from thingwalla import load
from thingwalla.fast_yaml import EXACT, fast_data

PUBLICCODE_CASES = SHARED / "peer" / "publiccode-testdata"


def exact(text: str, monkeypatch) -> tuple[object, list]:
    """What load.py makes of a text without the fast reading: the data, or its problems."""
    with monkeypatch.context() as patch:
        patch.setattr(load, "fast_data", lambda *args: EXACT)
        doc, problems = load.load_bytes(text.encode("utf-8"), Path("x.yaml"), "x.yaml")
    return (doc.data if doc else None), problems


def fast(text: str) -> object:
    return fast_data(text, load.MAX_DEPTH, load.MAX_NODES)


def assert_same(text: str, monkeypatch, where: str) -> bool:
    """True where the fast reading answered (and agreed), False where it stepped aside."""
    data = fast(text)
    if data is EXACT:
        return False
    expected, problems = exact(text, monkeypatch)
    assert not problems, f"{where}: the fast reading accepted a text the exact path refuses: {problems[0]}"
    assert data == expected and _types(data) == _types(expected), where
    return True


def _types(value):
    """The data with each scalar's type beside it (True == 1 and 1.0 == 1 in Python)."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return (type(value).__name__, value)


def test_the_repositorys_own_yaml_reads_the_same_and_mostly_fast(monkeypatch):
    skip = {".venv", "node_modules", "site", ".git", "test-artifacts"}
    files = sorted(p for pattern in ("*.yaml", "*.yml") for p in REPO.rglob(pattern)
                   if not skip & set(p.relative_to(REPO).parts))
    assert len(files) > 100
    answered = sum(assert_same(p.read_text(encoding="utf-8-sig"), monkeypatch, str(p)) for p in files)
    # (org numbers, phone numbers and times of day send some files the exact way)
    assert answered >= 0.7 * len(files), f"only {answered} of {len(files)} files read fast"


def test_a_generated_catalog_reads_the_same(tmp_path, monkeypatch):
    from thingwalla.generate import generate

    generate(tmp_path, 200)
    files = sorted((tmp_path / "catalog").rglob("*.yaml"))
    answered = sum(assert_same(p.read_text(encoding="utf-8"), monkeypatch, str(p)) for p in files)
    assert answered >= 0.8 * len(files)


@pytest.mark.skipif(not PUBLICCODE_CASES.is_dir(), reason=f"peer test data missing: {PUBLICCODE_CASES}")
def test_the_publiccode_parsers_cases_read_the_same(monkeypatch):
    files = sorted(PUBLICCODE_CASES.rglob("*.yml"))
    assert len(files) > 200
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        if len(text.encode()) <= load.MAX_BYTES and text.strip():
            assert_same(text, monkeypatch, str(path))


# Texts on which YAML 1.1 and 1.2, or libyaml and yaml-rs, could part ways.
EDGE_CASES = [
    "a: 017", "a: -017", "a: 0o17", "a: 0b101", "a: 0x1F", "a: 0X1F", "a: 1_000", "a: 1_000.5", "a: 1:20",
    "a: 1e3", "a: 1.0e+3", "a: 1.5E3", "a: .5", "a: .inf", "a: -.inf", "a: .NaN", "a: 1.", "a: +12", "a: -0",
    "a: 12345678901234567890", "a: 0", "a: 1.50", "a: 2026-01-01", "a: 2026-01-01T10:00:00Z", "a: 10:30",
    "a: yes", "a: no", "a: NO", "a: on", "a: y", "a: True", "a: TRUE", "a: false", "a: ~", "a:", "a: null",
    "a: NULL", "a: =", "b: a = b", "true: x", "1: x", "1.5: x", "~: x", "null: x", "a: !!str 1", "a: !custom x",
    "a: &anchor 1\nb: *anchor", "base: &b {x: 1}\nc:\n  <<: *b", "a: 1\na: 2", "---\na: 1", "a: 1\n---\nb: 2",
    "%YAML 1.2\n---\na: 1", "a:\n\tb: 1", "a: 'it''s'", 'a: "tab\\there \\u00e6"', "a: |\n  one\n  two\n",
    "a: >-\n  folded\n  text\n\n  para\n", "a: |+\n  keep\n\n", "a: plain\n  multi\n\n  line",
    "a: x # comment", "a: 'x # not a comment'", "list:\n- a\n- b:\n    c: [1, 2, {d: e}]", "a: [1, 017]",
    "? complex\n: key", "- - nested", "a: R&D og Q&A!", "a: 50 % rabatt", "a: kl. 08:00", "a: 0150 Oslo",
    "a: line\r\nb: crlf\r\n", "a: \"multi\n  line quoted\"", "a: æøå ÆØÅ ★", "a: [a, b]\nb: {c: d}",
    "a:\n  - 1\n  - 2.5\n  - x\n  - true\n  - null", "a: nan", "a: inf", "a: -inf", "a: Infinity", "a: 1,000",
    "a: 1__0", "a: +-1", "a: 1.2.3", "a: 1e", "a: 0.", "a: -0.0", "a: +.5", "a: 5.", "a: True1", "a: 0o", "a: -",
    "a: .", "a: ..", "a: 1 # c", "a: 1e1000", "a: 1.5e-3", "a: 12.50 kr", "a: '017'", 'a: "1e3"',
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_texts_that_tell_yaml_versions_apart_read_the_same_or_go_the_exact_way(text, monkeypatch):
    assert_same(text, monkeypatch, repr(text))


@pytest.mark.parametrize("text", ["a: 017", "a: 1e3", "a: 1:20", "a: =", "a: &x 1\nb: *x", "a: !!str 1",
                                  "a: 1\na: 2", "- - x", "a:\n\tb: 1"])
def test_what_the_versions_read_differently_or_the_exact_path_must_judge_goes_the_exact_way(text):
    assert fast(text) is EXACT


def test_everyday_entries_go_the_fast_way():
    assert fast("id: x\nname:\n  nb: Tjeneste\n  en: Service\nprice: 1500\nrating: 4.5\nlisted: 2026-01-01\n") == {
        "id": "x", "name": {"nb": "Tjeneste", "en": "Service"}, "price": 1500, "rating": 4.5, "listed": "2026-01-01"}


def test_limits_hold_on_the_fast_way_too(monkeypatch):
    deep = "a:\n" + "".join(" " * depth + "b:\n" for depth in range(1, 30)) + " " * 30 + "c: 1\n"
    wide = "a:\n" + "".join(f"  - x{i}\n" for i in range(load.MAX_NODES + 10))
    for text in (deep, wide):
        assert fast(text) is EXACT
        _, problems = exact(text, monkeypatch)
        assert problems and problems[0].code in ("load.depth", "load.size")


def test_nesting_that_would_exhaust_the_parsers_stack_is_refused_with_a_message():
    # yaml-rs itself crashes on 100,000 nested "- "; the screen must keep such a text from it.
    script = ("import sys; from pathlib import Path; from thingwalla.load import load_bytes; "
              "doc, problems = load_bytes(('- ' * 100000 + 'x').encode(), Path('x.yaml'), 'x.yaml'); "
              "print(problems[0].code)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(REPO / "scripts")})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() in ("load.depth", "load.syntax")
