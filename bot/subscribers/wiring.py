"""Wiring of the subscribers feature: repositories, services, the push listener, tasks.

Built after delivery and publishing, before desk and articles; so it uses its own
(stateless) article and rubric repositories over the same Redis, and the outbox and
engine from `deps`.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

from bot.context import AppContext, Feature
from bot.i18n import I18n
from bot.subscribers.copies import ReaderCopies, ReaderCopy
from bot.subscribers.digest import DigestSender
from bot.subscribers.erasure import ReaderEraser
from bot.subscribers.push import PushListener
from bot.subscribers.rubric_names import RubricAliases
from bot.subscribers.search import Lemmatizer, SearchService, shared_morph
from bot.subscribers.service import SubscriberService
from bot.subscribers.still_wanted import StillWanted
from bot.subscribers.views import DigestView
from storage.models.delivery import DeliveryJob
from storage.search_index import SearchIndex
from storage.subscriptions import SubscriptionRepo

log = logging.getLogger(__name__)

COMMANDS = (
    "start",
    "help",
    "rubrics",
    "subscribe",
    "unsubscribe",
    "latest",
    "article",
    "search",
    "digest",
    "settings",
    "timezone",
    "stop",
)
_COMMAND_RETRIES = 5


def bot_commands(i18n: I18n, locale: str) -> list[BotCommand]:
    """The command menu in one language."""
    return [BotCommand(command=c, description=i18n(f"sub.cmd.{c}", locale)) for c in COMMANDS]


def build(ctx: AppContext, deps: dict[str, Any]) -> Feature:
    """Subscriptions, search, the subscriber service, pushes and the digest task."""
    from bot.formatting.post import build_full_post
    from storage.article_embargo import PublicArticles
    from storage.articles import ArticleRepo
    from storage.audit import AuditRepo
    from storage.roles import RoleRepo
    from storage.rubrics import RubricRepo

    stored = ArticleRepo(ctx.redis, ctx.keys)
    articles = PublicArticles(stored)  # what readers may see: public articles only
    rubrics = RubricRepo(ctx.redis, ctx.keys, defaults=ctx.settings.rubrics)
    subscriptions = SubscriptionRepo(ctx.redis, ctx.keys)
    search = SearchService(SearchIndex(ctx.redis, ctx.keys), articles, Lemmatizer(shared_morph()))
    outbox = deps["outbox"]
    eraser = ReaderEraser(
        outbox,
        RoleRepo(ctx.redis, ctx.keys),
        AuditRepo(ctx.redis, ctx.keys),
        owners=ctx.settings.admin_ids,
        pacing=deps.get("rate_limiter"),
    )
    service = SubscriberService(
        subscriptions,
        rubrics,
        articles,
        ctx.settings,
        ctx.clock,
        build_full_post,
        aliases=RubricAliases(ctx.i18n),
        eraser=eraser,
    )
    locale = ctx.settings.default_locale  # one shared payload per fan-out: one language
    render = ReaderCopy(ctx.i18n("sub.btn.read_full", locale), ctx.i18n("sub.btn.source", locale))
    copies = ReaderCopies(deps["ledger"], outbox, stored, rubrics, render, ctx.clock)
    listener = PushListener(
        subscriptions, rubrics, outbox, search, ctx.clock, ctx.settings, render, copies
    )
    view = DigestView(ctx.i18n, ctx.settings.default_locale, ctx.settings.timezone)
    digests = DigestSender(subscriptions, articles, outbox, ctx.clock, ctx.settings, view)
    _register_forbidden_hook(deps.get("delivery"), service)
    _register_send_check(deps.get("delivery"), StillWanted(subscriptions, stored))
    if deps.get("publisher") is not None:
        deps["publisher"].add_public_listener(listener.article_public)
    if deps.get("delivery") is not None:
        deps["delivery"].add_completed_hook(copies.after_delivery)

    async def set_commands() -> None:
        await publish_commands(ctx)

    return Feature(
        name="subscribers",
        workflow_data={
            "subscriptions": subscriptions,
            "subscriber_service": service,
            "search": search,
        },
        listeners=[listener],
        tasks=[digests.run, set_commands],
    )


def _register_forbidden_hook(engine: Any, service: SubscriberService) -> None:
    """A user who blocked the bot (403 on a push or digest) is unsubscribed automatically."""
    if engine is None or not hasattr(engine, "add_forbidden_hook"):
        log.warning("delivery engine has no forbidden hook; blocked users stay subscribed")
        return

    async def on_forbidden(chat_id: int, job: DeliveryJob, description: str) -> None:
        if chat_id > 0 and job.kind in ("push", "digest", "notice"):
            log.info("user %s blocked the bot (%s): unsubscribing", chat_id, description)
            await service.forget_blocked(chat_id)

    engine.add_forbidden_hook(on_forbidden)


def _register_send_check(engine: Any, check: StillWanted) -> None:
    """A push deferred by quiet hours is dropped at send time if its reader no longer wants it."""
    if engine is None or not hasattr(engine, "add_send_check"):
        log.warning("delivery engine has no send check; deferred pushes ignore later changes")
        return
    engine.add_send_check(check)


async def publish_commands(ctx: AppContext) -> None:
    """setMyCommands in private chats (the readers' menu), in Russian by default and in
    English for English clients; retried on network trouble."""
    for attempt in range(_COMMAND_RETRIES):
        try:
            scope = BotCommandScopeAllPrivateChats()
            await ctx.bot.set_my_commands(bot_commands(ctx.i18n, "ru"), scope=scope)
            await ctx.bot.set_my_commands(
                bot_commands(ctx.i18n, "en"), scope=scope, language_code="en"
            )
            return
        except TelegramAPIError as exc:
            log.warning("setMyCommands failed (attempt %d): %s", attempt + 1, exc)
            await ctx.clock.sleep(2.0**attempt)
