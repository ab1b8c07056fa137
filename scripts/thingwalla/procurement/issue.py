"""Turn a procurement-request issue (the form in .github/ISSUE_TEMPLATE/procurement-request.yml) into a
request, and check that the person who opened it may act for the buyer.

GitHub writes an issue form's answers into the issue body as "### <label>" sections; the labels are read
from the form itself, so the form and this parser cannot drift apart. The body is untrusted text: every
value is checked (ids against the catalog, numbers and dates by parsing) before it is used, and it never
reaches a shell.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .route import RequestError, RouteRequest, parse_decimal

FORM = Path(".github/ISSUE_TEMPLATE/procurement-request.yml")
NO_RESPONSE = "_No response_"
ROUTE_RE = re.compile(r"\(([a-z-]+)\)\s*$")
MAX_EVENT_BYTES = 1024 * 1024


@dataclass
class IssueRequest:
    request: RouteRequest
    route: str | None
    buyer_reference: str | None
    award: dict | None
    login: str
    number: int | None
    url: str | None


def form_fields(repo_root: Path) -> dict[str, dict]:
    """label -> {"id", "type", "required"} for every field of the procurement request form."""
    path = Path(repo_root) / FORM
    try:
        form = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RequestError(f"cannot read the issue form {FORM}: {exc}") from None
    fields = {}
    for item in form.get("body", []):
        if item.get("type") == "markdown":
            continue
        label = item["attributes"]["label"]
        fields[label] = {"id": item["id"], "type": item["type"],
                         "required": bool((item.get("validations") or {}).get("required"))}
    return fields


def parse_body(body: str, fields: dict[str, dict]) -> dict[str, str | None]:
    """Field id -> answer (None when left empty). Unknown sections are ignored."""
    answers: dict[str, str | None] = {f["id"]: None for f in fields.values()}
    sections = re.split(r"(?m)^### ", "\n" + (body or "").replace("\r\n", "\n"))
    for section in sections[1:]:
        label, _, value = section.partition("\n")
        field = fields.get(label.strip())
        if field is None:
            continue
        value = value.strip()
        if field["type"] == "checkboxes":
            answers[field["id"]] = "checked" if re.search(r"(?m)^- \[[xX]\]", value) else None
        else:
            answers[field["id"]] = None if value in ("", NO_RESPONSE) else value
    return answers


def _int(value: str | None, what: str, default: int | None = None) -> int:
    if value is None:
        if default is None:
            raise RequestError(f"the form field '{what}' is required")
        return default
    if not re.fullmatch(r"\s*[0-9]{1,4}\s*", value):
        raise RequestError(f"the form field '{what}' must be a whole number of months (got {value!r})")
    return int(value)


def _date(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise RequestError(f"the form field '{what}' must be a date written YYYY-MM-DD (got {value!r})") from None


def _id(value: str | None, what: str) -> str:
    if value is None:
        raise RequestError(f"the form field '{what}' is required")
    value = value.strip()
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value) or len(value) > 64:
        raise RequestError(f"the form field '{what}' must be an id such as 'byteby' (got {value[:80]!r})")
    return value


def read_event(path: Path, repo_root: Path, on: dt.date) -> IssueRequest:
    """The request in an `issues` event payload (GITHUB_EVENT_PATH)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RequestError(f"cannot read the event file {path}: {exc.strerror}") from None
    if len(raw) > MAX_EVENT_BYTES:
        raise RequestError(f"the event file {path} is larger than {MAX_EVENT_BYTES} bytes")
    try:
        event = json.loads(raw)
        issue = event["issue"]
        body = issue.get("body") or ""
        login = issue["user"]["login"]
    except (ValueError, KeyError, TypeError):
        raise RequestError(f"{path} is not an issues event payload (no issue with a body and an author)") from None
    fields = form_fields(repo_root)
    answers = parse_body(body, fields)
    if answers.get("acknowledgement") != "checked":
        raise RequestError("the confirmation box in the form is not ticked")
    route = None
    if answers.get("route"):
        match = ROUTE_RE.search(answers["route"])
        route = match.group(1) if match else None
        if route == "auto":
            route = None
        elif route is None:
            raise RequestError(f"unknown procurement route {answers['route'][:80]!r}")
    quantity = answers.get("quantity")
    same_kind = answers.get("same_kind_value")
    rate = answers.get("exchange_rate")
    request = RouteRequest(
        buyer=_id(answers.get("buyer"), "buyer"), service=_id(answers.get("service"), "service"),
        plan=_id(answers.get("plan"), "plan"), months=_int(answers.get("months"), "months"),
        option_months=_int(answers.get("option_months"), "option_months", 0),
        quantity=parse_decimal(quantity, "the quantity") if quantity else None,
        start=_date(answers.get("start"), "start"), on=on,
        same_kind_value=parse_decimal(same_kind, "the value of same-kind purchases") if same_kind else
        parse_decimal("0", ""),
        exchange_rate=parse_decimal(rate, "the exchange rate") if rate else None)
    award = None
    if answers.get("award_reference") or answers.get("award_date"):
        if not (answers.get("award_reference") and answers.get("award_date")):
            raise RequestError("give both the award reference and the award date, or neither")
        reference = answers["award_reference"].strip()
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ./_-]{0,63}", reference):
            raise RequestError("the award reference may hold letters, digits, spaces and . / _ - (at most 64)")
        award = {"reference": reference, "date": _date(answers["award_date"], "award_date")}
    reference = answers.get("buyer_reference")
    if reference is not None:
        reference = " ".join(reference.split())[:100]
    return IssueRequest(request, route, reference, award, login, issue.get("number"), issue.get("html_url"))
