"""Application assembly: the Bot, the Dispatcher and its workflow data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage

from bot.context import AppContext
from handlers import create_root_router

SANDBOX_TOKEN = "1000001:SANDBOX-vestnik-offline-token"


def create_bot(token: str, api_url: str) -> Bot:
    """A Bot talking HTML to the Bot API server at `api_url` (Telegram or the sandbox)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


class SharedRedisStorage(RedisStorage):
    """Dialogue state in the application's own Redis client, which this storage does not own.

    aiogram closes its FSM storage whenever polling stops, and `RedisStorage.close` closes the
    client's connection pool: every other user of the shared client (the delivery engine's
    wake channel, the scheduler) then lost its connection mid-command, with a traceback. The
    client's owner closes it at shutdown instead.
    """

    async def close(self) -> None:
        """Nothing to release: the Redis client belongs to the application."""


def create_fsm_storage(ctx: AppContext) -> RedisStorage:
    """Dialogue state in Redis under the keys' prefix; an abandoned dialogue expires after
    RETENTION__DIALOGUE_HOURS (its draft, if any, stays: drafts have their own retention)."""
    ttl = timedelta(hours=ctx.settings.retention.dialogue_hours)
    return SharedRedisStorage(
        ctx.redis,
        key_builder=DefaultKeyBuilder(prefix=ctx.keys.fsm_prefix(), with_destiny=True),
        state_ttl=ttl,
        data_ttl=ttl,
    )


def create_dispatcher(ctx: AppContext, **services: Any) -> Dispatcher:
    """A Dispatcher with dialogue state in Redis and every service as workflow data."""
    dispatcher = Dispatcher(
        storage=create_fsm_storage(ctx),
        settings=ctx.settings,
        clock=ctx.clock,
        i18n=ctx.i18n,
        ctx=ctx,
        **services,
    )
    dispatcher.include_router(create_root_router())
    return dispatcher
