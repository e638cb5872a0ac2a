"""Wiring of the delivery feature: the outbox, ledger, rate limiter, sender and engine."""

from __future__ import annotations

from typing import Any

from bot.config import DeliverySettings
from bot.context import AppContext, Feature
from bot.delivery.engine import DeliveryEngine, EngineConfig
from bot.delivery.replies import ReplyPacer
from bot.delivery.sender import Sender
from storage.file_ids import FileIdCache
from storage.ledger import LedgerRepo
from storage.outbox import OutboxRepo
from storage.ratelimit import RateLimiter, RateLimits
from storage.stats import StatsRepo


def rate_limits(settings: DeliverySettings, *, enabled: bool = True) -> RateLimits:
    """The limiter's limits from `Settings.delivery`."""
    return RateLimits(
        global_per_sec=settings.global_per_sec,
        chat_per_min=settings.chat_per_min,
        private_per_sec=settings.private_per_sec,
        paid_per_sec=settings.paid_per_sec,
        paid=settings.paid_broadcast,
        enabled=enabled,
    )


def build(ctx: AppContext, deps: dict[str, Any]) -> Feature:
    """Build the delivery services; the engine loop runs as this feature's task.

    Workflow data: `outbox`, `ledger`, `delivery` (the engine: `add_forbidden_hook`,
    `add_migrate_hook`), `rate_limiter`, `file_ids`, `stats_repo`.
    """
    del deps
    settings = ctx.settings.delivery
    stats = StatsRepo(
        ctx.redis, ctx.keys, tz=ctx.settings.tz, time_source=ctx.clock.time,
        retention_days=ctx.settings.retention.stats_days,
    )  # fmt: skip
    outbox = OutboxRepo(ctx.redis, ctx.keys, stats=stats, time_source=ctx.clock.time)
    limiter = RateLimiter(ctx.redis, ctx.keys, rate_limits(settings))
    # Every other Bot API call (handlers' replies, progress messages) keeps to the same
    # limits and waits out 429s: see `bot/delivery/replies.py`.
    ctx.bot.session.middleware(ReplyPacer(limiter, ctx.clock))
    file_ids = FileIdCache(ctx.redis, ctx.keys, time_source=ctx.clock.time)
    sender = Sender(ctx.bot, file_ids, paid_broadcast=settings.paid_broadcast)
    engine = DeliveryEngine(
        outbox=outbox,
        limiter=limiter,
        sender=sender,
        clock=ctx.clock,
        config=EngineConfig.from_settings(settings),
        worker_id=f"{ctx.instance_id}-delivery",
    )
    return Feature(
        name="delivery",
        workflow_data={
            "outbox": outbox,
            "ledger": LedgerRepo(ctx.redis, ctx.keys),
            "delivery": engine,
            "rate_limiter": limiter,
            "file_ids": file_ids,
            "stats_repo": stats,
        },
        tasks=[engine.run],
        closers=[engine.stop],
    )
