"""Organisation numbers as Peppol participant identifiers, with their check digits.

Norway: organisasjonsnummer, 9 digits, MOD11 with weights 3 2 7 6 5 4 3 2 (Brønnøysundregistrene);
Peppol scheme 0192, rule PEPPOL-COMMON-R041. Sweden: organisationsnummer, 10 digits, Luhn over the
first nine (Skatteverket); Peppol scheme 0007, rules PEPPOL-COMMON-R049 (ten digits) and TW-ORDER-014
(Luhn). GLN (scheme 0088): GS1 mod 10,
rule PEPPOL-COMMON-R040. The algorithms are written out here so that the order rules do not depend on
a library's idea of a valid number; tests compare them with python-stdnum.
"""

from __future__ import annotations

import re

SCHEMES = {"NO": "0192", "SE": "0007"}
_NO_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


class IdentifierError(ValueError):
    pass


def no_orgnr_valid(value: str) -> bool:
    """Norwegian organisation number: nine digits and a correct MOD11 check digit."""
    if not re.fullmatch(r"[0-9]{9}", value or ""):
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:8], _NO_WEIGHTS)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return int(value) > 0 and check != 10 and check == int(value[8])


def luhn_valid(value: str) -> bool:
    if not re.fullmatch(r"[0-9]+", value or ""):
        return False
    total = 0
    for i, digit in enumerate(reversed(value)):
        n = int(digit)
        if i % 2 == 1:
            n *= 2
            n = n - 9 if n > 9 else n
        total += n
    return total % 10 == 0


def se_orgnr_valid(value: str) -> bool:
    """Swedish organisation number: ten digits, the last a Luhn check digit over the first nine."""
    return bool(re.fullmatch(r"[0-9]{10}", value or "")) and luhn_valid(value)


def gln_valid(value: str) -> bool:
    """GS1 Global Location Number (and other GS1 keys): mod 10 with weights 3 and 1 from the right."""
    if not re.fullmatch(r"[0-9]{2,}", value or ""):
        return False
    body, check = value[:-1], int(value[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def compact(number: str) -> str:
    return re.sub(r"[\s-]", "", number or "")


def participant(country: str, number: str) -> tuple[str, str]:
    """(scheme, identifier) for a Norwegian or Swedish organisation number; IdentifierError when the
    number is malformed or its check digit is wrong."""
    value = compact(number)
    if country == "NO":
        if not re.fullmatch(r"[0-9]{9}", value):
            raise IdentifierError(f"'{number}' is not a Norwegian organisation number: it must have 9 digits")
        if not no_orgnr_valid(value):
            raise IdentifierError(f"'{number}' is not a valid Norwegian organisation number: the MOD11 check digit "
                                  "is wrong (PEPPOL-COMMON-R041)")
        return SCHEMES["NO"], value
    if country == "SE":
        if not re.fullmatch(r"[0-9]{10}", value):
            raise IdentifierError(f"'{number}' is not a Swedish organisation number: it must have 10 digits")
        if not se_orgnr_valid(value):
            raise IdentifierError(f"'{number}' is not a valid Swedish organisation number: the Luhn check digit "
                                  "is wrong (TW-ORDER-014)")
        return SCHEMES["SE"], value
    raise IdentifierError(f"no Peppol identifier scheme is known for organisations in {country}; "
                          "Thingwalla supports Norway (0192) and Sweden (0007)")
