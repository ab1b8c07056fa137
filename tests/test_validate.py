"""Each validation rule: a bad input and the exact message a vendor sees (file:line:col: message)."""

from __future__ import annotations

import pytest

from conftest import BUYER, SERVICE, VENDOR

S = "catalog/services/demo/service.yaml"
V = "catalog/vendors/acme.yaml"
B = "catalog/buyers/testby.yaml"

SERVICE_CASES = {
    "unknown vendor": ("vendor: acme", "vendor: acmee",
                       f"{S}:11:9: error: unknown vendor 'acmee'"),
    "unknown category": ("category: education", "category: educaton",
                         f"{S}:12:11: error: unknown category 'educaton'"),
    "solution type of another category": ("solution_type: attendance-absence", "solution_type: parking",
                                          f"{S}:13:16: error: unknown solution type 'parking'"),
    "unknown integration": ("integrations: [id-porten]", "integrations: [idporten]",
                            f"{S}:30:16: error: unknown integration 'idporten'"),
    "unknown regulation": ("regulation: gdpr", "regulation: gdrp",
                           f"{S}:35:17: error: unknown regulation 'gdrp'"),
    "missing required field": ("tagline:\n  nb: En liten tjeneste for tester.\n  en: A small service for tests.\n", "",
                               f"{S}:1:1: error: the entry is missing the required field 'tagline'"),
    "unknown field": ("status: stable", "status: stable\nprice: 10",
                      f"{S}:17:1: error: unknown field 'price'"),
    "value outside the list": ("model: annual_subscription", "model: subscription",
                               f"{S}:20:10: error: pricing.model must be one of: free, usage_based, "
                               "annual_subscription, per_user, one_time (found 'subscription')"),
    "wrong type": ("price: 1200", "price: 1200 kr",
                   f"{S}:24:14: error: pricing.plans[0].price must be a number, not '1200 kr'"),
    "plain http link": ("website: https://acme.example.no", "website: http://acme.example.no",
                        f"{S}:29:12: error: links.website must be an absolute https:// address "
                        "(found 'http://acme.example.no')"),
    "javascript link": ("website: https://acme.example.no", "website: javascript:alert(1)",
                        f"{S}:29:12: error: links.website must be an absolute https:// address "
                        "(found 'javascript:alert(1)')"),
    "support link that is neither https nor mailto": ("website: https://acme.example.no",
                                                      "website: https://acme.example.no\n  support: post@acme.example.no",
                                                      f"{S}:30:12: error: links.support must be an https:// address or a "
                                                      "mailto: e-mail link (found 'post@acme.example.no')"),
    "date that does not exist": ("listed: 2026-01-15", "listed: 2026-02-30",
                                 f"{S}:17:9: error: listed is not a real date: '2026-02-30'"),
    "date in the future": ("listed: 2026-01-15", "listed: 2027-01-15",
                           f"{S}:17:9: error: the date 2027-01-15 is in the future"),
    "tagline too long": ("  nb: En liten tjeneste for tester.", "  nb: " + "x" * 130,
                         f"{S}:6:7: error: tagline.nb is 130 characters; the limit is 120"),
    "unknown country": ('countries: ["NO"]', 'countries: ["XX"]',
                        f"{S}:14:13: error: 'XX' is not an ISO 3166-1 country code"),
    "unknown language": ("languages: [nb, en]", "languages: [nb, qq]",
                         f"{S}:15:17: error: 'qq' is not an ISO 639 language code"),
    "licence not SPDX": ("licence: proprietary", "licence: Foo-1.0",
                         f"{S}:18:10: error: licence 'Foo-1.0' is not an SPDX licence id or expression"),
    "malformed licence expression": ("licence: proprietary", "licence: MIT AND",
                                     f"{S}:18:10: error: licence 'MIT AND' is not an SPDX licence id or expression"),
    "evidence expires before issued": ("expires: 2027-01-10", "expires: 2025-01-10",
                                       f"{S}:37:14: error: the evidence expires (2025-01-10) before it was issued (2026-01-10)"),
    "missing schema line": ("# yaml-language-server: $schema=../../../scripts/thingwalla/schemas/service.schema.json\n", "",
                            f"{S}:1:1: error: the first line must name the entry's schema"),
    "id differs from folder": ("id: demo", "id: demo2",
                               f"{S}:2:5: error: id 'demo2' does not match the folder name 'demo'"),
    "container without image": ("deployment: [saas]", "deployment: [oci_image]",
                                f"{S}:31:1: error: hosting is missing the required field 'image'"),
    "logo outside the folder": ("status: stable", "status: stable\nlogo: ../../vendors/acme.svg",
                                f"{S}:17:7: error: logo has the wrong form: '../../vendors/acme.svg'"),
    "logo file missing": ("status: stable", "status: stable\nlogo: logo.svg",
                          f"{S}:17:7: error: the file 'logo.svg' does not exist"),
    "absolute screenshot path": ("status: stable", "status: stable\nscreenshots:\n  - file: /etc/passwd\n    alt: {nb: x}",
                                 f"{S}:18:11: error: '/etc/passwd' points outside the service's folder"),
    "parent folder in screenshot path": ("status: stable", "status: stable\nscreenshots:\n  - file: a/../../x.png\n    alt: {nb: x}",
                                         f"{S}:18:11: error: 'a/../../x.png' points outside the service's folder"),
    "duplicate key": ("status: stable", "status: stable\nstatus: beta",
                      f"{S}:17:1: error: duplicate key 'status' (first given on line 16)"),
    "price on a free plan": ("model: annual_subscription", "model: free",
                             f"{S}:24:14: error: a plan has a price although the pricing model is 'free'"),
    "duplicate plan id": ("      billing_period: month\n", "      billing_period: month\n    - id: basic\n      name: {nb: B}\n"
                          "      price: 1\n      currency: NOK\n      unit: user\n      billing_period: year\n",
                          f"{S}:28:11: error: the plan id 'basic' is used twice (first on line 22)"),
    "no description": ("description:\n  nb: Beskrivelse på bokmål.\n  en: Description in English.\n", "",
                       f"{S}:1:1: error: the service has no description"),
    "rating claimed in service file": ("status: stable", "status: stable\nrating: 5",
                                       f"{S}:17:1: error: unknown field 'rating'"),
}


