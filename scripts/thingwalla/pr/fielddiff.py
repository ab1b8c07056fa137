"""Field-level differences of a changed entry, in the words a reviewer reads.

    data location: NO → NO, US
    sub-processor added: Acme Cloud Inc (US)
    certificate ISO/IEC 27001 expires 2027-03-01 → removed
    price of plan basic: 1 200 → 1 900 NOK/month

Each difference is a FieldChange: its wording (plain, and Markdown with the vendor's values in code
spans, so a value can never turn into a link, a mention or markup), the field it is about, and — when a
reviewer should look closely — why ("data outside the EEA: US"). Lists of things with a name or id
(plans, sub-processors, compliance claims, buyers' uses) are matched by that name, not by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..load import Document
from .gitrepo import FileChange

LANGS = ("nb", "en", "sv")
SHORT_TEXT = 80
# EU member states and the other EEA countries (Iceland, Liechtenstein, Norway).
EEA = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO".split())


@dataclass(frozen=True)
class FieldChange:
    template: str  # wording with {} where the entry's values go
    values: tuple[str, ...] = ()
    attention: str = ""  # why a reviewer should look; empty for routine changes
    where: tuple = ()  # the field's path in the entry, for locating it
    line: int | None = None  # line of the field in the file at head (at base when removed)

    @property
    def text(self) -> str:
        return self.template.format(*self.values)

    def markdown(self) -> str:
        static = [markdown_escape(part) for part in self.template.split("{}")]
        out = static[0]
        for value, part in zip(self.values, static[1:]):
            out += code_span(value) + part
        return out


@dataclass
class Labels:
    """Names the diff needs from the taxonomy: regulations by id -> (name, kind)."""

    regulations: dict[str, tuple[str, str]] = field(default_factory=dict)

    def regulation(self, ident: str) -> tuple[str, str]:
        name, kind = self.regulations.get(ident, (ident, "law"))
        return name, ("certificate" if kind == "certification" else "declaration")


# -- formatting helpers ---------------------------------------------------------------------------

def markdown_escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#!~@])", r"\\\1", text)


def code_span(value: str) -> str:
    value = " ".join(str(value).split())  # no line breaks inside a span
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def number(value) -> str:
    """1 200, 1 900.5: thousands grouped with a space, as prices are written in Norway and Sweden."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return short(value)
    if isinstance(value, float) and not value.is_integer():
        whole, frac = f"{value:.2f}".split(".")
        return f"{int(whole):,}".replace(",", " ") + "." + frac.rstrip("0")
    return f"{int(value):,}".replace(",", " ")


def short(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, list):
        return ", ".join(short(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return "{…}"
    text = " ".join(str(value).split())
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1] + "…"


def humanize(key: str) -> str:
    return str(key).replace("_", " ")


def is_localized(value) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGS)


def outside_eea(codes) -> list[str]:
    return sorted(c for c in codes if isinstance(c, str) and c not in EEA)


def price_unit(plan: dict) -> str:
    """NOK/month, NOK/user/month, NOK one-time: a plan priced per organisation names no unit."""
    unit, period = plan.get("unit"), plan.get("billing_period")
    text = str(plan.get("currency", ""))
    if unit and unit != "organisation":
        text += f"/{unit}"
    if period == "one_time":
        text += " one-time"
    elif period:
        text += f"/{period}"
    return text


def price_text(plan: dict) -> str:
    return f"{number(plan.get('price'))} {price_unit(plan)}".rstrip()


def _lit(value) -> str:
    """Vendor text placed in a wording template: braces doubled so it stays text."""
    return short(value).replace("{", "{{").replace("}", "}}")


# -- the differ -------------------------------------------------------------------------------------

