"""Hostile and broken YAML: every case gives one located problem and never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from thingwalla.load import MAX_BYTES, load_bytes

HEADER = b"# comment\n"


def problems_of(raw: bytes) -> list[str]:
    doc, problems = load_bytes(raw, Path("x.yaml"), "x.yaml")
    assert doc is None
    return [f"{p.line}:{p.column}: {p.message}" for p in problems]


CASES = {
    "empty file": (b"", ["1:1: the file is empty"]),
    "only comments": (b"# nothing here\n\n", ["1:1: the file is empty"]),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", ["1:1: this is a binary file, not YAML text"]),
    "not UTF-8": (b"id: demo\nname: caf\xe9\n", ["2:10: the file is not valid UTF-8 (byte 0xe9)"]),
    "bad indentation": (b"id: demo\n  name: x\n", ["2:7: YAML syntax error: mapping values are not allowed in this context"]),
    "unclosed quote": (b'id: "demo\n', ["2:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar that starts on line 1)"]),
    "tab indentation": (b"a:\n\tb: 1\n", ["2:1: YAML syntax error: a tab character where YAML expects spaces"]),
    "unclosed bracket": (b"a: 1\nlist: [x, y\nb: 2\n",
                         ["3:2: YAML syntax error: did not find expected ',' or ']' "
                          "(while parsing a flow sequence that starts on line 2)"]),
    "two documents": (b"a: 1\n---\nb: 2\n", ["2:1: YAML syntax error: the file holds more than one YAML document ('---')"]),
    "duplicate key": (b"a: 1\nb: 2\na: 3\n", ["3:1: duplicate key 'a' (first given on line 1)"]),
    "alias bomb": (b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   b"c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
                   [f"2:{c}: YAML alias '*a' is not allowed" for c in (8, 12, 16, 20, 24, 28, 32, 36, 40)]
                   + [f"3:{c}: YAML alias '*b' is not allowed" for c in (5, 9, 13, 17, 21, 25, 29, 33, 37)]),
    "merge key": (b"base: {a: 1}\nother:\n  <<: {a: 2}\n", ["3:3: YAML merge keys ('<<') are not allowed"]),
    "python tag": (b"a: !!python/object/apply:os.system ['true']\n",
                   ["1:4: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"]),
    "custom tag": (b"a: !secret x\n", ["1:4: the YAML tag '!secret' is not allowed"]),
    "binary tag": (b"a: !!binary aGVsbG8=\n", ["1:4: the YAML tag 'tag:yaml.org,2002:binary' is not allowed"]),
    "complex key": (b"? [a, b]\n: 1\n", ["1:3: a mapping key must be plain text"]),
    "deep flow nesting": (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
                          None),  # libyaml refuses it itself; the exact wording is checked below
    "deep block nesting": ("".join("  " * i + f"k{i}:\n" for i in range(40)).encode() + b"  " * 40 + b"v\n",
                           ["25:49: the document is nested more than 24 levels deep"]),
}


@pytest.mark.parametrize("raw,expected", CASES.values(), ids=CASES.keys())
def test_refused_with_location(raw, expected):
    found = problems_of(raw)
    if expected is None:
        assert len(found) == 1 and "nest" in found[0]
    else:
        assert found == expected


def test_huge_file_refused_before_parsing():
    raw = b"a: '" + b"x" * (MAX_BYTES + 10) + b"'\n"
    assert problems_of(raw) == [f"1:1: the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}"]


def test_many_values_refused():
    raw = b"a: [" + b"1, " * 60_000 + b"1]\n"
    (message,) = problems_of(raw)
    assert "more than 50,000 values" in message


def test_positions_of_keys_and_values():
    raw = HEADER + b"id: demo\nname:\n  nb: Navn\nlist:\n  - first\n  - {k: v}\n"
    doc, problems = load_bytes(raw, Path("x.yaml"), "x.yaml")
    assert problems == []
    assert doc.data == {"id": "demo", "name": {"nb": "Navn"}, "list": ["first", {"k": "v"}]}
    assert doc.positions[("id",)] == (2, 5)
    assert doc.key_positions[("name", "nb")] == (4, 3)
    assert doc.positions[("name", "nb")] == (4, 7)
    assert doc.positions[("list", 1, "k")] == (7, 9)
    assert doc.first_line == "# comment"


def test_yaml_1_2_booleans_and_dates_stay_text():
    doc, _ = load_bytes(b"a: NO\nb: yes\nc: true\nd: 2026-01-02\ne: 12\nf: 1.5\ng: ~\nh: off\n", Path("x"), "x")
    assert doc.data == {"a": "NO", "b": "yes", "c": True, "d": "2026-01-02", "e": 12, "f": 1.5, "g": None, "h": "off"}


def test_byte_order_mark_is_accepted():
    doc, problems = load_bytes("\ufeffa: 1\n".encode(), Path("x"), "x")
    assert problems == [] and doc.data == {"a": 1}


def test_anchor_without_alias_is_harmless():
    doc, problems = load_bytes(b"a: &x 1\nb: 2\n", Path("x"), "x")
    assert problems == [] and doc.data == {"a": 1, "b": 2}


def test_star_inside_text_is_not_an_alias():
    doc, problems = load_bytes(b"a: '*not an alias*'\nb: 5 * 3\n", Path("x"), "x")
    assert problems == [] and doc.data == {"a": "*not an alias*", "b": "5 * 3"}


def test_positions_are_worked_out_only_when_asked_for(tmp_path):
    """A valid catalog is validated without locating any value (the cost that dominated validation at 10,000
    services); a problem still gets its line and column."""
    from thingwalla.generate import generate
    from thingwalla.validate import validate_repository

    generate(tmp_path / "repo", 30)
    result = validate_repository(tmp_path / "repo")
    assert result.ok, result.problems[:3]
    services = result.documents["service"]
    assert len(services) == 30
    assert [d.relpath for d in services if d._positions is not None] == []
    doc = services[0]
    assert doc.position(("pricing", "plans", 0, "price"))[0] > 1 and doc._positions is not None