VENDOR_CASES = {
    "wrong check digit": ('org_number: "912345688"', 'org_number: "912345689"',
                          f"{V}:6:13: error: '912345689' is not a valid Norwegian organisation number: the check digit is wrong"),
    "too short": ('org_number: "912345688"', 'org_number: "91234568"',
                  f"{V}:6:13: error: org_number has the wrong form: '91234568'"),
    "Swedish number checked with Luhn": ('country: NO\norg_number: "912345688"', 'country: SE\norg_number: "556999-0013"',
                                         f"{V}:6:13: error: '556999-0013' is not a valid Swedish organisation number: the check digit is wrong"),
    "e-mail without domain": ("email: post@acme.example.no", "email: post",
                              f"{V}:8:8: error: email has the wrong form: 'post'"),
    "country not supported": ("country: NO", "country: DK",
                              f"{V}:5:10: error: country must be one of: NO, SE (found 'DK')"),
    "id differs from file name": ("id: acme", "id: acme-as",
                                  f"{V}:2:5: error: id 'acme-as' does not match the file name 'acme'"),
}


BUYER_CASES = {
    "uses an unknown service": ("service: demo", "service: demoo",
                                f"{B}:11:14: error: unknown service 'demoo'"),
    "municipality code with unknown county": ('municipality_code: "3999"', 'municipality_code: "9999"',
                                              f"{B}:8:20: error: municipality code '9999' does not start with a county number of NO"),
    "rating above five": ("rating: 4", "rating: 6", f"{B}:13:13: error: uses[0].rating must be at most 5 (found 6)"),
    "municipality without code": ('municipality_code: "3999"\n', "",
                                  f"{B}:1:1: error: the entry is missing the required field 'municipality_code'"),
    "data location not a country": ("data_locations: [EEA]", "data_locations: [EEA, EU]",
                                    f"{B}:16:25: error: 'EU' is not an ISO 3166-1 country code"),
    "usage that starts in the future": ("since: 2025-05-01", "since: 2027-05-01",
                                        f"{B}:12:12: error: the date 2027-05-01 is in the future"),
    "same organisation number as a vendor": ('org_number: "999888003"', 'org_number: "912345688"',
                                             f"{B}:7:13: error: organisation number 912345688 is already used by {V}"),
}


