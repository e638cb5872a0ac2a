"""Injected faults and latency, and the stats that count them."""

from __future__ import annotations

import time

import pytest

from sandbox.client import SandboxError
from sandbox.testing import RunningSandbox
from tests.sandbox.conftest import BotApi


async def test_next_n_calls_fail_then_recover(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    await sandbox.client.add_fault("sendMessage", count=2, error_code=502)
    for _ in range(2):
        answer = await api.fail("sendMessage", 502, chat_id=chat["id"], text="x")
        assert answer.description == "Bad Gateway"
    await api.ok("sendMessage", chat_id=chat["id"], text="x")
    await api.ok("getMe")  # other methods were never affected
    stats = (await sandbox.client.stats())["methods"]["sendMessage"]
    assert stats == {"calls": 3, "ok": 1, "errors": {"502": 2}, "rate_limited": 0, "faults": 2}
    assert len(await sandbox.client.messages(chat["id"])) == 1


async def test_injected_429_has_retry_after(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    await sandbox.client.add_fault("sendmessage", error_code=429, retry_after=7)
    answer = await api.fail("sendMessage", 429, chat_id=chat["id"], text="x")
    assert answer.description == "Too Many Requests: retry after 7"
    assert answer.body["parameters"] == {"retry_after": 7}
    assert answer.headers["Retry-After"] == "7"


async def test_custom_description_and_clear(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    await sandbox.client.add_fault(
        "sendMessage", count=5, error_code=403, description="Forbidden: user is deactivated"
    )
    answer = await api.fail("sendMessage", 403, chat_id=chat["id"], text="x")
    assert answer.description == "Forbidden: user is deactivated"
    await sandbox.client.clear_faults()
    await api.ok("sendMessage", chat_id=chat["id"], text="x")


async def test_latency_applies_to_every_call(sandbox: RunningSandbox, api: BotApi) -> None:
    await sandbox.client.add_latency(60)
    started = time.monotonic()
    await api.ok("getMe")
    assert time.monotonic() - started >= 0.06
    await sandbox.client.clear_faults()
    assert await sandbox.client.request("GET", "faults") == []


async def test_bad_fault_is_refused(sandbox: RunningSandbox) -> None:
    with pytest.raises(SandboxError) as caught:
        await sandbox.client.add_fault("sendMessage", error_code=418)
    assert caught.value.status == 400


async def test_stats_count_messages_per_chat(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    for _ in range(3):
        await api.ok("sendMessage", chat_id=chat["id"], text="x")
    await api.fail("sendMessage", 400, chat_id=chat["id"], text="")
    stats = await sandbox.client.stats()
    assert stats["messages_per_chat"] == {str(chat["id"]): 3}
    assert stats["methods"]["sendMessage"]["errors"] == {"400": 1}
