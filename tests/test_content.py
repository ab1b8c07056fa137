"""The repository's own content meets what the marketplace promises."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import REPO
from thingwalla.model import build_catalog
from thingwalla.validate import validate_repository

SEED_KINDS = ["school-leave-request", "absence-tracker", "attendance-check-in", "where-are-the-children",
              "building-permit-cost-calculator", "real-time-income-verification", "grant-management",
              "peppol-access-point", "tax-administration-connector"]


@pytest.fixture(scope="module")
def catalog():
    result = validate_repository(REPO, on_date=dt.date(2026, 12, 3))
    assert result.ok, [p.as_text() for p in result.errors]
    return build_catalog(result)


def test_size_and_spread(catalog):
    assert len(catalog.services) >= 30
    assert len(catalog.vendors) >= 12
    assert len(catalog.buyers) >= 15
    assert len(catalog.categories) == 11
    assert all(catalog.services_in(c) for c in catalog.categories), "every category has services"


def test_the_seed_services_are_there(catalog):
    assert set(SEED_KINDS) <= set(catalog.services)


def test_finance_and_taxes_solution_types(catalog):
    finance = next(c for c in catalog.categories if c.id == "finance-taxes")
    assert [st.name("en") for st in finance.solution_types] == [
        "Payment & Billing", "Invoicing & Accounting", "Financial Verification", "Tax Collection & Management",
        "Grants & Funding"]


def test_everything_is_marked_as_sample(catalog):
    assert all(s.sample for s in catalog.services.values())
    assert all(v.sample for v in catalog.vendors.values())
    assert all(b.sample for b in catalog.buyers.values())


def test_byteby_is_a_buyer(catalog):
    assert catalog.buyers["byteby"].name == "Byteby kommune"


def test_every_service_has_text_in_both_languages(catalog):
    for service in catalog.services.values():
        for field in (service.name, service.tagline, service.description):
            assert field.get("nb") and field.get("en"), service.id


def test_dora_applies_only_to_financial_entities(catalog):
    dora = catalog.regulations["dora"]
    assert dora.applies_to == ["financial_entities"]
    assert not dora.relevant_to_public_buyers


def test_ratings_and_usage_come_from_buyers(catalog):
    service = catalog.services["school-leave-request"]
    users = {b.id for b in catalog.buyers.values() for u in b.uses if u.service.id == service.id}
    assert {u.buyer.id for u in service.used_by} == users
    ratings = [u.rating for b in catalog.buyers.values() for u in b.uses
               if u.service.id == service.id and u.rating is not None]
    assert service.rating == round(sum(ratings) / len(ratings), 1)


def test_entries_print_as_their_ids(catalog):
    # Services, vendors and buyers refer to each other: a generated repr never ended, and a failing
    # assertion that printed one hung pytest for minutes.
    service = catalog.services["absence-tracker"]
    usage = next(iter(service.used_by))
    assert repr(service) == "Service(id='absence-tracker')"
    assert repr(service.vendor) == f"Vendor(id='{service.vendor.id}')"
    assert repr(usage) == f"Usage(buyer='{usage.buyer.id}', service='absence-tracker')"
    assert repr(usage.buyer) == f"Buyer(id='{usage.buyer.id}')"
