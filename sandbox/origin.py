"""Only the sandbox's own pages may drive it: foreign `Origin` and `Host` are refused.

The sandbox has no authentication (a local tool), so any web page open in the developer's
browser could otherwise POST to its control API or reset it (a cross-origin request), or
reach it through a DNS name of its own that resolves to 127.0.0.1 (DNS rebinding).

- A request carrying an `Origin` header (browsers send one with every cross-origin request
  and every POST) must come from the very origin it is sent to: `http://<Host>`. A foreign
  page, another local server's page and the opaque `null` origin are refused with 403.
  Programs (aiogram, the test client, curl) send no `Origin` and are not affected.
- The control API (`/sandbox/…`) and the web view (`/`, `/web/…`) also need a `Host` that
  names the sandbox: `localhost`, a loopback address, the address it is bound to, a name
  given with `--allow-host`, or (when bound to every interface) any IP address — never a
  foreign DNS name. The port is not compared, so a published Docker port still works.

Binding to anything but loopback exposes the sandbox to the network: `warn_if_exposed`
says so once at start.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web
from aiohttp.typedefs import Middleware
from yarl import URL

log = logging.getLogger("sandbox")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
WILDCARDS = frozenset({"", "0.0.0.0", "::", "*"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the sandbox on this machine."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def warn_if_exposed(host: str, port: int) -> bool:
    """Log a warning when the sandbox listens beyond loopback; True when it did."""
    if is_loopback(host):
        return False
    log.warning(
        "the sandbox listens on %s:%s, beyond this machine: it has no authentication, so "
        "anyone who can reach that address can read every chat and drive the bot; bind it "
        "to 127.0.0.1 unless you mean that",
        host or "*",
        port,
    )
    return True


class OwnHosts:
    """Which `Host` names are the sandbox's own, for a server bound to `bound`."""

    def __init__(self, bound: str, extra: Iterable[str] = ()) -> None:
        self.wildcard = bound.strip().strip("[]") in WILDCARDS
        names = {*LOOPBACK_NAMES, bound.strip().strip("[]").lower(), *map(str.lower, extra)}
        self.names = frozenset(n for n in names if n)

    def __contains__(self, host: str | None) -> bool:
        if not host:
            return False
        name = host.lower().rstrip(".")
        if name in self.names or is_loopback(name):
            return True
        if not self.wildcard:
            return False
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True  # reached by an address of this machine: no DNS name to rebind


def same_origin(origin: str, host: str) -> bool:
    """Whether the `Origin` header names the origin the request was sent to (`host`)."""
    try:
        source = URL(origin)
        target = URL(f"http://{host}")
    except ValueError:
        return False
    if source.scheme not in ("http", "https") or not source.host:
        return False
    return (source.host, source.port) == (target.host, target.port)


def _guarded(path: str) -> bool:
    """The control API and the web view (the Bot API is for programs, checked by Origin)."""
    return path == "/" or path.startswith(("/sandbox/", "/web/")) or path == "/sandbox"


def _refuse(request: web.Request, why: str) -> web.Response:
    log.warning("refused %s %s: %s", request.method, request.path, why)
    return web.json_response({"ok": False, "error": why}, status=403)


def origin_guard(own: OwnHosts) -> Middleware:
    """The middleware that refuses foreign origins and hosts (see the module's docstring)."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        header_host = request.headers.get("Host", "")
        origin = request.headers.get("Origin")
        if origin is not None and not same_origin(origin, header_host):
            return _refuse(request, f"cross-origin request from {origin[:100]!r}")
        if _guarded(request.path) and _host_name(header_host) not in own:
            return _refuse(request, f"Host {header_host[:100]!r} is not this sandbox")
        return await handler(request)

    return guard


def _host_name(header: str) -> str | None:
    """The name in a `Host` header (`[::1]:8081` -> `::1`), None if it is not one."""
    try:
        return URL(f"http://{header}").host if header else None
    except ValueError:
        return None