class _Differ:
    def __init__(self, kind: str, old: Document | None, new: Document | None, labels: Labels):
        self.kind, self.old, self.new, self.labels = kind, old, new, labels
        self.out: list[FieldChange] = []

    def add(self, template: str, *values, attention: str = "", where: tuple = (), removed: bool = False) -> None:
        doc = self.old if removed or self.new is None else self.new
        line = None
        if doc is not None and where:
            line = doc.position(where)[0]
        self.out.append(FieldChange(template, tuple(short(v) if not isinstance(v, str) else v for v in values),
                                    attention, where, line))

    # generic -----------------------------------------------------------------------------------
    def value(self, path: tuple, old, new, label: str, old_path: tuple | None = None) -> None:
        """Compare one field; `label` is how the reviewer calls it."""
        if old == new:
            return
        handler = getattr(self, f"_{self.kind}_{'_'.join(str(p) for p in _schema_path(path))}", None)
        if handler is not None:
            handler(path, old, new, label)
            return
        if is_localized(old) or is_localized(new):
            self.text(path, old or {}, new or {}, label)
        elif isinstance(old, dict) and isinstance(new, dict):
            for key in list(new) + [k for k in old if k not in new]:
                self.value(path + (key,), old.get(key), new.get(key), self.child_label(path, key, label))
        elif isinstance(old, list) and isinstance(new, list) and _all_scalars(old + new):
            self.scalar_list(path, old, new, label)
        elif isinstance(old, list) and isinstance(new, list) and _keyed(old + new):
            key = _keyed(old + new)
            self.keyed_list(path, old, new, label, key)
        elif old is None:
            self.add(f"{label} added: {{}}", _summary(new), where=path)
        elif new is None:
            self.add(f"{label}: {{}} → removed", _summary(old), where=old_path or path, removed=True)
        else:
            self.add(f"{label}: {{}} → {{}}", _summary(old), _summary(new), where=path)

    def child_label(self, path: tuple, key, parent: str) -> str:
        known = LABELS.get(self.kind, {}).get(tuple(str(p) for p in _schema_path(path + (key,))))
        if known:
            return known
        return _lit(humanize(key)) if not path else f"{parent} {_lit(humanize(key))}"

    def text(self, path: tuple, old: dict, new: dict, label: str) -> None:
        for lang in [l for l in LANGS if l in old or l in new]:
            before, after = old.get(lang), new.get(lang)
            if before == after:
                continue
            where = path + (lang,)
            if before is None:
                self.add(f"{label} ({lang}) added: {{}}", after, where=where)
            elif after is None:
                self.add(f"{label} ({lang}) removed", where=where, removed=True)
            elif len(str(before)) > SHORT_TEXT or len(str(after)) > SHORT_TEXT or "\n" in str(before) + str(after):
                self.add(f"{label} ({lang}) changed ({len(str(before))} → {len(str(after))} characters)", where=where)
            else:
                self.add(f"{label} ({lang}): {{}} → {{}}", before, after, where=where)

    def scalar_list(self, path: tuple, old: list, new: list, label: str, attention: str = "") -> None:
        if tuple(str(p) for p in path) in WHOLE_LISTS:
            self.add(f"{label}: {{}} → {{}}", old, new, attention=attention, where=path)
            return
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        if added:
            self.add(f"{label} added: {{}}", added, attention=attention, where=path)
        if removed:
            self.add(f"{label} removed: {{}}", removed, attention=attention, where=path, removed=not new)
        if not added and not removed:
            self.add(f"{label} reordered: {{}} → {{}}", old, new, where=path)

    def keyed_list(self, path: tuple, old: list, new: list, label: str, key: str, noun: str | None = None) -> None:
        noun = noun or label
        before = {str(item.get(key)): (i, item) for i, item in enumerate(old) if isinstance(item, dict)}
        after = {str(item.get(key)): (i, item) for i, item in enumerate(new) if isinstance(item, dict)}
        for ident, (i, item) in after.items():
            if ident not in before:
                self.add(f"{noun} added: {{}}", ident, where=path + (i,))
            else:
                j, previous = before[ident]
                for field_name in list(item) + [k for k in previous if k not in item]:
                    self.value(path + (i, field_name), previous.get(field_name), item.get(field_name),
                               f"{noun} {_lit(ident)} {_lit(humanize(field_name))}", old_path=path + (j, field_name))
        for ident, (j, _item) in before.items():
            if ident not in after:
                self.add(f"{noun} removed: {{}}", ident, where=path + (j,), removed=True)

    # services ----------------------------------------------------------------------------------
    def _service_vendor(self, path, old, new, label):
        self.add("vendor: {} → {}", old, new, where=path,
                 attention="the service moves to another vendor: both vendors must agree")

    def _service_status(self, path, old, new, label):
        attention = "buyers using it should hear about the deprecation" if new == "deprecated" else ""
        self.add("status: {} → {}", old, new, where=path, attention=attention)

    def _service_hosting_data_locations(self, path, old, new, label):
        gone_out = [c for c in outside_eea(new or []) if c not in (old or [])]
        attention = f"data outside the EEA: {', '.join(gone_out)}" if gone_out else ""
        self.add("data location: {} → {}", old, new, where=path, attention=attention)

    def _service_hosting_sub_processors(self, path, old, new, label):
        old, new = old or [], new or []
        before = {str(s.get("name", "")).casefold(): (i, s) for i, s in enumerate(old) if isinstance(s, dict)}
        after = {str(s.get("name", "")).casefold(): (i, s) for i, s in enumerate(new) if isinstance(s, dict)}
        for name, (i, sub) in after.items():
            country = sub.get("country")
            if name not in before:
                outside = outside_eea([country])
                attention = (f"new sub-processor outside the EEA ({country}): check the transfer basis"
                             if outside else "new sub-processor: buyers must be told (GDPR art. 28(2))")
                self.add("sub-processor added: {} ({})", sub.get("name"), country, where=path + (i,),
                         attention=attention)
                continue
            j, previous = before[name]
            if previous.get("country") != country:
                outside = outside_eea([country])
                self.add("sub-processor {}: country {} → {}", sub.get("name"), previous.get("country"), country,
                         where=path + (i, "country"),
                         attention=f"sub-processor moves outside the EEA ({country})" if outside else "")
            if previous.get("name") != sub.get("name"):
                self.add("sub-processor renamed: {} → {}", previous.get("name"), sub.get("name"), where=path + (i, "name"))
            if previous.get("purpose") != sub.get("purpose"):
                self.text(path + (i, "purpose"), previous.get("purpose") or {}, sub.get("purpose") or {},
                          f"purpose of sub-processor {_lit(sub.get('name'))}")
        for name, (j, sub) in before.items():
            if name not in after:
                self.add("sub-processor removed: {} ({})", sub.get("name"), sub.get("country"), where=path + (j,),
                         removed=True)

    def _service_pricing_plans(self, path, old, new, label):
        old, new = old or [], new or []
        before = {str(p.get("id")): (i, p) for i, p in enumerate(old) if isinstance(p, dict)}
        after = {str(p.get("id")): (i, p) for i, p in enumerate(new) if isinstance(p, dict)}
        for ident, (i, plan) in after.items():
            where = path + (i,)
            if ident not in before:
                self.add("plan added: {} — {}", ident, price_text(plan), where=where)
                continue
            j, previous = before[ident]
            if price_unit(previous) == price_unit(plan) and previous.get("price") != plan.get("price"):
                self.add(f"price of plan {{}}: {{}} → {{}} {_lit(price_unit(plan))}".rstrip(), ident,
                         number(previous.get("price")), number(plan.get("price")), where=where + ("price",),
                         attention=_rise(previous.get("price"), plan.get("price")))
            elif price_text(previous) != price_text(plan):
                self.add("price of plan {}: {} → {}", ident, price_text(previous), price_text(plan),
                         where=where + ("price",))
            if previous.get("minimum_term_months") != plan.get("minimum_term_months"):
                self.add("minimum term of plan {}: {} → {}", ident, _months(previous.get("minimum_term_months")),
                         _months(plan.get("minimum_term_months")), where=where + ("minimum_term_months",))
            for text_field, noun in (("name", "name"), ("includes", "what is included in")):
                if previous.get(text_field) != plan.get(text_field):
                    self.text(where + (text_field,), previous.get(text_field) or {}, plan.get(text_field) or {},
                              f"{noun} plan {_lit(ident)}" if noun != "name" else f"name of plan {_lit(ident)}")
        for ident, (j, plan) in before.items():
            if ident not in after:
                self.add("plan removed: {} (was {})", ident, price_text(plan), where=path + (j,), removed=True,
                         attention="buyers on this plan need another one")

    def _service_compliance(self, path, old, new, label):
        old, new = old or [], new or []
        before = {str(c.get("regulation")): (i, c) for i, c in enumerate(old) if isinstance(c, dict)}
        after = {str(c.get("regulation")): (i, c) for i, c in enumerate(new) if isinstance(c, dict)}
        for reg, (i, claim) in after.items():
            name, noun = self.labels.regulation(reg)
            where = path + (i,)
            if reg not in before:
                details = [f"{k} {claim[k]}" for k in ("issued", "expires") if claim.get(k)]
                details += [f"evidence {claim['evidence_url']}"] if claim.get("evidence_url") else ["no evidence link"]
                self.add(f"{noun} {{}} added ({{}})", name, "; ".join(details), where=where)
                continue
            j, previous = before[reg]
            for key, word in (("expires", "expires"), ("issued", "issued"), ("evidence_url", "evidence"),
                              ("issuer", "issuer"), ("certificate_id", "certificate number")):
                a, b = previous.get(key), claim.get(key)
                if a == b:
                    continue
                attention = ""
                if key == "expires" and b is None:
                    attention = "the expiry date is gone: check the evidence"
                elif key == "expires" and a and b and str(b) < str(a):
                    attention = "expires earlier than before"
                elif key == "evidence_url" and b is None:
                    attention = "the evidence link is gone"
                if b is None:
                    self.add(f"{noun} {{}} {word} {{}} → removed", name, a, where=path + (j, key), removed=True,
                             attention=attention)
                elif a is None:
                    self.add(f"{noun} {{}} {word} added: {{}}", name, b, where=where + (key,), attention=attention)
                else:
                    self.add(f"{noun} {{}} {word} {{}} → {{}}", name, a, b, where=where + (key,), attention=attention)
            if previous.get("note") != claim.get("note"):
                self.text(where + ("note",), previous.get("note") or {}, claim.get("note") or {},
                          f"note on {noun} {_lit(name)}")
        for reg, (j, claim) in before.items():
            if reg not in after:
                name, noun = self.labels.regulation(reg)
                until = (" (was valid until {})", claim["expires"]) if claim.get("expires") else ("",)
                self.add(f"{noun} {{}} removed{until[0]}", name, *until[1:], where=path + (j,), removed=True,
                         attention=f"a {noun} is withdrawn")

    def _service_apis(self, path, old, new, label):
        self.keyed_list(path, old or [], new or [], label, "name", noun="API")

    def _service_screenshots(self, path, old, new, label):
        self.keyed_list(path, old or [], new or [], label, "file", noun="screenshot")

    def _service_sample(self, path, old, new, label):
        attention = "no longer marked as sample data: is this a real offer?" if old and not new else ""
        self.add("sample: {} → {}", old if old is not None else "absent", new if new is not None else "absent",
                 where=path, attention=attention)

    # vendors and buyers --------------------------------------------------------------------------
    def _party_maintainers(self, path, old, new, label):
        self.scalar_list(path, old or [], new or [], "maintainers", attention="who may change this party's entries")

    def _party_identity(self, path, old, new, label):
        self.add(f"{label}: {{}} → {{}}", _summary(old), _summary(new), where=path,
                 attention="identity changes: check it against the national register")

    _vendor_maintainers = _buyer_maintainers = _party_maintainers
    _vendor_org_number = _buyer_org_number = _vendor_legal_name = _buyer_name = _party_identity
    _vendor_country = _buyer_country = _buyer_municipality_code = _party_identity
    _vendor_sample = _buyer_sample = _service_sample

    def _buyer_uses(self, path, old, new, label):
        old, new = old or [], new or []
        before = {str(u.get("service")): (i, u) for i, u in enumerate(old) if isinstance(u, dict)}
        after = {str(u.get("service")): (i, u) for i, u in enumerate(new) if isinstance(u, dict)}
        for service, (i, use) in after.items():
            where = path + (i,)
            if service not in before:
                details = [f"since {use['since']}"] if use.get("since") else []
                details += [f"rating {use['rating']}"] if use.get("rating") is not None else []
                self.add("starts using service {}" + (" ({})" if details else ""), service, *(
                    ["; ".join(details)] if details else []), where=where)
                continue
            j, previous = before[service]
            if previous.get("rating") != use.get("rating"):
                self.add("rating of service {}: {} → {}", service, previous.get("rating"), use.get("rating"),
                         where=where + ("rating",))
            if previous.get("since") != use.get("since"):
                self.add("uses service {} since: {} → {}", service, previous.get("since"), use.get("since"),
                         where=where + ("since",))
            if previous.get("review") != use.get("review"):
                self.text(where + ("review",), previous.get("review") or {}, use.get("review") or {},
                          f"review of service {_lit(service)}")
        for service, (j, _use) in before.items():
            if service not in after:
                self.add("no longer uses service {}", service, where=path + (j,), removed=True)


