"""Per-day delivery counters (published, pushes, failures by reason...) for `/stats`.

The counters are written by the outbox's Lua scripts together with each job's outcome
(`OutboxRepo.settle`), so they never drift from the ledger; this module reads them and names
the day key a moment belongs to (the newsroom's local day).

One HASH per day holds the bot-wide counters (`published`, `failed.<reason>`, ...) and, for
jobs to a channel (a negative chat id), the same counter per channel under
`chat:<chat id>:<field>` (`chat:-1001234:published`, `chat:-1001234:failed.forbidden`).

Retention: every write lists its day in `keys.stats_index()` and gives the day's HASH an
expiry of `retention_days` (STATS_RETENTION_DAYS); `purge_before` deletes the days before a
cutoff by the injected clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from redis.asyncio import Redis

from storage.keys import Keys
from storage.models.delivery import DayStats

TimeSource = Callable[[], float]
DEFAULT_RETENTION_DAYS = 400
_INT_FIELDS = (
    "published",
    "pushes",
    "notices",
    "edits",
    "retracts",
    "retries",
    "duplicates",
    "duplicates_sent",
)


class StatsRepo:
    """Reads (and, for tests and tools, bumps) the per-local-day counters."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        tz: tzinfo = UTC,
        time_source: TimeSource | None = None,
        retention_days: int = DEFAULT_RETENTION_DAYS,
    ) -> None:
        self.redis = redis
        self.keys = keys
        self.tz = tz
        self._time = time_source or time.time
        self.retention_days = retention_days

    @property
    def ttl_seconds(self) -> int:
        """The expiry a day's counters get at each write (a day more than the retention, so
        that the sweep, which goes by local days, is the one that removes them)."""
        return (self.retention_days + 1) * 86400

    def local_day(self, at: float | None = None) -> date:
        """The newsroom's calendar day at unix time `at` (default: now)."""
        moment = self._time() if at is None else at
        return datetime.fromtimestamp(moment, self.tz).date()

    def day_name(self, at: float | None = None) -> str:
        """`YYYY-MM-DD`: the local day of `at`, as its key and the stats index name it."""
        return self.local_day(at).isoformat()

    def day_key(self, at: float | None = None) -> str:
        """The Redis key of the counters for the local day of `at`."""
        return self.keys.stats(self.day_name(at))

    async def incr(
        self, field: str, amount: int = 1, *, at: float | None = None, chat_id: int | None = None
    ) -> None:
        """Bump one counter of the day of `at` (the engine does this inside its Lua scripts).

        With a channel's `chat_id` the channel's own counter is bumped too, as the engine does.
        """
        moment = self._time() if at is None else at
        key = self.day_key(moment)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(key, field, amount)
            if chat_id is not None:
                pipe.hincrby(key, channel_field(chat_id, field), amount)
            pipe.expire(key, self.ttl_seconds)
            pipe.zadd(self.keys.stats_index(), {self.day_name(moment): moment}, nx=True)
            await pipe.execute()

    async def purge_before(self, cutoff: date) -> int:
        """Delete the counters of every local day before `cutoff`; how many days."""
        index = self.keys.stats_index()
        days = [str(day) for day in await self.redis.zrange(index, 0, -1)]
        old = [day for day in days if day < cutoff.isoformat()]
        if not old:
            return 0
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(*(self.keys.stats(day) for day in old))
            pipe.zrem(index, *old)
            await pipe.execute()
        return len(old)

    async def day(self, day: date) -> DayStats:
        """The counters of one local day (zeros when nothing happened)."""
        raw = await self.redis.hgetall(self.keys.stats(day.isoformat()))
        return parse_day(day, raw)

    async def range(self, days: int, end: date | None = None) -> list[DayStats]:
        """The last `days` local days up to `end` (default: today), oldest first."""
        wanted, raws = await self._raw_days(days, end)
        return [parse_day(day, raw) for day, raw in zip(wanted, raws, strict=True)]

    async def channel_range(
        self, chat_id: int, days: int, end: date | None = None
    ) -> list[DayStats]:
        """Like `range`, but only what happened in one channel (posts, edits, failures)."""
        wanted, raws = await self._raw_days(days, end)
        prefix = channel_field(chat_id, "")
        return [
            parse_day(day, _strip_prefix(raw, prefix))
            for day, raw in zip(wanted, raws, strict=True)
        ]

    async def _raw_days(
        self, days: int, end: date | None
    ) -> tuple[list[date], list[Mapping[Any, Any]]]:
        last = end or self.local_day()
        wanted = [last - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
        async with self.redis.pipeline(transaction=False) as pipe:
            for day in wanted:
                pipe.hgetall(self.keys.stats(day.isoformat()))
            raws = await pipe.execute()
        return wanted, raws


def channel_field(chat_id: int, field: str) -> str:
    """The name of a channel's own counter inside the day HASH (`chat:<id>:<field>`)."""
    return f"chat:{chat_id}:{field}"


def _strip_prefix(raw: Mapping[Any, Any], prefix: str) -> dict[str, Any]:
    return {
        str(name).removeprefix(prefix): value
        for name, value in raw.items()
        if str(name).startswith(prefix)
    }


def parse_day(day: date, raw: Mapping[Any, Any]) -> DayStats:
    """Turn a stats HASH (`published`, `failed.<reason>`, ...) into a `DayStats`.

    Per-channel fields (`chat:<id>:...`) are not bot-wide counters and are left out.
    """
    values: dict[str, int] = {name: int(raw.get(name, 0)) for name in _INT_FIELDS}
    failed = {
        str(name).removeprefix("failed."): int(count)
        for name, count in raw.items()
        if str(name).startswith("failed.")
    }
    return DayStats(day=day, failed=failed, **values)
