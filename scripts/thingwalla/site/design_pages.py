"""Page models of the design system: an overview (tokens, contrast pairs, components) and one page per
component, in both languages. Independent of MkDocs, like pages.py."""

from __future__ import annotations

from pathlib import Path

from ..design_system import DesignSystem
from ..tokens import DesignTokens, rounded_ratio
from . import i18n
from .pages import PageModel, url_for


def design_system_pages(tokens: DesignTokens, design: DesignSystem) -> list[PageModel]:
    pages: list[PageModel] = []
    other = {"nb": "en", "en": "nb"}
    colour_roles = [t for t in tokens.tokens.values() if t.type == "color" and t.alias_of]
    pairs = [{"pair": p, "ratio": f"{rounded_ratio(p.ratio):.2f}", "fg": tokens.hex(p.foreground),
              "bg": tokens.hex(p.background)} for p in tokens.pairs]
    for lang in i18n.LANGS:
        def add(title, template, context, ident=None, description=""):
            pages.append(PageModel("design", lang, url_for("design", lang, ident), title, template, context,
                                   url_for("design", other[lang], ident), description))

        add(i18n.translate("design.title", lang), "design.html",
            {"tokens": tokens, "colour_roles": colour_roles, "pairs": pairs, "components": design.components},
            description=i18n.translate("design.lead", lang))
        for component in design.components:
            add(component.text("name", lang), "component.html", {"component": component}, component.id,
                component.text("summary", lang))
    return pages


# The Thingwalla checkout this package runs from (an editable install): its design-system/ is the default.
SOURCE_CHECKOUT = Path(__file__).resolve().parents[3]


def design_home(root: Path) -> Path:
    """Where design-system/ is read from: the repository being built, or, when it has none (a catalog-only
    repository, such as one `thingwalla generate` writes), the Thingwalla checkout itself."""
    if (root / "design-system").is_dir() or not (SOURCE_CHECKOUT / "design-system").is_dir():
        return root
    return SOURCE_CHECKOUT


class DesignBuild:
    """What the site build needs from design-system/: the tokens, the components and their problems."""

    def __init__(self, root: Path):
        from ..design_system import load_design_system
        from ..tokens import load_design_tokens

        self.home = design_home(root)
        self.tokens = load_design_tokens(self.home)
        self.system = load_design_system(self.home)
        self.problems = [*self.tokens.problems, *self.system.problems]

    def pages(self) -> list[PageModel]:
        return design_system_pages(self.tokens, self.system)

    def files(self) -> dict[str, str]:
        """Generated at build time, never committed: the tokens as CSS and the components' styles."""
        from ..tokens import tokens_css

        return {"assets/thingwalla/tokens.css": tokens_css(self.tokens),
                "assets/thingwalla/components.css": self.system.styles()}
