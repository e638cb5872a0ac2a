"""The APScheduler driver: fire `PublishingService.tick` at slot times, and now and then.

Every decision lives in `tick(now)`; this module only decides WHEN to call it:
- one CronTrigger job per distinct (time zone, slot time) of the active channels, so a
  slot fires on the second (channels sharing a slot share the job);
- a periodic safety tick that also re-syncs those jobs with the channels in Redis (other
  processes may have changed slots) and catches anything a missed trigger left behind;
- a one-off "wake" job at the earliest timed or interval post.
Ticks in one process never overlap: a tick asked for while one runs runs right after it.
Several processes may run this at once; the tick itself is atomic.

The scheduler is a `ClockScheduler` (an AsyncIOScheduler on the injected clock), and every
trigger's start is taken from that clock, so a day of slots runs in virtual time in tests.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from redis.exceptions import RedisError

from bot.clock import Clock
from bot.publishing.clock_scheduler import ClockScheduler
from bot.publishing.service import PublishingService
from bot.publishing.slots import format_time, parse_time

log = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
RETRY_FIRST = 1.0  # seconds until a failed tick is tried again; doubles up to RETRY_MAX
RETRY_MAX = 4.0


class PublishingScheduler:
    """Runs an `AsyncIOScheduler` whose jobs call the publisher's tick."""

    def __init__(
        self, publisher: PublishingService, clock: Clock, *, safety_seconds: float = 15.0
    ) -> None:
        self.publisher = publisher
        self.clock = clock
        self.safety_seconds = safety_seconds
        self.ticks = 0
        self._scheduler: ClockScheduler | None = None
        self._slot_jobs: set[str] = set()
        self._lock = asyncio.Lock()
        self._sync_lock = asyncio.Lock()
        self._again = False
        self._dirty = False
        self._resyncing = False
        self._failures = 0

    async def run(self) -> None:
        """The feature task: start the scheduler and keep it until cancelled."""
        scheduler = ClockScheduler(self.clock, timezone=UTC, job_defaults=JOB_DEFAULTS)
        scheduler.start()
        self._scheduler = scheduler
        now = self.clock.now()
        scheduler.add_job(
            self.safety_tick,
            IntervalTrigger(seconds=self.safety_seconds, timezone=UTC, start_date=now),
            id="safety",
            next_run_time=now,
        )
        try:
            await asyncio.Event().wait()
        finally:
            self._scheduler = None
            self._slot_jobs.clear()
            await scheduler.aclose()

    def slot_jobs(self) -> set[str]:
        """Ids of the slot jobs currently scheduled (for tests and diagnostics)."""
        return set(self._slot_jobs)

    async def safety_tick(self) -> None:
        """Re-sync slot jobs with Redis, then tick."""
        try:
            await self.sync()
        except RedisError as exc:
            self._retry_soon(exc)
            return
        await self.tick()

    def request_sync(self) -> None:
        """Change listener: settings changed in this process; re-sync and tick soon.

        Requests coalesce: one resync job runs at a time and goes round again if more
        changes arrived meanwhile.
        """
        self._dirty = True
        if self._scheduler is not None and not self._resyncing:
            self._resyncing = True
            self._scheduler.add_job(
                self._resync,
                DateTrigger(run_date=self.clock.now()),
                id="resync",
                replace_existing=True,
            )

    async def _resync(self) -> None:
        try:
            while self._dirty:
                self._dirty = False
                await self.safety_tick()
        finally:
            self._resyncing = False

    async def sync(self) -> None:
        """Make the slot jobs match the slots of active, unpaused channels."""
        async with self._sync_lock:
            await self._sync()

    async def _sync(self) -> None:
        scheduler = self._scheduler
        if scheduler is None:
            return
        wanted: dict[str, CronTrigger] = {}
        for channel in await self.publisher.channels.active():
            if channel.paused:
                continue
            for slot in channel.slots:
                when = parse_time(slot)
                job_id = f"slot {channel.timezone} {format_time(when)}"
                wanted[job_id] = CronTrigger(
                    hour=when.hour,
                    minute=when.minute,
                    second=when.second,
                    timezone=ZoneInfo(channel.timezone),
                )
        for job_id in self._slot_jobs - wanted.keys():
            scheduler.remove_job(job_id)
        for job_id in wanted.keys() - self._slot_jobs:
            scheduler.add_job(self.tick, wanted[job_id], id=job_id)
        self._slot_jobs = set(wanted)

    async def tick(self) -> None:
        """Serve what is due now; never two at once in this process (a request while busy
        makes the running tick go round once more)."""
        if self._lock.locked():
            self._again = True
            return
        try:
            async with self._lock:
                self._again = True
                while self._again:
                    self._again = False
                    report = await self.publisher.tick(self.clock.now())
                    self.ticks += 1
                    if report.dispatched or report.skipped:
                        log.info(
                            "tick: %d dispatched, %d skipped",
                            len(report.dispatched),
                            len(report.skipped),
                        )
            await self._plan_wake()
        except RedisError as exc:
            self._retry_soon(exc)
        else:
            self._failures = 0

    def _retry_soon(self, exc: RedisError) -> None:
        """Redis failed this tick: one log line, and the tick again shortly (not only at the
        next safety tick), so posts due meanwhile go out as soon as Redis is back."""
        self._failures += 1
        delay = min(RETRY_MAX, RETRY_FIRST * 2 ** (self._failures - 1))
        reason = " ".join(str(exc).split()) or type(exc).__name__
        log.warning("publishing tick failed (Redis: %s); trying again in %.0f s", reason, delay)
        if self._scheduler is not None:
            run_at = self.clock.now() + timedelta(seconds=delay)
            self._scheduler.add_job(
                self.tick, DateTrigger(run_date=run_at), id="retry", replace_existing=True
            )

    async def _plan_wake(self) -> None:
        """A one-off job at the earliest timed or interval post (the safety tick backs it up)."""
        scheduler = self._scheduler
        due = await self.publisher.next_due()
        delay = None if due is None else due - self.clock.time()
        if scheduler is None or delay is None or delay <= 0:
            return  # nothing ahead, or due but held (paused, quiet): the safety tick retries
        run_at = self.clock.now() + timedelta(seconds=delay)
        scheduler.add_job(self.tick, DateTrigger(run_date=run_at), id="wake", replace_existing=True)
