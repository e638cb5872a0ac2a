"""Per-day stats in the newsroom's time zone, and the delivery feature inside the whole app."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.stats import StatsRepo
from tests.delivery.helpers import job
from tests.harness import running_app

ALMATY = ZoneInfo("Asia/Almaty")


async def test_counters_land_on_the_local_day_and_range_fills_gaps(
    redis: Redis, keys: Keys
) -> None:
    late_utc = 1_717_268_400.0  # 2024-06-01 19:00 UTC = 2024-06-02 00:00 in Almaty (UTC+5)
    stats = StatsRepo(redis, keys, tz=ALMATY, time_source=lambda: late_utc)
    await stats.incr("published", 2, at=late_utc)
    await stats.incr("failed.forbidden", at=late_utc)
    assert stats.local_day() == date(2024, 6, 2)
    days = await stats.range(3)
    assert [d.day for d in days] == [date(2024, 5, 31), date(2024, 6, 1), date(2024, 6, 2)]
    assert [d.published for d in days] == [0, 0, 2]
    assert days[-1].failed == {"forbidden": 1} and days[-1].failed_total == 1


async def test_delivery_feature_delivers_inside_the_running_app(
    redis_server: RedisServerProcess, sandbox: RunningSandbox, redis: Redis
) -> None:
    channel = int((await sandbox.client.create_channel("Вестник"))["id"])
    async with running_app(redis_server.url, sandbox, polling=False) as app:
        services = app.services
        assert {"outbox", "ledger", "delivery", "rate_limiter", "file_ids", "stats_repo"} <= set(
            services
        )
        await services["outbox"].enqueue(job(channel, "a1", job_id="post-1", text="Из приложения"))
        message = await app.wait_for_text(channel, "Из приложения")
        assert await services["delivery"].drain(timeout=5)  # settled, not just sent
        assert await services["ledger"].published_copies("a1") == {channel: message["message_id"]}
