"""A Redis outage while timed posts come due: no traceback per failed tick, a retry within a
few seconds instead of the next safety tick, and the posts go out in their due order once
Redis is back, also when the outage struck a tick between taking a post and enqueueing it.

Real parts: a redis-server of the test's own with an append-only file, stopped for 21
(virtual) seconds and started again on the same port and data.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.publishing.scheduler import PublishingScheduler
from bot.redis_server import RedisServerProcess
from storage.keys import Keys
from storage.models.delivery import DeliveryJob
from storage.outbox import OutboxRepo
from tests.publishing.conftest import World, build_world, local
from tests.publishing.test_scheduler import running

A = -1001


class OutageOutbox(OutboxRepo):
    """The real outbox; the first enqueue after `strike()` stops Redis just before it
    writes: the outage hits a tick between taking its posts and enqueueing their jobs."""

    server: RedisServerProcess | None = None

    def strike(self, server: RedisServerProcess) -> None:
        self.server = server

    async def enqueue_many(self, jobs: Sequence[DeliveryJob]) -> list[str]:
        if self.server is not None:
            server, self.server = self.server, None
            await server.astop()
        return await super().enqueue_many(jobs)


@pytest.fixture
async def own_server(tmp_path: Path) -> AsyncIterator[RedisServerProcess]:
    server = RedisServerProcess(tmp_path / "redis", persistent=True)
    await server.astart()
    yield server
    await server.astop()


def _world(server: RedisServerProcess) -> World:
    redis = Redis.from_url(server.url, decode_responses=True)
    keys = Keys("vestnik")
    clock = VirtualClock(local("10:00"))
    return build_world(redis, keys, clock, OutageOutbox(redis, keys, time_source=clock.time))


async def _steps(clock: VirtualClock, seconds: int) -> None:
    """Move virtual time one second at a time, letting each retry run against Redis."""
    for _ in range(seconds):
        await clock.advance(1)
        await asyncio.sleep(0.05)


async def test_posts_due_during_an_outage_go_out_in_due_order_once_redis_is_back(
    own_server: RedisServerProcess, caplog: pytest.LogCaptureFixture
) -> None:
    world = _world(own_server)
    outbox = world.outbox
    assert isinstance(outbox, OutageOutbox)
    await world.channel(A, slots=[])
    publisher = world.publisher()
    first, second = [await world.article(h) for h in ("Первая", "Вторая")]
    [early] = await publisher.queue_article(first, A, "at", at=local("10:00:05"))
    [late] = await publisher.queue_article(second, A, "at", at=local("10:00:10"))
    scheduler = PublishingScheduler(publisher, world.clock, safety_seconds=15)
    outbox.strike(own_server)  # the tick at 10:00:05 takes `early`, then Redis goes away
    async with running(scheduler):
        await _steps(world.clock, 5)
        await _steps(world.clock, 20)  # 10:00:25: both were due during the outage
        await own_server.astart()  # back after 21 s, same port, same data
        await _steps(world.clock, 4)  # a retry, not the next safety tick (10:00:45)
        jobs = await world.outbox.claim(world.clock.time(), 10, "test-worker", 30.0)
    assert [job.queued_post_id for job in jobs] == [early.id, late.id]
    failures = [r for r in caplog.records if r.name == "bot.publishing.scheduler"]
    assert failures and all(r.levelno == logging.WARNING for r in failures)
    assert all("publishing tick failed (Redis: " in r.getMessage() for r in failures)
    assert not [r for r in caplog.records if r.exc_info]
    await world.redis.aclose()
