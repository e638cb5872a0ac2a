"""End to end: a push to many subscribers does not hold up a channel post behind it.

The engine's `channel` lane is claimed before the `push` lane, so a channel post queued while
a fan-out is being paced waits at most the rate limiter's reservation horizon, not for the
whole fan-out.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.config import DeliverySettings
from bot.formatting.post import build_post
from bot.redis_server import RedisServerProcess
from storage.models.delivery import DeliveryJob
from tests.harness import RunningApp, eventually, running_app

READERS = 40
RATE = 10.0  # messages per second overall: the fan-out alone takes ~4 s
HORIZON = 2.0  # the engine reserves send slots at most this far ahead


@pytest.fixture
async def app(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object
) -> AsyncIterator[RunningApp]:
    slow = DeliverySettings(global_per_sec=RATE)
    async with running_app(redis_server.url, sandbox, delivery=slow) as running:
        yield running


async def test_channel_post_overtakes_a_big_fanout(app: RunningApp, sample_text: str) -> None:
    readers = [
        int((await app.client.create_private_chat(f"Читатель {i}"))["id"]) for i in range(READERS)
    ]
    await app.services["subscriptions"].subscribe_bulk(readers, "politika")
    channel = int((await app.client.create_channel("Вестник"))["id"])
    result = await app.services["article_service"].import_text(sample_text)
    article_id = result.article_id
    ledger = app.services["ledger"]

    async def some_pushes_sent() -> bool:
        return len(await ledger.published_copies(article_id)) >= 3

    await eventually(some_pushes_sent, what="the fan-out to start")
    queued_at = time.time()
    await app.services["outbox"].enqueue(
        DeliveryJob(
            id="chan-priority",
            kind="channel_post",
            chat_id=channel,
            article_id=article_id,
            lane="channel",
            post=build_post(result.article, result.rubric),
        )
    )

    async def everything_sent() -> bool:
        return len(await ledger.published_copies(article_id)) == READERS + 1

    await eventually(everything_sent, timeout=15.0, what="every push and the channel post")
    entries = {e.chat_id: e for e in await ledger.entries(article_id)}
    channel_at = entries[channel].at
    push_times = sorted(e.at for chat, e in entries.items() if chat != channel)
    assert channel_at - queued_at <= HORIZON + 1.0
    pushes_after = sum(1 for at in push_times if at > channel_at)
    assert pushes_after >= 10, f"the channel post waited for the fan-out: {pushes_after} after"
    assert push_times[-1] - push_times[0] >= (READERS - 1) / RATE * 0.8  # pacing really held
