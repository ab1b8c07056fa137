"""Route assessment: the estimated contract value and which procurement routes are lawful.

The value is the whole term including options, excluding VAT (Directive 2014/24/EU art. 5(1)); it is
compared with the thresholds in force on the assessment date for the buyer's country and kind of
authority. The routes, in the order they are preferred:

- direct-award: value below the direct award limit (NO: outside the Act; SE: direktupphandling) -> order now;
- framework-call-off: the buyer may use a framework agreement with every term fixed that includes the
  service -> order now;
- dps-competition: the vendor is admitted to a dynamic purchasing system the buyer may use -> a
  competition among all admitted suppliers first;
- framework-mini-competition: a framework agreement that requires a renewed competition;
- competition: otherwise, with the rules of the value band (NO parts I-III; SE below/above the EU threshold).

Only the first two can be one click; the data is checked against that (data.ORDER_NOW_ROUTES).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..model import Buyer, Catalog, Plan, Service, Text
from . import fmt
from .data import ORDER_NOW_ROUTES, SUB_CENTRAL_KINDS, Citation, Money, ProcurementData, Threshold

MAX_MONTHS = 240
THRESHOLD_CURRENCY = {"NO": "NOK", "SE": "SEK"}
# Units that are one per buyer, or known from the buyer's entry; every other unit needs --quantity.
PER_BUYER_UNITS = ("organisation",)


class RequestError(Exception):
    """The request cannot be assessed as given (unknown ids, impossible term, missing quantity...)."""


@dataclass
class RouteRequest:
    buyer: str
    service: str
    plan: str
    months: int
    option_months: int = 0
    quantity: Decimal | None = None
    start: dt.date | None = None
    on: dt.date | None = None  # the assessment date; thresholds in force on this day are used
    same_kind_value: Decimal = Decimal(0)
    exchange_rate: Decimal | None = None  # threshold currency per one unit of the plan's currency


@dataclass
class Finding:
    """One statement from law.yaml, with the values that fill it in and the citations that apply."""

    key: str
    params: dict
    citations: tuple[Citation, ...]

    def text(self, data: ProcurementData, lang: str) -> str:
        template = data.statement(self.key).text(lang)
        return template.format(**{k: _param(v, lang) for k, v in self.params.items()})

    def sources(self, data: ProcurementData) -> list[str]:
        out = []
        for c in self.citations:
            title = data.sources[c.source].title
            out.append(f"{title}, {c.pinpoint}" if c.pinpoint else title)
        return out


def _param(value, lang: str) -> str:
    if isinstance(value, Money):
        return fmt.money(value.amount, value.currency, lang)
    if isinstance(value, dt.date):
        return fmt.day(value, lang)
    if isinstance(value, Text):
        return value(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(_param(v, lang) for v in value)
    if isinstance(value, Decimal):
        return fmt.number(value, lang)
    return str(value)


@dataclass
class Estimate:
    unit_price: Decimal
    currency: str
    unit: str
    billing_period: str
    quantity: Decimal
    quantity_source: str  # given | one-per-buyer | population
    firm_months: int
    option_months: int
    firm_periods: int
    total_periods: int
    firm_value: Decimal  # in the plan's currency
    option_value: Decimal
    total_value: Decimal
    threshold_currency: str
    exchange_rate: Decimal | None
    same_kind_value: Decimal  # in the threshold currency
    comparison_value: Decimal  # total_value converted + same_kind_value, in the threshold currency

    @property
    def comparison(self) -> Money:
        return Money(self.comparison_value, self.threshold_currency)

    @property
    def total(self) -> Money:
        return Money(self.total_value, self.currency)

    def formula(self, lang: str) -> str:
        unit = {"nb": "stk.", "en": "units"}.get(lang, "units")
        period = {"month": {"nb": "måneder", "en": "months"}, "year": {"nb": "år", "en": "years"},
                  "one_time": {"nb": "gang", "en": "time"}}[self.billing_period].get(lang, "")
        text = (f"{fmt.number(self.quantity, lang)} {unit} × {fmt.money(self.unit_price, self.currency, lang)} × "
                f"{self.total_periods} {period} = {fmt.money(self.total_value, self.currency, lang)}")
        if self.exchange_rate is not None:
            text += f" × {self.exchange_rate} = {fmt.money(cents(self.total_value * self.exchange_rate), self.threshold_currency, lang)}"
        if self.same_kind_value:
            text += f" + {fmt.money(self.same_kind_value, self.threshold_currency, lang)}"
        return text


def cents(value) -> Decimal:
    return fmt.cents(value)


@dataclass
class RouteOption:
    route: str
    lawful: bool
    one_click: bool
    findings: list[Finding]
    via: dict | None = None  # framework or DPS: {"kind", "id", "name", "owner", ...}

    @property
    def orders_now(self) -> bool:
        return self.lawful and self.route in ORDER_NOW_ROUTES and self.one_click


@dataclass
class Assessment:
    request: RouteRequest
    on: dt.date
    start: dt.date
    end: dt.date  # last day of the firm term
    buyer: Buyer
    service: Service
    plan: Plan
    authority_type: str
    estimate: Estimate
    thresholds: dict[str, Threshold]
    band: str
    options: list[RouteOption]
    context: list[Finding]  # how the value and the authority type were determined
    warnings: list[Finding] = field(default_factory=list)

    @property
    def country(self) -> str:
        return self.buyer.country

    @property
    def lawful(self) -> list[RouteOption]:
        return [o for o in self.options if o.lawful]

    @property
    def recommended(self) -> RouteOption | None:
        order = {"direct-award": 0, "framework-call-off": 1, "dps-competition": 2, "framework-mini-competition": 3,
                 "competition": 4}
        lawful = sorted(self.lawful, key=lambda o: order[o.route])
        return lawful[0] if lawful else None

    def option(self, route: str) -> RouteOption | None:
        return next((o for o in self.options if o.route == route and o.lawful), None)


def _cite(data: ProcurementData, key: str, country: str) -> tuple[Citation, ...]:
    return tuple(c for c in data.statement(key).citations if c.country in (None, country))


def _finding(data: ProcurementData, key: str, country: str, **params) -> Finding:
    return Finding(key, params, _cite(data, key, country))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31,
            30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def _periods(billing_period: str, months: int) -> int:
    if billing_period == "month":
        return months
    if billing_period == "year":
        return math.ceil(months / 12)
    return 1 if months else 0  # one_time


def resolve(catalog: Catalog, request: RouteRequest) -> tuple[Buyer, Service, Plan]:
    import difflib

    def unknown(kind: str, ident: str, pool) -> RequestError:
        close = difflib.get_close_matches(ident, list(pool), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return RequestError(f"unknown {kind} '{ident}'{hint}")

    if request.buyer not in catalog.buyers:
        raise unknown("buyer", request.buyer, catalog.buyers)
    if request.service not in catalog.services:
        raise unknown("service", request.service, catalog.services)
    service = catalog.services[request.service]
    plans = {p.id: p for p in service.plans}
    if not plans:
        raise RequestError(f"the service '{service.id}' lists no plans to procure")
    if request.plan not in plans:
        raise RequestError(f"the service '{service.id}' has no plan '{request.plan}'; its plans are: "
                           + ", ".join(plans))
    return catalog.buyers[request.buyer], service, plans[request.plan]


def estimate(buyer: Buyer, plan: Plan, request: RouteRequest) -> Estimate:
    if not 1 <= request.months <= MAX_MONTHS:
        raise RequestError(f"the term must be between 1 and {MAX_MONTHS} months (got {request.months})")
    if not 0 <= request.option_months <= MAX_MONTHS:
        raise RequestError(f"the options must be between 0 and {MAX_MONTHS} months (got {request.option_months})")
    if plan.minimum_term_months and request.months < plan.minimum_term_months:
        raise RequestError(f"the plan '{plan.id}' has a minimum term of {plan.minimum_term_months} months; "
                           f"a firm term of {request.months} months is shorter")
    if request.quantity is not None:
        if request.quantity <= 0:
            raise RequestError(f"the quantity must be more than 0 (got {request.quantity})")
        quantity, source = request.quantity, "given"
    elif plan.unit in PER_BUYER_UNITS:
        quantity, source = Decimal(1), "one-per-buyer"
    elif plan.unit == "inhabitant" and buyer.population:
        quantity, source = Decimal(buyer.population), "population"
    else:
        per = "" if plan.billing_period == "one_time" else f" per {plan.billing_period}"
        raise RequestError(f"the plan '{plan.id}' is priced per {plan.unit}: give --quantity "
                           f"(the number of {plan.unit} units{per})")
    if request.same_kind_value < 0:
        raise RequestError("the value of same-kind purchases cannot be negative")
    threshold_currency = THRESHOLD_CURRENCY.get(buyer.country)
    if threshold_currency is None:
        raise RequestError(f"procurement rules for buyers in {buyer.country} are not modelled; "
                           "Thingwalla covers Norway and Sweden")
    rate = None
    if plan.currency != threshold_currency:
        if request.exchange_rate is None:
            raise RequestError(f"the plan is priced in {plan.currency} but thresholds in {buyer.country} are in "
                               f"{threshold_currency}: give --exchange-rate ({threshold_currency} per 1 "
                               f"{plan.currency}, e.g. the central bank's rate on the day of the estimate)")
        if request.exchange_rate <= 0:
            raise RequestError("the exchange rate must be more than 0")
        rate = request.exchange_rate
    price = Decimal(str(plan.price))
    firm_periods = _periods(plan.billing_period, request.months)
    total_periods = firm_periods if plan.billing_period == "one_time" else \
        _periods(plan.billing_period, request.months + request.option_months)
    firm_value = cents(price * quantity * firm_periods)
    total_value = cents(price * quantity * total_periods)
    converted = cents(total_value * rate) if rate is not None else total_value
    return Estimate(price, plan.currency, plan.unit, plan.billing_period, quantity, source, request.months,
                    request.option_months, firm_periods, total_periods, firm_value, total_value - firm_value,
                    total_value, threshold_currency, rate, cents(request.same_kind_value),
                    converted + cents(request.same_kind_value))


def authority_type(data: ProcurementData, buyer: Buyer) -> tuple[str, Finding, bool]:
    """(central | sub-central, the finding that says why, whether it was assumed)."""
    if buyer.kind in SUB_CENTRAL_KINDS:
        return "sub-central", _finding(data, "authority-sub-central", buyer.country, buyer=buyer.name), False
    known = data.authorities.get(buyer.id)
    if known is not None:
        key = "authority-sub-central" if known.authority_type == "sub-central" else "authority-central"
        return known.authority_type, _finding(data, key, buyer.country, buyer=buyer.name), False
    return "central", _finding(data, "authority-assumed-central", buyer.country, buyer=buyer.name), True


def thresholds_on(data: ProcurementData, country: str, kind_of_authority: str, day: dt.date) -> dict[str, Threshold]:
    found: dict[str, Threshold] = {}
    for t in data.thresholds:
        if t.country == country and kind_of_authority in t.authority_types and t.in_force_on(day):
            found.setdefault(t.kind, t)
    for kind in ("direct-award", "eea-notice"):
        if kind not in found:
            raise RequestError(f"Thingwalla has no {kind} threshold for {country} in force on {day.isoformat()}; "
                               "pick a date covered by catalog/procurement/thresholds.yaml")
    if country == "NO" and "national-notice" not in found:
        raise RequestError(f"Thingwalla has no national threshold for Norway in force on {day.isoformat()}")
    return found


def _band(country: str, value: Decimal, th: dict[str, Threshold]) -> str:
    if value < th["direct-award"].amount:
        return "below-direct-award-limit"
    if country == "NO":
        if value < th["national-notice"].amount:
            return "no-part-1"
        return "no-part-2" if value < th["eea-notice"].amount else "no-part-3"
    return "se-below-eu" if value < th["eea-notice"].amount else "se-above-eu"


def assess(catalog: Catalog, data: ProcurementData, request: RouteRequest) -> Assessment:
    buyer, service, plan = resolve(catalog, request)
    on = request.on or dt.date.today()
    start = request.start or on
    end = add_months(start, request.months) - dt.timedelta(days=1)
    country = buyer.country
    est = estimate(buyer, plan, request)
    kind, authority_finding, assumed = authority_type(data, buyer)
    th = thresholds_on(data, country, kind, on)
    value = est.comparison_value
    band = _band(country, value, th)
    f = lambda key, **kw: _finding(data, key, country, **kw)  # noqa: E731

    context = [f("value-whole-term"), authority_finding]
    if est.exchange_rate is not None:
        context.append(f("value-currency", currency=est.currency, threshold_currency=est.threshold_currency,
                         rate=est.exchange_rate))
    warnings: list[Finding] = []
    if assumed:
        warnings.append(authority_finding)
    for t in th.values():
        if t.review_due and on >= t.review_due:
            warnings.append(Finding("thresholds-review-due", {"label": t.label, "review_due": t.review_due},
                                    t.citations))
    if country not in service.countries:
        warnings.append(f("service-country", country=country))

    options: list[RouteOption] = []
    limit = th["direct-award"].money
    v = est.comparison
    if value < limit.amount:
        findings = [f("direct-award-no" if country == "NO" else "direct-award-se", value=v, limit=limit)]
        if country == "SE" and value > 100000:
            findings.append(f("direct-award-se-document"))
        findings.append(f("value-no-splitting"))
        options.append(RouteOption("direct-award", True, True, findings))
    else:
        options.append(RouteOption("direct-award", False, False, [f("direct-award-not-lawful", value=v, limit=limit)]))

    vendor = service.vendor
    for fw in data.frameworks:
        if fw.country != country or not fw.open_to(buyer.id) or not fw.covers(vendor.id, service.id):
            continue
        if not fw.valid_from <= on <= fw.valid_to:
            continue
        owner = catalog.buyers[fw.owner].name if fw.owner in catalog.buyers else fw.owner
        via = {"kind": "framework", "id": fw.id, "name": fw.name, "owner": owner, "notice": fw.notice,
               "valid_to": fw.valid_to, "call_off": fw.call_off, "sample": fw.sample}
        route = "framework-call-off" if fw.call_off == "direct" else "framework-mini-competition"
        exceeds = fw.max_value.currency == est.threshold_currency and value > fw.max_value.amount
        if exceeds:
            options.append(RouteOption(route, False, False,
                                       [f("framework-exceeds", value=v, name=fw.name, max=fw.max_value)], via))
            continue
        key = "framework-call-off" if route == "framework-call-off" else "framework-mini-competition"
        findings = [f(key, buyer=buyer.name, name=fw.name, owner=owner)]
        if end > fw.valid_to:
            findings.append(f("framework-ends", end=end, name=fw.name, framework_end=fw.valid_to))
        one_click = route == "framework-call-off"
        if not one_click:
            findings.append(f("not-one-click"))
        options.append(RouteOption(route, True, one_click, findings, via))

    for dps in data.systems:
        if dps.country != country or not dps.open_to(buyer.id) or not dps.valid_from <= on <= dps.valid_to:
            continue
        owner = catalog.buyers[dps.owner].name if dps.owner in catalog.buyers else dps.owner
        for category in dps.categories:
            if service.category.id not in category.covers:
                continue
            admitted = [a.vendor for a in category.admitted if a.admitted_on <= on]
            if vendor.id not in admitted:
                warnings.append(f("dps-not-admitted", name=dps.name, vendor=vendor.display_name))
                continue
            names = [catalog.vendors[a].display_name if a in catalog.vendors else a for a in admitted]
            criteria = [Text({lang: f"{c[0](lang)} {c[1]} %" for lang in ("nb", "en")}) for c in dps.award_criteria]
            via = {"kind": "dps", "id": dps.id, "name": dps.name, "owner": owner, "notice": dps.notice,
                   "category": category.id, "category_name": category.name, "invited": admitted,
                   "tender_period_days": dps.tender_period_days, "sample": dps.sample}
            cap = category.max_contract_value
            if cap and cap.currency == est.threshold_currency and value > cap.amount:
                options.append(RouteOption("dps-competition", False, False,
                                           [f("framework-exceeds", value=v, name=dps.name, max=cap)], via))
                continue
            findings = [f("dps-competition", vendor=vendor.display_name, name=dps.name, owner=owner,
                          category=category.name, invited=names),
                        f("dps-time-limit", days=dps.tender_period_days,
                          earliest=on + dt.timedelta(days=dps.tender_period_days)),
                        f("dps-award", criteria=criteria),
                        f("dps-standstill-unverified"),
                        f("not-one-click")]
            options.append(RouteOption("dps-competition", True, False, findings, via))

    if value >= limit.amount:
        if country == "NO":
            national, eea = th["national-notice"].money, th["eea-notice"].money
            if band == "no-part-1":
                findings = [f("competition-no-part-1", value=v, floor=limit, national=national),
                            f("competition-no-protocol")]
            elif band == "no-part-2":
                findings = [f("competition-no-part-2", value=v, national=national), f("competition-no-protocol")]
            else:
                findings = [f("competition-no-part-3", value=v, eea=eea), f("competition-no-protocol")]
        else:
            eea = th["eea-notice"].money
            key = "competition-se-national" if band == "se-below-eu" else "competition-se-eu"
            findings = [f(key, value=v, limit=limit, eea=eea)]
        findings.append(f("not-one-click"))
        options.append(RouteOption("competition", True, False, findings))

    return Assessment(request, on, start, end, buyer, service, plan, kind, est, th, band, options, context, warnings)


def parse_decimal(value: str, what: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise RequestError(f"{what} must be a number (got {value!r})") from None
    if not number.is_finite():
        raise RequestError(f"{what} must be a finite number (got {value!r})")
    return number
