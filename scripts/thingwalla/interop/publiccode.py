"""Read and check publiccode.yml files (standard versions 0.2 to 0.7), with a located message per problem.

publiccode.yml (https://yml.publiccode.tools) describes a public-sector software project in its own
repository. This module checks a file the way the standard says: required keys, types, controlled
vocabularies, BCP 47 language tags, ISO 3166 country codes, SPDX licence expressions, lengths in
user-perceived characters, dates, URLs, and that files it names (logo, screenshots) exist beside it and
are images. Deprecated keys give warnings, not errors.

It reads YAML with `thingwalla.load`, so a file gets the same treatment as catalog content: positions for
every key and value, YAML 1.2 booleans (`yes` is text, not true), and refusal of aliases, merge keys,
tags, duplicate keys, deep nesting and huge or binary files.

Checks that need the network (is the `url` a reachable code repository, does a remote logo answer,
does a video URL support oEmbed) are not made: imports run offline and reproducibly. The reference
validator (italia/publiccode-parser-go) makes them when its network checks are on.

Versions: every 0.x file is read with the 0.7 rules, as the standard's minor versions are backwards
compatible. Accepted version strings are those the reference validator accepts: 0, 0.2, 0.2.0, 0.2.1,
0.2.2, 0.3, 0.3.0, 0.4, 0.4.0, 0.5, 0.5.0, 0.7, 0.7.0. There was never a 0.6 release of the standard.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

import yaml

from ..load import Document, load_bytes
from ..problems import Problem
from .text import grapheme_count, language_tag_problem

SUPPORTED_VERSIONS = ("0", "0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0", "0.4", "0.4.0", "0.5", "0.5.0",
                      "0.7", "0.7.0")
LATEST = "0.7"
STANDARD = "https://yml.publiccode.tools"

# docs/standard/categories-list.rst (0.7)
CATEGORIES = frozenset("""
accounting agile-project-management applicant-tracking application-development appointment-scheduling backup
billing-and-invoicing blog budgeting business-intelligence business-process-management cad call-center-management
cloud-management collaboration communications compliance-management contact-management content-management crm
customer-service-and-support data-analytics data-collection data-visualization design design-system
digital-asset-management digital-citizenship document-management donor-management e-commerce e-signature
educational-content email-management email-marketing employee-management enterprise-project-management
enterprise-social-networking erp event-management facility-management feedback-and-reviews-management
financial-reporting fleet-management fundraising gamification geographic-information-systems grant-management
graphic-design help-desk hr ide identity-management instant-messaging integrated-library-system
inventory-management it-asset-management it-development it-management it-security it-service-management
knowledge-management learning-management-system marketing mind-mapping mobile-marketing mobile-payment
network-management office online-booking online-community payment-gateway payroll predictive-analysis
procurement productivity-suite project-collaboration project-management property-management
real-estate-management regulations-and-directives remote-support resource-management sales-management seo
service-desk social-media-management survey talent-management task-management taxes-management
test-management time-management time-tracking translation video-conferencing video-editing visitor-management
voip warehouse-management web-collaboration web-conferencing website-builder whistleblowing workflow-management
other""".split())

# docs/standard/scope-list.rst (0.7)
SCOPES = frozenset("""
agriculture culture defence education emergency-services employment energy environment
finance-and-economic-development foreign-affairs government healthcare infrastructures justice local-authorities
manufacturing research science-and-technology security society sport tourism transportation welfare""".split())

# docs/standard/aliases-list.rst (0.7): `supports: - id: alias:<name>`
SUPPORT_ALIASES = {
    "gdpr": "http://data.europa.eu/eli/reg/2016/679/oj",
    "eidas": "http://data.europa.eu/eli/reg/2014/910/oj",
    "nis2": "http://data.europa.eu/eli/dir/2022/2555/oj",
    "cra": "http://data.europa.eu/eli/reg/2024/2847/oj",
    "spid": None, "cie": None, "anpr": None, "pagopa": None, "io": None,
}

DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = ("standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
                  "standalone/backend", "standalone/other", "addon", "library", "configurationFiles")
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
LOGO_EXTENSIONS = (".svg", ".svgz", ".png")
SCREENSHOT_EXTENSIONS = (".png", ".jpg", ".jpeg")

_MIME = re.compile(r"^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$")
_EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\u00a0-\uffff-]+@([A-Za-z0-9\u00a0-\uffff]"
                    r"([A-Za-z0-9\u00a0-\uffff-]{0,61}[A-Za-z0-9\u00a0-\uffff])?\.)+[A-Za-z\u00a0-\uffff]{2,}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_URN = re.compile(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+$", re.IGNORECASE)
_IPA_CODE = re.compile(r"^[A-Za-z0-9_]{1,32}$")


@dataclass(frozen=True, order=True)
class Finding(Problem):
    """A Problem that also names the key as the standard writes it, e.g. maintenance.contacts[0].email."""

    key: str = ""


@dataclass
class PubliccodeResult:
    """One publiccode.yml file: its data (None if it could not be read) and every problem found."""

    path: Path | None
    relpath: str
    data: dict | None = None
    version: str | None = None
    problems: list[Finding] = field(default_factory=list)
    document: Document | None = None

    @property
    def errors(self) -> list[Finding]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors


def parse_file(path: Path, relpath: str | None = None, base_dir: Path | None = None) -> PubliccodeResult:
    """Read and check one publiccode.yml. Relative logo and screenshot paths resolve against `base_dir`
    (default: the file's folder, which is the repository root for a file in its usual place)."""
    relpath = relpath or path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        result = PubliccodeResult(path, relpath)
        result.problems.append(Finding(relpath, 1, 1, f"cannot read the file: {exc.strerror}",
                                       "check the path and the file's permissions", "publiccode.read", key=""))
        return result
    return parse_bytes(raw, path=path, relpath=relpath, base_dir=base_dir if base_dir else path.parent)


def parse_bytes(raw: bytes, path: Path | None = None, relpath: str = "publiccode.yml",
                base_dir: Path | None = None) -> PubliccodeResult:
    result = PubliccodeResult(path, relpath)
    doc, problems = load_bytes(raw, path or Path(relpath), relpath)
    if doc is None:
        for p in problems:
            hint = ("write the publiccode.yml keys; the standard is at " + STANDARD) if p.code == "load.empty" else p.hint
            result.problems.append(Finding(p.path, p.line, p.column, p.message, hint, p.code, p.severity, key=""))
        return result
    result.document = doc
    checker = _Checker(doc, base_dir, _raw_scalars(raw))
    checker.run()
    result.problems = sorted(checker.findings, key=lambda f: (f.line, f.column, f.severity != "error", f.message))
    result.version = checker.version
    if checker.version is not None and isinstance(doc.data, dict):
        result.data = doc.data
    return result


def _raw_scalars(raw: bytes) -> dict[tuple, str]:
    """Source text of every scalar, by path: `softwareVersion: 1.10` stays '1.10', not the float 1.1."""
    out: dict[tuple, str] = {}
    try:
        root = yaml.compose(raw.decode("utf-8-sig"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError, UnicodeDecodeError):
        return out
    stack = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            out[path] = node.value
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, path + (i,)) for i, child in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend((v, path + (str(k.value),)) for k, v in node.value if isinstance(k, yaml.ScalarNode))
    return out


def key_name(path: tuple) -> str:
    """('maintenance', 'contacts', 0, 'email') -> 'maintenance.contacts[0].email'"""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


# --- the checker ---------------------------------------------------------------------------------------

class _Checker:
    def __init__(self, doc: Document, base_dir: Path | None, raw: dict[tuple, str]):
        self.doc = doc
        self.base_dir = base_dir
        self.raw = raw
        self.findings: list[Finding] = []
        self.version: str | None = None

    # reporting
    def add(self, path: tuple, message: str, hint: str = "", code: str = "", severity: str = "error",
            at_key: bool = False) -> None:
        line, col = self.doc.key_position(path) if at_key else self.doc.position(path)
        key = key_name(path)
        text = f"{key}: {message}" if key else message
        self.findings.append(Finding(self.doc.relpath, line, col, text, hint, f"publiccode.{code}" if code else "publiccode",
                                     severity, key=key))

    def warn(self, path: tuple, message: str, hint: str = "", code: str = "deprecated") -> None:
        self.add(path, message, hint, code, "warning", at_key=True)

    # value access with types
    def text(self, path: tuple, value, required: bool = False) -> str | None:
        """A text value: numbers and booleans are taken as written (YAML scalars); lists and mappings are wrong."""
        if value is None or value == "":
            if required:
                self.add(path, "is required and must not be empty", f"add '{path[-1]}:' with a value", "required",
                         at_key=True)
            return None
        if isinstance(value, (dict, list)):
            self.add(path, f"must be text, not {_describe(value)}", "write a single value on the line", "type")
            return None
        if isinstance(value, str):
            return value
        return self.raw.get(path, str(value).lower() if isinstance(value, bool) else str(value))

    def boolean(self, path: tuple, value, required: bool = False) -> bool | None:
        if value is None:
            if required:
                self.add(path, "is required", f"add '{path[-1]}: true' or '{path[-1]}: false'", "required",
                         at_key=True)
            return None
        if not isinstance(value, bool):
            hint = "write true or false"
            if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n"):
                hint = (f"'{value}' is text in YAML 1.2, which publiccode.yml uses; write "
                        f"{'true' if value.lower() in ('yes', 'on', 'y') else 'false'}")
            self.add(path, f"must be true or false, not {_describe(value)}", hint, "type")
            return None
        return value

    def mapping(self, path: tuple, value, allowed: tuple[str, ...], required: bool = False,
                deprecated: dict[str, str] | None = None) -> dict | None:
        if value is None:
            if required:
                self.add(path, "is required", f"add the '{path[-1]}:' section", "required", at_key=True)
            return None
        if not isinstance(value, dict):
            self.add(path, f"must be a mapping of keys, not {_describe(value)}",
                     "indent the keys of this section under it", "type")
            return None
        for key in value:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.7)
            self.add(path + (key,), "is not a key of the standard",
                     (f"did you mean '{close[0]}'? " if close else "") + "keys here: " + ", ".join(allowed),
                     "unknown_key", at_key=True)
        for key, message in (deprecated or {}).items():
            if key in value:
                self.warn(path + (key,), message)
        return value

    def sequence(self, path: tuple, value, required: bool = False, min_items: int = 0,
                 scalar_ok: bool = False) -> list | None:
        if value is None:
            if required:
                self.add(path, "is required", f"add '{path[-1]}:' with at least one item", "required", at_key=True)
            return None
        if scalar_ok and not isinstance(value, (list, dict)):
            return [value]
        if not isinstance(value, list):
            self.add(path, f"must be a list, not {_describe(value)}", "write one '- item' per line", "type")
            return None
        if len(value) < min_items:
            self.add(path, f"must have at least {min_items} item{'s' if min_items > 1 else ''}",
                     "add an item, or remove the key", "empty")
        return value

    def text_list(self, path: tuple, value, check=None, **kw) -> list[str]:
        items = self.sequence(path, value, **kw)
        out = []
        for i, item in enumerate(items or []):
            text = self.text(path + (i,), item, required=True)
            if text is not None:
                if check:
                    check(path + (i,), text)
                out.append(text)
        return out

    # checks
    def check_url(self, path: tuple, value: str, http: bool) -> bool:
        problem = url_problem(value, http)
        if problem:
            self.add(path, problem, "write a full address, e.g. https://example.org/page", "url")
            return False
        return True

    def check_date(self, path: tuple, value: str) -> None:
        if not _valid_date(value):
            self.add(path, f"'{value}' is not a date written YYYY-MM-DD", "e.g. 2024-06-14", "date")

    def check_enum(self, path: tuple, value: str, options, what: str, url: str = "") -> None:
        if value in options:
            return
        close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'? " if close else "")
        hint += f"see {url}" if url else "one of: " + ", ".join(options)
        self.add(path, f"'{value}' is not a valid {what}", hint, "vocabulary")

    def check_language(self, path: tuple, value: str, at_key: bool = False) -> None:
        problem = language_tag_problem(value)
        if problem:
            self.add(path, f"must be a BCP 47 language tag: {problem}", "e.g. en, it, nb, sv, en-GB", "language",
                     at_key=at_key)

    def check_country(self, path: tuple, value: str) -> None:
        from ..validate.identifiers import country_codes

        if (value != value.upper() and value != value.lower()) or value.upper() not in country_codes():
            self.add(path, f"'{value}' is not an ISO 3166-1 alpha-2 country code", "e.g. IT, NO, SE, DE", "country")
        elif value == value.lower():
            self.warn(path, f"lower-case country codes are deprecated; write '{value.upper()}'")

    def check_email(self, path: tuple, value: str) -> None:
        if not _EMAIL.match(value):
            self.add(path, f"'{value}' is not an e-mail address", "e.g. name@example.org", "email")

    def check_uri(self, path: tuple, value: str) -> None:
        problem = organisation_uri_problem(value)
        if problem:
            self.add(path, problem, "use a URL (https://…) or a URN (urn:…) that identifies the organisation", "uri")

    def check_licence(self, path: tuple, value: str) -> None:
        problem = spdx_problem(value)
        if problem:
            self.add(path, problem, "use an SPDX id or expression, e.g. EUPL-1.2, AGPL-3.0-or-later, "
                                    "MIT OR Apache-2.0 (https://spdx.org/licenses)", "licence")

    def check_length(self, path: tuple, value: str, minimum: int = 0, maximum: int | None = None) -> None:
        n = grapheme_count(value)
        if n < minimum:
            self.add(path, f"must be at least {minimum} characters long (it has {n})",
                     "describe what the software does, for whom, and why", "length")
        if maximum is not None and n > maximum:
            self.add(path, f"must be at most {maximum} characters long (it has {n})", "shorten the text", "length")

    def check_file(self, path: tuple, value: str, kind: str) -> None:
        """logo, monochromeLogo, screenshots, authorsFile: a path relative to the repository root, or an http(s) URL."""
        if value.startswith("/"):
            self.add(path, "is an absolute path; only paths relative to the repository root or http(s) URLs are "
                           "allowed", "e.g. docs/logo.svg", "file")
            return
        if value.lower().startswith("file:"):
            self.add(path, "is a file: URL; only paths relative to the repository root or http(s) URLs are allowed",
                     "e.g. docs/logo.svg", "file")
            return
        scheme = urllib.parse.urlsplit(value).scheme.lower()
        if scheme in ("http", "https"):
            return  # remote files are checked only with the network
        if scheme and len(scheme) > 1:
            self.add(path, f"'{value}' is neither a relative path nor an http(s) URL", "e.g. docs/logo.svg", "file")
            return
        suffix = PurePosixPath(value).suffix.lower()
        if kind in ("logo", "monochromeLogo") and suffix not in LOGO_EXTENSIONS:
            self.add(path, f"'{value}' has an unsupported file type for a logo", "use an SVG or PNG file", "file")
            return
        if kind == "screenshot" and suffix not in SCREENSHOT_EXTENSIONS:
            self.add(path, f"'{value}' is not a PNG or JPEG image", "use a .png or .jpg file", "file")
            return
        if self.base_dir is None:
            return
        target = resolve_inside(self.base_dir, value)
        if target is None:
            self.add(path, f"'{value}' points outside the repository", "give a path inside the repository", "file")
            return
        if not target.is_file():
            self.add(path, f"the file '{value}' does not exist", "check the path; it is relative to the repository "
                                                                  "root, where publiccode.yml lives", "file")
            return
        if kind == "authorsFile":
            return
        if suffix in (".png", ".jpg", ".jpeg"):
            reason = image_problem(target)
            if reason:
                self.add(path, f"'{value}' is not a valid image: {reason}", "export the image again", "file")

    # the document
    def run(self) -> None:
        data = self.doc.data
        if not isinstance(data, dict):
            self.add((), "a publiccode.yml must be a mapping of keys (publiccodeYmlVersion:, name:, …)",
                     f"see {STANDARD}", "type")
            return
        version = data.get("publiccodeYmlVersion")
        if version is None:
            self.add(("publiccodeYmlVersion",), "is required", "add publiccodeYmlVersion: \"0\" as the first line",
                     "required", at_key=True)
            return
        if isinstance(version, (list, dict)):
            self.add(("publiccodeYmlVersion",), f"must be text, not {_describe(version)}",
                     "write publiccodeYmlVersion: \"0\"", "type")
            return
        text = self.text(("publiccodeYmlVersion",), version)
        if text not in SUPPORTED_VERSIONS:
            hint = ("there was never a 0.6 release of the standard; write \"0\"" if text in ("0.6", "0.6.0")
                    else "write publiccodeYmlVersion: \"0\" (major version 0, read with the 0.7 rules)")
            self.add(("publiccodeYmlVersion",), f"unsupported version '{text}'; supported: "
                     + ", ".join(SUPPORTED_VERSIONS), hint, "version")
            return
        self.version = text
        if text not in ("0", "0.7", "0.7.0"):
            self.warn(("publiccodeYmlVersion",), f"{text} is not the latest version; the file is read with the "
                      f"{LATEST} rules", "write publiccodeYmlVersion: \"0\"", "version")
        self.top(data)

    def top(self, d: dict) -> None:
        allowed = ("publiccodeYmlVersion", "name", "applicationSuite", "url", "landingURL", "isBasedOn",
                   "softwareVersion", "releaseDate", "logo", "monochromeLogo", "organisation", "inputTypes",
                   "outputTypes", "platforms", "categories", "usedBy", "fundedBy", "roadmap", "developmentStatus",
                   "softwareType", "supports", "intendedAudience", "description", "legal", "maintenance",
                   "localisation", "dependsOn", "IT", "it")
        self.mapping((), d, allowed, deprecated={
            "monochromeLogo": "is deprecated since 0.3; use 'logo'",
            "inputTypes": "is deprecated since 0.3; it is safe to remove it",
            "outputTypes": "is deprecated since 0.3; it is safe to remove it",
            "IT": "country-specific sections are deprecated since 0.7; use 'supports' and 'organisation.uri'",
            "it": "lower-case country sections are deprecated; country sections as a whole are deprecated since "
                  "0.7 (use 'supports' and 'organisation.uri')",
        })
        self.text(("name",), d.get("name"), required=True)
        self.text(("applicationSuite",), d.get("applicationSuite"))
        url = self.text(("url",), d.get("url"), required=True)
        if url:
            self.check_url(("url",), url, http=False)
        for key in ("landingURL", "roadmap"):
            value = self.text((key,), d.get(key))
            if value:
                self.check_url((key,), value, http=True)
        based = self.sequence(("isBasedOn",), d.get("isBasedOn"), scalar_ok=True)
        if based is not None:
            for i, item in enumerate(based):
                where = ("isBasedOn", i) if isinstance(d.get("isBasedOn"), list) else ("isBasedOn",)
                value = self.text(where, item, required=True)
                if value and url_problem(value, http=False):
                    line, col = self.doc.position(where)
                    self.findings.append(Finding(self.doc.relpath, line, col,
                                                 f"isBasedOn[{i}]: '{value}' is not a valid URL",
                                                 "give the URL of the repository this software is based on",
                                                 "publiccode.url", key=f"isBasedOn[{i}]"))
        self.text(("softwareVersion",), d.get("softwareVersion"))
        release = self.text(("releaseDate",), d.get("releaseDate"))
        if release:
            self.check_date(("releaseDate",), release)
        logo = self.text(("logo",), d.get("logo"))
        if logo:
            self.check_file(("logo",), logo, "logo")
        mono = self.text(("monochromeLogo",), d.get("monochromeLogo"))
        if mono:
            self.check_file(("monochromeLogo",), mono, "monochromeLogo")
        org = self.mapping(("organisation",), d.get("organisation"), ("name", "uri"))
        if org is not None:
            self.text(("organisation", "name"), org.get("name"))
            uri = self.text(("organisation", "uri"), org.get("uri"), required=True)
            if uri:
                self.check_uri(("organisation", "uri"), uri)
        for key in ("inputTypes", "outputTypes"):
            self.text_list((key,), d.get(key), check=self._mime)
        self.text_list(("platforms",), d.get("platforms"), required=True, min_items=1)
        self.text_list(("categories",), d.get("categories"),
                       check=lambda p, v: self.check_enum(p, v, CATEGORIES, "category",
                                                          "https://yml.publiccode.tools/categories-list.html"))
        self.text_list(("usedBy",), d.get("usedBy"))
        funders = self.sequence(("fundedBy",), d.get("fundedBy"))
        for i, funder in enumerate(funders or []):
            where = ("fundedBy", i)
            item = self.mapping(where, funder, ("name", "uri"), required=True)
            if item is not None:
                self.text(where + ("name",), item.get("name"))
                uri = self.text(where + ("uri",), item.get("uri"), required=True)
                if uri:
                    self.check_uri(where + ("uri",), uri)
        status = self.text(("developmentStatus",), d.get("developmentStatus"), required=True)
        if status:
            self.check_enum(("developmentStatus",), status, DEVELOPMENT_STATUSES, "development status")
        kind = self.text(("softwareType",), d.get("softwareType"), required=True)
        if kind:
            self.check_enum(("softwareType",), kind, SOFTWARE_TYPES, "software type")
        supports = self.sequence(("supports",), d.get("supports"))
        for i, item in enumerate(supports or []):
            where = ("supports", i)
            entry = self.mapping(where, item, ("id",), required=True)
            if entry is not None:
                ident = self.text(where + ("id",), entry.get("id"), required=True)
                if ident:
                    self._support(where + ("id",), ident)
        self.audience(d.get("intendedAudience"))
        self.descriptions(d.get("description"))
        self.legal(d.get("legal"))
        self.maintenance(d.get("maintenance"))
        self.localisation(d.get("localisation"))
        self.depends(d.get("dependsOn"))
        if "IT" in d and "it" in d:
            self.add(("it",), "both 'IT' and 'it' are given", "keep only 'IT'", "duplicate", at_key=True)
        for key in ("IT", "it"):
            if key in d:
                self.italy((key,), d[key])

    def _mime(self, path, value):
        if not _MIME.match(value):
            self.add(path, f"'{value}' is not a MIME type", "e.g. text/csv", "mime")

    def _support(self, path, ident):
        if ident.lower().startswith("alias:"):
            name = ident.split(":", 1)[1]
            if name not in SUPPORT_ALIASES:
                close = difflib.get_close_matches(name, list(SUPPORT_ALIASES), n=1, cutoff=0.6)
                self.add(path, f"'{ident}' is not a known alias",
                         (f"did you mean 'alias:{close[0]}'? " if close else "") + "known aliases: "
                         + ", ".join(f"alias:{a}" for a in SUPPORT_ALIASES) + "; or give a URI", "alias")
        elif uri_problem(ident):
            self.add(path, f"'{ident}' is neither alias:<name> nor a URI", "e.g. alias:gdpr or "
                     "https://eur-lex.europa.eu/eli/reg/2016/679/oj", "uri")

    def audience(self, value) -> None:
        where = ("intendedAudience",)
        audience = self.mapping(where, value, ("scope", "countries", "unsupportedCountries"))
        if audience is None:
            return
        self.text_list(where + ("scope",), audience.get("scope"),
                       check=lambda p, v: self.check_enum(p, v, SCOPES, "scope",
                                                          "https://yml.publiccode.tools/scope-list.html"))
        for key in ("countries", "unsupportedCountries"):
            self.text_list(where + (key,), audience.get(key), check=self.check_country)

    def descriptions(self, value) -> None:
        where = ("description",)
        if value is None:
            self.add(where, "is required", "add description: with at least one language, e.g. en:", "required",
                     at_key=True)
            return
        if not isinstance(value, dict):
            self.add(where, f"must be a mapping from language to text, not {_describe(value)}",
                     "e.g. description:\\n  en:\\n    shortDescription: …", "type")
            return
        if not value:
            self.add(where, "must have at least one language", "add e.g. en: with shortDescription, "
                     "longDescription and features", "empty", at_key=True)
        keys = ("localisedName", "genericName", "shortDescription", "longDescription", "documentation",
                "apiDocumentation", "features", "screenshots", "videos", "awards")
        for lang, desc in value.items():
            path = where + (lang,)
            self.check_language(path, lang, at_key=True)
            block = self.mapping(path, desc, keys, required=True,
                                 deprecated={"genericName": "is deprecated since 0.3; it is safe to remove it"})
            if block is None:
                continue
            self.text(path + ("localisedName",), block.get("localisedName"))
            generic = self.text(path + ("genericName",), block.get("genericName"))
            if generic:
                self.check_length(path + ("genericName",), generic, maximum=35)
            short = self.text(path + ("shortDescription",), block.get("shortDescription"), required=True)
            if short:
                self.check_length(path + ("shortDescription",), short, maximum=150)
            long = self.text(path + ("longDescription",), block.get("longDescription"), required=True)
            if long:
                self.check_length(path + ("longDescription",), long, minimum=150, maximum=10000)
            for key in ("documentation", "apiDocumentation"):
                url = self.text(path + (key,), block.get(key))
                if url:
                    self.check_url(path + (key,), url, http=True)
            self.text_list(path + ("features",), block.get("features"), required=True, min_items=1)
            self.text_list(path + ("screenshots",), block.get("screenshots"),
                           check=lambda p, v: self.check_file(p, v, "screenshot"))
            self.text_list(path + ("videos",), block.get("videos"), check=lambda p, v: self.check_url(p, v, http=True))
            self.text_list(path + ("awards",), block.get("awards"))

    def legal(self, value) -> None:
        where = ("legal",)
        legal = self.mapping(where, value, ("license", "mainCopyrightOwner", "repoOwner", "authorsFile"),
                             required=True, deprecated={
                                 "repoOwner": "is deprecated since 0.5; use 'organisation.name'",
                                 "authorsFile": "is deprecated since 0.4; it is safe to remove it"})
        if legal is None:
            return
        licence = self.text(where + ("license",), legal.get("license"), required=True)
        if licence:
            self.check_licence(where + ("license",), licence)
        self.text(where + ("mainCopyrightOwner",), legal.get("mainCopyrightOwner"))
        self.text(where + ("repoOwner",), legal.get("repoOwner"))
        authors = self.text(where + ("authorsFile",), legal.get("authorsFile"))
        if authors:
            self.check_file(where + ("authorsFile",), authors, "authorsFile")

    def maintenance(self, value) -> None:
        where = ("maintenance",)
        m = self.mapping(where, value, ("type", "contractors", "contacts"), required=True)
        if m is None:
            return
        kind = self.text(where + ("type",), m.get("type"), required=True)
        if kind:
            self.check_enum(where + ("type",), kind, MAINTENANCE_TYPES, "maintenance type")
        contractors = self.sequence(where + ("contractors",), m.get("contractors"))
        for i, item in enumerate(contractors or []):
            path = where + ("contractors", i)
            c = self.mapping(path, item, ("name", "email", "website", "until"), required=True)
            if c is None:
                continue
            self.text(path + ("name",), c.get("name"), required=True)
            email = self.text(path + ("email",), c.get("email"))
            if email:
                self.check_email(path + ("email",), email)
            website = self.text(path + ("website",), c.get("website"))
            if website:
                self.check_url(path + ("website",), website, http=True)
            until = self.text(path + ("until",), c.get("until"), required=True)
            if until:
                self.check_date(path + ("until",), until)
        contacts = self.sequence(where + ("contacts",), m.get("contacts"))
        for i, item in enumerate(contacts or []):
            path = where + ("contacts", i)
            c = self.mapping(path, item, ("name", "email", "phone", "affiliation"), required=True)
            if c is None:
                continue
            self.text(path + ("name",), c.get("name"), required=True)
            email = self.text(path + ("email",), c.get("email"))
            if email:
                self.check_email(path + ("email",), email)
            self.text(path + ("phone",), c.get("phone"))
            self.text(path + ("affiliation",), c.get("affiliation"))
        if kind == "contract" and not contractors and "contractors" not in m:
            self.add(where + ("contractors",), 'is required when "type" is "contract"',
                     "list who maintains the software under contract, with 'until:' dates", "required", at_key=True)
        if kind in MAINTENANCE_TYPES and kind != "contract" and m.get("contractors") is not None:
            self.add(where + ("contractors",), f'must not be present unless "type" is "contract" (it is "{kind}")',
                     "remove contractors:, or set type: contract", "excluded", at_key=True)
        if kind in ("internal", "community") and not contacts and "contacts" not in m:
            self.add(where + ("contacts",), f'is required when "type" is "{kind}"',
                     "list at least one contact with a name", "required", at_key=True)

    def localisation(self, value) -> None:
        where = ("localisation",)
        loc = self.mapping(where, value, ("localisationReady", "availableLanguages"), required=True)
        if loc is None:
            return
        self.boolean(where + ("localisationReady",), loc.get("localisationReady"), required=True)
        self.text_list(where + ("availableLanguages",), loc.get("availableLanguages"), check=self.check_language,
                       required=True, min_items=1)

    def depends(self, value) -> None:
        where = ("dependsOn",)
        deps = self.mapping(where, value, ("open", "proprietary", "hardware"))
        if deps is None:
            return
        for group in ("open", "proprietary", "hardware"):
            items = self.sequence(where + (group,), deps.get(group))
            for i, item in enumerate(items or []):
                path = where + (group, i)
                dep = self.mapping(path, item, ("name", "versionMin", "versionMax", "version", "optional"),
                                   required=True)
                if dep is None:
                    continue
                self.text(path + ("name",), dep.get("name"), required=True)
                for key in ("versionMin", "versionMax", "version"):
                    self.text(path + (key,), dep.get(key))
                self.boolean(path + ("optional",), dep.get("optional"))

    def italy(self, where: tuple, value) -> None:
        it = self.mapping(where, value, ("countryExtensionVersion", "conforme", "riuso", "piattaforme"),
                          deprecated={"conforme": "is deprecated; it is safe to remove it"})
        if it is None:
            return
        version = self.text(where + ("countryExtensionVersion",), it.get("countryExtensionVersion"))
        if version:
            self.check_enum(where + ("countryExtensionVersion",), version, ("0.2", "1.0"),
                            "country extension version")
        conforme = self.mapping(where + ("conforme",), it.get("conforme"),
                                ("lineeGuidaDesign", "modelloInteroperabilita", "misureMinimeSicurezza", "gdpr"))
        for key in (conforme or {}):
            self.boolean(where + ("conforme", key), conforme[key])
        riuso = self.mapping(where + ("riuso",), it.get("riuso"), ("codiceIPA",))
        if riuso is not None:
            code = self.text(where + ("riuso", "codiceIPA"), riuso.get("codiceIPA"))
            if code:
                if _IPA_CODE.match(code):
                    self.warn(where + ("riuso", "codiceIPA"), "is deprecated; use organisation.uri: "
                              f"urn:x-italian-pa:{code}")
                else:
                    self.add(where + ("riuso", "codiceIPA"), f"'{code}' is not an iPA code",
                             "copy the code from indicepa.gov.it", "ipa")
        platforms = self.mapping(where + ("piattaforme",), it.get("piattaforme"),
                                 ("spid", "pagopa", "cie", "anpr", "io"))
        for key in (platforms or {}):
            self.boolean(where + ("piattaforme", key), platforms[key])


