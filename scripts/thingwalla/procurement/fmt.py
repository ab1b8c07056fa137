"""Amounts and dates written the way readers of each language expect them (nb, sv, en)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

CENT = Decimal("0.01")


def cents(value) -> Decimal:
    """Round to two decimals, half up, as money is rounded on orders and invoices."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def amount(value, lang: str) -> str:
    value = Decimal(value)
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
    return format_decimal(value, format=pattern, locale=lang).replace("\xa0", " ").replace("\u202f", " ")


def money(value, currency: str, lang: str) -> str:
    return f"{amount(value, lang)} {currency}"


def day(value: dt.date, lang: str) -> str:
    return format_date(value, format="d. MMMM y" if lang == "nb" else "d MMMM y", locale=lang)


def number(value, lang: str) -> str:
    return amount(value, lang)
