"""`thingwalla check --all`: the weekly requalification of the whole catalog.

- full validation (what `thingwalla validate` does);
- evidence that expires within 60 days, or has expired (from the declarations' dates);
- entries nobody has updated for 365 days (from git history);
- with `--links`, links that do not answer (network checks: only in the weekly workflow, never in a pull
  request's check). Addresses that resolve to private, loopback or link-local networks are not fetched.

Findings other than validation errors are warnings: they ask a vendor to act, they do not break the site,
so only validation errors fail the run. The summary line still says what was found: "failed" (validation
errors), "needs action" (expired evidence or broken links: wrong today), "passed with warnings" (evidence
expiring soon, entries not updated) or "passed" (nothing found).
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import http.client
import ipaddress
import socket
import ssl
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem
from ..site.pages import EXPIRY_WARNING_DAYS as EXPIRY_DAYS  # the service page's 'expires soon'
from ..validate import ValidationResult, today, validate_repository
from .check import compliance_rows, labels_from

STALE_DAYS = 365
LINK_TIMEOUT = 15
LINK_WORKERS = 16
MAX_REDIRECTS = 5
USER_AGENT = "Thingwalla-requalification/1 (+https://github.com/thingwalla/thingwalla)"


@dataclass
class LinkResult:
    path: str
    line: int
    column: int
    field: str
    url: str
    outcome: str  # ok | broken | unverified | unreachable | refused
    detail: str


@dataclass
class RequalifyResult:
    on_date: dt.date
    files_checked: int
    problems: list[Problem] = field(default_factory=list)  # validation errors and warnings
    findings: list[Problem] = field(default_factory=list)  # expiring evidence, stale entries, broken links
    links_checked: int | None = None  # None: not run
    links_skipped_sample: int = 0
    history: bool = True  # False when there is no git history to date entries by

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def passed(self) -> bool:
        return self.errors == 0

    @property
    def status(self) -> str:
        """failed | needs action | passed with warnings | passed (see the module docstring)."""
        if not self.passed:
            return "failed"
        if self.of("requalify.expired") or self.of("requalify.link"):
            return "needs action"
        return "passed with warnings" if self.findings else "passed"

    def of(self, code: str) -> list[Problem]:
        return [p for p in self.findings if p.code == code]


def run_requalify(root: Path, on_date: dt.date | None = None, links: bool = False, fetch=None) -> RequalifyResult:
    on_date = on_date or today()
    validation = validate_repository(root, on_date=on_date)
    result = RequalifyResult(on_date, validation.files_checked, list(validation.problems))
    result.findings += _evidence(validation, on_date)
    dates = last_changes(root)
    if dates is None:
        result.history = False
    else:
        result.findings += _stale(validation, dates, on_date)
    if links:
        targets, skipped = _links(validation)
        result.links_skipped_sample = skipped
        result.links_checked = len({t[4] for t in targets})
        result.findings += _link_problems(check_links(targets, fetch or fetch_status))
    result.findings.sort()
    return result


def _evidence(validation: ValidationResult, on_date: dt.date) -> list[Problem]:
    labels = labels_from([d.data for d in validation.documents.get("regulations", [])])
    found = []
    for doc in validation.documents.get("service", []):
        for i, row in enumerate(compliance_rows(doc.data, labels, on_date)):
            if row.state not in ("expiring", "expired"):
                continue
            line, col = doc.position(("compliance", i, "expires"))
            if row.state == "expired":
                message = f"the {row.noun} for {row.name} expired on {row.expires}"
            else:
                message = f"the {row.noun} for {row.name} expires on {row.expires}, in {row.days_left} days"
            found.append(Problem(doc.relpath, line, col, message,
                                 "upload the renewed evidence and update 'issued', 'expires' and 'evidence_url'",
                                 f"requalify.{row.state}", "warning"))
    return found


def last_changes(root: Path) -> dict[str, dt.date] | None:
    """The date of the last commit that touched each file under catalog/, or None without git history."""
    try:
        import git

        repo = git.Repo(root)
        out = repo.git.log("--format=@@%cs", "--name-only", "--no-renames", "--", "catalog/")
    except Exception:  # not a repository, or no commits yet
        return None
    dates: dict[str, dt.date] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("@@"):
            current = dt.date.fromisoformat(line[2:])
        elif line and current is not None and line not in dates:
            dates[line] = current
    return dates


def _stale(validation: ValidationResult, dates: dict[str, dt.date], on_date: dt.date) -> list[Problem]:
    latest: dict[str, dt.date] = {}
    for path, date in dates.items():
        parts = path.split("/")
        key = "/".join(parts[:3]) + "/service.yaml" if parts[1:2] == ["services"] and len(parts) >= 4 else path
        if key not in latest or date > latest[key]:
            latest[key] = date
    found = []
    for kind in ("service", "vendor", "buyer"):
        for doc in validation.documents.get(kind, []):
            last = latest.get(doc.relpath)
            if last is None or (on_date - last).days < STALE_DAYS:
                continue
            found.append(Problem(doc.relpath, 1, 1, f"the {kind} has not been updated since {last.isoformat()} "
                                 f"({(on_date - last).days} days)",
                                 "check that everything still holds (prices, hosting, sub-processors, evidence) and "
                                 "commit the review, even if only a date changes", "requalify.stale", "warning"))
    return found


# -- links --------------------------------------------------------------------------------------------

def _links(validation: ValidationResult) -> tuple[list[tuple], int]:
    targets, skipped = [], 0
    for kind in ("service", "vendor", "buyer"):
        for doc in validation.documents.get(kind, []):
            found = []
            data = doc.data
            if kind == "service":
                found += [(("links", k), v) for k, v in data.get("links", {}).items()]
                found += [(("apis", i, "url"), a["url"]) for i, a in enumerate(data.get("apis", []))]
                found += [(("compliance", i, "evidence_url"), c["evidence_url"])
                          for i, c in enumerate(data.get("compliance", [])) if c.get("evidence_url")]
            elif data.get("website"):
                found.append((("website",), data["website"]))
            found = [(where, url) for where, url in found if isinstance(url, str) and url.startswith("https://")]
            if data.get("sample"):
                skipped += len(found)
                continue
            for where, url in found:
                line, col = doc.position(where)
                targets.append((doc.relpath, line, col, ".".join(str(p) for p in where), url))
    return targets, skipped


def check_links(targets: list[tuple], fetch) -> list[LinkResult]:
    urls = sorted({t[4] for t in targets})
    with concurrent.futures.ThreadPoolExecutor(LINK_WORKERS) as pool:
        outcomes = dict(zip(urls, pool.map(fetch, urls)))
    return [LinkResult(path, line, col, where, url, *outcomes[url]) for path, line, col, where, url in targets]


def _link_problems(results: list[LinkResult]) -> list[Problem]:
    found = []
    for r in results:
        if r.outcome in ("ok", "unverified"):
            continue
        found.append(Problem(r.path, r.line, r.column, f"the link {r.field} does not work: {r.url} ({r.detail})",
                             "fix the address, or remove the link if the page is gone", "requalify.link", "warning"))
    return found


def public_address(host: str, port: int) -> tuple[str | None, str]:
    """(an address to connect to, "") when every address of `host` is public; else (None, why not)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return None, f"the name does not resolve ({exc})"
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global:
            return None, f"refused: {host} resolves to a non-public address ({ip})"
    return (addresses[0], "") if addresses else (None, "the name does not resolve")


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the address that was checked, not to whatever the name resolves to a moment later."""

    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch_status(url: str) -> tuple[str, str]:
    """(outcome, detail) for one https address: HEAD, then GET when HEAD is not allowed; redirects followed."""
    context = ssl.create_default_context()
    for _ in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            return "broken", f"redirects to a non-https address: {url}"
        port = parts.port or 443
        address, why = public_address(parts.hostname, port)
        if address is None:
            return ("refused" if why.startswith("refused") else "unreachable"), why
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        status, location = None, None
        for method in ("HEAD", "GET"):
            conn = _PinnedHTTPS(parts.hostname, address, port=port, timeout=LINK_TIMEOUT, context=context)
            try:
                conn.request(method, target, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
                response = conn.getresponse()
                status, location = response.status, response.getheader("Location")
            except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
                return "unreachable", f"{type(exc).__name__}: {exc}"
            finally:
                conn.close()
            if status not in (405, 501):
                break
        if status in (301, 302, 303, 307, 308) and location:
            url = urllib.parse.urljoin(url, location)
            continue
        if status is not None and status < 400:
            return "ok", f"HTTP {status}"
        if status in (401, 403, 429):
            return "unverified", f"HTTP {status}: the site refuses automated checks"
        return "broken", f"HTTP {status}"
    return "broken", "too many redirects"


# -- the report ---------------------------------------------------------------------------------------

STATUS_ICONS = {"failed": "❌", "needs action": "⚠️", "passed with warnings": "⚠️", "passed": "✅"}
SECTIONS = (
    ("requalify.expired", "Utløpt dokumentasjon / Expired evidence"),
    ("requalify.expiring", f"Utløper innen {EXPIRY_DAYS} dager / Expires within {EXPIRY_DAYS} days"),
    ("requalify.stale", f"Ikke oppdatert på {STALE_DAYS} dager / Not updated for {STALE_DAYS} days"),
    ("requalify.link", "Lenker som ikke virker / Broken links"),
)


def headline(result: RequalifyResult) -> str:
    counts = ", ".join(f"{len(result.of(code))} {code.split('.', 1)[1]}" for code, _ in SECTIONS
                       if code != "requalify.link" or result.links_checked is not None)
    return (f"requalification {result.status}: {result.files_checked} files, "
            f"{result.errors} error(s); findings: {counts}")


def text(result: RequalifyResult) -> str:
    out = [p.as_text() for p in sorted(result.problems)]
    for code, title in SECTIONS:
        found = result.of(code)
        if found:
            out += ["", f"{title.split(' / ')[1]} ({len(found)}):"] + [p.as_text() for p in found]
    if not result.history:
        out.append("no git history: entries not updated for a long time could not be found")
    return "\n".join(out).strip() + "\n" if out else ""


def github(result: RequalifyResult) -> str:
    lines = [p.as_github() for p in sorted(result.problems) + result.findings]
    return "\n".join(lines) + ("\n" if lines else "")


def markdown(result: RequalifyResult) -> str:
    from .report import md
    from .fielddiff import code_span

    out = ["## Ukentlig kvalifisering / Weekly requalification", "",
           f"**{STATUS_ICONS[result.status]} {md(headline(result))}** ({result.on_date.isoformat()})", ""]
    groups = [("Valideringsfeil / Validation errors", [p for p in result.problems if p.severity == "error"])]
    groups += [(title, result.of(code)) for code, title in SECTIONS]
    for title, found in groups:
        if not found:
            continue
        out += [f"### {title} ({len(found)})", ""]
        for p in found[:100]:
            out.append(f"- {code_span(f'{p.path}:{p.line}:{p.column}')} — {md(p.message)}")
        if len(found) > 100:
            out.append(f"- … and {len(found) - 100} more (see the JSON report)")
        out.append("")
    if result.links_checked is None:
        out.append("Links were not checked (run with `--links`).")
    else:
        out.append(md(f"{result.links_checked} link(s) checked; {result.links_skipped_sample} link(s) of sample "
                      "entries skipped."))
    return "\n".join(out) + "\n"


def as_json(result: RequalifyResult) -> str:
    import json

    return json.dumps({
        "version": 1, "result": "pass" if result.passed else "fail", "status": result.status,
        "summary": headline(result),
        "date": result.on_date.isoformat(), "files_checked": result.files_checked, "errors": result.errors,
        "problems": [p.as_dict() for p in sorted(result.problems)],
        "findings": {code.split(".", 1)[1]: [p.as_dict() for p in result.of(code)] for code, _ in SECTIONS},
        "links_checked": result.links_checked, "history": result.history,
    }, ensure_ascii=False, indent=2) + "\n"
