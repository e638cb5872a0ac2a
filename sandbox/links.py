"""Link targets as Telegram checks them (TDLib ``parse_url``, ``get_checked_link``).

``<a href="...">`` and ``text_link`` entities keep only what Telegram would: an http(s) URL
normalised the way TDLib does it (lower-case scheme and host, ``/`` for an empty path, spaces
and control characters percent-encoded), or a ``tg://``/``ton://``/``tonsite://`` link. Anything
else (``ftp://``, a host without a dot, a space in the host, a bad port) makes no link.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

_PLAIN_URL = re.compile(r"(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)+)([/?#][^\x00-\x20]*)?", re.ASCII)
_PROTOCOL = re.compile(r"[^:/?#@\[\]]*")
_AUTHORITY = re.compile(r"[^/?#]*")
_USER_LINK = re.compile(r"tg:(?://)?user/?\?([^#]*)")
_INT64 = re.compile(r"-?(?:0|[1-9][0-9]{0,18})")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_!$,~*'();&+=")
_HEX = frozenset("0123456789abcdef")
_IPV6_CHARS = frozenset(":0123456789abcdef.")
_TG_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_SPACES = " \t\r\n\v\0"
_INTERNAL_SCHEMES = ("tg:", "ton:", "tonsite:")
MAX_USER_ID = (1 << 40) - 1


@dataclass(frozen=True, slots=True)
class HttpUrl:
    """A parsed http(s) URL; ``query`` always starts with ``/``."""

    https: bool
    userinfo: str
    host: str
    is_ipv6: bool
    specified_port: int
    query: str

    def url(self) -> str:
        """The normalised URL, as Telegram stores it in a ``text_link``."""
        scheme = "https://" if self.https else "http://"
        userinfo = f"{self.userinfo}@" if self.userinfo else ""
        port = f":{self.specified_port}" if self.specified_port else ""
        return f"{scheme}{userinfo}{self.host}{port}{self.query}"


def _ascii_lower(text: str) -> str:
    if text.isascii():
        return text.lower()
    return "".join(char.lower() if char.isascii() else char for char in text)


def _port(authority: str) -> tuple[str, int]:
    """Split ``[userinfo@]host[:port]``: (userinfo and host, port; 0 = none, -1 = bad)."""
    colon = len(authority) - 1
    while colon > 0 and authority[colon] not in ":]@":
        colon -= 1
    if colon <= 0 or authority[colon] != ":":
        return authority, 0
    digits = authority[colon + 1 :]
    while len(digits) > 1 and digits[0] == "0":
        digits = digits[1:]
    number = int(digits) if digits.isascii() and digits.isdigit() else 0
    return authority[:colon], number if number > 0 else -1


def _host_ok(host: str, is_ipv6: bool) -> bool:
    if is_ipv6:
        inner = host[1:-1]
        return set(inner) <= _IPV6_CHARS
    i = 0
    while i < len(host):
        char = host[i]
        if char in _HOST_CHARS or ord(char) >= 128:
            i += 1
        elif char == "%" and host[i + 1 : i + 2] in _HEX and host[i + 2 : i + 3] in _HEX:
            i += 3
        else:
            return False
    return True


def _query(rest: str) -> str:
    rest = rest.rstrip(_SPACES) or "/"
    encoded = "".join(f"%{ord(c):02X}" if ord(c) <= 0x20 else c for c in rest)
    return encoded if encoded.startswith("/") else "/" + encoded


def parse_url(url: str) -> HttpUrl | None:
    """TDLib's ``parse_url`` with http as the default scheme; ``None`` when it refuses."""
    protocol = _PROTOCOL.match(url)
    assert protocol is not None
    start, https = 0, False
    if url.startswith("://", protocol.end()):
        scheme = _ascii_lower(protocol.group())
        if scheme not in ("http", "https"):
            return None
        start, https = protocol.end() + 3, scheme == "https"
    authority = _AUTHORITY.match(url, start)
    assert authority is not None
    userinfo_host, port = _port(authority.group())
    if port < 0 or port > 65535:
        return None
    userinfo, _, host = userinfo_host.rpartition("@")
    is_ipv6 = len(host) >= 2 and host[0] == "[" and host[-1] == "]"
    if is_ipv6 and not _valid_ipv6(host[1:-1]):
        return None
    if not host or host == ".":
        return None
    host = _ascii_lower(host)
    if not _host_ok(host, is_ipv6):
        return None
    return HttpUrl(https, userinfo, host, is_ipv6, port, _query(url[authority.end() :]))


def _valid_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def checked_link(link: str) -> str | None:
    """TDLib's ``get_checked_link``: the URL a ``text_link`` gets, or ``None`` for no link."""
    plain = _PLAIN_URL.fullmatch(link)
    if plain is not None:  # the common case: lower-case scheme and host, no port, no spaces
        rest = plain[3] or ""
        return link if rest.startswith("/") else f"{plain[1]}://{plain[2]}/{rest}"
    return checked_link_slowly(link)


def checked_link_slowly(link: str) -> str | None:
    """:func:`checked_link` without the fast path for plain URLs (every rule applied)."""
    lower = _ascii_lower(link[:8])
    scheme = next((s for s in _INTERNAL_SCHEMES if lower.startswith(s)), None)
    if scheme is not None:
        link = link[len(scheme) :]
        link = link[2:] if link.startswith("//") else link
    parsed = parse_url(link)
    if parsed is None:
        return None
    if scheme is None:
        if "." not in parsed.host and not parsed.is_ipv6:
            return None
        return parsed.url()
    return _internal_link(scheme[:-1], link, parsed)


def _internal_link(scheme: str, link: str, parsed: HttpUrl) -> str | None:
    if _ascii_lower(link[:7]) == "http://" or parsed.https or parsed.userinfo:
        return None
    if parsed.specified_port or parsed.is_ipv6:
        return None
    allowed = _TG_HOST_CHARS | {"."} if scheme == "tonsite" else _TG_HOST_CHARS
    if not set(parsed.host) <= allowed:
        return None
    query = parsed.query
    if len(query) > 1 and query[1] == "?":
        query = query[1:]
    return f"{scheme}://{parsed.host}{query}"


def link_user_id(url: str) -> int | None:
    """The user id of a ``tg://user?id=N`` link (TDLib ``get_link_user_id``), else ``None``."""
    match = _USER_LINK.match(_ascii_lower(url))
    if match is None:
        return None
    for parameter in match.group(1).split("&"):
        key, _, value = parameter.partition("=")
        if key == "id":
            if not _INT64.fullmatch(value) or not -(2**63) <= int(value) < 2**63:
                return None
            user_id = int(value)
            return user_id if 0 < user_id <= MAX_USER_ID else None
    return None
