"""The texts `thingwalla new` writes for a vendor to replace. A scaffolded entry validates as written, so the
vendor can work through it; a placeholder still there is a warning, so it is not published by mistake."""

from __future__ import annotations

TAGLINE = {"nb": "Skriv én setning om hva tjenesten gjør.", "en": "Write one sentence on what the service does."}
DESCRIPTIONS = {
    "nb": "Beskriv tjenesten for kommunene: hvem den er for, hva den løser, og hvordan den tas i bruk.\n",
    "en": "Describe the service for municipalities: who it is for, what it solves, and how it is taken into use.\n",
}


def is_placeholder_description(text: str, lang: str) -> bool:
    return lang in DESCRIPTIONS and text.strip() == DESCRIPTIONS[lang].strip()
