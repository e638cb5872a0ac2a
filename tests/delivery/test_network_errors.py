"""Network trouble: timeouts and dropped connections are retried with backoff, bounded."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from redis.asyncio import Redis

from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.ledger import LedgerRepo
from tests.delivery.engine_kit import FAST, make_kit
from tests.delivery.helpers import job
from tests.delivery.request_log import RequestLog
from tests.delivery.test_engine_sandbox import bot_texts, new_channel
from tests.fixtures_sandbox import BOT_TOKEN

CLIENT_TIMEOUT = 0.5


def impatient_bot(base_url: str) -> Bot:
    """A Bot that gives up on a request after CLIENT_TIMEOUT seconds (close it!)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(base_url), timeout=CLIENT_TIMEOUT)
    return Bot(BOT_TOKEN, session=session)


async def retry_gaps(ledger: LedgerRepo, article_id: str, chat_id: int) -> list[float]:
    """For each `retry: network` ledger entry: how long the engine waited before retrying."""
    return [
        float(str(e.detail["retry_at"])) - e.at
        for e in await ledger.events(article_id)
        if e.chat_id == chat_id and e.reason == "retry: network"
    ]


def assert_backoff(gaps: list[float]) -> None:
    """Each wait is at least the jittered exponential minimum (half of base * 2^(n-1))."""
    for attempt, gap in enumerate(gaps, start=1):
        assert gap >= 0.5 * FAST.backoff_base * 2 ** (attempt - 1), gaps


async def test_timeouts_are_retried_with_backoff_and_the_post_arrives_once(
    sandbox: RunningSandbox, redis: Redis, keys: Keys
) -> None:
    channel = await new_channel(sandbox, "Вестник")
    # the next two sends take longer than the client waits: it times out and hangs up
    await sandbox.client.add_fault("sendMessage", count=2, latency_ms=1500)
    requests = RequestLog()
    bot = impatient_bot(sandbox.base_url)
    bot.session.middleware(requests)
    try:
        kit = make_kit(redis, keys, bot)
        await kit.enqueue(job(channel, "a1", job_id="slow", text="Дошло"))
        assert await kit.engine.drain(timeout=15)
    finally:
        await bot.session.close()
    assert bot_texts(await sandbox.client.messages(channel)) == ["Дошло"]  # once
    sends = requests.of("sendMessage")
    assert [r.error for r in sends] == ["network", "network", None]
    gaps = await retry_gaps(kit.ledger, "a1", channel)
    assert len(gaps) == 2
    assert_backoff(gaps)
    for earlier, later, gap in zip(sends, sends[1:], gaps, strict=False):
        assert later.start - earlier.end >= gap - 0.01  # the retry waited its backoff
    entry = await kit.ledger.get("a1", channel)
    assert entry is not None and entry.status == "published"


@asynccontextmanager
async def hanging_up_server() -> AsyncIterator[tuple[str, list[int]]]:
    """A TCP server that accepts each connection and closes it at once; yields its URL and
    a list that grows by one per connection."""
    accepted: list[int] = []

    async def hang_up(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", accepted
    finally:
        server.close()
        await server.wait_closed()


async def test_a_connection_that_keeps_dropping_ends_in_the_ledger_as_network(
    redis: Redis, keys: Keys
) -> None:
    async with hanging_up_server() as (url, accepted):
        bot = impatient_bot(url)
        try:
            kit = make_kit(redis, keys, bot)
            await kit.enqueue(job(-100500, "a1", job_id="unreachable"))
            assert await kit.engine.drain(timeout=15)
        finally:
            await bot.session.close()
    entry = await kit.ledger.get("a1", -100500)
    assert entry is not None and (entry.status, entry.reason) == ("failed", "network")
    reasons = [e.reason for e in await kit.ledger.events("a1")]
    assert reasons == ["retry: network"] * (FAST.max_attempts - 1) + ["network"]
    assert len(accepted) == FAST.max_attempts  # bounded: one connection per attempt
    assert_backoff(await retry_gaps(kit.ledger, "a1", -100500))
    day = await kit.outbox.stats.day(kit.outbox.stats.local_day())
    assert day.failed == {"network": 1}
