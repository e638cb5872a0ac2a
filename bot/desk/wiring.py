"""Wiring of the desk feature: roles, audit, drafts and admin reads for editors and admins.

Workflow data: `roles` (RoleService), `audit` (AuditService), `desk` (Desk). The desk needs
publishing (`publisher`, `channels`) built before it; the articles services it uses at call
time are found in `deps`, which later features fill in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot

from bot.clock import Clock
from bot.context import AppContext, Feature
from bot.desk.admin import DeskAdmin
from bot.desk.article_rights import ArticleRights
from bot.desk.audit import AuditService
from bot.desk.drafts import DraftService
from bot.desk.progress import ProgressReporter
from bot.desk.roles import RoleService
from bot.i18n import I18n
from bot.publishing.service import PublishingService
from storage.audit import AuditRepo
from storage.channels import ChannelRepo
from storage.drafts import DraftRepo
from storage.roles import RoleRepo


@dataclass
class Desk:
    """Everything the editors' and admins' handlers call, in one place."""

    drafts: DraftService
    rights: ArticleRights
    admin: DeskAdmin
    publisher: PublishingService
    channels: ChannelRepo
    bot: Bot
    clock: Clock
    i18n: I18n
    services: dict[str, Any]
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Run long work (a progress report) beside the handler; cancelled at shutdown."""
        task = asyncio.create_task(work, name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def close(self) -> None:
        """Cancel the background work still running."""
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks.clear()

    def reporter(self, chat_id: int, locale: str) -> ProgressReporter:
        """A progress message in this chat, edited at most every ~2 s."""
        return ProgressReporter(self.bot, chat_id, self.clock, self.i18n, locale=locale)

    def service(self, name: str) -> Any:
        """A service of another feature (e.g. `articles`), looked up when needed."""
        return self.services.get(name)


def build(ctx: AppContext, deps: dict[str, Any]) -> Feature:
    """Build roles, audit and the desk from the context and the publishing feature."""
    channels: ChannelRepo = deps.get("channels") or ChannelRepo(ctx.redis, ctx.keys)
    publisher: PublishingService = deps["publisher"]
    limits = ctx.settings.desk
    audit_repo = AuditRepo(ctx.redis, ctx.keys, per_actor=limits.refusals_per_hour)
    audit = AuditService(
        audit_repo, ctx.clock, replies_per_minute=limits.refusal_replies_per_minute
    )
    roles = RoleService(
        ctx.bot,
        list(ctx.settings.admin_ids),
        RoleRepo(ctx.redis, ctx.keys),
        channels,
        audit,
        ctx.clock,
    )
    rights = ArticleRights(roles, publisher, channels, deps)
    drafts = DraftService(
        DraftRepo(ctx.redis, ctx.keys), channels, publisher, ctx.clock, deps, rights
    )
    desk = Desk(
        drafts=drafts,
        rights=rights,
        admin=DeskAdmin(
            deps.get("stats_repo"), deps.get("ledger"), deps.get("subscriptions"), publisher
        ),
        publisher=publisher,
        channels=channels,
        bot=ctx.bot,
        clock=ctx.clock,
        i18n=ctx.i18n,
        services=deps,
    )
    return Feature(
        name="desk",
        workflow_data={"roles": roles, "audit": audit, "desk": desk},
        closers=[desk.close],
    )
