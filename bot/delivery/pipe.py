"""The send pipe: jobs the engine granted a send time, until a worker has sent them.

A job due now goes straight to the ready queue. A later one waits in the bucket of its
release tick: the first moment of the `send_tick` grid at or after its slot (never before,
so the pace holds). One sleeper per tick moves a whole bucket to the ready queue, so the
sends of one tick share one wake-up, and no job needs a task, a timer or a future of its
own. A fixed pool of workers (the engine's `concurrency`) takes jobs from the ready queue
in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Awaitable

from bot.clock import Clock
from storage.models.delivery import DeliveryJob

_NOW = 0.0005  # a job due within half a millisecond goes at once


class SendPipe:
    """Granted jobs: waiting for their tick, ready, or being sent (`size` counts them all)."""

    def __init__(self, clock: Clock, tick: float) -> None:
        self.clock = clock
        self.tick = tick
        self.size = 0
        self._ready: asyncio.Queue[DeliveryJob | None] = asyncio.Queue()
        self._buckets: dict[float, list[DeliveryJob]] = {}
        self._sleepers: set[asyncio.Task[None]] = set()
        self._empty = asyncio.Event()
        self._empty.set()

    def put(self, job: DeliveryJob, now: float, delay: float) -> None:
        """Send `job` `delay` seconds after `now` (at the next tick), or at once."""
        self.size += 1
        self._empty.clear()
        if delay <= _NOW:
            self._ready.put_nowait(job)
            return
        at = self.release_time(now + delay)
        bucket = self._buckets.get(at)
        if bucket is None:
            bucket = self._buckets[at] = []
            sleeper = asyncio.create_task(self._release(at), name="delivery:tick")
            self._sleepers.add(sleeper)
            sleeper.add_done_callback(self._sleepers.discard)
        bucket.append(job)

    def release_time(self, slot: float) -> float:
        """When a send booked for `slot` goes: the next tick at or after it."""
        return math.ceil(slot / self.tick) * self.tick if self.tick > 0 else slot

    def get(self) -> Awaitable[DeliveryJob | None]:
        """The next ready job, in order (None: the pipe is closed, the worker stops); the
        queue's own awaitable, not a coroutine around it."""
        return self._ready.get()

    def done(self) -> None:
        """A worker finished with one job (sent, held back or crashed)."""
        self.size -= 1
        if self.size <= 0:
            self._empty.set()

    async def wait_empty(self, timeout: float) -> bool:
        """Wait until every job was sent (True), or `timeout` seconds of loop time."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._empty.wait(), timeout)
        return self._empty.is_set()

    def close(self, workers: int) -> list[DeliveryJob]:
        """Stop releasing; the jobs no worker took yet (to be given back), in order.

        `workers` stop signals follow, so each idle worker returns once it is free.
        """
        for sleeper in list(self._sleepers):
            sleeper.cancel()
        unstarted: list[DeliveryJob] = []
        while not self._ready.empty():
            job = self._ready.get_nowait()
            if job is not None:
                unstarted.append(job)
        for at in sorted(self._buckets):
            unstarted += self._buckets.pop(at)
        self.size -= len(unstarted)
        for _ in range(workers):
            self._ready.put_nowait(None)
        return unstarted

    async def _release(self, at: float) -> None:
        await self.clock.sleep(at - self.clock.time())
        for job in self._buckets.pop(at, ()):
            self._ready.put_nowait(job)
