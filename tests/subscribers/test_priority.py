"""End to end in virtual time: pushes to many readers never hold up a channel post.

The engine's `channel` lane is claimed before the `push` lane. At 09:00 the pushes that
quiet hours held back and the channel's 09:00 post become due together: the post goes first,
though the pushes were queued long before it. A channel post queued while the fan-out is
being paced overtakes every push not yet given a send time. Ordering is read from the ledger,
whose times come from the injected clock; nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.config import DeliverySettings
from bot.formatting.post import build_post
from bot.redis_server import RedisServerProcess
from storage.ledger import LedgerRepo
from storage.models.delivery import DeliveryJob
from storage.models.subscriber import Subscriber
from tests.harness import RunningApp, eventually, running_app

READERS = 60
RATE = 10.0  # messages per second overall: the fan-out alone takes ~6 s of virtual time
MORNING = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 08:00 in Almaty
NINE = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # 09:00 in Almaty: quiet hours end


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(MORNING)


@pytest.fixture
async def app(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object, clock: VirtualClock
) -> AsyncIterator[RunningApp]:
    slow = DeliverySettings(global_per_sec=RATE)
    async with running_app(redis_server.url, sandbox, clock=clock, delivery=slow) as running:
        yield running


async def _published(ledger: LedgerRepo, article_id: str) -> set[int]:
    return {e.chat_id for e in await ledger.entries(article_id) if e.status == "published"}


async def _arrivals(app: RunningApp, since: int) -> list[int]:
    """The chats of the messages the sandbox received after event `since`, in arrival order."""
    feed = await app.client.events(since)
    return [int(e["chat_id"]) for e in feed["events"] if e["type"] == "message"]


async def _advance_until(clock: VirtualClock, done: object, what: str) -> None:
    """Step virtual time (0.05 s a step) until `done()` holds."""

    async def check() -> object:
        value = await done()  # type: ignore[operator]
        if not value:
            await clock.advance(0.05)
            await asyncio.sleep(0.02)
        return value

    await eventually(check, timeout=30.0, what=what)


def _channel_job(job_id: str, chat_id: int, result: object, not_before: float) -> DeliveryJob:
    return DeliveryJob(
        id=job_id,
        kind="channel_post",
        chat_id=chat_id,
        article_id=result.article_id,  # type: ignore[attr-defined]
        lane="channel",
        not_before=not_before,
        post=build_post(result.article, result.rubric),  # type: ignore[attr-defined]
    )


async def test_channel_posts_go_before_pushes(
    app: RunningApp, clock: VirtualClock, sample_text: str
) -> None:
    readers = [
        int((await app.client.create_private_chat(f"Читатель {i}"))["id"]) for i in range(READERS)
    ]
    subs = app.services["subscriptions"]
    await subs.subscribe_bulk(readers, "politika")
    for uid in readers:  # quiet until 09:00: every push waits for the same moment
        await subs.save(Subscriber(user_id=uid, quiet_from=0, quiet_to=540), digest_due=None)
    first = int((await app.client.create_channel("Вестник"))["id"])
    second = int((await app.client.create_channel("Вестник — молнии"))["id"])
    result = await app.services["article_service"].import_text(sample_text)
    outbox = app.services["outbox"]
    assert await outbox.pending_count("push") == READERS  # all deferred to 09:00
    await outbox.enqueue(_channel_job("chan-nine", first, result, NINE.timestamp()))
    ledger: LedgerRepo = app.services["ledger"]
    since = int((await app.client.events())["last"])

    # 09:00: the channel post and every push are due together; the pushes were queued first.
    await clock.set(NINE)

    async def some_pushes_sent() -> bool:
        return len(await _published(ledger, result.article_id)) >= 6

    await _advance_until(clock, some_pushes_sent, "the 09:00 post and the first pushes")
    already = len(await _arrivals(app, since))
    await outbox.enqueue(_channel_job("chan-late", second, result, 0.0))

    async def everything_sent() -> bool:
        return len(await _published(ledger, result.article_id)) == READERS + 2

    await _advance_until(clock, everything_sent, "every push and both channel posts")
    order = await _arrivals(app, since)
    assert sorted(order) == sorted([*readers, first, second])  # each exactly once
    assert order[0] == first  # due at the same moment as the pushes: it went first
    # Only pushes already given a send time (at most the limiter's horizon ahead) may precede
    # the late channel post; without the lane priority it would wait for all of them.
    horizon = app.services["delivery"].config.horizon_seconds
    overtaken = len(order) - 1 - order.index(second)
    assert overtaken >= READERS - already - 2 * horizon * RATE, (overtaken, already)
    times = sorted(e.at for e in await ledger.entries(result.article_id) if e.chat_id in readers)
    assert times[-1] - times[0] >= (READERS - 1) / RATE * 0.9  # the pace really held
