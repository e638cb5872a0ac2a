"""The delivery engine: claims jobs from the outbox, paces them, sends them, settles them.

One loop per process (`run`), any number of processes on one Redis:
1. claim a batch (channel lane first; the claim script drops pairs already published);
2. reserve send times for the whole batch from the shared rate limiter (one round trip);
   jobs that could not go within `horizon` seconds are given back (deferred), unsent;
3. send each job at its time: the send pipe (`pipe.py`) releases each tick's jobs together
   to a pool of `concurrency` workers (no task or timer per message);
4. settle outcomes (complete / retry / fail, with ledger entries and stats) in batches,
   group-committed: results that arrive while a settle is in flight go in the next one;
5. meanwhile renew the leases of jobs still held and reclaim other workers' expired leases.
When idle it sleeps on the injected clock until the next job is due, or until an enqueue
publishes on the wake channel.

This module owns the loop and the batches; the tuning lives in `engine_config.py`, the
release of paced sends in `pipe.py`, outcome recording in `outcomes.py`, group-committed
settling in `settling.py`, and lease renewal and the wake listener in `background.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from uuid import uuid4

from redis.exceptions import RedisError

from bot.clock import Clock
from bot.delivery.background import listen_for_wake, renew_leases
from bot.delivery.engine_config import EngineConfig, EngineCounters
from bot.delivery.outcomes import CompletedHook, ForbiddenHook, Hooks, MigrateHook, Outcomes
from bot.delivery.pipe import SendPipe
from bot.delivery.send_checks import SendCheck, SendChecks
from bot.delivery.sender import Result, Retry, Sender, Sent
from bot.delivery.settling import Settler
from storage.models.delivery import DeliveryJob
from storage.outbox import OutboxRepo
from storage.ratelimit import RateLimiter

log = logging.getLogger(__name__)

__all__ = [
    "CompletedHook",
    "DeliveryEngine",
    "EngineConfig",
    "EngineCounters",
    "ForbiddenHook",
    "MigrateHook",
]


class DeliveryEngine:
    """Delivers what the outbox holds, at Telegram's pace, exactly once per ledger pair."""

    def __init__(
        self,
        *,
        outbox: OutboxRepo,
        limiter: RateLimiter,
        sender: Sender,
        clock: Clock,
        config: EngineConfig | None = None,
        worker_id: str | None = None,
        wake: bool = True,
    ) -> None:
        self.outbox = outbox
        self.limiter = limiter
        self.sender = sender
        self.clock = clock
        self.config = config or EngineConfig()
        self.worker_id = worker_id or uuid4().hex[:12]
        self.counters = EngineCounters()
        self._use_wake = wake
        self._hooks = Hooks()
        sender.on_migrate = self._hooks.run_migrate
        sender.pace = self._pace_extra_request
        self._held: dict[str, DeliveryJob] = {}
        self._pipe = SendPipe(clock, self.config.send_tick)
        self._room = asyncio.Event()
        self._settler = Settler(
            outbox=outbox,
            clock=clock,
            held=self._held,
            room=self._room,
            flush_delay=self.config.flush_delay,
            on_settled=self._hooks.run_completed,
        )
        self._outcomes = Outcomes(
            outbox=outbox,
            limiter=limiter,
            clock=clock,
            config=self.config,
            counters=self.counters,
            settler=self._settler,
            hooks=self._hooks,
        )
        sender.on_flood = self._flood_on_extra_request
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._stopped = asyncio.Event()
        self._running = False
        self._send_checks = SendChecks()

    # --- hooks --------------------------------------------------------------------------
    def add_forbidden_hook(self, hook: ForbiddenHook) -> None:
        """Call `hook(chat_id, job, description)` when Telegram refuses a chat for good (403:
        kicked, blocked, not an admin). Publishing deactivates the channel; subscribers
        unsubscribe the user. Hooks must be idempotent: each refused job calls them."""
        self._hooks.forbidden.append(hook)

    def add_migrate_hook(self, hook: MigrateHook) -> None:
        """Call `hook(old_chat_id, new_chat_id)` when a group turned into a supergroup."""
        self._hooks.migrate.append(hook)

    def add_completed_hook(self, hook: CompletedHook) -> None:
        """Call `hook(job, message_id)` after a job Telegram accepted is settled (its ledger
        entry written). Publishing follows up a copy whose article changed or was retracted
        while it was being sent. Hooks must be quick and idempotent."""
        self._hooks.completed.append(hook)

    def add_send_check(self, check: SendCheck) -> None:
        """Run `check(jobs) -> {job_id: reason}` on every claimed batch before it is sent; the
        jobs it names are settled unsent as `skipped` (ledger reason, stats). Subscribers drop
        a deferred push whose reader unsubscribed meanwhile. A failing check drops nothing."""
        self._send_checks.add(check)

    # --- lifecycle ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True while `run` is looping."""
        return self._running

    async def run(self) -> None:
        """The worker loop; returns after `stop()` (or raises CancelledError when cancelled),
        having let in-flight sends finish (up to `stop_grace`) and settled their outcomes."""
        if self._running:
            raise RuntimeError("delivery engine already running")
        self._running = True
        self._stop.clear()
        self._stopped.clear()
        renew = renew_leases(
            self.outbox, self.clock, self._held, self.worker_id, self.config.lease_seconds
        )
        helpers = [asyncio.create_task(renew, name="delivery:renew")]
        if self._use_wake:
            wake = listen_for_wake(self.outbox, self._wake)
            helpers.append(asyncio.create_task(wake, name="delivery:wake"))
        self._pipe = SendPipe(self.clock, self.config.send_tick)
        workers = [asyncio.create_task(self._work(), name="delivery:send")
                   for _ in range(self.config.concurrency)]  # fmt: skip
        try:
            await self._loop()
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)
            await self._finish(workers)
            self._running = False
            self._stopped.set()

    async def stop(self, timeout: float | None = None) -> None:
        """Ask the loop to finish and wait until it has (in-flight sends complete first)."""
        self._stop.set()
        if self._running:
            limit = timeout if timeout is not None else self.config.stop_grace + 5.0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), limit)

    async def drain(self, timeout: float = 10.0) -> bool:
        """Deliver until nothing is waiting or in flight (a test helper); True when empty.

        Starts the loop if it is not running (and stops it again before returning).
        """
        runner = None if self._running else asyncio.create_task(self.run())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while loop.time() < deadline:
                if not self._held and not self._settler.pending and await self.outbox.is_empty():
                    return True
                if runner is not None and runner.done():
                    runner.result()
                await asyncio.sleep(0.02)
            return False
        finally:
            if runner is not None:
                await self.stop()
                await runner

    # --- the loop -----------------------------------------------------------------------
    async def _loop(self) -> None:
        next_reclaim = 0.0
        while not self._stop.is_set():
            now = self.clock.time()
            if now >= next_reclaim:
                await self._reclaim(now)
                next_reclaim = now + self.config.reclaim_interval
            room = self._room_to_claim()
            if room < self._claim_threshold():
                self._room.clear()
                await self._wait(self.config.idle_poll, self._room)
                continue
            await self._claim_and_dispatch(now, room)

    def _claim_threshold(self) -> int:
        """Claim only when at least this many jobs fit (a quarter batch): fewer, fuller claims."""
        return max(1, self.config.batch_size // 4)

    def _note_room(self) -> None:
        """Wake the claiming loop, but only once a claim is worth making."""
        if self._room_to_claim() >= self._claim_threshold():
            self._room.set()

    def _room_to_claim(self) -> int:
        cfg = self.config
        return min(cfg.capacity - len(self._held), cfg.queue_target - self._pipe.size)

    async def _claim_and_dispatch(self, now: float, room: int) -> None:
        self._wake.clear()
        try:
            result = await self.outbox.claim_batch(
                now, self._claim_limit(room), self.worker_id, self.config.lease_seconds
            )
        except RedisError:
            log.exception("claiming delivery jobs failed; retrying")
            await self._wait(self.config.idle_poll)
            return
        if result.jobs:
            try:
                resume_at = await self._dispatch(result.jobs, now)
            except RedisError:
                log.exception("reserving rate for %d jobs failed; their leases will expire "
                              "and they will be taken again", len(result.jobs))  # fmt: skip
                self._release_unstarted(result.jobs)
                await self._wait(self.config.idle_poll)
                return
            if resume_at is not None:  # the pace is booked up to the horizon: no point
                await self._wait(resume_at - self.clock.time())  # claiming before then
            return
        await self._idle(result.next_due, now)

    def _claim_limit(self, room: int) -> int:
        limit = min(room, self.config.batch_size)
        if self.limiter.limits.enabled:
            pace = self.limiter.limits.pace_per_sec * self.config.horizon_seconds
            limit = min(limit, max(1, math.ceil(pace)))
        return limit

    async def _idle(self, next_due: float | None, now: float) -> None:
        delay = self.config.idle_poll
        if next_due is not None:
            delay = min(delay, max(0.001, next_due - now))
        await self._wait(delay, self._wake)

    async def _wait(self, delay: float, *events: asyncio.Event) -> None:
        """Sleep `delay` seconds of clock time, or less if an event (or stop) fires."""
        if delay <= 0:
            await asyncio.sleep(0)
            return
        waiters = [asyncio.ensure_future(e.wait()) for e in (*events, self._stop)]
        sleeper = asyncio.ensure_future(self.clock.sleep(delay))
        try:
            await asyncio.wait([*waiters, sleeper], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (*waiters, sleeper):
                task.cancel()

    async def _reclaim(self, now: float) -> None:
        try:
            taken = await self.outbox.reclaim_expired(now)
        except RedisError:
            log.exception("reclaiming expired delivery leases failed")
            return
        if taken:
            log.warning("took over %d delivery jobs whose lease expired", taken)

    # --- one batch ----------------------------------------------------------------------
    async def _dispatch(self, jobs: list[DeliveryJob], now: float) -> float | None:
        """Reserve rate for the batch, put each granted job in the send pipe, give back the rest.

        Returns the moment worth claiming again when some jobs had to be given back.
        """
        self.counters.claimed += len(jobs)
        jobs = await self._without_unwanted(jobs, now)
        if not jobs:
            return None
        await self.sender.prepare(jobs)
        reservations = await self.limiter.reserve(
            [job.chat_id for job in jobs], now, horizon=self.config.horizon_seconds
        )
        earliest: float | None = None
        for job, reservation in zip(jobs, reservations, strict=True):
            self._held[job.id] = job
            if reservation.granted:
                self._pipe.put(job, now, reservation.delay)
                continue
            self.counters.deferred += 1
            self._settler.queue(self.outbox.deferral(job, now + reservation.delay))
            earliest = reservation.delay if earliest is None else min(earliest, reservation.delay)
        if earliest is None:
            return None
        half = self.config.horizon_seconds / 2  # half a horizon opens up
        return now + max(0.0, earliest - half)

    async def _without_unwanted(self, jobs: list[DeliveryJob], now: float) -> list[DeliveryJob]:
        """The batch minus the jobs a send check refuses (those are settled as `skipped`)."""
        if not self._send_checks.checks:
            return jobs
        unwanted = await self._send_checks.unwanted(jobs)
        kept: list[DeliveryJob] = []
        for job in jobs:
            reason = unwanted.get(job.id)
            if reason is None:
                kept.append(job)
                continue
            log.info("job %s to chat %s skipped: %s", job.id, job.chat_id, reason)
            self._held[job.id] = job
            self._settler.queue(self.outbox.skipping(job, reason, now))
        return kept

    def _release_unstarted(self, jobs: list[DeliveryJob]) -> None:
        for job in jobs:
            self._held.pop(job.id, None)

    async def _work(self) -> None:
        """One of `concurrency` workers: sends ready jobs one at a time until the pipe closes.

        A crash in the sender or in recording its outcome is logged and the job retried; it
        never takes the worker down.
        """
        while (job := await self._pipe.get()) is not None:
            try:
                result = None if self._held_back(job) else await self.sender.deliver(job)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.exception("delivery of job %s crashed", job.id)
                result = Retry("internal", repr(exc))
            self._pipe.done()
            self._note_room()
            if result is not None:
                await self._record(job, result)

    async def _record(self, job: DeliveryJob, result: Result) -> None:
        try:
            if isinstance(result, Sent):
                self._outcomes.sent(job, result)
            else:
                await self._outcomes.handle(job, result)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("recording the outcome of job %s crashed", job.id)
            await self._outcomes.retry(job, Retry("internal", repr(exc)), self.clock.time())

    def _held_back(self, job: DeliveryJob) -> bool:
        """Give the job back unsent if its chat got a flood wait after it was given its time."""
        now = self.clock.time()
        until = self._outcomes.paused_until(job.chat_id, now)
        if until is None:
            return False
        self.counters.deferred += 1
        self._settler.queue(self.outbox.deferral(job, until))
        self._room.set()
        return True

    async def _pace_extra_request(self, chat_id: int) -> None:
        """Wait for a limiter slot for a request beyond the job's own (pin, resend...)."""
        limits = self.limiter.limits
        if not limits.enabled:
            return
        try:
            delay = await self.limiter.acquire(chat_id, self.clock.time())
        except RedisError:
            log.exception("reserving a slot for an extra request to chat %s failed", chat_id)
            delay = 1.0 / limits.pace_per_sec
        if delay > 0.0005:
            await self.clock.sleep(delay)

    async def _flood_on_extra_request(self, chat_id: int, retry_after: float) -> None:
        await self._outcomes.flood_wait(chat_id, retry_after)

    # --- settling -----------------------------------------------------------------------
    async def _finish(self, workers: list[asyncio.Task[None]]) -> None:
        """Let the pipe run dry (up to `stop_grace`), give back what no worker took yet,
        stop the workers (a send still in flight then is cancelled: its lease expires and
        another worker takes the job over), and settle every outcome."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.config.stop_grace
        await self._pipe.wait_empty(self.config.stop_grace)
        unstarted = self._pipe.close(len(workers))
        now = self.clock.time()
        for job in unstarted:
            self.counters.deferred += 1
            self._settler.queue(self.outbox.deferral(job, now))
        _, late = await asyncio.wait(workers, timeout=max(0.1, deadline - loop.time()))
        for task in late:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        await self._settler.drain()
