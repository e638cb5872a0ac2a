"""Which process polls Telegram: one holder of the `poller` lease, the others only deliver.

Telegram answers a second concurrent getUpdates with 409, so with several processes on one
Redis exactly one polls. `PollingLease.run_while_leader` keeps trying to take the lease;
while it holds it, it runs `start_polling` and renews the lease every `ttl/3`; when a renewal
fails (it stalled past the TTL and another process took over) it calls `stop_polling`.
A process that dies simply stops renewing: the lease expires after `ttl` and a survivor
takes it over. On a clean exit the lease is released at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.clock import Clock
from storage.keys import Keys
from storage.leases import LeaseRepo

log = logging.getLogger(__name__)

POLLER = "poller"


class PollingLease:
    """The `poller` lease of one process (`holder_id` should be unique per process)."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        clock: Clock,
        holder_id: str,
        ttl: float = 10.0,
        *,
        name: str = POLLER,
    ) -> None:
        self.repo = LeaseRepo(redis, keys)
        self.clock = clock
        self.holder_id = holder_id
        self.ttl = ttl
        self.name = name
        self.is_leader = False

    async def try_acquire(self) -> bool:
        """Take the lease if it is free (or already ours)."""
        if await self.repo.acquire(self.name, self.holder_id, self.ttl):
            self.is_leader = True
        else:
            self.is_leader = await self.repo.renew(self.name, self.holder_id, self.ttl)
        return self.is_leader

    async def renew(self) -> bool:
        """Extend our lease; False when we no longer hold it."""
        self.is_leader = await self.repo.renew(self.name, self.holder_id, self.ttl)
        return self.is_leader

    async def release(self) -> None:
        """Give the lease up (only if it is ours), so another process can poll at once."""
        self.is_leader = False
        await self.repo.release(self.name, self.holder_id)

    async def holder(self) -> str | None:
        """Who polls right now, if anyone."""
        return await self.repo.holder(self.name)

    async def run_while_leader(
        self,
        start_polling: Callable[[], Awaitable[None]],
        stop_polling: Callable[[], Awaitable[None]],
    ) -> None:
        """Poll whenever we hold the lease, until cancelled; release it on the way out.

        `start_polling` is awaited as a task (it runs until stopped); `stop_polling` must
        make it return (e.g. `dispatcher.stop_polling`).
        """
        try:
            while True:
                if await self._safe(self.try_acquire()):
                    log.info("%s took the %s lease", self.holder_id, self.name)
                    await self._lead(start_polling, stop_polling)
                await self.clock.sleep(self.ttl / 3)
        finally:
            with contextlib.suppress(RedisError):
                await self.release()

    async def _lead(
        self,
        start_polling: Callable[[], Awaitable[None]],
        stop_polling: Callable[[], Awaitable[None]],
    ) -> None:
        poller = asyncio.ensure_future(start_polling())
        try:
            while not poller.done():
                await self.clock.sleep(self.ttl / 3)
                if not await self._safe(self.renew()):
                    log.warning("%s lost the %s lease; stopping polling", self.holder_id, self.name)
                    break
        finally:
            if not poller.done():
                try:
                    await stop_polling()
                except RuntimeError:  # not polling yet (still waiting for Telegram): cancel
                    poller.cancel()
                await asyncio.wait([poller], timeout=self.ttl)
                poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await _report(poller)
            self.is_leader = False

    async def _safe(self, call: Awaitable[bool]) -> bool:
        try:
            return await call
        except RedisError:
            log.exception("lease %s: Redis error", self.name)
            return False


async def _report(poller: asyncio.Future[None]) -> None:
    """Await the finished poller; an error that ended it is one log line with its reason."""
    try:
        await poller
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - any error ends polling: say which, then retry
        reason = " ".join(str(exc).split()) or type(exc).__name__
        log.warning("polling stopped: %s: %s", type(exc).__name__, reason)
