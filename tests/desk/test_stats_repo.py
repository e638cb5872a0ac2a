"""Per-channel counters: the outbox counts each channel's posts and failures on their own.

The delivery engine's settle script bumps the bot-wide counter and, for a job to a channel,
the channel's own one in the same step; pushes to people only count bot-wide.
"""

from __future__ import annotations

from redis.asyncio import Redis

from storage.keys import Keys
from storage.outbox import OutboxRepo
from storage.stats import StatsRepo
from tests.delivery.helpers import T0, job


async def test_settling_counts_per_channel_and_bot_wide(redis: Redis, keys: Keys) -> None:
    stats = StatsRepo(redis, keys, time_source=lambda: T0)
    outbox = OutboxRepo(redis, keys, stats=stats, time_source=lambda: T0)
    await outbox.enqueue(job(-1001, "a1", job_id="post-1"))
    await outbox.enqueue(job(-1002, "a1", job_id="post-2"))
    await outbox.enqueue(job(-1002, "a2", job_id="post-3"))
    await outbox.enqueue(job(42, "a1", job_id="push-1", kind="push", lane="push"))
    claimed = {j.id: j for j in await outbox.claim(T0, 10, "w1", 30)}
    await outbox.settle(
        [
            outbox.completion(claimed["post-1"], 11, T0),
            outbox.completion(claimed["post-2"], 12, T0),
            outbox.failure(claimed["post-3"], "chat_not_found", T0),
            outbox.completion(claimed["push-1"], 13, T0),
        ],
        T0,
    )
    [everywhere] = await stats.range(1)
    assert (everywhere.published, everywhere.pushes) == (2, 1)
    assert everywhere.failed == {"chat_not_found": 1}
    [a] = await stats.channel_range(-1001, 1)
    assert (a.published, a.pushes, a.failed) == (1, 0, {})
    [b] = await stats.channel_range(-1002, 1)
    assert (b.published, b.pushes, b.failed) == (1, 0, {"chat_not_found": 1})
    [person] = await stats.channel_range(42, 1)
    assert (person.published, person.pushes) == (0, 0)  # pushes are not per chat


async def test_incr_with_a_channel_bumps_both(redis: Redis, keys: Keys) -> None:
    stats = StatsRepo(redis, keys, time_source=lambda: T0)
    await stats.incr("published", 2, chat_id=-1001)
    await stats.incr("published")
    [everywhere] = await stats.range(1)
    [own] = await stats.channel_range(-1001, 1)
    assert (everywhere.published, own.published) == (3, 2)
