"""Fetch each URL once before the browser does: pa11y counts an HTTP error page as a pass, so we check status.

Redirects are followed by hand (at most 5), and every hop goes through the SSRF guard again.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin

from .guard import UnsafeUrl, check_url

MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int | None  # final HTTP status; None when no answer came
    final_url: str
    problem: str = ""  # why the page cannot be checked, or ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, allow_private: bool = False, timeout: float = 30.0) -> Fetched:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        request = urllib.request.Request(current, headers={"User-Agent": "thingwalla-a11y"})
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                response.read(1)
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
            location = exc.headers.get("Location") if 300 <= exc.code < 400 else None
            if location:
                try:
                    current = check_url(urljoin(current, location), allow_private)
                except UnsafeUrl as refused:
                    return Fetched(url, status, current, f"redirect refused: {refused}")
                continue
            return Fetched(url, status, current, f"HTTP {status}: the page answers with an error")
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            return Fetched(url, None, current, f"no answer: {reason}")
        return Fetched(url, status, current)
    return Fetched(url, None, current, f"more than {MAX_REDIRECTS} redirects")


def fetch_all(urls: list[str], allow_private: bool = False, workers: int = 8, timeout: float = 30.0) -> list[Fetched]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda u: fetch(u, allow_private, timeout), urls))