RULES = ([("service", *case) for case in SERVICE_CASES.values()]
         + [("vendor", *case) for case in VENDOR_CASES.values()]
         + [("buyer", *case) for case in BUYER_CASES.values()])
RULE_IDS = [f"service: {k}" for k in SERVICE_CASES] + [f"vendor: {k}" for k in VENDOR_CASES] + \
           [f"buyer: {k}" for k in BUYER_CASES]
ORIGINALS = {"service": SERVICE, "vendor": VENDOR, "buyer": BUYER}


@pytest.mark.parametrize("kind,old,new,expected", RULES, ids=RULE_IDS)
def test_rule(repo, kind, old, new, expected):
    original = ORIGINALS[kind]
    assert old in original
    getattr(repo, kind)(original.replace(old, new, 1))
    assert repo.messages() == [expected]


def test_two_buyers_with_one_municipality_code(repo):
    repo.buyer(BUYER.replace("id: testby", "id: testby2").replace('"999888003"', '"999888011"'), ident="testby2")
    assert repo.messages() == [f"{B.replace('testby', 'testby2')}:8:20: error: municipality code 3999 "
                               f"is already used by {B}"]


def test_valid_fixture_has_no_problems(repo):
    assert repo.messages() == []


def test_support_link_may_be_mailto(repo):
    repo.service(SERVICE.replace("website: https://acme.example.no", "website: https://acme.example.no\n  support: mailto:hjelp@acme.example.no"))
    assert repo.messages() == []


def test_schema_and_reference_errors_of_one_file_come_in_one_run(repo):
    repo.service(SERVICE.replace("vendor: acme", "vendor: acmee").replace("price: 1200", "price: lots")
                 .replace("licence: proprietary", "licence: GPL3"))
    assert repo.messages() == [
        f"{S}:11:9: error: unknown vendor 'acmee'",
        f"{S}:18:10: error: licence 'GPL3' is not an SPDX licence id or expression",
        f"{S}:24:14: error: pricing.plans[0].price must be a number, not 'lots'",
    ]
    assert all(p.hint for p in repo.validate().problems)


def test_a_missing_field_does_not_hide_the_entrys_other_errors(repo):
    # A check that needs the missing field must not take the entry's other reference checks down with it.
    repo.service(SERVICE.replace("vendor: acme", "vendor: acmee").replace("category: education\n", "")
                 .replace("licence: proprietary", "licence: GPL3"))
    messages = repo.messages()
    assert any("missing the required field 'category'" in m for m in messages), messages
    assert f"{S}:11:9: error: unknown vendor 'acmee'" in messages
    assert any("licence 'GPL3' is not an SPDX licence id" in m for m in messages)


def test_quoted_number_gets_a_remove_the_quotes_hint(repo):
    repo.service(SERVICE.replace("price: 1200", 'price: "1200"'))
    (problem,) = repo.validate().problems
    assert problem.message == "pricing.plans[0].price must be a number, not '1200'"
    assert problem.hint == "remove the quotes: write 1200 without \"\" or ''"


def test_one_message_per_place(repo):
    repo.service(SERVICE.replace("listed: 2026-01-15", "listed: 14.03.2026"))
    assert repo.messages() == [f"{S}:17:9: error: listed is not a real date: '14.03.2026'"]


def test_suggests_the_closest_id(repo):
    repo.service(SERVICE.replace("category: education", "category: educaton"))
    (problem,) = repo.validate().problems
    assert problem.hint.startswith("did you mean 'education'?")


def test_all_errors_of_all_files_in_one_run(repo):
    repo.service(SERVICE.replace("vendor: acme", "vendor: nobody").replace("countries: [\"NO\"]", "countries: [\"XX\"]"))
    repo.vendor(VENDOR.replace('"912345688"', '"912345689"'))
    repo.buyer(BUYER.replace("rating: 4", "rating: 9"))
    messages = repo.messages()
    assert len(messages) == 4
    assert {m.split(":")[0] for m in messages} == {S, V, B}


