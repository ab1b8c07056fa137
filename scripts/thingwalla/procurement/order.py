"""The Peppol BIS Ordering 3 / Order only 3 order (UBL 2.1 Order) for a plan.

Buyer and seller are addressed by their organisation numbers (Peppol scheme 0192 for Norwegian, 0007
for Swedish numbers). The order covers the firm term only: options are part of the estimated value,
but are ordered only if and when the buyer exercises them. One order line: the plan, with the plan's
price as unit price and quantity = units x billing periods in the firm term, so the line price stays the
plan's price (P-08) and line amount = quantity x price (PEPPOL-T01-R024).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from . import fmt
from .data import ProcurementData
from .identifiers import participant
from .route import Assessment

NS = {
    "": "urn:oasis:names:specification:ubl:schema:xsd:Order-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


@dataclass
class OrderInfo:
    id: str
    contract_id: str
    issue_date: dt.date
    profile: str
    currency: str
    line_amount: Decimal
    tax_amount: Decimal
    payable: Decimal


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _money(value: Decimal) -> str:
    return f"{fmt.cents(value):.2f}"


def _plain(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def build_order(assessment: Assessment, data: ProcurementData, *, order_id: str, contract_id: str,
                issue_date: dt.date, contract_sha256: str | None, buyer_reference: str | None = None,
                profile: str | None = None, note: str | None = None) -> tuple[bytes, OrderInfo]:
    a, est, peppol = assessment, assessment.estimate, data.peppol
    profile_key = profile or peppol["default_profile"]
    vat = peppol["vat"][a.country]
    currency = est.currency
    quantity = est.quantity * est.firm_periods
    line_amount = fmt.cents(est.unit_price * quantity)
    tax_amount = fmt.cents(line_amount * Decimal(str(vat["percent"])) / 100)
    total_with_tax = line_amount + tax_amount

    root = ET.Element(_q("", "Order"))

    def sub(parent, prefix, name, text=None, **attrs):
        element = ET.SubElement(parent, _q(prefix, name), {k: v for k, v in attrs.items() if v is not None})
        if text is not None:
            element.text = str(text)
        return element

    sub(root, "cbc", "CustomizationID", peppol["customization_id"])
    sub(root, "cbc", "ProfileID", peppol["profiles"][profile_key])
    sub(root, "cbc", "ID", order_id)
    sub(root, "cbc", "IssueDate", issue_date.isoformat())
    sub(root, "cbc", "OrderTypeCode", peppol["order_type_code"])
    if note:
        sub(root, "cbc", "Note", note)
    sub(root, "cbc", "DocumentCurrencyCode", currency)
    sub(root, "cbc", "CustomerReference", buyer_reference or contract_id)
    validity = sub(root, "cac", "ValidityPeriod")
    sub(validity, "cbc", "EndDate", (issue_date + dt.timedelta(days=peppol["validity_days"])).isoformat())
    if contract_sha256:
        reference = sub(root, "cac", "AdditionalDocumentReference")
        sub(reference, "cbc", "ID", f"{contract_id}.pdf")
        sub(reference, "cbc", "DocumentType", f"Contract (PDF) SHA-256 {contract_sha256}")
    contract = sub(root, "cac", "Contract")
    sub(contract, "cbc", "ID", contract_id)

    def party(role: str, name: str, legal_name: str, country: str, org_number: str):
        scheme, ident = participant(country, org_number)
        element = sub(sub(root, "cac", role), "cac", "Party")
        sub(element, "cbc", "EndpointID", ident, schemeID=scheme)
        sub(sub(element, "cac", "PartyIdentification"), "cbc", "ID", ident, schemeID=scheme)
        sub(sub(element, "cac", "PartyName"), "cbc", "Name", name)
        address = sub(element, "cac", "PostalAddress")
        sub(sub(address, "cac", "Country"), "cbc", "IdentificationCode", country)
        legal = sub(element, "cac", "PartyLegalEntity")
        sub(legal, "cbc", "RegistrationName", legal_name)
        sub(legal, "cbc", "CompanyID", ident, schemeID=scheme)

    party("BuyerCustomerParty", a.buyer.name, a.buyer.name, a.buyer.country, a.buyer.org_number)
    vendor = a.service.vendor
    party("SellerSupplierParty", vendor.display_name, vendor.legal_name, vendor.country, vendor.org_number)

    delivery = sub(sub(root, "cac", "Delivery"), "cac", "RequestedDeliveryPeriod")
    sub(delivery, "cbc", "StartDate", a.start.isoformat())
    sub(delivery, "cbc", "EndDate", a.end.isoformat())
    sub(sub(root, "cac", "TaxTotal"), "cbc", "TaxAmount", _money(tax_amount), currencyID=currency)
    totals = sub(root, "cac", "AnticipatedMonetaryTotal")
    sub(totals, "cbc", "LineExtensionAmount", _money(line_amount), currencyID=currency)
    sub(totals, "cbc", "TaxExclusiveAmount", _money(line_amount), currencyID=currency)
    sub(totals, "cbc", "TaxInclusiveAmount", _money(total_with_tax), currencyID=currency)
    sub(totals, "cbc", "PayableAmount", _money(total_with_tax), currencyID=currency)

    line = sub(sub(root, "cac", "OrderLine"), "cac", "LineItem")
    sub(line, "cbc", "ID", "1")
    unit = peppol["unit_code"]
    sub(line, "cbc", "Quantity", _plain(quantity), unitCode=unit)
    sub(line, "cbc", "LineExtensionAmount", _money(line_amount), currencyID=currency)
    price = sub(line, "cac", "Price")
    sub(price, "cbc", "PriceAmount", _plain(est.unit_price), currencyID=currency)
    sub(price, "cbc", "BaseQuantity", "1", unitCode=unit)
    item = sub(line, "cac", "Item")
    lang = "nb" if a.country == "NO" else "sv" if a.country == "SE" else "en"
    units = data.contracts["units_one" if est.quantity == 1 else "units"].get(est.unit, {}).get(lang, est.unit)
    sub(item, "cbc", "Description", data.phrase("order-line", lang).format(
        quantity=_plain(est.quantity), units=units, periods=est.firm_periods,
        period_word=data.phrase(f"period-word-{est.billing_period}", lang), firm=est.firm_months,
        options=est.option_months))
    sub(item, "cbc", "Name", f"{a.service.name(lang)} – {a.plan.name(lang)}"[:200])
    sub(sub(item, "cac", "SellersItemIdentification"), "cbc", "ID", f"{a.service.id}:{a.plan.id}")
    tax = sub(item, "cac", "ClassifiedTaxCategory")
    sub(tax, "cbc", "ID", vat["category"])
    sub(tax, "cbc", "Percent", _plain(Decimal(str(vat["percent"]))))
    sub(sub(tax, "cac", "TaxScheme"), "cbc", "ID", "VAT")

    ET.indent(root, space="  ")
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)
    info = OrderInfo(order_id, contract_id, issue_date, peppol["profiles"][profile_key], currency, line_amount,
                     tax_amount, total_with_tax)
    return xml + b"\n", info
