"""An engine wired to a real Redis and an aiogram Bot at the sandbox (end-to-end tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiogram import Bot
from redis.asyncio import Redis

from bot.clock import Clock, SystemClock
from bot.delivery.engine import DeliveryEngine, EngineConfig
from bot.delivery.sender import Sender
from storage.file_ids import FileIdCache
from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.models.delivery import DeliveryJob
from storage.outbox import OutboxRepo
from storage.ratelimit import RateLimiter, RateLimits

FAST = EngineConfig(
    lease_seconds=5.0, backoff_base=0.05, backoff_max=0.5, idle_poll=0.2, max_attempts=3
)


@dataclass
class Kit:
    """The engine and the repositories the tests look at."""

    engine: DeliveryEngine
    outbox: OutboxRepo
    ledger: LedgerRepo
    limiter: RateLimiter
    file_ids: FileIdCache
    forbidden: list[tuple[int, str, str]] = field(default_factory=list)
    migrated: list[tuple[int, int]] = field(default_factory=list)

    async def enqueue(self, *jobs: DeliveryJob) -> None:
        """Enqueue jobs in order."""
        for job in jobs:
            await self.outbox.enqueue(job)


def make_kit(
    redis: Redis,
    keys: Keys,
    bot: Bot,
    *,
    limits: RateLimits | None = None,
    config: EngineConfig = FAST,
    clock: Clock | None = None,
    worker_id: str = "test-worker",
) -> Kit:
    """Build the delivery engine with hooks that record what they were told."""
    clock = clock or SystemClock()
    outbox = OutboxRepo(redis, keys, time_source=clock.time)
    limiter = RateLimiter(redis, keys, limits or RateLimits(enabled=False))
    file_ids = FileIdCache(redis, keys)
    sender = Sender(bot, file_ids, paid_broadcast=bool(limits and limits.paid))
    engine = DeliveryEngine(
        outbox=outbox,
        limiter=limiter,
        sender=sender,
        clock=clock,
        config=config,
        worker_id=worker_id,
    )
    kit = Kit(engine, outbox, LedgerRepo(redis, keys), limiter, file_ids)

    async def on_forbidden(chat_id: int, job: DeliveryJob, description: str) -> None:
        kit.forbidden.append((chat_id, job.id, description))

    async def on_migrate(old: int, new: int) -> None:
        kit.migrated.append((old, new))

    engine.add_forbidden_hook(on_forbidden)
    engine.add_migrate_hook(on_migrate)
    return kit