# --- shared value checks (also used by the importer) -------------------------------------------------

def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def url_problem(value: str, http: bool) -> str | None:
    """None when `value` is an absolute URL (with http=True: an http(s) URL with a host)."""
    if any(ch.isspace() for ch in value):
        return f"'{value}' is not a valid URL (it contains spaces)"
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return f"'{value}' is not a valid URL"
    if http:
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return f"'{value}' is not an http(s) URL"
        return None
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme or ""):
        return f"'{value}' is not a valid URL (it has no scheme such as https://)"
    if parts.netloc or parts.fragment or (parts.path and not parts.path.startswith("/")):
        return None
    return f"'{value}' is not a valid URL"


def uri_problem(value: str) -> str | None:
    parts = urllib.parse.urlsplit(value)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme or "") or any(ch.isspace() for ch in value):
        return f"'{value}' is not a valid URI"
    if parts.scheme.lower() == "urn":
        return None if _URN.match(value) else f"'{value}' is not a valid URN"
    if not (parts.netloc or parts.path):
        return f"'{value}' is not a valid URI"
    return None


def organisation_uri_problem(value: str) -> str | None:
    problem = uri_problem(value)
    if problem:
        return problem
    parts = urllib.parse.urlsplit(value)
    if parts.scheme.lower() == "urn":
        rest = value.split(":", 1)[1]
        if rest.lower().startswith("x-italian-pa:"):
            code = rest.split(":", 1)[1]
            if not _IPA_CODE.match(code):
                return f"'{value}' is not urn:x-italian-pa:<iPA code>"
        return None
    if not parts.netloc:
        return f"'{value}' is not a valid URI (a URL needs a host)"
    return None


_LICENCE_REF = re.compile(r"(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+")


@cache
def _spdx():
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def spdx_problem(expression: str) -> str | None:
    """None for a valid SPDX licence expression (LicenseRef-… ids included)."""
    cleaned = _LICENCE_REF.sub("MIT", expression)
    try:
        errors = _spdx().validate(cleaned, strict=True).errors
    except Exception as exc:  # the library raises several kinds on malformed input
        errors = [str(exc)]
    if not cleaned.strip() or errors:
        return f"'{expression}' is not an SPDX licence expression"
    return None


def resolve_inside(base: Path, relative: str) -> Path | None:
    """base/relative when it stays inside base (no '..' escape, no link leading out), else None."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or "\\" in relative or ".." in pure.parts:
        return None
    target = base / pure
    try:
        target.resolve().relative_to(base.resolve())
    except (ValueError, OSError):
        return None
    return target


def image_problem(path: Path) -> str | None:
    """None when the file decodes as a PNG or JPEG image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            fmt = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return "unknown or broken image format" if isinstance(exc, UnidentifiedImageError) else f"broken image ({exc})"
    if fmt not in ("PNG", "JPEG"):
        return f"it is a {fmt} image, not PNG or JPEG"
    return None
