"""Field-level differences in the words a reviewer reads."""

from __future__ import annotations

from pathlib import Path

from conftest import BUYER, SERVICE
from thingwalla.load import load_bytes
from thingwalla.pr.fielddiff import Labels, diff_entry

LABELS = Labels({"gdpr": ("GDPR", "law"), "iso-27001": ("ISO/IEC 27001", "certification")})
ISO = """  - regulation: iso-27001
    issued: 2024-03-01
    expires: 2027-03-01
    evidence_url: https://acme.example.no/iso.pdf
"""
SUB = """  sub_processors:
    - name: Nordic Hosting AS
      country: "NO"
      purpose: {nb: Drift, en: Hosting}
"""


def doc(text: str, path: str = "catalog/services/demo/service.yaml"):
    document, problems = load_bytes(text.encode(), Path(path), path)
    assert problems == []
    return document


def diff(old: str, new: str, kind: str = "service") -> list[str]:
    return [c.text for c in diff_entry(kind, doc(old), doc(new), LABELS)]


def test_data_location_reads_as_before_and_after():
    new = SERVICE.replace('data_locations: ["NO"]', 'data_locations: ["NO", "US"]')
    changes = diff_entry("service", doc(SERVICE), doc(new), LABELS)
    assert [c.text for c in changes] == ["data location: NO → NO, US"]
    assert changes[0].attention == "data outside the EEA: US"
    assert changes[0].line == 33


def test_sub_processor_added_removed_and_moved():
    base = SERVICE.replace('  data_locations: ["NO"]\n', '  data_locations: ["NO"]\n' + SUB)
    added = base.replace(SUB, SUB + """    - name: Acme Cloud Inc
      country: US
      purpose: {nb: E-post, en: E-mail}
""")
    assert diff(base, added) == ["sub-processor added: Acme Cloud Inc (US)"]
    assert diff_entry("service", doc(base), doc(added), LABELS)[0].attention == (
        "new sub-processor outside the EEA (US): check the transfer basis")
    assert diff(added, base) == ["sub-processor removed: Acme Cloud Inc (US)"]
    moved = base.replace('country: "NO"', "country: US")
    assert diff(base, moved) == ["sub-processor Nordic Hosting AS: country NO → US"]


def test_certificate_expiry_removed_and_certificate_withdrawn():
    base = SERVICE + ISO
    assert diff(base, base.replace("    expires: 2027-03-01\n", "")) == [
        "certificate ISO/IEC 27001 expires 2027-03-01 → removed"]
    assert diff(base, base.replace("2027-03-01", "2028-03-01")) == [
        "certificate ISO/IEC 27001 expires 2027-03-01 → 2028-03-01"]
    assert diff(base, SERVICE) == ["certificate ISO/IEC 27001 removed (was valid until 2027-03-01)"]
    assert diff(SERVICE, base) == ["certificate ISO/IEC 27001 added (issued 2024-03-01; expires 2027-03-01; evidence "
                                   "https://acme.example.no/iso.pdf)"]


def test_prices_are_grouped_with_their_unit():
    changes = diff_entry("service", doc(SERVICE), doc(SERVICE.replace("price: 1200", "price: 1900")), LABELS)
    assert [c.text for c in changes] == ["price of plan basic: 1 200 → 1 900 NOK/month"]
    assert changes[0].attention == "price rises by 58 %"
    per_user = SERVICE.replace("unit: organisation", "unit: user")
    assert diff(SERVICE, per_user) == ["price of plan basic: 1 200 NOK/month → 1 200 NOK/user/month"]
    assert diff(SERVICE, SERVICE.replace("id: basic", "id: pro")) == ["plan added: pro — 1 200 NOK/month",
                                                                     "plan removed: basic (was 1 200 NOK/month)"]


def test_buyer_uses_ratings_and_reviews():
    path = "catalog/buyers/testby.yaml"
    old, new = doc(BUYER, path), doc(BUYER.replace("rating: 4", "rating: 2").replace("Good.", "Slow."), path)
    assert [c.text for c in diff_entry("buyer", old, new, LABELS)] == ["rating of service demo: 4 → 2",
                                                                       "review of service demo (en): Good. → Slow."]


def test_vendor_values_are_code_in_markdown_so_they_cannot_link_or_mention():
    base = SERVICE.replace('  data_locations: ["NO"]\n', '  data_locations: ["NO"]\n' + SUB)
    evil = base.replace("Nordic Hosting AS", "'@everyone [click](https://evil.example) `x`'")
    change = diff_entry("service", doc(base), doc(evil), LABELS)[0]
    assert change.text == "sub-processor added: @everyone [click](https://evil.example) `x` (NO)"
    assert change.markdown() == "sub-processor added: `` @everyone [click](https://evil.example) `x` `` (`NO`)"
