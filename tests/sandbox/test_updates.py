"""Updates: getUpdates offsets and long polling, the 409 conflicts, webhook delivery."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from sandbox.config import LimitsConfig, SandboxConfig
from sandbox.testing import RunningSandbox, running_sandbox
from tests.sandbox.conftest import BotApi, open_api, until

POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


async def test_offset_confirms_and_limit_caps(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    for text in ("/start", "раз", "два"):
        await sandbox.client.send_user_message(chat["id"], text)
    updates = await api.ok("getUpdates", limit=2)
    assert [u["message"]["text"] for u in updates] == ["/start", "раз"]
    assert updates[0]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    first_id = updates[0]["update_id"]
    rest = await api.ok("getUpdates", offset=first_id + 1)
    assert [u["message"]["text"] for u in rest] == ["раз", "два"]
    assert await api.ok("getUpdates", offset=rest[-1]["update_id"] + 1) == []


async def test_long_poll_wakes_on_new_update(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    started = time.monotonic()
    poll = asyncio.create_task(api.ok("getUpdates", timeout=20))
    await until(lambda: sandbox.state.default_bot().polling)
    await sandbox.client.send_user_message(chat["id"], "привет")
    updates = await poll
    assert [u["message"]["text"] for u in updates] == ["привет"]
    assert time.monotonic() - started < 10


async def test_second_poller_gets_409(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    first = asyncio.create_task(api.ok("getUpdates", timeout=20))
    await until(lambda: sandbox.state.default_bot().polling)
    answer = await api.fail("getUpdates", 409, timeout=1)
    assert answer.description == POLL_CONFLICT
    await sandbox.client.send_user_message(chat["id"], "x")
    assert len(await first) == 1


async def test_get_updates_refused_while_webhook_set(sandbox: RunningSandbox, api: BotApi) -> None:
    await api.ok("setWebhook", url="http://127.0.0.1:9/hook")
    answer = await api.fail("getUpdates", 409)
    assert answer.description.startswith("Conflict: can't use getUpdates method while webhook")
    await api.ok("deleteWebhook")
    assert await api.ok("getUpdates") == []


async def test_allowed_updates_filter(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    await api.ok("getUpdates", allowed_updates=["callback_query"])
    await sandbox.client.send_user_message(chat["id"], "не дойдёт")
    assert await api.ok("getUpdates") == []
    await api.ok("getUpdates", allowed_updates=[])
    await sandbox.client.send_user_message(chat["id"], "дойдёт")
    assert [u["message"]["text"] for u in await api.ok("getUpdates")] == ["дойдёт"]


async def test_allowed_updates_spare_updates_queued_before_the_call(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    # Telegram: the parameter "doesn't affect updates created before the call".
    chat = await sandbox.client.create_private_chat("Ира")
    await sandbox.client.send_user_message(chat["id"], "до смены фильтра")
    updates = await api.ok("getUpdates", allowed_updates=["callback_query"])
    assert [u["message"]["text"] for u in updates] == ["до смены фильтра"]
    await sandbox.client.send_user_message(chat["id"], "после")
    assert await api.ok("getUpdates", offset=updates[-1]["update_id"] + 1) == []


async def test_refused_second_poller_leaves_the_filter_alone(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    first = asyncio.create_task(api.ok("getUpdates", timeout=20))
    await until(lambda: sandbox.state.default_bot().polling)
    answer = await api.fail("getUpdates", 409, timeout=1, allowed_updates=["callback_query"])
    assert answer.description == POLL_CONFLICT
    assert sandbox.state.default_bot().allowed is None
    await sandbox.client.send_user_message(chat["id"], "первому")
    assert [u["message"]["text"] for u in await first] == ["первому"]


@dataclass
class Receiver:
    """A tiny webhook endpoint that records what it got."""

    status: int = 200
    reply: dict[str, Any] | None = None
    calls: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    got: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append((dict(request.headers), await request.json()))
        self.got.set()
        if self.reply is not None and self.status == 200:
            return web.json_response(self.reply)
        return web.Response(status=self.status)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield hook
    await runner.cleanup()


async def test_webhook_delivery_with_secret(
    sandbox: RunningSandbox, api: BotApi, receiver: Receiver
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    await api.ok("setWebhook", url=receiver.url, secret_token="s3cret")
    await sandbox.client.send_user_message(chat["id"], "/start")
    await asyncio.wait_for(receiver.got.wait(), 5)
    headers, update = receiver.calls[0]
    assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
    assert update["message"]["text"] == "/start"
    await until(lambda: not sandbox.state.default_bot().updates)
    info = await api.ok("getWebhookInfo")
    assert info["url"] == receiver.url and info["pending_update_count"] == 0


async def test_webhook_reply_runs_the_method(
    sandbox: RunningSandbox, api: BotApi, receiver: Receiver
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    receiver.reply = {"method": "sendMessage", "chat_id": chat["id"], "text": "Ответ"}
    await api.ok("setWebhook", url=receiver.url)
    await sandbox.client.send_user_message(chat["id"], "вопрос")
    answer = await sandbox.client.wait_for_message(chat["id"])
    assert answer["text"] == "Ответ"


async def test_failed_webhook_keeps_update_and_reports_error(
    bot_token: str, receiver: Receiver
) -> None:
    config = SandboxConfig(limits=LimitsConfig(enabled=False), webhook_retry_delay=0.01)
    receiver.status = 500
    async with (
        running_sandbox(config=config, bot_token=bot_token) as sandbox,
        open_api(sandbox, bot_token) as api,
    ):
        chat = await sandbox.client.create_private_chat("Ира")
        await api.ok("setWebhook", url=receiver.url)
        await sandbox.client.send_user_message(chat["id"], "x")
        await until(lambda: len(receiver.calls) >= 2)
        info = await api.ok("getWebhookInfo")
        assert info["pending_update_count"] == 1
        error = "Wrong response from the webhook: 500 Internal Server Error"
        assert info["last_error_message"] == error
        receiver.status = 200
        await until(lambda: not sandbox.state.default_bot().updates)
        assert len(receiver.calls) >= 3


async def test_drop_pending_updates(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    await sandbox.client.send_user_message(chat["id"], "старое")
    await api.ok("deleteWebhook", drop_pending_updates=True)
    assert await api.ok("getUpdates") == []
