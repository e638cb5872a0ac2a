"""APScheduler's `AsyncIOScheduler`, keeping time with an injected `Clock`.

APScheduler 3 reads the wall clock itself: `BaseScheduler` calls `datetime.now()` when it
adds a job and when it looks for due jobs, and `AsyncIOScheduler` waits with the event
loop's `call_later`. `ClockScheduler` runs APScheduler's own code for those methods against
the injected clock instead: each is rebuilt once per scheduler from upstream's code object
with a namespace in which `datetime.now()` is the clock's time (upstream's logic, not a
copy of it), and the timer sleeps on the clock.

With `SystemClock` this is a plain AsyncIOScheduler. With `VirtualClock` the job store,
the triggers' fire times (CronTrigger in a channel's zone, IntervalTrigger, DateTrigger),
coalescing and the executor all work in virtual time: a trigger fires when a test moves
the clock past it. Jobs' triggers must not default to real time either: give
`IntervalTrigger` a `start_date` and `DateTrigger` a `run_date` from the clock.
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

import apscheduler.schedulers.base as upstream
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock

# The BaseScheduler methods that read the wall clock (a test checks this list is complete).
CLOCKED_METHODS = ("_process_jobs", "_real_add_job", "reschedule_job", "resume_job")


def clock_datetime(clock: Clock) -> type[datetime]:
    """A `datetime` class whose `now()` is the clock's time (for APScheduler's namespace)."""

    class ClockDatetime(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            moment = clock.now()
            if tz is None:
                return moment.astimezone().replace(tzinfo=None)
            return moment.astimezone(tz)

    return ClockDatetime


def on_clock(method: Callable[..., Any], clock: Clock) -> Callable[..., Any]:
    """`method` (a BaseScheduler function) with `datetime` meaning the clock's datetime."""
    namespace = {**vars(upstream), "datetime": clock_datetime(clock)}
    rebuilt = types.FunctionType(
        method.__code__, namespace, method.__name__, method.__defaults__, method.__closure__
    )
    rebuilt.__kwdefaults__ = method.__kwdefaults__
    return rebuilt


class ClockScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """An AsyncIOScheduler whose "now" and whose timer are the injected clock's."""

    def __init__(self, clock: Clock, **options: Any) -> None:
        super().__init__(**options)
        self.clock = clock
        self._sleeper: asyncio.Task[None] | None = None
        self._sleepers: set[asyncio.Task[None]] = set()
        for name in CLOCKED_METHODS:
            rebuilt = on_clock(getattr(upstream.BaseScheduler, name), clock)
            setattr(self, name, types.MethodType(rebuilt, self))

    def _start_timer(self, wait_seconds: float | None) -> None:
        """Wake up after `wait_seconds` of the clock's time (None: when a job is added)."""
        self._stop_timer()
        if wait_seconds is not None:
            task = self._eventloop.create_task(self._wake_after(wait_seconds))
            self._sleeper = task
            self._sleepers.add(task)
            task.add_done_callback(self._sleepers.discard)

    def _stop_timer(self) -> None:
        if self._sleeper is not None:
            self._sleeper.cancel()
            self._sleeper = None

    async def _wake_after(self, seconds: float) -> None:
        await self.clock.sleep(seconds)
        self._sleeper = None
        self.wakeup()

    async def aclose(self) -> None:
        """Shut down without waiting for running jobs, and let the timer task finish."""
        if self.running:
            self.shutdown(wait=False)
        await asyncio.sleep(0)  # the shutdown itself runs on the loop, soon
        self._stop_timer()
        await asyncio.gather(*self._sleepers, return_exceptions=True)
