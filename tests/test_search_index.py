"""The search page's static index (site/search_index.py): what each file holds, checked against the catalog.

The browser side (search.js reading these files) is tested in test_find.py; here the files themselves, from
the site the session builds, and the scoring and splitting rules on small inputs.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import pytest

from conftest import REPO

TODAY = dt.date(2026, 12, 3)  # conftest.build_site pins THINGWALLA_TODAY to this day


@pytest.fixture(scope="module")
def catalog():
    from thingwalla.model import build_catalog
    from thingwalla.validate import validate_repository

    result = validate_repository(REPO, on_date=TODAY)
    return build_catalog(result)


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def members(encoded: str) -> set[int]:
    data = base64.b64decode(encoded)
    return {n for n in range(len(data) * 8) if data[n >> 3] >> (n & 7) & 1}


@pytest.fixture(scope="module")
def index(built_site):
    """Each language's manifest, cards (in the index's numbering) and facets, as the browser would fetch them."""
    out = {}
    for lang in ("nb", "en"):
        folder = built_site / "api" / "search" / lang
        manifest = read(folder / "index.json")
        cards = [card for n in range(0, manifest["count"], manifest["chunk"])
                 for card in read(folder / "cards" / f"{n // manifest['chunk']}.json")]
        facets = {key: read(folder / "facets" / f"{key}.json") for key in manifest["facets"]}
        out[lang] = {"folder": folder, "manifest": manifest, "cards": cards, "facets": facets}
    return out


def service_id(card) -> str:
    return card["url"].rstrip("/").rsplit("/", 1)[-1]


def test_every_service_has_one_card_numbered_newest_first(index, catalog):
    from thingwalla.site.pages import nordic_key

    for lang, data in index.items():
        ids = [service_id(card) for card in data["cards"]]
        assert sorted(ids) == sorted(catalog.services) and data["manifest"]["count"] == len(ids)
        # newest first, ties by name: the order a search without words lists them in
        expected = sorted(sorted(catalog.services.values(), key=lambda s: (nordic_key(s.name(lang)), s.id)),
                          key=lambda s: -(s.listed.toordinal() if s.listed else 0))
        assert ids == [s.id for s in expected]
        assert data["cards"][0]["meta"]["title"] == expected[0].name(lang)


def test_facets_hold_each_service_under_its_own_values(index, catalog):
    from thingwalla.site.pages import search_record

    rulebook = build_rulebook()
    for lang, data in index.items():
        ids = [service_id(card) for card in data["cards"]]
        for key, values in data["facets"].items():
            for number, sid in enumerate(ids):
                expected = set(search_record(catalog.services[sid], TODAY, rulebook)["filters"][key])
                assert {v for v, encoded in values.items() if number in members(encoded)} == expected, (lang, key, sid)


def build_rulebook():
    from thingwalla.validate import validate_repository

    return validate_repository(REPO, on_date=TODAY).compliance


def test_a_word_is_indexed_for_exactly_the_services_that_contain_it(index, catalog):
    from thingwalla.site.search_index import words

    def text(service, lang):
        return " ".join([service.name(lang), service.tagline(lang), service.description(lang),
                         service.vendor.display_name, " ".join(service.tags)])

    for lang, data in index.items():
        ids = [service_id(card) for card in data["cards"]]
        shards = data["manifest"]["shards"]
        for word in ("skole", "arkiv", "peppol", "søknad" if lang == "nb" else "application"):
            key = word[:3] if word[:3] in shards else word[:2]
            postings = read(data["folder"] / "terms" / shards[key]).get(word, [])
            found, n = set(), 0
            for gap in postings[0::2]:
                n += gap
                found.add(ids[n])
            expected = {s.id for s in catalog.services.values()
                        if word in words(re.sub(r"\]\([^)]*\)", "]", text(s, lang)))}
            assert found == expected, (lang, word)


def test_name_counts_more_than_description():
    from thingwalla.site.search_index import decode, score

    docs = [{"name": "Saksarkiv", "tagline": "", "vendor": "", "tags": "", "description": "Noe om arkiv og mer."},
            {"name": "Arkiv", "tagline": "", "vendor": "", "tags": "", "description": "Noe om saker og mer."},
            {"name": "Annet", "tagline": "", "vendor": "", "tags": "", "description": "Helt annet innhold her."}]
    postings = decode(score(docs)["arkiv"])
    assert set(postings) == {0, 1}  # "saksarkiv" is a word of its own: a word matches from its beginning
    assert postings[1] > postings[0]


def test_a_big_group_of_words_is_split_by_the_third_letter(monkeypatch):
    from thingwalla.site import search_index

    index = object.__new__(search_index.LanguageIndex)
    index.postings = {"sa": [0, 5], "sak": [0, 5, 3, 7], "saksbehandling": [1, 9, 1, 9], "sol": [2, 1], "ti": [4, 2]}
    assert set(index.shards()) == {"sa", "so", "ti"}
    monkeypatch.setattr(search_index, "SHARD_LIMIT", 40)
    shards = {key: json.loads(text) for key, text in index.shards().items()}
    assert set(shards) == {"sa", "sak", "so", "ti"}  # only the big group; its two-letter words stay in "sa"
    assert shards["sak"] == {"sak": [0, 5, 3, 7], "saksbehandling": [1, 9, 1, 9]}