def test_a_broken_service_is_reported_once_not_by_every_buyer(repo):
    repo.service(SERVICE.replace("price: 1200", "price: many"))
    messages = repo.messages()
    assert len(messages) == 1 and messages[0].startswith(S)


def test_comma_inside_flow_mapping_gets_a_quoting_hint(repo):
    repo.service(SERVICE.replace("name: {nb: Demotjeneste, en: Demo Service}",
                                 "name: {nb: Demo, tjeneste, en: Demo Service}"))
    (problem,) = repo.validate().problems
    assert problem.as_text() == (
        f"{S}:4:18: error: unknown field 'tjeneste' in name\n"
        "    hint: this looks like text cut at a comma: inside { } put text that contains commas in quotes")


def test_unquoted_country_code_no_is_text_not_false(repo):
    # YAML 1.1 would read NO as the boolean false; the fixture's vendor writes `country: NO`.
    assert "country: NO\n" in VENDOR
    assert repo.messages() == []


def test_stray_files_and_folders_are_reported(repo):
    repo.write("catalog/services/empty-folder/README.md", "hi")
    repo.write("catalog/vendors/notes.txt", "hi")
    repo.write("catalog/buyers/testby2.yml", "id: x")
    assert repo.messages() == [
        "catalog/buyers/testby2.yml:1:1: error: only <id>.yaml files are read in catalog/buyers/",
        "catalog/services/empty-folder:1:1: error: the service folder has no service.yaml",
        "catalog/vendors/notes.txt:1:1: error: only <id>.yaml files are read in catalog/vendors/",
    ]


def test_description_files_are_checked(repo):
    repo.write("catalog/services/demo/description.nb.md", "Tekst")
    repo.write("catalog/services/demo/description.de.md", "Text")
    repo.write("catalog/services/demo/description.en.md", b"\xff\xfe bad")
    assert repo.messages() == [
        "catalog/services/demo/description.de.md:1:1: error: 'de' is not a language the catalog shows",
        "catalog/services/demo/description.en.md:1:1: error: the file is not valid UTF-8",
        f"{S}:9:3: error: description.nb is given both here and in description.nb.md",
        f"{S}:10:3: error: description.en is given both here and in description.en.md",
    ]


def test_the_catalog_shows_the_description_files_the_validator_checked(repo):
    """The text on the site is the text that passed the checks: read once, with Windows newlines and BOM undone."""
    from thingwalla.model import build_catalog

    repo.service(SERVICE.replace("  en: Description in English.\n", ""))
    path = repo.write("catalog/services/demo/description.en.md",
                      "\ufeff## Who it is for\r\n\r\nSchools.\rParents.\r\n".encode("utf-8"))
    result = repo.validate()
    assert result.ok, [p.as_text() for p in result.problems]
    path.write_text("Changed after the checks ran", encoding="utf-8")
    service = build_catalog(result).services["demo"]
    assert service.description["en"] == "## Who it is for\n\nSchools.\nParents.\n"
    assert service.description["nb"] == "Beskrivelse på bokmål."


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_screenshot_must_be_the_image_type_its_name_says(repo):
    repo.write("catalog/services/demo/screenshots/a.png", b"GIF89a fake")
    repo.write("catalog/services/demo/screenshots/b.gif", b"GIF89a")
    repo.write("catalog/services/demo/screenshots/c.png", PNG)
    repo.service(SERVICE.replace("status: stable", "status: stable\nscreenshots:\n"
                                 "  - {file: screenshots/a.png, alt: {nb: A}}\n"
                                 "  - {file: screenshots/b.gif, alt: {nb: B}}\n"
                                 "  - {file: screenshots/c.png, alt: {nb: C}}"))
    assert repo.messages() == [
        f"{S}:18:12: error: 'a.png' is not really a PNG image",
        f"{S}:19:12: error: 'b.gif' is not a PNG or JPEG image",
    ]


