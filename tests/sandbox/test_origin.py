"""The sandbox is driven only by its own pages and programs, never by a foreign web page.

A page open in the developer's browser can POST across origins (its `Origin` tells whose
it is) or reach the sandbox through a DNS name of its own that resolves to 127.0.0.1 (its
`Host` tells). Both are refused with 403 and change nothing; the sandbox's own web view,
aiogram and the test client keep working. Binding beyond loopback prints a warning.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from sandbox.app import create_app
from sandbox.config import SandboxConfig
from sandbox.origin import OwnHosts, is_loopback, same_origin, warn_if_exposed
from sandbox.testing import RunningSandbox, running_sandbox

TOKEN = "123456:origin-test"
EVIL = "https://evil.example"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def send(
    http: aiohttp.ClientSession, method: str, url: str, **headers: str
) -> tuple[int, Any]:
    body = {"type": "private", "first_name": "Незваный"} if method == "POST" else None
    async with http.request(method, url, json=body, headers=headers) as resp:
        payload = await resp.json() if resp.content_type == "application/json" else None
        return resp.status, payload


async def test_a_foreign_page_cannot_post_to_the_control_api(
    sandbox: RunningSandbox, http: aiohttp.ClientSession
) -> None:
    base = sandbox.base_url
    await sandbox.client.create_private_chat("Анна")
    status, body = await send(http, "POST", f"{base}/sandbox/reset", Origin=EVIL)
    assert (status, body["ok"]) == (403, False)
    assert "cross-origin" in body["error"]
    status, _ = await send(http, "POST", f"{base}/sandbox/chats", Origin="null")
    assert status == 403
    other_local_page = base.rsplit(":", 1)[0] + ":9"  # another server on this machine
    status, _ = await send(http, "POST", f"{base}/sandbox/chats", Origin=other_local_page)
    assert status == 403
    # nothing was reset or created
    assert [c["first_name"] for c in await sandbox.client.chats()] == ["Анна"]
    # the sandbox's own page (same origin) and programs (no Origin) are served
    status, _ = await send(http, "POST", f"{base}/sandbox/chats", Origin=base)
    assert status == 201
    status, _ = await send(http, "POST", f"{base}/sandbox/chats")
    assert status == 201


async def test_a_foreign_host_name_cannot_reach_the_control_api_or_the_web_view(
    sandbox: RunningSandbox, http: aiohttp.ClientSession
) -> None:
    """DNS rebinding: evil.example resolves to 127.0.0.1, the browser sends its name."""
    base = sandbox.base_url
    port = base.rsplit(":", 1)[1]
    for path in ("/", "/web/app.js", "/sandbox/chats"):
        status, _ = await send(http, "GET", base + path, Host=f"evil.example:{port}")
        assert status == 403, path
        for own in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost:18081"):
            status, _ = await send(http, "GET", base + path, Host=own)
            assert status == 200, (path, own)  # a published Docker port differs: still ours
    status, _ = await send(http, "POST", f"{base}/sandbox/reset", Host="rebind.evil.example")
    assert status == 403


async def test_the_bot_api_refuses_browser_pages_but_serves_programs(
    sandbox: RunningSandbox, http: aiohttp.ClientSession
) -> None:
    base = sandbox.base_url
    await sandbox.client.register_bot(TOKEN)
    async with http.post(f"{base}/bot{TOKEN}/getMe", headers={"Origin": EVIL}) as resp:
        assert resp.status == 403
    async with http.post(f"{base}/bot{TOKEN}/getMe") as resp:
        assert resp.status == 200 and (await resp.json())["ok"] is True


async def test_bound_to_every_interface_it_answers_by_address_not_by_foreign_name(
    http: aiohttp.ClientSession,
) -> None:
    """Served on loopback here, configured as bound to 0.0.0.0 (as in the Docker image)."""
    app = create_app(SandboxConfig(host="0.0.0.0"))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{runner.addresses[0][1]}"
        for host, expected in (
            ("192.0.2.10:8081", 200),
            ("[2001:db8::1]:8081", 200),
            ("localhost:8081", 200),
            ("vestnik.evil.example:8081", 403),
        ):
            status, _ = await send(http, "GET", f"{base}/sandbox/chats", Host=host)
            assert status == expected, host
    finally:
        await runner.cleanup()


async def test_allowed_host_names_are_accepted(http: aiohttp.ClientSession) -> None:
    config = SandboxConfig(allowed_hosts=("newsroom.lan",))
    async with running_sandbox(config=config) as sandbox:
        url = f"{sandbox.base_url}/sandbox/chats"
        assert (await send(http, "GET", url, Host="newsroom.lan:8081"))[0] == 200
        assert (await send(http, "GET", url, Host="other.lan:8081"))[0] == 403


def test_binding_beyond_loopback_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        assert not warn_if_exposed("127.0.0.1", 8081)
        assert not warn_if_exposed("localhost", 8081)
        assert not warn_if_exposed("::1", 8081)
        assert caplog.records == []
        assert warn_if_exposed("0.0.0.0", 8081)
        assert warn_if_exposed("192.168.1.5", 8081)
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 2
    assert warnings[0].startswith("the sandbox listens on 0.0.0.0:8081, beyond this machine")
    assert "no authentication" in warnings[0]


def test_origin_and_host_rules() -> None:
    assert same_origin("http://localhost:8081", "localhost:8081")
    assert not same_origin("http://localhost:8082", "localhost:8081")
    assert not same_origin("null", "localhost:8081")
    assert not same_origin("file://", "localhost:8081")
    assert is_loopback("127.0.0.2") and is_loopback("[::1]") and not is_loopback("0.0.0.0")
    own = OwnHosts("127.0.0.1")
    assert "localhost" in own and "127.0.0.1" in own and "evil.example" not in own
    assert "192.0.2.10" not in own  # bound to loopback: another address is not ours
    assert None not in own
