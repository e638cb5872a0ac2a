"""Wiring of the publishing feature: channels, the publisher, routing and the slot scheduler.

Built after delivery (it needs `outbox`, `ledger` and the engine's hooks) and before the
articles feature, so it builds its own article and rubric repositories (plain Redis
repositories: cheap, stateless, nothing connects here).
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from bot.clock import Clock
from bot.config import Settings
from bot.context import AppContext, Feature
from bot.publishing.channel_service import ChannelService
from bot.publishing.ports import Ledger, Outbox
from bot.publishing.routing import RoutingListener
from bot.publishing.service import PublishingService
from storage.articles import ArticleRepo
from storage.channels import ChannelRepo
from storage.keys import Keys
from storage.queue import QueueRepo
from storage.rubrics import RubricRepo


def build_publisher(
    redis: Redis, keys: Keys, settings: Settings, clock: Clock, *, outbox: Outbox, ledger: Ledger
) -> PublishingService:
    """The publishing service alone (what the CLI needs: no bot, no scheduler)."""
    return PublishingService(
        channels=ChannelRepo(redis, keys),
        queue=QueueRepo(redis, keys),
        articles=ArticleRepo(redis, keys, now=clock.now),
        rubrics=RubricRepo(redis, keys, defaults=settings.rubrics),
        outbox=outbox,
        ledger=ledger,
        clock=clock,
    )


def build(ctx: AppContext, deps: dict[str, Any]) -> Feature:
    """Workflow data `channels`, `publisher`, `channel_service`; the scheduler as a task."""
    publisher = build_publisher(
        ctx.redis, ctx.keys, ctx.settings, ctx.clock, outbox=deps["outbox"], ledger=deps["ledger"]
    )
    channel_service = ChannelService(
        channels=publisher.channels,
        queue=publisher.queue,
        outbox=deps["outbox"],
        i18n=ctx.i18n,
        clock=ctx.clock,
        default_timezone=ctx.settings.timezone,
    )
    engine = deps.get("delivery")
    if engine is not None:
        engine.add_forbidden_hook(channel_service.on_forbidden)
        engine.add_forbidden_hook(publisher.requeue_refused)
        engine.add_migrate_hook(channel_service.on_migrate)
        engine.add_completed_hook(publisher.after_delivery)
    from bot.publishing.scheduler import PublishingScheduler  # APScheduler: not for the CLI

    scheduler = PublishingScheduler(publisher, ctx.clock)
    publisher.add_change_listener(scheduler.request_sync)
    return Feature(
        name="publishing",
        workflow_data={
            "channels": publisher.channels,
            "publisher": publisher,
            "channel_service": channel_service,
            "publishing_scheduler": scheduler,
        },
        listeners=[RoutingListener(publisher)],
        tasks=[scheduler.run],
    )
