"""The search page's static index: catalog -> files under api/search/<lang>/, read by search.js.

Written by the build for each language; the browser downloads only what one search needs:

- index.json     the manifest (number of services, which term shard holds which words, facet files)
- terms/<k>.json the words starting with <k> (2 or 3 letters), each with its services and a relevance score
- facets/<f>.json one facet's values, each the set of services that have it (a bitset, base64)
- cards/<n>.json  the result cards of CHUNK services at a time (what a card shows, and its "fits us" facts)
- sorts.json     each service's place in the rating, users, name and newest orders (fetched to sort)

Services are numbered newest first (ties by name), the page's own first view: a search without words lists
them in that order with no sort file. Relevance is BM25 over weighted fields (name > tagline, vendor, tags >
description), computed here once, so the browser only adds up numbers. Replaces Pagefind: at 10,000
services it built in a fraction of Pagefind's CPU and answers a word that matches most services in a few
milliseconds instead of ~500 (see README, Performance).
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections import Counter
from pathlib import Path

from ..model import Catalog, Service
from .pages import FACETS, SORTS, search_card, search_record, sort_orders

VERSION = 1
CHUNK = 32  # cards per file: a page of 10 results touches at most 10 small files
SHARD_LIMIT = 48_000  # bytes of JSON: a bigger shard is split by the next letter of its words
FILTER_KEYS = (*FACETS, "regulation")  # "regulation" (satisfied) is not shown; "fits us" filters on it
# Field weights: a word in the name says more about a service than the same word in its description.
WEIGHTS = {"name": 4.0, "tagline": 2.0, "vendor": 2.0, "tags": 2.0, "description": 1.0}
K1, B = 1.2, 0.75

_WORD = re.compile(r"[^\W_]+")  # letters and digits, in any script (Python's and search.js's rule alike)
_TAG = re.compile(r"<[^>]+>")


def words(text: str) -> list[str]:
    """The words of a text as the index and search.js see them: lower-cased runs of letters and digits."""
    return _WORD.findall(text.lower())


def searchable_fields(service: Service, lang: str, description_html: str) -> dict[str, str]:
    """What search covers: name, tagline, description (its rendered text, not its Markdown), vendor and tags."""
    return {"name": service.name(lang), "tagline": service.tagline(lang), "vendor": service.vendor.display_name,
            "tags": " ".join(service.tags), "description": html.unescape(_TAG.sub(" ", description_html))}


def shard_key(term: str) -> str:
    return term[:2]


def encode_bits(members: list[int], size: int) -> str:
    bits = bytearray((size + 31) // 32 * 4)  # whole 32-bit words: search.js reads them as a Uint32Array
    for n in members:
        bits[n >> 3] |= 1 << (n & 7)
    return base64.b64encode(bytes(bits)).decode("ascii")


def _write(path: Path, data) -> int:
    text = _dump(data)
    path.write_text(text, encoding="utf-8")
    return len(text)


def score(documents: list[dict[str, str]]) -> dict[str, list[int]]:
    """word -> postings for documents of fields (WEIGHTS): the documents that have the word, in order, as
    [gap, score, gap, score, ...] (gap: document number minus the previous one's). The score is BM25 over
    weighted term frequencies (BM25F-like), an integer (x100), enough to order results."""
    counts: list[dict[str, float]] = []
    lengths = []
    frequency: Counter = Counter()
    for fields in documents:
        tf: dict[str, float] = {}
        length = 0.0
        for field, text in fields.items():
            found = words(text)
            weight = WEIGHTS[field]
            length += weight * len(found)
            for word, n in Counter(found).items():
                tf[word] = tf.get(word, 0.0) + weight * n
        counts.append(tf)
        lengths.append(length)
        frequency.update(tf.keys())
    n = len(documents)
    average = (sum(lengths) / n) if n else 1.0
    # score = 100 * idf * f * (K1 + 1) / (f + norm): the constant part per word, worked out once
    factor = {term: 100 * (K1 + 1) * math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in frequency.items()}
    postings: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    for number, (tf, length) in enumerate(zip(counts, lengths)):
        norm = K1 * (1 - B + B * length / average)
        for term, f in tf.items():
            flat = postings.get(term)
            if flat is None:
                postings[term] = [number, int(factor[term] * f / (f + norm) + 0.5) or 1]
            else:
                flat += (number - last[term], int(factor[term] * f / (f + norm) + 0.5) or 1)
            last[term] = number
    return postings


def decode(postings: list[int]) -> dict[int, int]:
    """Postings as {document number: score}."""
    out, number = {}, 0
    for i in range(0, len(postings), 2):
        number += postings[i]
        out[number] = postings[i + 1]
    return out


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class LanguageIndex:
    """The index of one language, built from the catalog; `write` puts it on disk."""

    def __init__(self, catalog: Catalog, lang: str, today, describe, rulebook=None, a11y=None):
        """`describe(service, lang)` gives the description's rendered HTML (the page renderer's, cached)."""
        self.lang = lang
        services = sorted(catalog.services.values(), key=lambda s: s.id)
        orders = sort_orders(services, lang)
        self.services: list[Service] = orders["listed"]  # newest first: the ordinal of each service
        self.records = [search_record(s, today, rulebook, a11y) for s in self.services]
        position = {s.id: n for n, s in enumerate(self.services)}
        self.sorts = {}
        for key in SORTS:
            ranks = [0] * len(self.services)
            for rank, service in enumerate(orders[key]):
                ranks[position[service.id]] = rank
            self.sorts[key] = ranks
        self.postings = score([searchable_fields(s, lang, describe(s, lang)) for s in self.services])

    def shards(self) -> dict[str, str]:
        """Terms grouped by their first two letters, as the JSON text of each file; a group over SHARD_LIMIT is
        split by the third letter (words of two letters stay in the group of two)."""
        groups: dict[str, dict[str, list[int]]] = {}
        for term in sorted(self.postings):
            groups.setdefault(shard_key(term), {})[term] = self.postings[term]
        out: dict[str, str] = {}
        for key, terms in groups.items():
            text = _dump(terms)
            if len(text) <= SHARD_LIMIT:
                out[key] = text
                continue
            split: dict[str, dict[str, list[int]]] = {}
            for term, flat in terms.items():
                split.setdefault(term[:3], {})[term] = flat
            out.update((k, _dump(v)) for k, v in split.items())
        return out

    def facets(self) -> dict[str, dict[str, str]]:
        members: dict[str, dict[str, list[int]]] = {key: {} for key in FILTER_KEYS}
        for ordinal, record in enumerate(self.records):
            for key in FILTER_KEYS:
                for value in record["filters"][key]:
                    members[key].setdefault(value, []).append(ordinal)
        size = len(self.services)
        return {key: {value: encode_bits(ords, size) for value, ords in sorted(values.items())}
                for key, values in members.items()}

    def write(self, folder: Path) -> dict[str, int]:
        """Write the index's files into `folder`; returns the bytes written per kind of file."""
        sizes: Counter = Counter()
        for sub in ("terms", "facets", "cards"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        shards = self.shards()
        files = {}
        for number, (key, text) in enumerate(sorted(shards.items())):
            files[key] = f"{number}.json"  # numbered: a word's letters need not be safe in a file name
            (folder / "terms" / files[key]).write_text(text, encoding="utf-8")
            sizes["terms"] += len(text)
        for key, values in self.facets().items():
            sizes["facets"] += _write(folder / "facets" / f"{key}.json", values)
        for start in range(0, len(self.services), CHUNK):
            cards = [search_card(s, self.lang, r, fit=True)
                     for s, r in zip(self.services[start:start + CHUNK], self.records[start:start + CHUNK])]
            sizes["cards"] += _write(folder / "cards" / f"{start // CHUNK}.json", cards)
        sizes["sorts"] = _write(folder / "sorts.json", self.sorts)
        manifest = {"version": VERSION, "count": len(self.services), "chunk": CHUNK, "shards": files,
                    "facets": list(FILTER_KEYS)}
        sizes["index"] = _write(folder / "index.json", manifest)
        return dict(sizes)


def write_search_index(site: Path, catalog: Catalog, langs, today, describe, rulebook=None,
                       a11y=None) -> dict[str, dict[str, int]]:
    """api/search/<lang>/ for every language; the bytes written, per language and kind of file."""
    written = {}
    for lang in langs:
        index = LanguageIndex(catalog, lang, today, describe, rulebook, a11y)
        written[lang] = index.write(site / "api" / "search" / lang)
    return written
