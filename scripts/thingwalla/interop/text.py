"""Language tags (BCP 47), country codes and text length as people count it (grapheme clusters).

Standards that exchange catalog data name languages with BCP 47 tags (`en`, `nb-NO`, `sl-IT-nedis`)
and count text length in user-perceived characters, so an emoji or a letter with a combining accent
counts once. Python has neither in its standard library; this module keeps both small and offline.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ._codes import COUNTRY_ALPHA2_TO_ALPHA3, LANGUAGE_ALPHA2_TO_ALPHA3, LANGUAGE_ALPHA3, SCRIPTS

# RFC 5646 section 2.2.8: tags registered before RFC 4646 that do not fit the grammar, and the
# "regular" ones that happen to fit it but must be read whole.
GRANDFATHERED = frozenset(t.lower() for t in (
    "en-GB-oed i-ami i-bnn i-default i-enochian i-hak i-klingon i-lux i-mingo i-navajo i-pwn i-tao i-tay "
    "i-tsu sgn-BE-FR sgn-BE-NL sgn-CH-DE art-lojban cel-gaulish no-bok no-nyn zh-guoyu zh-hakka zh-min "
    "zh-min-nan zh-xiang").split())
# UN M.49 area codes in the IANA language subtag registry.
M49_REGIONS = frozenset(
    "001 002 003 005 009 011 013 014 015 017 018 019 021 029 030 034 035 039 053 054 057 061 142 143 145 "
    "150 151 154 155 202 419".split())
# Region subtags that are not (or no longer) ISO 3166-1 countries but stay valid in BCP 47.
EXTRA_REGIONS = frozenset("AC CP DG EA EU EZ IC TA UN BU CS DD FX NT SU TP YD YU ZR AA ZZ".split()
                          + [f"Q{c}" for c in "MNOPQRSTUVWXYZ"] + [f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"])
# Deprecated two-letter codes that are still registered subtags.
EXTRA_ALPHA2 = frozenset("in iw ji jw mo".split())

_TAG = re.compile(
    r"""^(?P<language>[a-z]{2,3}(?P<extlang>(-[a-z]{3}){0,3})|[a-z]{4}|[a-z]{5,8})
        (-(?P<script>[a-z]{4}))?
        (-(?P<region>[a-z]{2}|[0-9]{3}))?
        (?P<variants>(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
        (?P<extensions>(-[0-9a-wy-z](-[a-z0-9]{2,8})+)*)
        (-x(-[a-z0-9]{1,8})+)?$""", re.VERBOSE)
_PRIVATE = re.compile(r"^x(-[a-z0-9]{1,8})+$")


def language_tag_problem(tag: object) -> str | None:
    """None for a valid BCP 47 tag, else why it is not one."""
    if not isinstance(tag, str) or not tag:
        return "a language tag must be text such as 'en' or 'nb-NO'"
    if "_" in tag:
        return f"'{tag}' uses '_'; BCP 47 separates subtags with '-' (write '{tag.replace('_', '-')}')"
    lowered = tag.lower()
    if lowered in GRANDFATHERED or _PRIVATE.match(lowered):
        return None
    match = _TAG.match(lowered)
    if not match:
        return f"'{tag}' is not a well-formed BCP 47 language tag"
    language = match.group("language").split("-")[0]
    if len(language) == 2 and language not in LANGUAGE_ALPHA2_TO_ALPHA3 and language not in EXTRA_ALPHA2:
        return f"'{language}' is not an ISO 639-1 language code"
    if len(language) == 3 and language not in LANGUAGE_ALPHA3 and not ("qaa" <= language <= "qtz"):
        return f"'{language}' is not an ISO 639 language code"
    if len(language) >= 4:
        return f"'{language}' is not a registered language subtag"
    for ext in filter(None, (match.group("extlang") or "").split("-")):
        if ext not in LANGUAGE_ALPHA3:
            return f"'{ext}' is not a registered extended language subtag"
    script = match.group("script")
    if script and script.title() not in SCRIPTS:
        return f"'{script}' is not an ISO 15924 script code"
    region = match.group("region")
    if region and region.upper() not in COUNTRY_ALPHA2_TO_ALPHA3 and region.upper() not in EXTRA_REGIONS \
            and region not in M49_REGIONS:
        return f"'{region}' is not an ISO 3166-1 or UN M.49 region code"
    variants = [v for v in (match.group("variants") or "").split("-") if v]
    if len(variants) != len(set(variants)):
        return f"'{tag}' repeats a variant subtag"
    singletons = re.findall(r"-([0-9a-wy-z])-", (match.group("extensions") or "") + "-")
    if len(singletons) != len(set(singletons)):
        return f"'{tag}' repeats an extension"
    return None


def primary_language(tag: str) -> str:
    """'nb-NO' -> 'nb'; 'NO' -> 'no'."""
    return tag.replace("_", "-").split("-")[0].lower()


def language_alpha3(code: str) -> str | None:
    """ISO 639-1 or 639-3 code -> the three-letter code the EU language authority table uses."""
    code = code.lower()
    if len(code) == 2:
        return LANGUAGE_ALPHA2_TO_ALPHA3.get(code)
    return code if code in LANGUAGE_ALPHA3 else None


def country_alpha3(code: str) -> str | None:
    return COUNTRY_ALPHA2_TO_ALPHA3.get(code.upper())


# --- grapheme clusters (a compact form of Unicode's UAX #29 extended grapheme cluster rules) ---

_ZWJ = "\u200d"


@cache
def _kind(ch: str) -> str:
    cp = ord(ch)
    if ch == "\r":
        return "CR"
    if ch == "\n":
        return "LF"
    if ch == _ZWJ:
        return "ZWJ"
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return "RI"
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    category = unicodedata.category(ch)
    if category in ("Mn", "Me") or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF \
            or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or cp in (0x200C,):
        return "Extend"
    if category == "Mc":
        return "SpacingMark"
    if category in ("Cc", "Zl", "Zp") or (category == "Cf" and cp not in (0x200C, 0x200D)):
        return "Control"
    if 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139):
        return "Pictographic"
    return "Other"


def grapheme_count(text: str) -> int:
    """Number of user-perceived characters: 'e' + combining accent is 1, a family emoji is 1."""
    count = 0
    previous = None
    regional_run = 0
    pictographic_before_zwj = False
    last_base_pictographic = False
    for ch in text:
        kind = _kind(ch)
        join = False
        if previous is not None:
            if previous == "CR" and kind == "LF":
                join = True
            elif previous in ("CR", "LF", "Control") or kind in ("CR", "LF", "Control"):
                join = False
            elif previous == "L" and kind in ("L", "V", "LV", "LVT"):
                join = True
            elif previous in ("LV", "V") and kind in ("V", "T"):
                join = True
            elif previous in ("LVT", "T") and kind == "T":
                join = True
            elif kind in ("Extend", "ZWJ", "SpacingMark"):
                join = True
            elif previous == "ZWJ" and kind == "Pictographic" and pictographic_before_zwj:
                join = True
            elif previous == "RI" and kind == "RI" and regional_run % 2 == 1:
                join = True
        if not join:
            count += 1
        regional_run = regional_run + 1 if kind == "RI" else 0
        if kind == "Pictographic":
            last_base_pictographic = True
        elif kind not in ("Extend", "ZWJ"):
            last_base_pictographic = False
        pictographic_before_zwj = kind == "ZWJ" and last_base_pictographic
        previous = kind
    return count
