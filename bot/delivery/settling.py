"""Group-committed settling: delivery outcomes go to the outbox in batches.

Results that arrive while a settle is in flight go in the next one, so a busy engine
writes many outcomes per round trip. A Redis failure keeps the batch and tries again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from redis.exceptions import RedisError

from bot.clock import Clock
from storage.models.delivery import DeliveryJob
from storage.outbox import OutboxRepo, Settlement

log = logging.getLogger(__name__)

_MAX_FAILURES = 20


class Settler:
    """Collects settlements and writes them in batches; settled jobs leave `held`."""

    def __init__(
        self,
        *,
        outbox: OutboxRepo,
        clock: Clock,
        held: dict[str, DeliveryJob],
        room: asyncio.Event,
        flush_delay: float,
        on_settled: Callable[[Sequence[Settlement]], Awaitable[None]] | None = None,
    ) -> None:
        self.outbox = outbox
        self.clock = clock
        self.held = held
        self.room = room
        self.flush_delay = flush_delay
        self.on_settled = on_settled
        self.pending: list[Settlement] = []
        self._flusher: asyncio.Task[None] | None = None

    def queue(self, settlement: Settlement) -> None:
        """Settle `settlement` with the next batch (starting a flush if none is running)."""
        self.pending.append(settlement)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        await asyncio.sleep(self.flush_delay)
        failures = 0
        while self.pending:
            batch, self.pending = self.pending, []
            try:
                await self.outbox.settle(batch, self.clock.time())
            except RedisError:
                failures += 1
                log.exception("settling %d delivery outcomes failed (try %d)", len(batch), failures)
                self.pending[:0] = batch
                if failures >= _MAX_FAILURES:
                    return
                await asyncio.sleep(min(2.0, 0.05 * failures))
                continue
            for settlement in batch:
                self.held.pop(settlement.job.id, None)
            self.room.set()
            if self.on_settled is not None:
                await self.on_settled(batch)

    async def drain(self) -> None:
        """Wait for the running flush, then write whatever is still pending."""
        while self._flusher is not None and not self._flusher.done():
            await self._flusher
        if self.pending:
            self._flusher = None
            await self._flush()