def test_screenshot_size_limit(repo):
    repo.write("catalog/services/demo/big.png", PNG + b"\x00" * (2 * 1024 * 1024))
    repo.service(SERVICE.replace("status: stable", "status: stable\nscreenshots:\n  - {file: big.png, alt: {nb: A}}"))
    assert repo.messages() == [f"{S}:18:12: error: 'big.png' is 2.0 MB; the limit is 2 MB"]


@pytest.mark.parametrize("svg,reason", [
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "the element <script> is not allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>', "the event attribute 'onload' is not allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "the element <foreignobject> is not allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><use x:href="https://evil.example/a.svg#x"/></svg>',
     "the link 'https://evil.example/a.svg#x' leaves the logo"),
    ('<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>', "it declares a DOCTYPE or entities"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x)"/></svg>', "the attribute 'style' may load or style content"),
])
def test_unsafe_svg_logo_is_refused(repo, svg, reason):
    repo.write("catalog/services/demo/logo.svg", svg)
    repo.service(SERVICE.replace("status: stable", "status: stable\nlogo: logo.svg"))
    assert repo.messages() == [f"{S}:17:7: error: the SVG logo is refused: {reason}"]


def test_plain_svg_logo_is_accepted(repo):
    repo.write("catalog/services/demo/logo.svg",
               '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Acme</title>'
               '<rect width="10" height="10" fill="#123456"/></svg>')
    repo.service(SERVICE.replace("status: stable", "status: stable\nlogo: logo.svg"))
    assert repo.messages() == []


def test_duplicate_taxonomy_ids(repo):
    path = repo.root / "catalog/taxonomy/regulations.yaml"
    text = path.read_text()
    path.write_text(text.replace("  - id: iso-9001", "  - id: iso-27001"))
    messages = repo.messages()
    assert len(messages) == 1
    assert "error: the regulation id 'iso-27001' is used twice (first on line" in messages[0]


def test_missing_taxonomy_file(repo):
    (repo.root / "catalog/taxonomy/integrations.yaml").unlink()
    assert "catalog/taxonomy/integrations.yaml:1:1: error: the integrations taxonomy is missing" in repo.messages()


@pytest.mark.parametrize("kind,old,new,expected", RULES, ids=RULE_IDS)
def test_fast_schema_check_agrees_with_the_full_validator(kind, old, new, expected):
    """Valid entries skip the full validator only when the compiled check reaches the same verdict."""
    from pathlib import Path

    from thingwalla.load import load_bytes
    from thingwalla.schemas import fast_validator_for, validator_for

    doc, problems = load_bytes(ORIGINALS[kind].replace(old, new, 1).encode(), Path("x.yaml"), "x.yaml")
    if doc is None:
        return  # refused by the loader before any schema runs
    full_errors = list(validator_for(kind).iter_errors(doc.data))
    assert fast_validator_for(kind)(doc.data) == (not full_errors)


def test_the_fast_check_reads_white_space_as_python_does():
    """The Rust engine's \\s differs from Python's by a few characters; a link or e-mail address with one of them
    must fail the fast check exactly when the full validator refuses it, whatever the character."""
    import re
    import sys
    from pathlib import Path

    from thingwalla.load import load_bytes
    from thingwalla.schemas import PYTHON_SPACE, fast_validator_for, validator_for

    every = [chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]
    python_space = {c for c in every if re.match(r"\s", c)}
    assert {c for c in every if re.match(f"[{PYTHON_SPACE}]", c)} == python_space
    service = load_bytes(SERVICE.encode(), Path("x.yaml"), "x.yaml")[0].data
    candidates = sorted(python_space | {"\ufeff", "\u200b", "\u180e", "x"})
    for char in candidates:
        for field, value in (("website", f"https://a{char}b.example"), ("support", f"mailto:a{char}b@c.example")):
            service["links"] = {"website": "https://ok.example", field: value}
            full_ok = not list(validator_for("service").iter_errors(service))
            assert fast_validator_for("service")(service) == full_ok, (hex(ord(char)), field)
            assert full_ok == (char in ("x", "\ufeff", "\u200b", "\u180e")), (hex(ord(char)), field)
