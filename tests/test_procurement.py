"""Procurement: route decisions around every threshold, documents (contract HTML/PDF, Peppol order,
record) and the order checks (UBL 2.1 XSD + Peppol BIS Ordering 3 business rules).

The repository used here is a copy of the real catalog with two probe services priced 1 NOK and
1 SEK per user and month, so that `--quantity N --months 1` gives an estimated value of exactly N.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SHARED

ON = dt.date(2026, 12, 4)
UBL_XSD = SHARED / "peer" / "ubl-2.1-xsd"
PEPPOL_EXAMPLES = SHARED / "peer" / "peppol-order" / "examples"

PROBE = """\
# yaml-language-server: $schema=../../../scripts/thingwalla/schemas/service.schema.json
id: {id}
sample: true
name: {{nb: Terskelprobe {id}, en: Threshold probe {id}}}
tagline:
  nb: En tjeneste med pris 1 per bruker og måned, for tester.
  en: A service priced 1 per user and month, for tests.
description:
  nb: Bare for tester.
  en: Tests only.
vendor: {vendor}
category: education
solution_type: attendance-absence
countries: ["NO", SE]
languages: [nb, en]
status: stable
listed: 2026-01-15
licence: proprietary
pricing:
  model: per_user
  plans:
    - id: per-user
      name: {{nb: Per bruker, en: Per user}}
      price: 1
      currency: {currency}
      unit: user
      billing_period: month
    - id: yearly
      name: {{nb: Hele kommunen, en: Whole municipality}}
      price: 60000
      currency: {currency}
      unit: organisation
      billing_period: year
      minimum_term_months: 12
links:
  website: https://probe.example.no
integrations: [id-porten]
hosting:
  deployment: [saas]
  data_locations: ["NO"]
  sub_processors:
    - name: Sky & <Drift> AS
      country: US
      purpose: {{nb: Drift av servere, en: Server operations}}
compliance:
  - regulation: gdpr
    issued: 2026-01-10
    expires: 2027-06-10
