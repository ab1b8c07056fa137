"""Map a checked publiccode.yml to a Thingwalla service folder (service.yaml, descriptions, logo, screenshots).

What the mapping promises, so a vendor can review the result in a pull request:

- Names and descriptions keep their language: publiccode.yml `description.<BCP 47 tag>` blocks become
  `nb` (from nb, no, nb-*, no-*), `en` and `sv`; other languages are not shown by the catalog and are listed
  as not imported. `longDescription` plus `features` become description.<lang>.md; `shortDescription`
  becomes the tagline (cut at a word to 120 characters when longer, with a warning).
- The category comes from a fixed table of publiccode.yml categories and scopes; when nothing matches, the
  fallback below is used and the report says so (choose another with --category).
- Licence, links (landingURL or url as the website, url as source code, documentation), countries
  (intendedAudience), interface languages (localisation) and development status are carried over.
- Compliance: `supports` (alias:gdpr, alias:nis2, or the regulation's ELI address) and IT.conforme.gdpr
  become claims with the state "declared" only: no evidence, issuer or dates are invented.
- `usedBy` is never turned into usage. Usage on Thingwalla comes only from buyers' own files; the names
  are written as comments for buyers to confirm, with the buyer file that matches when one does.
- What publiccode.yml cannot say (hosting, data location, prices) gets a conservative value that the
  report and the comments in service.yaml mark for review.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from ..load import load_file
from ..problems import Problem
from .publiccode import Finding, PubliccodeResult, resolve_inside
from .text import primary_language

# publiccode.yml category or scope -> (Thingwalla category, solution type), most specific first.
CATEGORY_MAP: dict[str, tuple[str, str]] = {
    "hr": ("workplace", "hr-payroll"),
    "payroll": ("workplace", "hr-payroll"),
    "employee-management": ("workplace", "hr-payroll"),
    "time-tracking": ("workplace", "hr-payroll"),
    "applicant-tracking": ("workplace", "recruitment"),
    "talent-management": ("workplace", "recruitment"),
    "identity-management": ("workplace", "identity-access"),
    "document-management": ("workplace", "case-archive"),
    "e-signature": ("workplace", "case-archive"),
    "workflow-management": ("workplace", "case-archive"),
    "business-process-management": ("workplace", "case-archive"),
    "accounting": ("finance-taxes", "invoicing-accounting"),
    "billing-and-invoicing": ("finance-taxes", "invoicing-accounting"),
    "budgeting": ("finance-taxes", "invoicing-accounting"),
    "financial-reporting": ("finance-taxes", "invoicing-accounting"),
    "erp": ("finance-taxes", "invoicing-accounting"),
    "payment-gateway": ("finance-taxes", "payment-billing"),
    "mobile-payment": ("finance-taxes", "payment-billing"),
    "taxes-management": ("finance-taxes", "tax-collection"),
    "grant-management": ("finance-taxes", "grants-funding"),
    "fundraising": ("finance-taxes", "grants-funding"),
    "learning-management-system": ("education", "learning-platforms"),
    "educational-content": ("education", "learning-platforms"),
    "fleet-management": ("vehicles-driving", "fleet-management"),
    "appointment-scheduling": ("health", "appointments"),
    "property-management": ("housing", "property-information"),
    "real-estate-management": ("housing", "property-information"),
    "geographic-information-systems": ("housing", "property-information"),
    # scopes (intendedAudience.scope), used when no category matched
    "education": ("education", "school-administration"),
    "healthcare": ("health", "home-care"),
    "welfare": ("family-social-welfare", "care-services"),
    "environment": ("environment", "climate-reporting"),
    "energy": ("industry", "energy"),
    "agriculture": ("industry", "agriculture"),
    "transportation": ("transportation", "accessible-transport"),
}
FALLBACK_CATEGORY = ("workplace", "case-archive")

STATUS_MAP = {"concept": "beta", "development": "beta", "beta": "beta", "stable": "stable", "obsolete": "deprecated"}
TEXT_LANGS = {"nb": "nb", "no": "nb", "en": "en", "sv": "sv"}
TAGLINE_MAX = 120
FEATURES_HEADING = {"nb": "Funksjoner", "en": "Features", "sv": "Funktioner"}
MAX_LOGO_BYTES = 256 * 1024
MAX_SCREENSHOT_BYTES = 2 * 1024 * 1024
MAX_SCREENSHOTS = 12
_ELI = re.compile(r"eli/(reg|dir)/(\d{4})/(\d+)", re.IGNORECASE)
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CannotImport(Exception):
    """The file is valid publiccode.yml but cannot become a Thingwalla service (message says why)."""


@dataclass
class Taxonomy:
    categories: dict[str, set[str]]
    regulations: dict[str, str]  # id -> source URL
    integrations: set[str]
    vendors: dict[str, dict]  # id -> vendor data
    buyers: dict[str, str]  # id -> name

    @classmethod
    def read(cls, root: Path) -> "Taxonomy":
        def data(rel: str) -> dict:
            doc, _ = load_file(root / rel, rel)
            return doc.data if doc is not None and isinstance(doc.data, dict) else {}

        categories = {c["id"]: {st["id"] for st in c.get("solution_types", [])}
                      for c in data("catalog/taxonomy/categories.yaml").get("categories", [])}
        regulations = {r["id"]: r.get("source", "") for r in data("catalog/taxonomy/regulations.yaml").get("regulations", [])}
        integrations = {i["id"] for i in data("catalog/taxonomy/integrations.yaml").get("integrations", [])}
        vendors, buyers = {}, {}
        for kind, store in (("vendors", vendors), ("buyers", buyers)):
            folder = root / "catalog" / kind
            for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
                doc, _ = load_file(path, path.relative_to(root).as_posix())
                if doc is not None and isinstance(doc.data, dict):
                    store[path.stem] = doc.data if kind == "vendors" else str(doc.data.get("name", path.stem))
        return cls(categories, regulations, integrations, vendors, buyers)


@dataclass
class ImportPlan:
    """Everything one import writes, decided before anything is written."""

    source: Path
    service_id: str
    service: dict
    descriptions: dict[str, str]
    files: list[tuple[Path, str]] = field(default_factory=list)  # (source file, path inside the service folder)
    used_by: list[tuple[str, str | None]] = field(default_factory=list)  # (name in publiccode.yml, buyer id or None)
    notes: list[Finding] = field(default_factory=list)  # review points (warnings)
    comments: list[str] = field(default_factory=list)  # written at the top of service.yaml
    sha256: str = ""

    def note(self, result: PubliccodeResult, path: tuple, message: str, hint: str = "") -> None:
        line, col = result.document.position(path) if result.document else (1, 1)
        self.notes.append(Finding(result.relpath, line, col, message, hint, "import.review", "warning",
                                  key=".".join(str(p) for p in path)))

    def yaml_text(self) -> str:
        from ..validate import schema_line

        header = schema_line(f"catalog/services/{self.service_id}/service.yaml", "service")
        body = yaml.safe_dump(self.service, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
        comments = "".join(f"# {line}\n" if line else "#\n" for line in self.comments)
        return f"{header}\n{comments}{body}"


def slug(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = re.sub(r"-{2,}", "-", text)[:64].strip("-")
    return text if len(text) >= 2 else ""


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-– ")
    return cut + "…"


def _eli(url: str) -> tuple | None:
    match = _ELI.search(url or "")
    return (match.group(1).lower(), match.group(2), str(int(match.group(3)))) if match else None


def plan_import(result: PubliccodeResult, taxonomy: Taxonomy, vendor_id: str, *, service_id: str | None = None,
                category: tuple[str, str] | None = None, today: dt.date | None = None) -> ImportPlan:
    """Decide the Thingwalla service for a valid publiccode.yml. Raises CannotImport when it cannot be one."""
    if not result.ok or not isinstance(result.data, dict):
        raise CannotImport("the publiccode.yml has errors; fix them first")
    if vendor_id not in taxonomy.vendors:
        close = difflib.get_close_matches(vendor_id, list(taxonomy.vendors), n=1)
        raise CannotImport(f"unknown vendor '{vendor_id}'" + (f" (did you mean '{close[0]}'?)" if close else "")
                           + "; add catalog/vendors/<id>.yaml first")
    today = today or dt.date.today()
    d = result.data
    name = str(d["name"]).strip()
    ident = service_id or slug(name)
    if not ident or not _ID.match(ident):
        raise CannotImport(f"cannot make a service id from the name '{name}'; give one with --id")
    vendor = taxonomy.vendors[vendor_id]
    raw = result.path.read_bytes() if result.path else b""
    plan = ImportPlan(source=result.path or Path(result.relpath), service_id=ident, service={}, descriptions={},
                      sha256=hashlib.sha256(raw).hexdigest())

    # languages of the texts
    blocks: dict[str, tuple[str, dict]] = {}
    skipped_langs = []
    for tag, block in d["description"].items():
        lang = TEXT_LANGS.get(primary_language(tag))
        if lang is None:
            skipped_langs.append(tag)
            continue
        if lang not in blocks or tag.lower() == lang:
            blocks[lang] = (tag, block)
    if "nb" not in blocks and "en" not in blocks:
        raise CannotImport("the descriptions are in " + ", ".join(d["description"]) + "; Thingwalla needs one in "
                           "English (en) or Norwegian bokmål (nb/no) — add description.en to publiccode.yml")
    if skipped_langs:
        plan.note(result, ("description",), "descriptions in " + ", ".join(skipped_langs) + " are not imported",
                  "the catalog shows nb, en and sv")

    names = {lang: _one_line(str(block.get("localisedName") or name)) for lang, (_, block) in blocks.items()}
    taglines = {}
    for lang, (tag, block) in blocks.items():
        short = _one_line(str(block["shortDescription"]))
        taglines[lang] = _cut(short, TAGLINE_MAX)
        if taglines[lang] != short:
            plan.note(result, ("description", tag, "shortDescription"),
                      f"the {lang} tagline was shortened to {TAGLINE_MAX} characters", "write a shorter tagline")
        features = [f"- {_one_line(str(f))}" for f in block.get("features") or []]
        text = str(block["longDescription"]).strip()
        if features:
            text += f"\n\n## {FEATURES_HEADING[lang]}\n\n" + "\n".join(features)
        plan.descriptions[lang] = text + "\n"

    # category
    chosen, reason = category, "given with --category"
    if chosen is None:
        wanted = [c for c in d.get("categories") or []] + [s for s in (d.get("intendedAudience") or {}).get("scope") or []]
        for key in wanted:
            target = CATEGORY_MAP.get(key)
            if target and target[1] in taxonomy.categories.get(target[0], set()):
                chosen, reason = target, f"from '{key}'"
                break
    if chosen is None:
        chosen = FALLBACK_CATEGORY
        plan.note(result, ("categories",), f"no Thingwalla category matches the categories "
                  f"{', '.join(d.get('categories') or []) or '(none)'}; used {chosen[0]}/{chosen[1]}",
                  "choose the right one with --category CATEGORY/SOLUTION_TYPE, or edit service.yaml")
        reason = "fallback"
    if chosen[1] not in taxonomy.categories.get(chosen[0], set()):
        raise CannotImport(f"'{chosen[0]}/{chosen[1]}' is not a category/solution type of catalog/taxonomy/"
                           "categories.yaml")

    # countries and languages
    from ..validate.identifiers import country_codes, language_codes

    audience = d.get("intendedAudience") or {}
    unsupported = {c.upper() for c in audience.get("unsupportedCountries") or []}
    countries = [c.upper() for c in audience.get("countries") or [] if c.upper() in country_codes()
                 and c.upper() not in unsupported]
    countries = list(dict.fromkeys(countries))
    if not countries:
        countries = [vendor.get("country", "NO")]
        plan.note(result, ("intendedAudience",), f"publiccode.yml names no countries; used the vendor's ({countries[0]})",
                  "list the countries where the service is offered")
    languages = []
    for tag in d["localisation"]["availableLanguages"]:
        code = primary_language(tag)
        if code in language_codes() and code not in languages:
            languages.append(code)
    if not languages:
        languages = list(blocks)

    # links
    links: dict[str, str] = {}
    landing, repo = str(d.get("landingURL") or ""), str(d["url"])
    website = landing if landing.startswith("https://") else repo if repo.startswith("https://") else ""
    if not website:
        raise CannotImport("neither landingURL nor url is an https:// address; Thingwalla needs one as the website")
    links["website"] = website
    for lang in ("en", "nb", "sv"):
        doc_url = str((blocks.get(lang, ("", {}))[1]).get("documentation") or "")
        if doc_url.startswith("https://"):
            links["documentation"] = doc_url
            break
    if repo.startswith("https://"):
        links["source_code"] = repo

    # licence and price
    licence = str(d["legal"]["license"]).strip()
    pricing = {
        "model": "free",
        "note": {
            "nb": f"Åpen kildekode ({licence}): ingen lisenskostnad. Drift, brukerstøtte og opplæring kan koste; "
                  "spør leverandøren.",
            "en": f"Open source ({licence}): no licence fee. Hosting, support and training may cost extra; ask the "
                  "vendor.",
        },
    }

    # compliance claims, declared only; integrations
    compliance, integrations = [], []
    declared: dict[str, str] = {}
    for i, item in enumerate(d.get("supports") or []):
        ident_ = str(item["id"])
        alias = ident_.split(":", 1)[1].lower() if ident_.lower().startswith("alias:") else None
        regulation = None
        if alias and alias in taxonomy.regulations:
            regulation = alias
        else:
            eli = _eli(ident_) or (_eli(_alias_uri(alias)) if alias else None)
            regulation = next((r for r, src in taxonomy.regulations.items() if eli and _eli(src) == eli), None)
        if regulation:
            declared.setdefault(regulation, f"supports: {ident_}")
        elif alias and alias in taxonomy.integrations:
            integrations.append(alias)
        else:
            plan.note(result, ("supports", i, "id"), f"'{ident_}' has no counterpart in the catalog's regulations or "
                      "integrations and is not imported")
    for section in ("IT", "it"):
        if ((d.get(section) or {}).get("conforme") or {}).get("gdpr") is True and "gdpr" in taxonomy.regulations:
            declared.setdefault("gdpr", f"{section}.conforme.gdpr: true")
    for regulation, where in declared.items():
        compliance.append({"regulation": regulation, "note": {
            "nb": f"Erklært i publiccode.yml ({where}). Ingen dokumentasjon er lagt ved.",
            "en": f"Declared in publiccode.yml ({where}). No evidence is attached.",
        }})

    # logo and screenshots: only local files, copied into the service folder when they pass the catalog's rules
    base = result.path.parent if result.path else None
    logo_name = None
    logo = d.get("logo")
    if isinstance(logo, str) and logo and base is not None:
        logo_name = _plan_logo(plan, result, base, logo)
    screenshots = []
    for tag_lang in ([blocks["en"][0]] if "en" in blocks else []) + [t for l, (t, _) in blocks.items() if l != "en"]:
        for i, shot in enumerate(d["description"][tag_lang].get("screenshots") or []):
            if len(screenshots) >= MAX_SCREENSHOTS or any(s["source"] == shot for s in screenshots):
                continue
            dest = _plan_screenshot(plan, result, base, ("description", tag_lang, "screenshots", i), str(shot),
                                    len(screenshots) + 1)
            if dest:
                n = len(screenshots) + 1
                screenshots.append({"source": shot, "file": dest,
                                    "alt": {"nb": f"Skjermbilde {n} av {name}", "en": f"Screenshot {n} of {name}"}})
    if screenshots:
        plan.note(result, ("description",), "screenshots got placeholder alt texts",
                  "say in screenshots[].alt what each screenshot shows, for people who cannot see it")

    # usedBy: suggestions for buyers, never usage
    for i, user in enumerate(d.get("usedBy") or []):
        plan.used_by.append((str(user), _match_buyer(str(user), taxonomy.buyers)))

    status = STATUS_MAP[d["developmentStatus"]]
    if d["developmentStatus"] in ("concept", "development"):
        plan.note(result, ("developmentStatus",), f"developmentStatus '{d['developmentStatus']}' is listed as 'beta'",
                  "list the service when it can be used")

    service: dict = {
        "id": ident,
        "name": names,
        "tagline": taglines,
        "vendor": vendor_id,
        "category": chosen[0],
        "solution_type": chosen[1],
    }
    tags = [c for c in d.get("categories") or [] if _ID.match(c) and c != "other"][:20]
    if tags:
        service["tags"] = tags
    service.update({
        "countries": countries,
        "languages": languages,
        "status": status,
        "listed": today.isoformat(),
        "licence": licence,
    })
    if logo_name:
        service["logo"] = logo_name
    service["pricing"] = pricing
    service["links"] = links
    if integrations:
        service["integrations"] = list(dict.fromkeys(integrations))
    service["hosting"] = {"deployment": ["on_premises"], "data_locations": list(countries)}
    if compliance:
        service["compliance"] = compliance
    if screenshots:
        service["screenshots"] = [{"file": s["file"], "alt": s["alt"]} for s in screenshots]
    plan.service = service

    plan.note(result, (), "hosting and data location are not part of publiccode.yml: the service is listed as "
              f"installed by the buyer (on_premises) with data in {', '.join(countries)}",
              "if you run it as a service, set hosting.deployment: [saas], the real data_locations and "
              "sub_processors")
    plan.note(result, ("legal", "license"), "the price is listed as 'free' (no licence fee)",
              "add plans under pricing if you charge for hosting, support or training")

    source = str(d["url"])
    plan.comments = [
        f"Imported from publiccode.yml ({source}) on {today.isoformat()}",
        f"by `thingwalla import publiccode` (category {chosen[0]}/{chosen[1]}, {reason}).",
        "REVIEW before the pull request: hosting and data_locations (publiccode.yml does not say them),",
        "pricing (listed as free: no licence fee), the category, and screenshot alt texts.",
    ]
    if plan.used_by:
        plan.comments += ["", "publiccode.yml names these users (usedBy). Thingwalla never shows them as usage:",
                          "each buyer confirms by adding this service to `uses:` in its own file."]
        for user, buyer in plan.used_by:
            plan.comments.append(f"  - {user}" + (f"  (catalog/buyers/{buyer}.yaml)" if buyer else "  (no buyer file yet)"))
    return plan


def _alias_uri(alias: str | None) -> str:
    from .publiccode import SUPPORT_ALIASES

    return SUPPORT_ALIASES.get(alias or "") or ""


def _match_buyer(name: str, buyers: dict[str, str]) -> str | None:
    wanted = _one_line(name).casefold()
    for ident, buyer_name in buyers.items():
        if buyer_name.casefold() == wanted:
            return ident
    names = {b.casefold(): i for i, b in buyers.items()}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.9)
    return names[close[0]] if close else None


def _plan_logo(plan: ImportPlan, result: PubliccodeResult, base: Path, logo: str) -> str | None:
    from ..validate.files import svg_safety_problem

    if logo.lower().startswith(("http://", "https://")):
        plan.note(result, ("logo",), "the logo is a remote file and is not downloaded", "add logo.svg or logo.png "
                  "beside service.yaml")
        return None
    source = resolve_inside(base, logo)
    suffix = PurePosixPath(logo).suffix.lower()
    if source is None or not source.is_file() or suffix not in (".svg", ".png"):
        plan.note(result, ("logo",), f"the logo '{logo}' is not imported (the catalog takes .svg or .png files)")
        return None
    size = source.stat().st_size
    if size > MAX_LOGO_BYTES:
        plan.note(result, ("logo",), f"the logo is {size // 1024} KB, over the catalog's 256 KB limit; not imported")
        return None
    if suffix == ".svg":
        reason = svg_safety_problem(source.read_bytes())
        if reason:
            plan.note(result, ("logo",), f"the SVG logo is not imported: {reason}",
                      "export a plain SVG with shapes only")
            return None
    dest = f"logo{suffix}"
    plan.files.append((source, dest))
    return dest


def _plan_screenshot(plan: ImportPlan, result: PubliccodeResult, base: Path | None, where: tuple, shot: str,
                     n: int) -> str | None:
    from .publiccode import image_problem

    if base is None or shot.lower().startswith(("http://", "https://")):
        plan.note(result, where, f"the screenshot '{shot}' is a remote file and is not downloaded")
        return None
    source = resolve_inside(base, shot)
    if source is None or not source.is_file() or image_problem(source):
        plan.note(result, where, f"the screenshot '{shot}' is not imported (missing or not a PNG/JPEG image)")
        return None
    if source.stat().st_size > MAX_SCREENSHOT_BYTES:
        plan.note(result, where, f"the screenshot '{shot}' is over the catalog's 2 MB limit; not imported")
        return None
    suffix = source.suffix.lower().replace(".jpeg", ".jpg")
    dest = f"screenshots/{n:02d}-{slug(source.stem) or 'screenshot'}{suffix}"
    plan.files.append((source, dest))
    return dest


def write_plan(plan: ImportPlan, services_dir: Path) -> Path:
    """Write the service folder. Refuses to touch a folder that already exists."""
    folder = services_dir / plan.service_id
    if folder.exists():
        raise CannotImport(f"{folder} already exists; choose another id with --id, or remove the folder")
    tmp = services_dir / f".{plan.service_id}.importing"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        tmp.mkdir(parents=True)
        (tmp / "service.yaml").write_text(plan.yaml_text(), encoding="utf-8")
        for lang, text in plan.descriptions.items():
            (tmp / f"description.{lang}.md").write_text(text, encoding="utf-8")
        for source, dest in plan.files:
            target = tmp / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        tmp.rename(folder)  # the folder appears whole or not at all
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return folder


def problem_text(problems: list[Problem]) -> str:
    return "\n".join(p.as_text() for p in sorted(problems))
