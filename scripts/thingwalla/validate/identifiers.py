"""Identifier checks JSON Schema cannot express: check digits, code lists, licences."""

from __future__ import annotations

from functools import cache, lru_cache

from babel import Locale
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

# Babel's territory list also holds groupings and private-use codes that are not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}

# Norwegian county numbers since 1 January 2024 (SSB, Standard for fylkesinndeling).
NO_COUNTIES = {"03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"}
# Swedish county (län) codes (SCB).
SE_COUNTIES = {"01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19",
               "20", "21", "22", "23", "24", "25"}

_ORG = {
    "NO": (no_orgnr, "Norwegian organisation number", 9,
           "the last digit is a MOD11 check digit; copy the number from Enhetsregisteret (brreg.no)"),
    "SE": (se_orgnr, "Swedish organisation number", 10,
           "the last digit is a Luhn check digit; copy the number from Bolagsverket or Skatteverket"),
}


@cache
def country_codes() -> frozenset[str]:
    return frozenset(k for k in Locale("en").territories if len(k) == 2 and k.isalpha() and k not in _NOT_COUNTRIES)


@cache
def language_codes() -> frozenset[str]:
    return frozenset(k for k in Locale("en").languages if k.isalpha() and len(k) in (2, 3))


@cache
def _locale(lang: str) -> Locale:
    return Locale(lang)


def country_name(code: str, lang: str) -> str:
    return _locale(lang).territories.get(code, code)


def language_name(code: str, lang: str) -> str:
    name = _locale(lang).languages.get(code, code)
    return name[:1].upper() + name[1:]


def org_number_error(number: str, country: str) -> tuple[str, str] | None:
    """None when valid, else (message, hint)."""
    if country not in _ORG:
        return None
    module, label, digits, hint = _ORG[country]
    try:
        module.validate(number)
    except InvalidChecksum:
        return f"'{number}' is not a valid {label}: the check digit is wrong", hint
    except InvalidLength:
        return f"'{number}' is not a valid {label}: it must have {digits} digits", hint
    except (InvalidFormat, ValidationError):
        return f"'{number}' is not a valid {label}", hint
    return None


def compact_org_number(number: str, country: str) -> str:
    return _ORG[country][0].compact(number) if country in _ORG else number


def municipality_code_error(code: str, country: str) -> tuple[str, str] | None:
    counties = NO_COUNTIES if country == "NO" else SE_COUNTIES if country == "SE" else None
    if counties is None or code[:2] in counties:
        return None
    label = "county number" if country == "NO" else "county (län) code"
    return (f"municipality code '{code}' does not start with a {label} of {country}",
            f"the first two digits must be one of {', '.join(sorted(counties))}")


@cache
def _spdx():
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@lru_cache(maxsize=1024)  # a catalog uses a handful of licences; parsing one is the costly part
def licence_error(expression: str) -> tuple[str, str] | None:
    if expression == "proprietary":
        return None
    try:
        info = _spdx().validate(expression, strict=True)
        errors = info.errors
    except Exception as exc:  # the library raises several kinds on malformed input
        errors = [str(exc)]
    if not errors:
        return None
    return (f"licence '{expression}' is not an SPDX licence id or expression",
            "use an id from spdx.org/licenses (e.g. EUPL-1.2, MIT, AGPL-3.0-or-later), an expression such as "
            "'MIT OR Apache-2.0', or 'proprietary'")
