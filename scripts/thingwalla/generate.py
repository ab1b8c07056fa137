"""A valid synthetic catalog of any size, for benchmarks and scale tests.

Deterministic for a given size and seed. Text is made of real bokmål and English sentences about
municipal services, varied enough that a search index has realistic work to do.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

from .validate import schema_line

REPO = Path(__file__).resolve().parents[2]
SITE_FOLDERS = ("design-system",)  # copied from the source repository as they are

NB_WORDS = ("søknad saksbehandling innbygger kommune skole barnehage fravær vedtak arkiv betaling faktura "
            "byggesak renovasjon helse omsorg tilskudd rapport statistikk varsling melding digital skjema "
            "innsyn personvern tilgang integrasjon oversikt planlegging avtale kontroll oppfølging").split()
EN_WORDS = ("application casework citizen municipality school kindergarten absence decision archive payment "
            "invoice permit waste health care grant report statistics alert message digital form access "
            "privacy integration overview planning agreement control follow-up").split()
NB_SENTENCES = [
    "Løsningen gir saksbehandlere full oversikt over {a} og {b}.",
    "Innbyggerne sender {a} digitalt og får svar raskere.",
    "Data om {a} deles med fagsystemet for {b} gjennom et åpent API.",
    "Kommunen kan følge opp {a} i sanntid og lage rapporter om {b}.",
    "Tjenesten er laget sammen med kommuner som ville forenkle {a}.",
    "Varsler om {a} sendes på SMS og e-post, og alt arkiveres automatisk.",
]
EN_SENTENCES = [
    "The service gives caseworkers a full overview of {a} and {b}.",
    "Citizens submit {a} online and get answers sooner.",
    "Data on {a} is shared with the {b} system through an open API.",
    "The municipality follows up {a} in real time and reports on {b}.",
    "It was designed with municipalities that wanted to simplify {a}.",
    "Alerts about {a} go out by text message and e-mail, and everything is archived automatically.",
]
PRICING = ["free", "usage_based", "annual_subscription", "per_user", "one_time"]
UNITS = ["organisation", "user", "inhabitant", "case"]
COUNTRIES = ["NO", "SE", "FI", "DK", "IE", "DE", "NL"]
SUB_COUNTRIES = ["NO", "SE", "FI", "IE", "DE", "US"]
REGULATIONS = ["gdpr", "wcag-2-1-aa", "nis2", "iso-27001", "iso-9001", "ai-act"]


def _check_digit_no(first8: str) -> str | None:
    weights = [3, 2, 7, 6, 5, 4, 3, 2]
    remainder = sum(int(d) * w for d, w in zip(first8, weights)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return None if check == 10 else str(check)


def norwegian_org_numbers(prefix: str = "97"):
    """Endless check-digit-valid Norwegian organisation numbers."""
    n = 0
    while True:
        base = f"{prefix}{n:06d}"
        check = _check_digit_no(base)
        if check is not None:
            yield base + check
        n += 1


def _words(rng: random.Random, words, k: int) -> str:
    return " ".join(rng.sample(words, k))


def _paragraphs(rng: random.Random, sentences, words, count: int) -> str:
    out = []
    for _ in range(count):
        out.append(" ".join(rng.choice(sentences).format(a=_words(rng, words, 2), b=_words(rng, words, 2))
                            for _ in range(4)))
    return "\n\n".join(out)


def _dump(path: Path, kind: str, relpath: str, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    path.write_text(schema_line(relpath, kind) + "\n" + body, encoding="utf-8")


def generate(out: Path, services: int, seed: int = 1, source: Path = REPO) -> dict:
    """Write a complete synthetic repository (catalog, mkdocs.yml, docs/) to `out`."""
    rng = random.Random(seed * 1_000_003 + services)
    out.mkdir(parents=True, exist_ok=True)
    if (out / "catalog").exists():
        shutil.rmtree(out / "catalog")
    shutil.copytree(source / "catalog" / "taxonomy", out / "catalog" / "taxonomy")
    # The site is built from more than the catalog: the design system's tokens and components too.
    for folder in SITE_FOLDERS:
        if (source / folder).is_dir():
            shutil.rmtree(out / folder, ignore_errors=True)
            shutil.copytree(source / folder, out / folder)
    shutil.copy(source / "mkdocs.yml", out / "mkdocs.yml")
    (out / "docs").mkdir(exist_ok=True)

    categories = yaml.safe_load((source / "catalog/taxonomy/categories.yaml").read_text())["categories"]
    integrations = [i["id"] for i in yaml.safe_load((source / "catalog/taxonomy/integrations.yaml").read_text())["integrations"]]
    numbers = norwegian_org_numbers()

    vendor_ids = [f"vendor-{i:05d}" for i in range(max(12, services // 20))]
    for vid in vendor_ids:
        rel = f"catalog/vendors/{vid}.yaml"
        _dump(out / rel, "vendor", rel, {
            "id": vid, "sample": True, "legal_name": f"Leverandør {vid[-5:]} AS", "kind": "company", "country": "NO",
            "org_number": next(numbers), "website": f"https://{vid}.example.no", "email": f"post@{vid}.example.no",
            "maintainers": [f"{vid}-dev"],
        })

    service_ids = []
    for i in range(services):
        sid = f"service-{i:05d}"
        service_ids.append(sid)
        category = categories[i % len(categories)]
        solution = rng.choice(category["solution_types"])
        model = rng.choice(PRICING)
        locations = sorted(set(rng.sample(COUNTRIES[:5], rng.randint(1, 2))))
        plans = [{"id": f"plan-{p}", "name": {"nb": f"Plan {p}", "en": f"Plan {p}"},
                  "price": 0 if model == "free" else rng.randrange(100, 90_000, 100),
                  "currency": rng.choice(["NOK", "SEK", "EUR"]), "unit": rng.choice(UNITS),
                  "billing_period": "one_time" if model == "one_time" else rng.choice(["month", "year"]),
                  "minimum_term_months": rng.choice([0, 12, 24])} for p in range(1, rng.randint(1, 3) + 1)]
        topic_nb, topic_en = _words(rng, NB_WORDS, 2), _words(rng, EN_WORDS, 2)
        data = {
            "id": sid, "sample": True,
            "name": {"nb": f"{topic_nb.capitalize()} {i}", "en": f"{topic_en.capitalize()} {i}"},
            "tagline": {"nb": f"Digital {topic_nb} for kommuner og fylker.",
                        "en": f"Digital {topic_en} for municipalities and counties."},
            "vendor": vendor_ids[i % len(vendor_ids)], "category": category["id"], "solution_type": solution["id"],
            "tags": sorted(set(rng.sample(EN_WORDS, 3))), "countries": sorted(set(rng.sample(COUNTRIES[:4], 2))),
            "languages": sorted(set(["nb", "en"] + rng.sample(["nn", "sv", "se", "fi"], rng.randint(0, 2)))),
            "status": rng.choice(["stable", "stable", "stable", "beta", "deprecated"]),
            "listed": f"20{rng.randint(23, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "licence": rng.choice(["proprietary", "proprietary", "EUPL-1.2", "MIT"]),
            "pricing": {"model": model, "plans": plans},
            "links": {"website": f"https://{sid}.example.no", "demo": f"https://demo.{sid}.example.no"},
            "integrations": sorted(set(rng.sample(integrations, rng.randint(0, 4)))),
            "hosting": {"deployment": ["saas"], "data_locations": locations,
                        "sub_processors": [{"name": f"Drift {j} AS", "country": rng.choice(SUB_COUNTRIES),
                                            "purpose": {"nb": "Drift", "en": "Operations"}}
                                           for j in range(rng.randint(0, 2))]},
            "compliance": [{"regulation": r, "issued": "2025-06-01", "expires": rng.choice(["2027-06-01", "2026-10-01", "2028-01-01"]),
                            "evidence_url": f"https://{sid}.example.no/{r}.pdf"}
                           for r in sorted(rng.sample(REGULATIONS, rng.randint(1, 4)))],
        }
        rel = f"catalog/services/{sid}/service.yaml"
        _dump(out / rel, "service", rel, data)
        folder = out / "catalog/services" / sid
        (folder / "description.nb.md").write_text(
            f"## Om {topic_nb}\n\n" + _paragraphs(rng, NB_SENTENCES, NB_WORDS, 3) + "\n\n- Rask oppstart\n- Norsk brukerstøtte\n",
            encoding="utf-8")
        (folder / "description.en.md").write_text(
            f"## About {topic_en}\n\n" + _paragraphs(rng, EN_SENTENCES, EN_WORDS, 3) + "\n\n- Quick start\n- Local support\n",
            encoding="utf-8")

    buyer_count = max(16, services // 50)
    counties = ["03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"]
    for b in range(buyer_count):
        bid = f"buyer-{b:05d}"
        uses = [{"service": s, "since": "2025-01-15", "rating": rng.randint(1, 5)}
                for s in sorted(rng.sample(service_ids, min(len(service_ids), rng.randint(3, 25))))]
        rel = f"catalog/buyers/{bid}.yaml"
        _dump(out / rel, "buyer", rel, {
            "id": bid, "sample": True, "name": f"Kommune {b}", "kind": "municipality", "country": "NO",
            "org_number": next(numbers), "municipality_code": f"{counties[b % len(counties)]}{b % 100:02d}"
            if b < 100 * len(counties) else None, "maintainers": [f"{bid}-it"], "uses": uses,
            "requires": {"regulations": ["gdpr"], "data_locations": rng.choice([["EEA"], ["NO"], ["NO", "SE"]]),
                         "languages": ["nb"]},
        })
    # Municipality codes must be unique: buyers beyond the code space become agencies.
    for path in sorted((out / "catalog/buyers").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "municipality_code: null" in text:
            path.write_text(text.replace("municipality_code: null\n", "").replace("kind: municipality", "kind: agency"),
                            encoding="utf-8")
    return {"services": services, "vendors": len(vendor_ids), "buyers": buyer_count}
