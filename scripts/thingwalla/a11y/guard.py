"""Refuse URLs a browser must not be pointed at, before any browser starts (SSRF guard).

    from thingwalla.a11y.guard import check_url, UnsafeUrl
    check_url("https://demo.example.no/")           # returns the URL, or raises UnsafeUrl with the reason

Only http(s) URLs with a host are accepted, and every address the host resolves to must be a public
(global) one: loopback, private, link-local (which holds the cloud metadata address 169.254.169.254),
shared, multicast, reserved and unspecified addresses are refused, as are IPv4 addresses mapped into
IPv6 that are any of those. `allow_private=True` (the CLI's --allow-private, for tests on 127.0.0.1)
skips the address check but not the scheme check.

Known limit: the browser resolves the host again, and may follow redirects or load sub-resources
elsewhere; the guard decides what is requested, not everything a page loads.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

# Cloud metadata services, named in messages (most are link-local or private anyway).
METADATA = {"169.254.169.254": "cloud metadata service", "fd00:ec2::254": "cloud metadata service (AWS IPv6)",
            "100.100.100.200": "cloud metadata service (Alibaba)", "169.254.170.2": "container credentials service"}


class UnsafeUrl(ValueError):
    pass


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why this address is refused, or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return _kind(ip.ipv4_mapped)
    if str(ip) in METADATA:
        return METADATA[str(ip)]
    for test, name in ((ip.is_loopback, "loopback"), (ip.is_link_local, "link-local"),
                       (ip.is_unspecified, "unspecified"), (ip.is_multicast, "multicast"),
                       (ip.is_private, "private"), (ip.is_reserved, "reserved")):
        if test:
            return name
    return None if ip.is_global else "non-public"


def resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def check_url(url: str, allow_private: bool = False, resolver=resolve) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(f"{url}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        scheme = f"'{parts.scheme}:'" if parts.scheme else "no scheme"
        raise UnsafeUrl(f"{url}: only http:// and https:// URLs can be checked ({scheme} given)")
    host = parts.hostname
    if not host:
        raise UnsafeUrl(f"{url}: the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl(f"{url}: URLs with a user name or password are not checked")
    if allow_private:
        return url
    try:
        addresses = resolver(host, port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError) as exc:
        raise UnsafeUrl(f"{url}: the host {host} cannot be resolved ({getattr(exc, 'strerror', None) or exc})") from None
    if not addresses:
        raise UnsafeUrl(f"{url}: the host {host} has no address")
    for address in addresses:
        kind = _kind(ipaddress.ip_address(address.split("%")[0]))
        if kind:
            via = "" if address == host.strip("[]") else f" ({host} resolves to {address})"
            raise UnsafeUrl(f"{url}: refused, {kind} address{via}; only public addresses are checked "
                            "(--allow-private is for tests on this machine)")
    return url