LABELS = {
    "service": {
        ("solution_type",): "solution type", ("pricing", "model"): "pricing model", ("pricing", "note"): "pricing note",
        ("hosting", "deployment"): "deployment", ("hosting", "image"): "container image",
        ("links", "website"): "website link", ("links", "demo"): "demo link",
        ("links", "documentation"): "documentation link", ("links", "support"): "support link",
        ("links", "privacy_policy"): "privacy policy link",
        ("links", "accessibility_statement"): "accessibility statement link",
        ("links", "source_code"): "source code link",
    },
    "vendor": {("legal_name",): "legal name", ("display_name",): "display name", ("org_number",): "organisation number"},
    "buyer": {("org_number",): "organisation number", ("municipality_code",): "municipality code",
              ("requires", "regulations"): "required regulations", ("requires", "integrations"): "required integrations",
              ("requires", "data_locations"): "accepted data locations", ("requires", "languages"): "required languages"},
}
# Short lists read best whole ("NO → NO, US"); longer ones as what was added and removed.
WHOLE_LISTS = {("countries",), ("languages",), ("hosting", "deployment"), ("hosting", "data_locations")}


def _schema_path(path: tuple) -> tuple:
    return tuple(p for p in path if not isinstance(p, int))


def _all_scalars(values: list) -> bool:
    return all(not isinstance(v, (dict, list)) for v in values)


