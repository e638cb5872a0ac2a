"""When Telegram cannot be reached: one log line per failure with its reason, retries with a
growing pause (virtual time), no polling until getMe answers, and no Redis casualties when
polling stops (aiogram closes its FSM storage then; the app's shared client must survive)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.delivery.background import listen_for_wake
from bot.redis_server import RedisServerProcess
from bot.runtime import Application, build_application
from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.outbox import OutboxRepo
from tests.harness import TEST_TOKEN, eventually, make_settings, running_app

START = 1_796_000_000.0


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def _app(redis_url: str, api_url: str, clock: VirtualClock) -> AsyncIterator[Application]:
    redis = Redis.from_url(redis_url, decode_responses=True)
    app = build_application(
        make_settings(redis_url, api_url), redis, token=TEST_TOKEN, api_url=api_url, clock=clock
    )
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
        await redis.aclose()


def _failures(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.polling" and r.levelno == logging.WARNING]


async def _logged(caplog: pytest.LogCaptureFixture, count: int) -> None:
    """Wait until `count` failures are logged (the retries run in the app's tasks)."""

    async def enough() -> bool:
        return len(_failures(caplog)) >= count

    await eventually(enough, what=f"{count} logged failure(s)")


async def test_no_route_to_telegram_is_one_line_per_failure_with_backoff(
    redis: Redis, redis_server: RedisServerProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    clock = VirtualClock(START)
    async with _app(redis_server.url, f"http://127.0.0.1:{_closed_port()}", clock):
        await _logged(caplog, 1)
        for count, pause in ((2, 1), (3, 2), (4, 4)):
            await clock.advance(pause)
            await _logged(caplog, count)
    lines = [r.getMessage() for r in _failures(caplog)]
    for number, (line, pause) in enumerate(zip(lines, (1, 2, 4, 8), strict=True), start=1):
        assert line.startswith("cannot reach Telegram: "), line
        assert line.endswith(f"; trying again in {pause} s (failure {number})"), line
        assert "\n" not in line and TEST_TOKEN.split(":")[1] not in line
    messages = [r.getMessage() for r in caplog.records]
    assert "Start polling" not in messages and "Polling stopped" not in messages
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_polling_starts_once_telegram_answers_again(
    redis: Redis, redis_server: RedisServerProcess, sandbox: RunningSandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.INFO)
    await sandbox.client.add_fault("getMe", count=2, error_code=502)
    clock = VirtualClock(START)
    async with running_app(redis_server.url, sandbox, clock=clock):
        await _logged(caplog, 1)
        await clock.advance(1)
        await _logged(caplog, 2)
        await clock.advance(2)
        chat = await sandbox.client.create_private_chat("Алия", language_code="ru")
        await sandbox.client.send_user_message(chat["id"], "/help")
        await sandbox.client.wait_for_message(chat["id"], lambda m: m["from"]["is_bot"], timeout=8)
    lines = [r.getMessage() for r in _failures(caplog)]
    assert [line.split(":")[0] for line in lines] == ["Telegram does not answer getMe"] * 2
    assert "Telegram answers again after 2 failed attempt(s)" in caplog.messages


async def test_stopping_polling_leaves_the_shared_redis_working(
    redis: Redis, redis_server: RedisServerProcess, sandbox: RunningSandbox
) -> None:
    """aiogram closes the FSM storage each time polling stops; the wake channel and every
    other user of the application's Redis client must carry on."""
    async with running_app(redis_server.url, sandbox, polling=False) as running:
        shared = running.ctx.redis
        pubsub = shared.pubsub()
        await pubsub.subscribe("probe")
        await running.dp.emit_shutdown(bot=running.ctx.bot)  # what a stopped poll does
        await redis.publish("probe", "still here")
        message = None
        async with asyncio.timeout(5):
            while message is None:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
        assert message["data"] == "still here"
        assert await shared.ping()
        await pubsub.aclose()


async def test_a_lost_wake_channel_is_one_line_and_comes_back(
    redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    keys = Keys("vestnik")
    channel = keys.outbox_wake()
    wake = asyncio.Event()
    listener = asyncio.create_task(listen_for_wake(OutboxRepo(redis, keys), wake, first=0.05))

    async def subscribed() -> bool:
        [(_, count)] = await redis.pubsub_numsub(channel)
        return int(count) > 0

    try:
        await eventually(subscribed, what="the wake subscription")
        await redis.client_kill_filter(_type="pubsub")  # Redis drops the subscription
        await eventually(lambda: _lost(caplog), what="the loss logged")
        await eventually(subscribed, what="the subscription back")
        wake.clear()
        await redis.publish(channel, "1")
        await asyncio.wait_for(wake.wait(), 5)  # enqueues wake the engine again
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.delivery.background"]
    assert line.startswith("wake channel lost (") and "resubscribing in 0.1 s" in line
    assert not [r for r in caplog.records if r.exc_info]


async def _lost(caplog: pytest.LogCaptureFixture) -> bool:
    return any(r.name == "bot.delivery.background" for r in caplog.records)
