"""Telegram's flood limits as token buckets on an injectable clock.

Per bot: ~30 messages/s overall, 1/s per private chat (burst 3), 20/min per group or channel,
and up to 1000/s for ``allow_paid_broadcast`` calls, which skip the 30/s bucket. An album
costs one message per item.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.config import Clock, LimitsConfig
from sandbox.errors import too_many_requests


@dataclass(slots=True)
class TokenBucket:
    """``capacity`` tokens refilled at ``rate`` per second."""

    rate: float
    capacity: float
    tokens: float
    stamp: float

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self, cost: float, now: float) -> float:
        """Seconds until a call costing ``cost`` may go (0 when it may now).

        A call costing more than the bucket holds (a 10-item album against a private chat's
        burst of 3) goes once the bucket is full; :meth:`take` then leaves the bucket in debt,
        so what follows waits until the whole cost is paid back and the average rate holds.
        """
        self._refill(now)
        missing = min(cost, self.capacity) - self.tokens
        return 0.0 if missing <= 1e-9 else missing / self.rate

    def take(self, cost: float) -> None:
        """Spend the whole cost after a successful :meth:`wait_time` check (may go negative)."""
        self.tokens -= cost


class RateLimiter:
    """All buckets of all bots; ``check`` raises a 429 ApiError or spends the tokens."""

    def __init__(self, config: LimitsConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self._buckets: dict[tuple[int, str, int], TokenBucket] = {}

    def configure(self, config: LimitsConfig) -> None:
        """Apply new limits; buckets start full again."""
        self.config = config
        self._buckets.clear()

    def check(
        self, bot_id: int, chat_id: int, chat_type: str, *, cost: int = 1, paid: bool = False
    ) -> None:
        """Charge one sending call; over any limit, raise ``429 retry after N``."""
        if not self.config.enabled:
            return
        now = self.clock()
        buckets = [self._chat_bucket(bot_id, chat_id, chat_type, now)]
        buckets.append(self._bot_bucket(bot_id, "paid" if paid else "global", now))
        wait = max(bucket.wait_time(cost, now) for bucket in buckets)
        if wait > 0:
            raise too_many_requests(wait)
        for bucket in buckets:
            bucket.take(cost)

    def _bot_bucket(self, bot_id: int, kind: str, now: float) -> TokenBucket:
        key = (bot_id, kind, 0)
        bucket = self._buckets.get(key)
        if bucket is None:
            rate = self.config.paid_per_sec if kind == "paid" else self.config.global_per_sec
            bucket = self._buckets[key] = TokenBucket(rate, rate, rate, now)
        return bucket

    def _chat_bucket(self, bot_id: int, chat_id: int, chat_type: str, now: float) -> TokenBucket:
        key = (bot_id, "chat", chat_id)
        bucket = self._buckets.get(key)
        if bucket is None:
            if chat_type == "private":
                rate, capacity = self.config.private_per_sec, float(self.config.private_burst)
            else:
                rate, capacity = self.config.group_per_min / 60.0, self.config.group_per_min
            bucket = self._buckets[key] = TokenBucket(rate, capacity, capacity, now)
        return bucket