def _keyed(values: list) -> str | None:
    for key in ("id", "name", "service", "regulation", "file"):
        if values and all(isinstance(v, dict) and key in v for v in values):
            return key
    return None


def _summary(value) -> str:
    if is_localized(value):
        return short(value.get("en") or value.get("nb") or next(iter(value.values())))
    return short(value)


def _months(value) -> str:
    return "none" if value is None else f"{value} months"


def _rise(before, after) -> str:
    if isinstance(before, (int, float)) and isinstance(after, (int, float)) and after > before:
        if before > 0:
            return f"price rises by {round((after - before) / before * 100)} %"
        return "a free plan gets a price"
    return ""


def diff_entry(kind: str, old: Document | None, new: Document | None, labels: Labels) -> list[FieldChange]:
    """Field-level changes from `old` to `new` (both parsed; either may be None for added/deleted)."""
    differ = _Differ(kind, old, new, labels)
    before = old.data if old is not None and isinstance(old.data, dict) else {}
    after = new.data if new is not None and isinstance(new.data, dict) else {}
    if old is None or new is None:
        return []  # an added or deleted entry is described as a whole, not field by field
    for key in list(after) + [k for k in before if k not in after]:
        label = LABELS.get(kind, {}).get((key,), _lit(humanize(key)))
        differ.value((key,), before.get(key), after.get(key), label)
    return differ.out


def diff_files(entry_prefix: str, files: list[FileChange], data_file: str) -> list[FieldChange]:
    """Changes to an entry's other files: descriptions, logo, screenshots."""
    out = []
    for change in files:
        if change.path == data_file and change.status != "renamed":
            continue
        name = change.path[len(entry_prefix):] if change.path.startswith(entry_prefix) else change.path
        match = re.fullmatch(r"description\.([a-z]{2})\.md", name)
        what, values = (f"description text ({match.group(1)})", ()) if match else ("file {}", (name,))
        if change.status == "renamed" and change.old_path:
            if change.path == data_file:
                continue
            out.append(FieldChange(f"{what} renamed from {{}}", values + (change.old_path.rsplit("/", 1)[-1],)))
        else:
            verb = {"added": "added", "deleted": "removed"}.get(change.status, "changed")
            out.append(FieldChange(f"{what} {verb}", values))
    return out
