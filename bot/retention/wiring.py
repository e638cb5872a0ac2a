"""Wiring of the retention feature: its own repositories and the sweep as a task.

Built after every other feature; it needs nothing from them but Redis, the keys, the clock
and the settings, and touches nothing while the application is being assembled.
"""

from __future__ import annotations

from typing import Any

from bot.context import AppContext, Feature
from bot.retention.service import RetentionService, Stores
from storage.articles import ArticleRepo
from storage.audit import AuditRepo
from storage.drafts import DraftRepo
from storage.file_ids import FileIdCache
from storage.ledger import LedgerRepo
from storage.queue_retention import PostRetention
from storage.roles import RoleRepo
from storage.stats import StatsRepo


def stores(ctx: AppContext) -> Stores:
    """The repositories the sweep works on, for this context."""
    redis, keys, settings = ctx.redis, ctx.keys, ctx.settings
    return Stores(
        articles=ArticleRepo(redis, keys, now=ctx.clock.now),
        posts=PostRetention(redis, keys),
        ledger=LedgerRepo(redis, keys),
        stats=StatsRepo(
            redis,
            keys,
            tz=settings.tz,
            time_source=ctx.clock.time,
            retention_days=settings.retention.stats_days,
        ),
        audit=AuditRepo(redis, keys),
        drafts=DraftRepo(redis, keys),
        file_ids=FileIdCache(redis, keys, time_source=ctx.clock.time),
        roles=RoleRepo(redis, keys),
    )


def build(ctx: AppContext, deps: dict[str, Any]) -> Feature:
    """Workflow data `retention` (the service); the sweep loop as this feature's task."""
    del deps
    service = RetentionService(
        stores(ctx),
        ctx.settings.retention,
        ctx.clock,
        article_days=ctx.settings.article_retention_days,
        tz=ctx.settings.tz,
    )
    return Feature(name="retention", workflow_data={"retention": service}, tasks=[service.loop])