"""

AGENCY = """\
# yaml-language-server: $schema=../../scripts/thingwalla/schemas/buyer.schema.json
id: testdirektoratet
sample: true
name: Testdirektoratet
kind: agency
country: "NO"
org_number: "974760673"
maintainers: [testdir-it]
"""


def _pick_service_fields():
    """Fail loudly if the probe would not be valid: the real validator is the judge."""


@pytest.fixture(scope="module")
def proc_repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("procurement") / "repo"
    shutil.copytree(REPO / "catalog", root / "catalog")
    shutil.copytree(REPO / ".github", root / ".github")
    for ident, vendor, currency in (("probe-no", "skolesmart", "NOK"), ("probe-se", "peppolbro", "SEK")):
        folder = root / "catalog" / "services" / ident
        folder.mkdir()
        (folder / "service.yaml").write_text(PROBE.format(id=ident, vendor=vendor, currency=currency),
                                             encoding="utf-8")
    (root / "catalog" / "buyers" / "testdirektoratet.yaml").write_text(AGENCY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def loaded(proc_repo):
    from thingwalla.model import build_catalog
    from thingwalla.procurement import load_procurement_data
    from thingwalla.validate import validate_repository

    result = validate_repository(proc_repo, on_date=ON)
    assert result.ok, [p.as_text() for p in result.errors]
    catalog = build_catalog(result)
    return catalog, load_procurement_data(proc_repo, catalog)


def assess(loaded, buyer, service, plan, months, options=0, quantity=None, on=ON, **kw):
    from thingwalla.procurement import RouteRequest, assess as run

    catalog, data = loaded
    q = Decimal(str(quantity)) if quantity is not None else None
    return run(catalog, data, RouteRequest(buyer, service, plan, months, options, q, on=on, **kw))


def lawful_routes(a) -> set[str]:
    return {o.route for o in a.options if o.lawful}


# ---- route decisions around each threshold, computed from the data file ------------------------

def _threshold_cases():
    data = yaml.safe_load((REPO / "catalog/procurement/thresholds.yaml").read_text(encoding="utf-8"))
    cases = []
    for t in data["thresholds"]:
        valid_from = dt.date.fromisoformat(str(t["valid_from"]))
        valid_to = dt.date.fromisoformat(str(t["valid_to"])) if t.get("valid_to") else None
        if t["status"] != "in-force" or valid_from > ON or (valid_to and valid_to < ON):
            continue
        for authority in t["authority_types"]:
            buyer = {("NO", "sub-central"): "byteby", ("NO", "central"): "testdirektoratet",
                     ("SE", "sub-central"): "angsby"}.get((t["country"], authority))
            if buyer is None:
                continue  # no central-government buyer in Sweden in the catalog
            for delta, where in ((-1, "below"), (0, "at"), (1, "above")):
                cases.append(pytest.param(t, buyer, int(t["amount"]) + delta, where,
                                          id=f"{t['id']}-{authority}-{where}"))
    return cases


@pytest.mark.parametrize("threshold, buyer, value, where", _threshold_cases())
def test_route_decision_around_each_threshold(loaded, threshold, buyer, value, where):
    service = "probe-no" if threshold["country"] == "NO" else "probe-se"
    a = assess(loaded, buyer, service, "per-user", months=1, quantity=value)
    assert a.estimate.comparison_value == Decimal(value)
    assert a.thresholds[threshold["kind"]].id == threshold["id"]
    applies = value < threshold["amount"] if threshold["comparison"] == "below" else value >= threshold["amount"]
    assert applies == (where == "below" if threshold["comparison"] == "below" else where != "below")
    if threshold["kind"] == "direct-award":
        assert ("direct-award" in lawful_routes(a)) is applies
        assert ("competition" in lawful_routes(a)) is not applies
        assert a.recommended.route == ("direct-award" if applies else "competition")
    elif threshold["kind"] == "national-notice":
        assert a.band == ("no-part-2" if applies else "no-part-1")
    else:
        assert a.band == ({"NO": "no-part-3", "SE": "se-above-eu"}[threshold["country"]] if applies
                          else {"NO": "no-part-2", "SE": "se-below-eu"}[threshold["country"]])
    # Wherever a competition is required, nothing claims one click and no order is offered.
    for option in a.options:
        if option.route not in ("direct-award", "framework-call-off"):
            assert not option.one_click and not option.orders_now


@pytest.mark.parametrize("buyer, service, value, band, direct", [
    ("byteby", "probe-no", 99_999, "below-direct-award-limit", True),
    ("byteby", "probe-no", 100_000, "no-part-1", False),
    ("byteby", "probe-no", 1_299_999, "no-part-1", False),
    ("byteby", "probe-no", 1_300_000, "no-part-2", False),
    ("byteby", "probe-no", 2_299_999, "no-part-2", False),
    ("byteby", "probe-no", 2_300_000, "no-part-3", False),
    ("testdirektoratet", "probe-no", 1_489_999, "no-part-2", False),
    ("testdirektoratet", "probe-no", 1_490_000, "no-part-3", False),
    ("angsby", "probe-se", 699_999, "below-direct-award-limit", True),
    ("angsby", "probe-se", 700_000, "se-below-eu", False),
    ("angsby", "probe-se", 2_389_584, "se-below-eu", False),
    ("angsby", "probe-se", 2_389_585, "se-above-eu", False),
])
def test_known_threshold_values_in_force_in_december_2026(loaded, buyer, service, value, band, direct):
    """Typed-in amounts (DFØ, Upphandlingsmyndigheten): a wrong data file fails here."""
    a = assess(loaded, buyer, service, "per-user", months=1, quantity=value)
    assert a.band == band
    assert ("direct-award" in lawful_routes(a)) is direct


def test_options_count_towards_the_value(loaded):
    firm = assess(loaded, "byteby", "probe-no", "yearly", months=12)
    assert firm.estimate.total_value == Decimal("60000.00")
    assert firm.recommended.route == "direct-award"
    with_options = assess(loaded, "byteby", "probe-no", "yearly", months=12, options=12)
    assert (with_options.estimate.firm_value, with_options.estimate.option_value,
            with_options.estimate.total_value) == (Decimal("60000.00"), Decimal("60000.00"), Decimal("120000.00"))
    assert "direct-award" not in lawful_routes(with_options)
    assert with_options.recommended.route == "competition"
    assert with_options.estimate.formula("en") == "1 units × 60,000 NOK × 2 years = 120,000 NOK"


def test_same_kind_purchases_are_counted_together(loaded):
    a = assess(loaded, "angsby", "probe-se", "yearly", months=12, same_kind_value=Decimal(640_001))
    assert a.estimate.comparison_value == Decimal("700001.00")
    assert "direct-award" not in lawful_routes(a)


def test_framework_call_off_is_one_click_and_dps_is_a_competition(loaded):
    catalog, data = loaded
    call_off = assess(loaded, "byteby", "school-leave-request", "municipality", months=24, options=24)
    option = call_off.option("framework-call-off")
    assert option is not None and option.orders_now
    assert call_off.recommended.route == "framework-call-off"
    text = option.findings[0].text(data, "nb")
    assert "Rammeavtale om skoleadministrative skytjenester 2025–2029" in text
    assert "Directive 2014/24/EU of 26 February 2014 on public procurement, art. 33(3) og 33(4)(a)" in \
        option.findings[0].sources(data)

    # A Swedish municipality in the welfare DPS: all admitted suppliers invited, at least 10 days.
    service = next(s for s in catalog.services.values() if s.vendor.id == "omsorgsteknikk"
                   and s.category.id in ("family-social-welfare", "health") and "SE" in s.countries)
    plan = service.plans[0]
    # A plan priced in another currency than the SEK thresholds needs the day's rate (here a fixed one).
    rate = None if plan.currency == "SEK" else Decimal("11.20")
    dps = assess(loaded, "angsby", service.id, plan.id, months=max(12, plan.minimum_term_months or 0),
                 quantity=1 if plan.unit not in ("organisation", "inhabitant") else None, exchange_rate=rate)
    option = next(o for o in dps.options if o.route == "dps-competition")
    assert option.lawful and not option.one_click and not option.orders_now
    assert option.via["invited"] == ["omsorgsteknikk", "verifika", "identitetsverket"]
    assert option.via["tender_period_days"] == 10
    texts = [f.text(data, "en") for f in option.findings]
    assert any("Earliest award: 14 December 2026" in t for t in texts)
    assert any(t.startswith("This is not a one-click purchase") for t in texts)


def test_unlisted_agency_is_assumed_central_and_told_so(loaded):
    _, data = loaded
    a = assess(loaded, "testdirektoratet", "probe-no", "per-user", months=1, quantity=10)
    assert a.authority_type == "central"
    assert [w.key for w in a.warnings][:1] == ["authority-assumed-central"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(buyer="bytebi"), "unknown buyer 'bytebi'; did you mean 'byteby'?"),
    (dict(plan="gold"), "the service 'probe-no' has no plan 'gold'; its plans are: per-user, yearly"),
    (dict(plan="yearly", months=6), "the plan 'yearly' has a minimum term of 12 months; a firm term of 6 months "
                                    "is shorter"),
    (dict(quantity=None), "the plan 'per-user' is priced per user: give --quantity (the number of user units "
                          "per month)"),
    (dict(months=0), "the term must be between 1 and 240 months (got 0)"),
])
def test_impossible_requests_are_refused_with_a_reason(loaded, kwargs, message):
    from thingwalla.procurement import RequestError

    args = dict(buyer="byteby", service="probe-no", plan="per-user", months=1, quantity=5) | kwargs
    with pytest.raises(RequestError) as info:
        assess(loaded, **args)
    assert str(info.value) == message


# ---- organisation numbers ----------------------------------------------------------------------

@pytest.mark.parametrize("country, number, ok", [
    ("NO", "991825827", True), ("NO", "991825828", False), ("NO", "123456785", True), ("NO", "123456789", False),
    ("NO", "99182582", False), ("SE", "2120001033", True), ("SE", "2120001034", False),
    ("SE", "212000-0027", True), ("SE", "5560360793", True), ("SE", "5560360794", False),
])
def test_organisation_numbers_with_wrong_check_digits_are_refused(country, number, ok):
    from stdnum.no import orgnr as no_orgnr
    from stdnum.se import orgnr as se_orgnr

    from thingwalla.procurement.identifiers import IdentifierError, participant

    library = (no_orgnr if country == "NO" else se_orgnr).is_valid(number)
    assert library is ok  # the hand-written algorithms agree with python-stdnum
    if ok:
        scheme, ident = participant(country, number)
        assert (scheme, ident) == ({"NO": "0192", "SE": "0007"}[country], number.replace("-", ""))
    else:
        with pytest.raises(IdentifierError):
            participant(country, number)


# ---- order checks: XSD and business rules -------------------------------------------------------

def _peppol_codelists():
    data = yaml.safe_load((REPO / "catalog/procurement/peppol.yaml").read_text(encoding="utf-8"))
    return data["codelists"]


def _check(xml: bytes):
    from thingwalla.procurement.rules import check_rules, parse_order
    from thingwalla.procurement.xsd import find_order_xsd, validate_order_xsd

    root = parse_order(xml)
    return validate_order_xsd(root, find_order_xsd(UBL_XSD)), check_rules(root, _peppol_codelists())


def _needs(folder: Path):
    if not folder.is_dir():
        pytest.skip(f"peer test data missing: {folder}")


def test_peppol_example_orders_pass_the_xsd_and_the_rules():
    _needs(PEPPOL_EXAMPLES)
    _needs(UBL_XSD)
    orders = sorted([PEPPOL_EXAMPLES / "Order_Example.xml", *(PEPPOL_EXAMPLES / "order-use-cases").glob("*.xml")])
    assert [p.name for p in orders] == ["Order_Example.xml", "UC1_Order.xml", "UC2_Order.xml", "UC3_Order.xml",
                                        "UC4_Order.xml", "UC5_Order.xml", "UC6_Order.xml"]
    for path in orders:
        xsd, rules = _check(path.read_bytes())
        assert xsd.status == "valid", (path.name, xsd.errors)
        assert rules.fatal == [], (path.name, [r.as_text() for r in rules.fatal])


@pytest.mark.parametrize("change, rule", [
    (lambda x: x.replace(b'schemeID="0192">999888003<', b'schemeID="0192">999888004<', 1), "PEPPOL-COMMON-R041"),
    (lambda x: x.replace(b"<cbc:ID>1</cbc:ID>", b"<cbc:ID>1</cbc:ID>", 1)
        .replace(b"</cac:OrderLine>", b"</cac:OrderLine>" + re.search(rb"<cac:OrderLine>.*?</cac:OrderLine>",
                 x, re.S).group(0), 1), "PEPPOL-T01-R001"),
    (lambda x: re.sub(rb'(<cac:AnticipatedMonetaryTotal>\s*<cbc:LineExtensionAmount currencyID="NOK">)[0-9.]+',
                      rb"\g<1>1.00", x), "PEPPOL-T01-R008"),
    (lambda x: x.replace(b'<cbc:TaxAmount currencyID="NOK">', b'<cbc:TaxAmount currencyID="SEK">'), "PEPPOL-T01-R003"),
    (lambda x: x.replace(b"urn:fdc:peppol.eu:poacc:bis:order_only:3", b"urn:fdc:peppol.eu:poacc:bis:billing:3"),
     "PEPPOL-T01-R031"),
    (lambda x: x.replace(b"<cbc:DocumentCurrencyCode>NOK<", b"<cbc:DocumentCurrencyCode>NKR<"), "PEPPOL-T01-B01001"),
    (lambda x: x.replace(b'unitCode="C62">', b'unitCode="PIECES">', 1), "TW-ORDER-009"),
    (lambda x: re.sub(rb"<cac:SellerSupplierParty>.*?</cac:SellerSupplierParty>", b"", x, flags=re.S),
     "PEPPOL-T01-B00107"),
])
def test_a_broken_order_fails_with_the_rule_id(written_direct, change, rule):
    original = (written_direct / "order.xml").read_bytes()
    broken = change(original)
    assert broken != original
    _, rules = _check(broken)
    assert rule in {r.id for r in rules.fatal}, [r.as_text() for r in rules.results]


def test_a_swedish_number_with_a_wrong_luhn_digit_fails_tw_order_014(written_swedish):
    original = (written_swedish / "order.xml").read_bytes()
    assert b'schemeID="0007">2120000027<' in original
    _, rules = _check(original.replace(b'schemeID="0007">2120000027<', b'schemeID="0007">2120000028<'))
    assert {r.id for r in rules.fatal} == {"TW-ORDER-014"}
    _, rules = _check(original.replace(b'schemeID="0007">2120000027<', b'schemeID="0007">212000002<'))
    assert {r.id for r in rules.results} == {"PEPPOL-COMMON-R049"}
    assert rules.ok  # OpenPeppol's R049 is a warning


def test_an_order_that_breaks_the_xsd_is_reported():
    _needs(UBL_XSD)
    xml = (b'<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2" '
           b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
           b"<cbc:Colour>red</cbc:Colour></Order>")
    xsd, rules = _check(xml)
    assert xsd.status == "invalid" and xsd.errors
    assert {"PEPPOL-T01-B00101", "PEPPOL-T01-B00106", "PEPPOL-T01-B00108"} <= {r.id for r in rules.fatal}


def test_hostile_xml_is_refused_before_parsing():
    from thingwalla.procurement.rules import OrderParseError, parse_order

    bomb = b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaa">]><Order>&a;</Order>'
    with pytest.raises(OrderParseError, match="DOCTYPE"):
        parse_order(bomb)
    with pytest.raises(OrderParseError, match="not a UBL 2.1 Order"):
        parse_order(b"<Invoice/>")


# ---- documents ---------------------------------------------------------------------------------

def _documents(proc_repo, out, *args):
    from thingwalla.cli import main

    _needs(UBL_XSD)
    return main(["procure", "documents", "--repository", str(proc_repo), "--date", ON.isoformat(),
                 "--out", str(out), "--ubl-xsd", str(UBL_XSD), "--require-xsd", *args])


@pytest.fixture(scope="module")
def written_direct(proc_repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("direct")
    assert _documents(proc_repo, out, "--buyer", "byteby", "--service", "probe-no", "--plan", "per-user",
                      "--months", "12", "--option-months", "12", "--quantity", "150", "--reference", "TW-TEST-1",
                      "--buyer-reference", "Oppvekst 4421") == 0
    return out


@pytest.fixture(scope="module")
def written_swedish(proc_repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("swedish")
    assert _documents(proc_repo, out, "--buyer", "angsby", "--service", "probe-se", "--plan", "yearly",
                      "--months", "24", "--reference", "TW-TEST-SE") == 0
    return out


def test_direct_award_writes_contract_order_record_and_checksums(written_direct):
    names = sorted(p.name for p in written_direct.iterdir())
    assert names == ["SHA256SUMS", "contract.html", "contract.pdf", "order.xml", "record.json"]
    sums = dict(reversed(line.split("  ")) for line in (written_direct / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert hashlib.sha256((written_direct / name).read_bytes()).hexdigest() == digest
    record = json.loads((written_direct / "record.json").read_text(encoding="utf-8"))
    assert record["decision"]["route"] == "direct-award" and record["decision"]["orders_now"] is True
    assert record["estimate"]["total_value"] == "3600.00"  # 150 users × 1 NOK × 24 months, options included
    assert record["estimate"]["firm_value"] == "1800.00"
    assert [d["name"] for d in record["documents"]] == ["contract.html", "contract.pdf", "order.xml"]
    pdf = next(d for d in record["documents"] if d["name"] == "contract.pdf")
    assert pdf["sha256"] == sums["contract.pdf"]
    assert record["decision"]["reasons"][0]["citations"][0]["title"].startswith("Directive 2014/24/EU")
    from thingwalla.procurement.documents import validate_record

    assert validate_record(record) == []


def test_the_order_has_the_ids_parties_and_lines_from_the_plan(written_direct):
    import xml.etree.ElementTree as ET

    ns = {"u": "urn:oasis:names:specification:ubl:schema:xsd:Order-2",
          "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
          "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    root = ET.parse(written_direct / "order.xml").getroot()
    get = lambda path: root.find(path, ns)  # noqa: E731
    assert get("cbc:CustomizationID").text == "urn:fdc:peppol.eu:poacc:trns:order:3"
    assert get("cbc:ProfileID").text == "urn:fdc:peppol.eu:poacc:bis:order_only:3"
    assert get("cbc:ID").text == "TW-TEST-1-1"
    assert get("cbc:IssueDate").text == "2026-12-04"
    assert get("cbc:DocumentCurrencyCode").text == "NOK"
    assert get("cbc:CustomerReference").text == "Oppvekst 4421"
    buyer = get("cac:BuyerCustomerParty/cac:Party/cbc:EndpointID")
    seller = get("cac:SellerSupplierParty/cac:Party/cbc:EndpointID")
    assert (buyer.get("schemeID"), buyer.text, seller.get("schemeID"), seller.text) == \
        ("0192", "999888003", "0192", "912345688")
    line = get("cac:OrderLine/cac:LineItem")
    assert line.find("cbc:Quantity", ns).text == "1800"  # 150 users × 12 months: options are not ordered
    assert line.find("cac:Price/cbc:PriceAmount", ns).text == "1"
    assert line.find("cbc:LineExtensionAmount", ns).text == "1800.00"
    assert line.find("cac:Item/cac:SellersItemIdentification/cbc:ID", ns).text == "probe-no:per-user"
    assert get("cac:AnticipatedMonetaryTotal/cbc:PayableAmount").text == "2250.00"  # with 25 % VAT
    xsd, rules = _check((written_direct / "order.xml").read_bytes())
    assert xsd.status == "valid" and rules.results == []


def test_the_contract_pdf_is_readable_and_names_parties_price_and_hash(written_direct):
    from pypdf import PdfReader

    reader = PdfReader(written_direct / "contract.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    for expected in ("Byteby kommune", "999888003", "Skolesmart AS", "912345688", "SSA-lille sky", "TW-TEST-1",
                     "1 800 NOK", "3 600 NOK", "Sky & <Drift> AS"):
        assert expected in text, expected
    assert reader.metadata.title == "Avtale om kjøp av skytjeneste – TW-TEST-1"
    html = (written_direct / "contract.html").read_text(encoding="utf-8")
    assert "Sky &amp; &lt;Drift&gt; AS" in html and "<Drift>" not in html  # vendor text is escaped
    assert '<html lang="nb">' in html
    order = (written_direct / "order.xml").read_text(encoding="utf-8")
    digest = hashlib.sha256((written_direct / "contract.pdf").read_bytes()).hexdigest()
    assert f"SHA-256 {digest}" in order  # the order points at the exact contract to be signed


def test_swedish_buyer_gets_a_swedish_draft_and_scheme_0007(written_swedish):
    record = json.loads((written_swedish / "record.json").read_text(encoding="utf-8"))
    assert record["buyer"]["peppol_id"] == "0007:2120000027"
    assert record["supplier"]["peppol_id"] == "0007:5569990020"
    assert record["decision"]["route"] == "direct-award"
    assert '<html lang="sv">' in (written_swedish / "contract.html").read_text(encoding="utf-8")


def test_a_competition_route_gives_a_draft_but_no_order(proc_repo, tmp_path, capsys):
    (tmp_path / "order.xml").write_text("stale")
    assert _documents(proc_repo, tmp_path, "--buyer", "byteby", "--service", "probe-no", "--plan", "per-user",
                      "--months", "1", "--quantity", "100000") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["SHA256SUMS", "contract.html", "contract.pdf",
                                                          "record.json"]
    record = json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))
    assert record["decision"]["route"] == "competition" and record["order"] is None
    assert "ingen ordre: konkurranse først" in capsys.readouterr().out


def test_asking_for_a_direct_award_above_the_limit_is_refused(proc_repo, tmp_path, capsys):
    code = _documents(proc_repo, tmp_path, "--buyer", "byteby", "--service", "probe-no", "--plan", "per-user",
                      "--months", "1", "--quantity", "100000", "--route", "direct-award")
    assert code == 1
    assert "the route 'direct-award' is not lawful here: The value 100,000 NOK is equal to or above the limit " \
           "100,000 NOK." in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_after_an_award_the_competition_route_writes_the_order(proc_repo, tmp_path):
    assert _documents(proc_repo, tmp_path, "--buyer", "byteby", "--service", "probe-no", "--plan", "per-user",
                      "--months", "1", "--quantity", "100000", "--award-reference", "KONK-2026-7",
                      "--award-date", "2026-11-30") == 0
    record = json.loads((tmp_path / "record.json").read_text(encoding="utf-8"))
    assert record["decision"]["award"] == {"reference": "KONK-2026-7", "date": "2026-11-30"}
    assert (tmp_path / "order.xml").is_file()


# ---- from an issue event (what the workflow runs) ------------------------------------------------

def _issue_body(fields: dict[str, str]) -> str:
    form = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE/procurement-request.yml").read_text(encoding="utf-8"))
    parts = []
    for item in form["body"]:
        if item["type"] == "markdown":
            continue
        value = fields.get(item["id"], "_No response_")
        if item["type"] == "checkboxes":
            value = f"- [{'X' if value == 'yes' else ' '}] {item['attributes']['options'][0]['label']}"
        parts.append(f"### {item['attributes']['label']}\n\n{value}\n")
    return "\n".join(parts)


def _event(tmp_path, login, fields) -> Path:
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"action": "opened", "issue": {
        "number": 42, "html_url": "https://github.com/thingwalla/thingwalla/issues/42", "user": {"login": login},
        "labels": [{"name": "procurement"}], "body": _issue_body(fields)}}), encoding="utf-8")
    return path


FIELDS = {"buyer": "byteby", "service": "probe-no", "plan": "yearly", "months": "12", "option_months": "0",
          "route": "Anbefalt / Recommended (auto)", "buyer_reference": "Oppvekst $(rm -rf /) `x`",
          "acknowledgement": "yes"}


def test_documents_from_a_procurement_request_issue(proc_repo, tmp_path):
    event = _event(tmp_path, "byteby-innkjop", FIELDS)
    assert _documents(proc_repo, tmp_path / "out", "--from-issue", str(event)) == 0
    record = json.loads((tmp_path / "out" / "record.json").read_text(encoding="utf-8"))
    assert record["requested_by"] == {"github": "byteby-innkjop", "issue": 42,
                                      "issue_url": "https://github.com/thingwalla/thingwalla/issues/42"}
    assert record["term"]["firm_months"] == 12 and record["decision"]["route"] == "direct-award"
    order = (tmp_path / "out" / "order.xml").read_text(encoding="utf-8")
    assert "<cbc:CustomerReference>Oppvekst $(rm -rf /) `x`</cbc:CustomerReference>" in order  # data, never run


@pytest.mark.parametrize("login, fields, message", [
    ("mallory", FIELDS, "@mallory is not a maintainer of 'byteby'"),
    ("byteby-innkjop", FIELDS | {"acknowledgement": "no"}, "the confirmation box in the form is not ticked"),
    ("byteby-innkjop", FIELDS | {"months": "twelve"}, "the form field 'months' must be a whole number of months"),
    ("byteby-innkjop", FIELDS | {"buyer": "../etc/passwd"}, "the form field 'buyer' must be an id"),
])
def test_issue_requests_are_checked_before_anything_is_made(proc_repo, tmp_path, capsys, login, fields, message):
    event = _event(tmp_path, login, fields)
    assert _documents(proc_repo, tmp_path / "out", "--from-issue", str(event)) in (1, 2)
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# ---- command line ------------------------------------------------------------------------------

def test_route_command_explains_with_sources(proc_repo):
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "THINGWALLA_TODAY": ON.isoformat()}
    result = subprocess.run([sys.executable, "-m", "thingwalla", "procure", "route", "--buyer", "byteby",
                             "--service", "probe-no", "--plan", "yearly", "--months", "12", "--option-months", "12"],
                            cwd=proc_repo, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Anslått verdi: 120 000 NOK (uten mva., hele perioden med opsjoner)" in out
    assert "✘ Direkte kjøp: ikke lovlig" in out
    assert "✔ Konkurranse: konkurranse først – ikke ett klikk" in out
    assert "Kilde: Lov om offentlige anskaffelser (anskaffelsesloven), LOV-2016-06-17-73, § 2" in out
    assert "Anbefalt: Konkurranse" in out
    json_result = subprocess.run([sys.executable, "-m", "thingwalla", "procure", "route", "--buyer", "angsby",
                                  "--service", "probe-se", "--plan", "per-user", "--months", "1", "--quantity", "5",
                                  "--format", "json", "--lang", "en"],
                                 cwd=proc_repo, env=env, capture_output=True, text=True, timeout=120)
    data = json.loads(json_result.stdout)
    assert (data["recommended"], data["estimate"]["comparison_value"], data["thresholds"]["direct-award"]["amount"]) \
        == ("direct-award", "5.00", "700000")


def test_check_order_command_exit_status(written_direct, tmp_path, capsys):
    from thingwalla.cli import main

    assert main(["procure", "check-order", "--repository", str(REPO), "--ubl-xsd", str(UBL_XSD),
                 str(written_direct / "order.xml")]) == 0
    broken = tmp_path / "broken.xml"
    broken.write_bytes((written_direct / "order.xml").read_bytes().replace(b">912345688<", b">912345689<"))
    assert main(["procure", "check-order", "--repository", str(REPO), "--ubl-xsd", str(UBL_XSD), str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{broken}: FAILED (XSD valid; Peppol rules: 3 fatal, 0 warning(s))" in out
    assert "[PEPPOL-COMMON-R041] fatal: Norwegian organization number MUST be stated in the correct format." in out


# ---- the data is validated like the catalog ----------------------------------------------------

def test_validate_reports_procurement_data_errors_with_location(proc_repo, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(proc_repo, root)
    dps = root / "catalog/procurement/dps.yaml"
    dps.write_text(dps.read_text(encoding="utf-8").replace("{vendor: verifika,", "{vendor: verifikaa,"),
                   encoding="utf-8")
    law = root / "catalog/procurement/law.yaml"
    law.write_text(law.read_text(encoding="utf-8").replace("  direct-award:\n    one_click: true",
                                                           "  direct-award:\n    one_click: true\n    colour: red"),
                   encoding="utf-8")
    from thingwalla.validate import validate_repository

    messages = [p.as_text().split("\n")[0] for p in validate_repository(root, on_date=ON).errors]
    line = next(i for i, text in enumerate(law.read_text(encoding="utf-8").splitlines(), 1) if "colour: red" in text)
    assert messages == [f"catalog/procurement/law.yaml:{line}:5: error: unknown field 'colour' in routes.direct-award"]
    law.write_text(law.read_text(encoding="utf-8").replace("\n    colour: red", ""), encoding="utf-8")
    messages = [p.as_text().split("\n")[0] for p in validate_repository(root, on_date=ON).errors]
    line = next(i for i, text in enumerate(dps.read_text(encoding="utf-8").splitlines(), 1) if "verifikaa" in text)
    assert messages == [f"catalog/procurement/dps.yaml:{line}:22: error: unknown vendor 'verifikaa'"]
