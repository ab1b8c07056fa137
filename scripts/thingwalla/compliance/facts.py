"""What a check may ask of a service: its declared facts (the validated service.yaml), plus the
context the engine gives (today, the vendor's country, the adequacy list, automatic check results)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Text

# EU member states plus Norway, Iceland and Liechtenstein: not third countries under GDPR Chapter V.
EEA = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split())


@dataclass(frozen=True)
class Failure:
    """One way a rule is not met: where in service.yaml, and details (codes, numbers) for the message.

    Details are codes, field names, numbers or dates, the same in every language; details with words
    are given per language ({"nb": ..., "en": ...}, see `words`) and shown in the message's language."""

    path: tuple = ()
    details: "str | Text" = ""
    severity: str | None = None  # overrides the rule's severity (e.g. a deadline not reached yet)
    regulation: str | None = None  # for rules on every claim ("*"): the claim's regulation


@dataclass
class Facts:
    data: dict
    today: dt.date
    vendor_country: str | None = None
    vendor_name: str | None = None
    regulation_kinds: dict = field(default_factory=dict)  # regulation id -> law | standard | certification
    adequacy: dict = field(default_factory=dict)  # country -> decision reference, valid on `today`
    a11y: object = None  # verification.A11yResults or None
    only_regulation: str | None = None  # rules on every claim run once per regulation

    def get(self, *path, default=None):
        node = self.data
        for part in path:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return default
        return node

    @property
    def countries(self) -> list[str]:
        return self.data.get("countries", [])

    @property
    def privacy(self) -> dict:
        return self.data.get("privacy") or {}

    @property
    def processes_personal_data(self) -> bool:
        return self.privacy.get("processes_personal_data") is True

    @property
    def is_processor(self) -> bool:
        return self.processes_personal_data and self.privacy.get("role") in ("processor", "joint_controller")

    def claims(self, regulation: str | None = None) -> list[tuple[int, dict]]:
        regulation = regulation or self.only_regulation
        return [(i, c) for i, c in enumerate(self.data.get("compliance", []))
                if regulation is None or c.get("regulation") == regulation]

    def has_claim(self, regulation: str) -> bool:
        return bool(self.claims(regulation))

    def interfaces(self) -> list[tuple[int, dict]]:
        return list(enumerate(self.get("accessibility", "interfaces", default=[])))

    def locations(self) -> list[tuple[str, tuple]]:
        """Every place customer data is or can be reached from: storage, backup, support access, sub-processors.

        Remote support access counts as a transfer (EDPB Guidelines 05/2021), so it is a location too.
        """
        found = [(c, ("hosting", "data_locations", i)) for i, c in enumerate(self.get("hosting", "data_locations", default=[]))]
        found += [(c, ("privacy", "backup_locations", i)) for i, c in enumerate(self.privacy.get("backup_locations", []))]
        found += [(c, ("privacy", "support_access", i)) for i, c in enumerate(self.privacy.get("support_access", []))]
        found += [(p["country"], ("hosting", "sub_processors", i, "country"))
                  for i, p in enumerate(self.get("hosting", "sub_processors", default=[]))]
        return found

    def outside_eea(self) -> list[tuple[str, tuple]]:
        return [(c, path) for c, path in self.locations() if c not in EEA]

    def ai_components(self) -> list[tuple[int, dict]]:
        if self.get("ai", "uses_ai") is not True:
            return []
        return list(enumerate(self.get("ai", "components", default=[])))


def words(nb: str, en: str) -> Text:
    """Details with words in them, in bokmål and English (Failure.details)."""
    return Text({"nb": nb, "en": en})


def details_in(details, lang: str) -> str:
    """A Failure's details in `lang`: plain strings are the same in every language."""
    return details(lang) if isinstance(details, Text) else str(details or "")


def date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
