"""Starting files for a vendor's pull request: a service, a vendor or a buyer that validate as written.

Every file starts with its schema line (editors then check it as you type) and carries comments on
what to fill in next. Values are written as JSON strings, which YAML reads back exactly, so a name with
a colon or a quote cannot change the file's structure.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from pathlib import Path

from ..load import load_file
from ..validate import schema_line, today as validator_today
from ..validate.placeholders import DESCRIPTIONS, TAGLINE

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
class ScaffoldError(Exception):
    """Something the person must choose differently; worded with what to do."""


def q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def check_id(ident: str, kind: str) -> None:
    if not ID.match(ident) or len(ident) < 2:
        raise ScaffoldError(f"'{ident}' is not a valid {kind} id: use lower-case letters, digits and single "
                            "hyphens, e.g. school-leave-request")


def _refuse_existing(path: Path, root: Path) -> None:
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists; edit it, or choose another id")


def _data(path: Path, relpath: str) -> dict:
    doc, _ = load_file(path, relpath)
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def _taxonomy(root: Path) -> dict[str, list[str]]:
    data = _data(root / "catalog/taxonomy/categories.yaml", "catalog/taxonomy/categories.yaml")
    out = {}
    for cat in data.get("categories") or []:
        if isinstance(cat, dict) and isinstance(cat.get("id"), str):
            out[cat["id"]] = [st.get("id") for st in cat.get("solution_types") or [] if isinstance(st, dict)]
    return out


def service(root: Path, ident: str, vendor: str, category: str, solution_type: str,
            name_nb: str | None = None, name_en: str | None = None, today: dt.date | None = None) -> list[Path]:
    check_id(ident, "service")
    relpath = f"catalog/services/{ident}/service.yaml"
    path = root / relpath
    _refuse_existing(path.parent, root)
    vendor_path = root / f"catalog/vendors/{vendor}.yaml"
    if not ID.match(vendor) or not vendor_path.is_file():
        raise ScaffoldError(f"there is no vendor '{vendor}' (catalog/vendors/{vendor}.yaml); create it first with "
                            f"`thingwalla new vendor {vendor if ID.match(vendor) else 'ID'} …`")
    taxonomy = _taxonomy(root)
    if category not in taxonomy:
        close = difflib.get_close_matches(category, sorted(taxonomy), n=1)
        raise ScaffoldError(f"unknown category '{category}'" + (f" (did you mean '{close[0]}'?)" if close else "")
                            + f"; choose one of: {', '.join(sorted(taxonomy))}")
    if solution_type not in taxonomy[category]:
        close = difflib.get_close_matches(solution_type, taxonomy[category], n=1)
        raise ScaffoldError(f"unknown solution type '{solution_type}' in {category}"
                            + (f" (did you mean '{close[0]}'?)" if close else "") + "; choose one of: "
                            f"{', '.join(taxonomy[category])}")
    vendor_data = _data(vendor_path, f"catalog/vendors/{vendor}.yaml")
    country = vendor_data.get("country") if isinstance(vendor_data.get("country"), str) else "NO"
    website = vendor_data.get("website") if isinstance(vendor_data.get("website"), str) else "https://example.org"
    title = ident.replace("-", " ").capitalize()
    today = today or validator_today()  # THINGWALLA_TODAY pins it, as it does for the validator
    text = f"""{schema_line(relpath, "service")}
# Scaffolded by `thingwalla new service`. Replace the placeholder texts, then run `thingwalla validate {relpath}`.
# Every field is described in scripts/thingwalla/schemas/service.schema.json and in CONTRIBUTING.md.
id: {ident}
name: {{nb: {q(name_nb or name_en or title)}, en: {q(name_en or name_nb or title)}}}
tagline:
  nb: {q(TAGLINE["nb"])}
  en: {q(TAGLINE["en"])}
# The description is in description.nb.md and description.en.md beside this file (Markdown).
vendor: {vendor}
category: {category}
solution_type: {solution_type}
countries: [{q(country)}]
languages: [nb, en]
status: beta
listed: {today.isoformat()}
licence: proprietary  # or an SPDX id such as EUPL-1.2
pricing:
  model: annual_subscription  # free | usage_based | annual_subscription | per_user | one_time
  # plans:
  #   - id: basic
  #     name: {{nb: Basis, en: Basic}}
  #     price: 1200
  #     currency: NOK
  #     unit: organisation
  #     billing_period: month
links:
  website: {q(website)}
hosting:
  deployment: [saas]  # saas | on_premises | oci_image
  data_locations: [{q(country)}]  # every country where data is stored or processed
  # sub_processors: [{{name: ..., country: ..., purpose: {{nb: ..., en: ...}}}}]
# compliance:
#   - regulation: gdpr
#     issued: {today.isoformat()}
#     expires: {today.replace(year=today.year + 1, day=min(today.day, 28)).isoformat()}
#     evidence_url: https://...
"""
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    written = [path]
    for lang, body in DESCRIPTIONS.items():
        written.append(path.parent / f"description.{lang}.md")
        written[-1].write_text(body, encoding="utf-8")
    return written


def vendor(root: Path, ident: str, legal_name: str, country: str, org_number: str, website: str, email: str,
           maintainers: list[str], sample: bool = False) -> list[Path]:
    check_id(ident, "vendor")
    relpath = f"catalog/vendors/{ident}.yaml"
    path = root / relpath
    _refuse_existing(path, root)
    text = f"""{schema_line(relpath, "vendor")}
# Scaffolded by `thingwalla new vendor`. The platform maintainers check the organisation number against
# the national register before the first listing is merged.
id: {ident}
{"sample: true" + chr(10) if sample else ""}legal_name: {q(legal_name)}
country: {q(country)}
org_number: {q(org_number)}
website: {q(website)}
email: {q(email)}
# description: {{nb: ..., en: ...}}
# GitHub users who may change this vendor's file and services:
maintainers: [{", ".join(q(m.lstrip("@")) for m in maintainers)}]
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [path]


def buyer(root: Path, ident: str, name: str, kind: str, country: str, org_number: str, maintainers: list[str],
          municipality_code: str | None = None, sample: bool = False) -> list[Path]:
    check_id(ident, "buyer")
    relpath = f"catalog/buyers/{ident}.yaml"
    path = root / relpath
    _refuse_existing(path, root)
    if kind == "municipality" and not municipality_code:
        raise ScaffoldError("a municipality needs --municipality-code (kommunenummer / kommunkod, four digits)")
    code = f"municipality_code: {q(municipality_code)}\n" if municipality_code else ""
    text = f"""{schema_line(relpath, "buyer")}
# Scaffolded by `thingwalla new buyer`. Add the services you use under `uses:` (with a rating and a review).
id: {ident}
{"sample: true" + chr(10) if sample else ""}name: {q(name)}
kind: {kind}
country: {q(country)}
org_number: {q(org_number)}
{code}# GitHub users who may change this buyer's file (its uses, ratings, reviews and pledges):
maintainers: [{", ".join(q(m.lstrip("@")) for m in maintainers)}]
uses: []
#  - service: school-leave-request
#    since: 2026-01-01
#    rating: 4
#    review: {{nb: ..., en: ...}}
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [path]
