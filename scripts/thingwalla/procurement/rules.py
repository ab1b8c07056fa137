"""Business rules of Peppol BIS Ordering 3 / Order only 3 for an Order (transaction T01), implemented
from the public specification (docs.peppol.eu/poacc/upgrade-3/), each with its rule id.

Rule ids:
- PEPPOL-T01-R0xx, PEPPOL-T01-CL00x and PEPPOL-COMMON-R0xx are OpenPeppol's ids and messages.
- PEPPOL-T01-B00101…B00108, B00801 and B01001 are OpenPeppol's generated structure/code-list rules
  whose ids have been the same in every 3.x release we compared.
- TW-ORDER-0xx are Thingwalla's ids (TW-ORDER-014 is stricter than OpenPeppol: a Luhn check of 0007) for further structure and code-list checks of the BIS syntax
  (cardinalities and code lists OpenPeppol generates under ids that change between releases); each
  names the element it checks.
What is not here: the full generated cardinality rule set (every element not in the data model), the
ICD code list, and rules for Order Response (T76).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from .identifiers import gln_valid, no_orgnr_valid, se_orgnr_valid

UBL = "urn:oasis:names:specification:ubl:schema:xsd:Order-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
PREFIX = {UBL: "", CAC: "cac:", CBC: "cbc:"}
MAX_BYTES = 10 * 1024 * 1024
PROFILES = ("urn:fdc:peppol.eu:poacc:bis:order_only:3", "urn:fdc:peppol.eu:poacc:bis:ordering:3",
            "urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3")
DATE_ELEMENTS = ("IssueDate", "DueDate", "TaxPointDate", "StartDate", "EndDate", "ActualDeliveryDate")
AMOUNT_ELEMENTS = ("Amount", "TaxAmount", "LineExtensionAmount", "PriceAmount", "BaseAmount")

# id -> (flag, message): the catalogue of every rule this module checks.
RULES: dict[str, tuple[str, str]] = {
    "PEPPOL-COMMON-R001": ("fatal", "Document MUST not contain empty elements."),
    "PEPPOL-COMMON-R002": ("fatal", "Document MUST not contain empty elements."),
    "PEPPOL-COMMON-R003": ("warning", "Document SHOULD not contain schema location."),
    "PEPPOL-COMMON-R030": ("fatal", "A date must be formatted YYYY-MM-DD."),
    "PEPPOL-COMMON-R040": ("fatal", "GLN must have a valid format according to GS1 rules."),
    "PEPPOL-COMMON-R041": ("fatal", "Norwegian organization number MUST be stated in the correct format."),
    "PEPPOL-COMMON-R049": ("warning", "Swedish organization number MUST be stated in the correct format."),
    "PEPPOL-T01-B00101": ("fatal", "Element 'cbc:CustomizationID' MUST be provided."),
    "PEPPOL-T01-B00102": ("fatal", "Element 'cbc:ProfileID' MUST be provided."),
    "PEPPOL-T01-B00103": ("fatal", "Element 'cbc:ID' MUST be provided."),
    "PEPPOL-T01-B00104": ("fatal", "Element 'cbc:IssueDate' MUST be provided."),
    "PEPPOL-T01-B00105": ("fatal", "Element 'cbc:DocumentCurrencyCode' MUST be provided."),
    "PEPPOL-T01-B00106": ("fatal", "Element 'cac:BuyerCustomerParty' MUST be provided."),
    "PEPPOL-T01-B00107": ("fatal", "Element 'cac:SellerSupplierParty' MUST be provided."),
    "PEPPOL-T01-B00108": ("fatal", "Element 'cac:OrderLine' MUST be provided."),
    "PEPPOL-T01-B00801": ("fatal", "Value MUST be part of code list 'Order type code (UNCL1001 subset)'."),
    "PEPPOL-T01-B01001": ("fatal", "Value MUST be part of code list 'Currency codes (ISO 4217)'."),
    "PEPPOL-T01-R001": ("fatal", "Each order line SHALL have a document line identifier that is unique within the order."),
    "PEPPOL-T01-R002": ("warning", "An order SHOULD provide information about its validity end date."),
    "PEPPOL-T01-R003": ("fatal", "An order SHALL be stated in a single currency"),
    "PEPPOL-T01-R004": ("fatal", "Each order line ordered quantity SHALL not be negative"),
    "PEPPOL-T01-R005": ("fatal", "Each order line item net price SHALL not be negative"),
    "PEPPOL-T01-R006": ("fatal", "Expected total amount for payment SHALL NOT be negative"),
    "PEPPOL-T01-R007": ("fatal", "Expected total sum of line amounts SHALL NOT be negative"),
    "PEPPOL-T01-R008": ("fatal", "Expected total sum of line amounts SHALL equal the sum of the order line amounts at order line level"),
    "PEPPOL-T01-R009": ("fatal", "Expected total sum of allowance at document level SHALL be equal to the sum of allowance amounts at document level"),
    "PEPPOL-T01-R010": ("fatal", "Expected total sum of charges at document level SHALL be equal to the sum of charge amounts at document level"),
    "PEPPOL-T01-R011": ("fatal", "Expected total amount without TAX = Expected total sum of line amounts - Sum of allowances on document level + Sum of charges on document level"),
    "PEPPOL-T01-R013": ("warning", "Each order line SHOULD have an ordered quantity"),
    "PEPPOL-T01-R014": ("fatal", "An order SHALL have the originator party name or an identifier"),
    "PEPPOL-T01-R016": ("fatal", "Amount due for payment = Invoice total amount with TAX - Paid amount + Rounding amount."),
    "PEPPOL-T01-R017": ("fatal", "Expected total amount with TAX = Expected total amount without TAX + Order total TAX amount."),
    "PEPPOL-T01-R019": ("fatal", "Item net price SHALL equal (Gross price - Allowance amount) when gross price is provided."),
    "PEPPOL-T01-R020": ("fatal", "Allowance/charge base amount SHALL be provided when allowance/charge percentage is provided."),
    "PEPPOL-T01-R021": ("fatal", "Allowance/charge percentage SHALL be provided when allowance/charge base amount is provided."),
    "PEPPOL-T01-R022": ("fatal", "Allowance/charge amount SHALL equal base amount * percentage/100 if base amount and percentage exists"),
    "PEPPOL-T01-R023": ("fatal", "Each document or line level allowance SHALL have an allowance reason text or an allowance reason code."),
    "PEPPOL-T01-R024": ("fatal", "Order line net amount SHALL equal (Ordered quantity * (Item net price/item price base quantity) + Order line charge amount - Order line allowance amount"),
    "PEPPOL-T01-R025": ("fatal", "Base quantity SHALL be a positive number above zero."),
    "PEPPOL-T01-R026": ("fatal", "When TAX is VAT then Party VAT identifiers SHALL have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix 'EL'."),
    "PEPPOL-T01-R027": ("fatal", "The Item gross price SHALL NOT be negative."),
    "PEPPOL-T01-R028": ("fatal", "Elements of data type amount cannot have more than 2 decimals (I.e. all amounts except unit price amounts)"),
    "PEPPOL-T01-R029": ("fatal", "Each Tax Category SHALL have a TAX category rate, except if the order is not subject to TAX."),
    "PEPPOL-T01-R030": ("fatal", "When TAX category code is \"Standard rated\" (S) the TAX rate SHALL be greater than zero."),
    "PEPPOL-T01-R031": ("fatal", "An order transaction SHALL use profile order only, ordering or advanced_ordering."),
    "PEPPOL-T01-R032": ("fatal", "Allowance or charge amounts SHALL NOT be negative."),
    "PEPPOL-T01-R033": ("fatal", "Allowance or charge amounts SHALL NOT be negative."),
    "PEPPOL-T01-R034": ("fatal", "Specification identifier SHALL start with the value 'urn:fdc:peppol.eu:poacc:trns:order:3'."),
    "PEPPOL-T01-CL001": ("fatal", "Reason code MUST be according to subset of UNCL 5189 D.16B."),
    "PEPPOL-T01-CL002": ("fatal", "Reason code MUST be according to UNCL 7161 D.16B."),
    "TW-ORDER-001": ("fatal", "The buyer (cac:BuyerCustomerParty/cac:Party) MUST have an electronic address (cbc:EndpointID, 1..1)."),
    "TW-ORDER-002": ("fatal", "The seller (cac:SellerSupplierParty/cac:Party) MUST have an electronic address (cbc:EndpointID, 1..1)."),
    "TW-ORDER-003": ("fatal", "An electronic address (cbc:EndpointID) MUST have a schemeID from the Electronic Address Scheme (EAS) code list."),
    "TW-ORDER-004": ("fatal", "The buyer MUST have a legal entity with a registration name (cac:PartyLegalEntity/cbc:RegistrationName, 1..1)."),
    "TW-ORDER-005": ("fatal", "The seller MUST have a legal entity with a registration name (cac:PartyLegalEntity/cbc:RegistrationName, 1..1)."),
    "TW-ORDER-006": ("fatal", "The seller MUST have a postal address with a country code (cac:PostalAddress/cac:Country/cbc:IdentificationCode, 1..1)."),
    "TW-ORDER-007": ("fatal", "Each order line MUST have a line item with an identifier and an item (cac:LineItem with cbc:ID and cac:Item, 1..1)."),
    "TW-ORDER-008": ("fatal", "Each item MUST have a name (cac:Item/cbc:Name, 1..1)."),
    "TW-ORDER-009": ("fatal", "A quantity MUST have a unitCode from UN/ECE Recommendation 20 (including Recommendation 21 codes prefixed with X)."),
    "TW-ORDER-010": ("fatal", "Every currencyID MUST be a currency code from ISO 4217."),
    "TW-ORDER-011": ("fatal", "Anticipated monetary totals MUST state the line extension amount and the payable amount (1..1 each)."),
    "TW-ORDER-012": ("fatal", "A tax category MUST have an identifier from UNCL 5305."),
    "TW-ORDER-013": ("fatal", "A price MUST state a price amount (cac:Price/cbc:PriceAmount, 1..1)."),
    "TW-ORDER-014": ("fatal", "A Swedish organisation number (scheme 0007) MUST have a correct Luhn check digit."),
}


class OrderParseError(ValueError):
    pass


@dataclass(frozen=True)
class RuleResult:
    id: str
    flag: str  # fatal | warning
    message: str
    location: str

    def as_text(self) -> str:
        return f"[{self.id}] {self.flag}: {self.message} ({self.location})"


@dataclass
class RuleReport:
    results: list[RuleResult] = field(default_factory=list)

    @property
    def fatal(self) -> list[RuleResult]:
        return [r for r in self.results if r.flag == "fatal"]

    @property
    def ok(self) -> bool:
        return not self.fatal

    @property
    def ids(self) -> set[str]:
        return {r.id for r in self.results}


def parse_order(data: bytes) -> ET.Element:
    """Parse XML that claims to be an order, refusing what an order never needs: a DOCTYPE (and with it
    entity expansion and external entities) and very large documents."""
    if len(data) > MAX_BYTES:
        raise OrderParseError(f"the document is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise OrderParseError("the document has a DOCTYPE or ENTITY declaration, which an order never needs")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OrderParseError(f"not well-formed XML: {exc}") from None
    if root.tag != f"{{{UBL}}}Order":
        raise OrderParseError(f"the root element is {root.tag}, not a UBL 2.1 Order ({{{UBL}}}Order)")
    return root


def _d(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return None
    return number if number.is_finite() else None


def _round2(value: Decimal) -> Decimal:
    """round(x * 100) div 100 as the Schematron does (XPath round: half towards positive infinity)."""
    return (value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 100


def _slack(expected: Decimal, value: Decimal, slack: Decimal = Decimal("0.02")) -> bool:
    return expected - slack <= value <= expected + slack


@cache
def _iso_countries() -> frozenset[str]:
    from ..validate.identifiers import country_codes

    return frozenset(country_codes()) | {"EL"}


class _Checker:
    def __init__(self, root: ET.Element, codelists: dict):
        self.root = root
        self.codes = {k: frozenset(v) for k, v in codelists.items()}
        self.report = RuleReport()
        self.parents = {child: parent for parent in root.iter() for child in parent}

    # helpers
    def path(self, element: ET.Element) -> str:
        parts = []
        node = element
        while node is not None:
            parent = self.parents.get(node)
            ns, _, local = node.tag[1:].partition("}")
            name = PREFIX.get(ns, "") + local
            if parent is not None:
                same = [c for c in parent if c.tag == node.tag]
                if len(same) > 1:
                    name += f"[{same.index(node) + 1}]"
            parts.append(name)
            node = parent
        return "/" + "/".join(reversed(parts))

    def fail(self, rule: str, element: ET.Element, detail: str = ""):
        flag, message = RULES[rule]
        self.report.results.append(RuleResult(rule, flag, message + (f" {detail}" if detail else ""),
                                              self.path(element)))

    @staticmethod
    def q(path: str) -> str:
        return path.replace("cac:", f"{{{CAC}}}").replace("cbc:", f"{{{CBC}}}")

    def find(self, element, path):
        return element.find(self.q(path))

    def findall(self, element, path):
        return element.findall(self.q(path))

    def text(self, element, path) -> str | None:
        found = self.find(element, path)
        return found.text.strip() if found is not None and found.text is not None else None

    def local(self, element) -> str:
        return element.tag.rpartition("}")[2]

    def ns(self, element) -> str:
        return element.tag[1:].partition("}")[0]

    # rules
    def run(self) -> RuleReport:
        self.common()
        self.header()
        self.parties()
        self.amounts()
        self.totals()
        self.allowances()
        self.tax_categories()
        self.lines()
        return self.report

    def common(self):
        for el in self.root.iter():
            if self.ns(el) == CBC and "".join(el.itertext()) == "":
                self.fail("PEPPOL-COMMON-R001", el)
            if self.ns(el) == CAC and len(el) == 0:
                self.fail("PEPPOL-COMMON-R002", el)
            if self.ns(el) == CBC and self.local(el) in DATE_ELEMENTS:
                value = "".join(el.itertext())
                try:
                    ok = len(value) == 10 and dt.date.fromisoformat(value) is not None
                except ValueError:
                    ok = False
                if not ok:
                    self.fail("PEPPOL-COMMON-R030", el, f"Found '{value}'.")
        if any(name.endswith("schemaLocation") for name in self.root.attrib):
            self.fail("PEPPOL-COMMON-R003", self.root)
        for el in self.root.iter():
            scheme = el.get("schemeID")
            if scheme is None or self.ns(el) != CBC:
                continue
            name = self.local(el)
            parent = self.parents.get(el)
            in_context = name in ("EndpointID", "CompanyID") or (
                name == "ID" and parent is not None and self.local(parent) == "PartyIdentification")
            if not in_context:
                continue
            value = " ".join("".join(el.itertext()).split())
            if scheme == "0088" and not gln_valid(value):
                self.fail("PEPPOL-COMMON-R040", el, f"Found '{value}'.")
            elif scheme == "0192" and not no_orgnr_valid(value):
                self.fail("PEPPOL-COMMON-R041", el, f"Found '{value}': 9 digits with a MOD11 check digit are required.")
            elif scheme == "0007":
                # OpenPeppol's R049 only checks for ten digits (a warning); Thingwalla refuses a wrong
                # check digit too, so a mistyped number never leaves as an order.
                if not re.fullmatch(r"[0-9]{10}", value):
                    self.fail("PEPPOL-COMMON-R049", el, f"Found '{value}': 10 digits are required.")
                elif not se_orgnr_valid(value):
                    self.fail("TW-ORDER-014", el, f"Found '{value}'.")

    def header(self):
        root = self.root
        required = [("cbc:CustomizationID", "PEPPOL-T01-B00101"), ("cbc:ProfileID", "PEPPOL-T01-B00102"),
                    ("cbc:ID", "PEPPOL-T01-B00103"), ("cbc:IssueDate", "PEPPOL-T01-B00104"),
                    ("cbc:DocumentCurrencyCode", "PEPPOL-T01-B00105"), ("cac:BuyerCustomerParty", "PEPPOL-T01-B00106"),
                    ("cac:SellerSupplierParty", "PEPPOL-T01-B00107"), ("cac:OrderLine", "PEPPOL-T01-B00108")]
        for path, rule in required:
            if self.find(root, path) is None:
                self.fail(rule, root)
        customization = self.find(root, "cbc:CustomizationID")
        if customization is not None and not " ".join((customization.text or "").split()).startswith(
                "urn:fdc:peppol.eu:poacc:trns:order:3"):
            self.fail("PEPPOL-T01-R034", customization, f"Found '{customization.text}'.")
        profile = self.find(root, "cbc:ProfileID")
        if profile is not None and " ".join((profile.text or "").split()) not in PROFILES:
            self.fail("PEPPOL-T01-R031", profile, f"Found '{profile.text}'.")
        order_type = self.find(root, "cbc:OrderTypeCode")
        if order_type is not None and (order_type.text or "").strip() not in self.codes["order_type"]:
            self.fail("PEPPOL-T01-B00801", order_type, f"Found '{order_type.text}'.")
        currency = self.find(root, "cbc:DocumentCurrencyCode")
        if currency is not None and (currency.text or "").strip() not in self.codes["currency"]:
            self.fail("PEPPOL-T01-B01001", currency, f"Found '{currency.text}'.")
        if self.find(root, "cac:ValidityPeriod/cbc:EndDate") is None:
            self.fail("PEPPOL-T01-R002", root)
        for originator in self.findall(root, "cac:OriginatorCustomerParty"):
            if self.find(originator, "cac:Party/cac:PartyName/cbc:Name") is None and \
                    self.find(originator, "cac:Party/cac:PartyIdentification/cbc:ID") is None:
                self.fail("PEPPOL-T01-R014", originator)

    def parties(self):
        for role, endpoint_rule, legal_rule in (("BuyerCustomerParty", "TW-ORDER-001", "TW-ORDER-004"),
                                                ("SellerSupplierParty", "TW-ORDER-002", "TW-ORDER-005")):
            holder = self.find(self.root, f"cac:{role}")
            if holder is None:
                continue  # PEPPOL-T01-B00106/B00107
            party = self.find(holder, "cac:Party")
            if party is None:
                self.fail(endpoint_rule, holder)
                continue
            if self.find(party, "cbc:EndpointID") is None:
                self.fail(endpoint_rule, party)
            if self.find(party, "cac:PartyLegalEntity/cbc:RegistrationName") is None:
                self.fail(legal_rule, party)
            if role == "SellerSupplierParty" and \
                    self.find(party, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") is None:
                self.fail("TW-ORDER-006", party)
        for endpoint in self.root.iter(f"{{{CBC}}}EndpointID"):
            if endpoint.get("schemeID") not in self.codes["eas"]:
                self.fail("TW-ORDER-003", endpoint, f"Found schemeID '{endpoint.get('schemeID')}'.")
        for scheme in self.root.iter(f"{{{CAC}}}PartyTaxScheme"):
            if self.text(scheme, "cac:TaxScheme/cbc:ID") == "VAT":
                company = self.text(scheme, "cbc:CompanyID") or ""
                if company[:2] not in _iso_countries():
                    self.fail("PEPPOL-T01-R026", scheme, f"Found '{company}'.")

    def amounts(self):
        currency = self.text(self.root, "cbc:DocumentCurrencyCode")
        totals = self.find(self.root, "cac:AnticipatedMonetaryTotal")
        total_children = set(totals) if totals is not None else set()
        for el in self.root.iter():
            if el.get("currencyID") is not None and el.get("currencyID") not in self.codes["currency"]:
                self.fail("TW-ORDER-010", el, f"Found '{el.get('currencyID')}'.")
            if self.ns(el) != CBC or not (self.local(el) in AMOUNT_ELEMENTS or el in total_children):
                continue
            if el.get("currencyID") is not None and el.get("currencyID") != currency:
                self.fail("PEPPOL-T01-R003", el, f"Found '{el.get('currencyID')}', the document currency is '{currency}'.")
            inside_price = any(self.local(a) == "Price" for a in self._ancestors(el))
            value = "".join(el.itertext())
            if not inside_price and len(value.partition(".")[2]) > 2:
                self.fail("PEPPOL-T01-R028", el, f"Found '{value}'.")

    def _ancestors(self, el):
        node = self.parents.get(el)
        while node is not None:
            yield node
            node = self.parents.get(node)

    def _sum(self, elements) -> Decimal:
        values = [_d("".join(e.itertext())) for e in elements]
        return _round2(sum((v for v in values if v is not None), Decimal(0))) if values else Decimal(0)

    def totals(self):
        root = self.root
        totals = self.find(root, "cac:AnticipatedMonetaryTotal")
        if totals is None:
            return
        get = lambda name: _d(self.text(totals, f"cbc:{name}"))  # noqa: E731
        line_ext, payable = get("LineExtensionAmount"), get("PayableAmount")
        if line_ext is None or payable is None:
            self.fail("TW-ORDER-011", totals)
            return
        prepaid = get("PrepaidAmount") or Decimal(0)
        rounding = get("PayableRoundingAmount") or Decimal(0)
        tax_inclusive = get("TaxInclusiveAmount")
        allowance_total = get("AllowanceTotalAmount") or Decimal(0)
        charge_total = get("ChargeTotalAmount") or Decimal(0)
        tax_exclusive = get("TaxExclusiveAmount")
        if tax_exclusive is None:
            tax_exclusive = line_ext - allowance_total + charge_total
        doc_charges = self.findall(root, "cac:AllowanceCharge")
        sum_lines = self._sum(self.findall(root, "cac:OrderLine/cac:LineItem/cbc:LineExtensionAmount"))
        sum_allowance = self._sum([self.find(c, "cbc:Amount") for c in doc_charges
                                   if (self.text(c, "cbc:ChargeIndicator") or "") == "false" and self.find(c, "cbc:Amount") is not None])
        sum_charge = self._sum([self.find(c, "cbc:Amount") for c in doc_charges
                                if (self.text(c, "cbc:ChargeIndicator") or "") == "true" and self.find(c, "cbc:Amount") is not None])
        tax_total = _d(self.text(root, "cac:TaxTotal/cbc:TaxAmount")) or Decimal(0)
        if payable < 0:
            self.fail("PEPPOL-T01-R006", totals, f"Found {payable}.")
        if line_ext < 0:
            self.fail("PEPPOL-T01-R007", totals, f"Found {line_ext}.")
        if line_ext != sum_lines:
            self.fail("PEPPOL-T01-R008", totals, f"Total {line_ext}, sum of lines {sum_lines}.")
        if allowance_total != sum_allowance:
            self.fail("PEPPOL-T01-R009", totals, f"Total {allowance_total}, sum of allowances {sum_allowance}.")
        if charge_total != sum_charge:
            self.fail("PEPPOL-T01-R010", totals, f"Total {charge_total}, sum of charges {sum_charge}.")
        if tax_exclusive != line_ext - allowance_total + charge_total:
            self.fail("PEPPOL-T01-R011", totals,
                      f"Found {tax_exclusive}, expected {line_ext - allowance_total + charge_total}.")
        if tax_inclusive is not None and payable != tax_inclusive - prepaid + rounding:
            self.fail("PEPPOL-T01-R016", totals, f"Found {payable}, expected {tax_inclusive - prepaid + rounding}.")
        if tax_inclusive is not None and self.find(root, "cac:TaxTotal") is not None and \
                tax_inclusive != tax_exclusive + tax_total:
            self.fail("PEPPOL-T01-R017", totals, f"Found {tax_inclusive}, expected {tax_exclusive + tax_total}.")

    def _allowance_charges(self):
        root = self.root
        yield from self.findall(root, "cac:AllowanceCharge")
        yield from self.findall(root, "cac:OrderLine/cac:LineItem/cac:AllowanceCharge")

    def allowances(self):
        for charge in self._allowance_charges():
            has_factor = self.find(charge, "cbc:MultiplierFactorNumeric") is not None
            has_base = self.find(charge, "cbc:BaseAmount") is not None
            if has_factor and not has_base:
                self.fail("PEPPOL-T01-R020", charge)
            if has_base and not has_factor:
                self.fail("PEPPOL-T01-R021", charge)
            amount = _d(self.text(charge, "cbc:Amount"))
            if has_factor and has_base:
                base, factor = _d(self.text(charge, "cbc:BaseAmount")), _d(self.text(charge, "cbc:MultiplierFactorNumeric"))
                if base is not None and factor is not None and not _slack(amount or Decimal(0), base * factor / 100):
                    self.fail("PEPPOL-T01-R022", charge, f"Found {amount}, expected {base * factor / 100}.")
            if self.find(charge, "cbc:AllowanceChargeReason") is None and \
                    self.find(charge, "cbc:AllowanceChargeReasonCode") is None:
                self.fail("PEPPOL-T01-R023", charge)
            if amount is None or amount < 0:
                self.fail("PEPPOL-T01-R032", charge, f"Found {self.text(charge, 'cbc:Amount')}.")
        for charge in self.root.iter(f"{{{CAC}}}AllowanceCharge"):
            indicator = self.text(charge, "cbc:ChargeIndicator")
            code = self.find(charge, "cbc:AllowanceChargeReasonCode")
            if code is None:
                continue
            value = " ".join((code.text or "").split())
            if indicator == "false" and value not in self.codes["allowance_reason"]:
                self.fail("PEPPOL-T01-CL001", code, f"Found '{value}'.")
            if indicator == "true" and value not in self.codes["charge_reason"]:
                self.fail("PEPPOL-T01-CL002", code, f"Found '{value}'.")

    def tax_categories(self):
        for tag in ("TaxCategory", "ClassifiedTaxCategory"):
            for category in self.root.iter(f"{{{CAC}}}{tag}"):
                ident = " ".join((self.text(category, "cbc:ID") or "").split())
                percent = _d(self.text(category, "cbc:Percent"))
                if ident not in self.codes["tax_category"]:
                    self.fail("TW-ORDER-012", category, f"Found '{ident}'.")
                if self.find(category, "cbc:Percent") is None and ident != "O":
                    self.fail("PEPPOL-T01-R029", category)
                if ident == "S" and not (percent is not None and percent > 0):
                    self.fail("PEPPOL-T01-R030", category)

    def lines(self):
        ids: dict[str, int] = {}
        items = [self.find(line, "cac:LineItem") for line in self.findall(self.root, "cac:OrderLine")]
        for line in self.findall(self.root, "cac:OrderLine"):
            if self.find(line, "cac:LineItem") is None:
                self.fail("TW-ORDER-007", line)
        for item in (i for i in items if i is not None):
            ident = self.text(item, "cbc:ID")
            if ident is None or self.find(item, "cac:Item") is None:
                self.fail("TW-ORDER-007", item)
            if ident is not None:
                ids[ident] = ids.get(ident, 0) + 1
        for item in (i for i in items if i is not None):
            ident = self.text(item, "cbc:ID")
            if ident is not None and ids[ident] > 1:
                self.fail("PEPPOL-T01-R001", item, f"The identifier '{ident}' is used {ids[ident]} times.")
            product = self.find(item, "cac:Item")
            if product is not None and self.find(product, "cbc:Name") is None:
                self.fail("TW-ORDER-008", product)
            quantity_el = self.find(item, "cbc:Quantity")
            if quantity_el is None:
                self.fail("PEPPOL-T01-R013", item)
            else:
                if quantity_el.get("unitCode") not in self.codes["unit"]:
                    self.fail("TW-ORDER-009", quantity_el, f"Found unitCode '{quantity_el.get('unitCode')}'.")
                q = _d(quantity_el.text)
                if q is None or q < 0:
                    self.fail("PEPPOL-T01-R004", quantity_el, f"Found '{quantity_el.text}'.")
            price = self.find(item, "cac:Price")
            line_amount = _d(self.text(item, "cbc:LineExtensionAmount")) or Decimal(0)
            quantity = _d(self.text(item, "cbc:Quantity")) if quantity_el is not None else Decimal(1)
            quantity = quantity if quantity is not None else Decimal(1)
            price_amount = _d(self.text(item, "cac:Price/cbc:PriceAmount")) or Decimal(0)
            base_el = self.find(item, "cac:Price/cbc:BaseQuantity")
            base = _d(base_el.text) if base_el is not None else None
            base_quantity = base if base not in (None, Decimal(0)) else Decimal(1)
            charges = self.findall(item, "cac:AllowanceCharge")
            allowances = self._sum([self.find(c, "cbc:Amount") for c in charges
                                    if self.text(c, "cbc:ChargeIndicator") == "false" and self.find(c, "cbc:Amount") is not None])
            surcharges = self._sum([self.find(c, "cbc:Amount") for c in charges
                                    if self.text(c, "cbc:ChargeIndicator") == "true" and self.find(c, "cbc:Amount") is not None])
            expected = quantity * (price_amount / base_quantity) + surcharges - allowances
            if not _slack(line_amount, expected):
                self.fail("PEPPOL-T01-R024", item, f"Found {line_amount}, expected {expected.normalize():f}.")
            if base_el is not None and not (base is not None and base > 0):
                self.fail("PEPPOL-T01-R025", base_el, f"Found '{base_el.text}'.")
            if price is not None:
                self.price(price)

    def price(self, price: ET.Element):
        amount_el = self.find(price, "cbc:PriceAmount")
        if amount_el is None:
            self.fail("TW-ORDER-013", price)
            return
        amount = _d(amount_el.text)
        if amount is None or amount < 0:
            self.fail("PEPPOL-T01-R005", price, f"Found '{amount_el.text}'.")
        for charge in self.findall(price, "cac:AllowanceCharge"):
            base = _d(self.text(charge, "cbc:BaseAmount"))
            value = _d(self.text(charge, "cbc:Amount"))
            if self.find(charge, "cbc:BaseAmount") is not None and (base is None or base < 0):
                self.fail("PEPPOL-T01-R027", charge)
            if self.find(charge, "cbc:Amount") is not None and (value is None or value < 0):
                self.fail("PEPPOL-T01-R033", charge)
            if base is not None and amount is not None and value is not None and amount != base - value:
                self.fail("PEPPOL-T01-R019", charge, f"Net price {amount}, gross {base} - allowance {value}.")


def check_rules(root: ET.Element, codelists: dict) -> RuleReport:
    """Every business rule above, against a parsed Order. Results keep the document order of checks."""
    return _Checker(root, codelists).run()
