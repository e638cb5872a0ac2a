"""One running Vestnik: context, features, dispatcher and their background tasks.

`vestnik run` and the end-to-end test harness both use this, so tests exercise the
same assembly that production runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Dispatcher
from redis.asyncio import Redis

from bot.app import create_bot, create_dispatcher
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import AppContext, Feature
from bot.features import build_features, workflow_data
from bot.texts import build_i18n
from storage.keys import Keys

log = logging.getLogger(__name__)


@dataclass
class Application:
    """A built application; `start` launches polling and feature tasks, `stop` undoes it.

    `poll_lease_ttl`: seconds the `poller` lease lives without renewal, i.e. how long after
    the polling process died another one takes polling over.
    """

    ctx: AppContext
    features: list[Feature]
    dispatcher: Dispatcher
    services: dict[str, Any]
    poll_lease_ttl: float = 10.0
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self, *, polling: bool = True) -> None:
        """Start every feature task and, unless told otherwise, long polling."""
        for feature in self.features:
            for task in feature.tasks:
                self._spawn(task(), f"{feature.name}:{task.__name__}")
        if polling:
            self._spawn(self._poll_with_lease(), "polling")

    def _spawn(self, coro: Any, name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        task.add_done_callback(_log_crash)
        self._tasks.append(task)

    async def _poll_with_lease(self) -> None:
        """Poll only while this process holds the `poller` lease (Telegram allows one poller).

        The lease lives in Redis with a real-time TTL, so it always uses the system clock.
        """
        from bot.delivery.lease import PollingLease

        lease = PollingLease(
            self.ctx.redis,
            self.ctx.keys,
            SystemClock(),
            holder_id=self.ctx.instance_id,
            ttl=self.poll_lease_ttl,
        )
        await lease.run_while_leader(self._poll, self.dispatcher.stop_polling)

    async def _poll(self) -> None:
        from bot.polling import wait_for_telegram

        await wait_for_telegram(self.ctx.bot, self.ctx.clock)
        await self.dispatcher.start_polling(
            self.ctx.bot,
            handle_signals=False,
            close_bot_session=False,
            polling_timeout=1,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
        )

    async def stop(self, timeout: float = 15.0) -> None:
        """Cancel polling and tasks (each cleans up after itself), run closers, close the bot.

        Redis stays open: its owner closes it. A task that does not finish within `timeout`
        is logged and left behind rather than hanging shutdown.
        """
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=timeout)
            for task in pending:
                log.warning("task %s did not stop within %.0f s", task.get_name(), timeout)
        self._tasks.clear()
        try:
            for feature in self.features:
                for closer in feature.closers:
                    await _guarded_close(closer, feature.name)
        finally:
            await self.ctx.bot.session.close()


async def _guarded_close(closer: Callable[[], Awaitable[None]], name: str) -> None:
    """Run one closer; a failing one is logged so the others (and the session) still close."""
    try:
        await closer()
    except Exception:
        log.exception("closing %s failed", name)


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task %s crashed", task.get_name(), exc_info=task.exception())


def build_application(
    settings: Settings,
    redis: Redis,
    *,
    token: str,
    api_url: str,
    clock: Clock | None = None,
) -> Application:
    """Assemble the bot against `api_url` (Telegram or the sandbox) and an open Redis."""
    ctx = AppContext(
        settings=settings,
        redis=redis,
        keys=Keys(settings.redis_prefix),
        clock=clock or SystemClock(),
        bot=create_bot(token, api_url),
        i18n=build_i18n(settings.default_locale),
    )
    features = build_features(ctx)
    services = workflow_data(features)
    dispatcher = create_dispatcher(ctx, **services)
    return Application(ctx=ctx, features=features, dispatcher=dispatcher, services=services)
