"""The delivery engine: claims jobs from the outbox, paces them, sends them, settles them.

One loop per process (`run`), any number of processes on one Redis:
1. claim a batch (channel lane first; the claim script drops pairs already published);
2. reserve send times for the whole batch from the shared rate limiter (one round trip);
   jobs that could not go within `horizon` seconds are given back (deferred), unsent;
3. send each job at its time, at most `concurrency` requests in flight;
4. settle outcomes (complete / retry / fail, with ledger entries and stats) in batches,
   group-committed: results that arrive while a settle is in flight go in the next one;
5. meanwhile renew the leases of jobs still held and reclaim other workers' expired leases.
When idle it sleeps on the injected clock until the next job is due, or until an enqueue
publishes on the wake channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from redis.exceptions import RedisError

from bot.clock import Clock
from bot.config import DeliverySettings
from bot.delivery.sender import Failed, Result, Retry, Sender, Sent
from storage.models.delivery import DeliveryJob
from storage.outbox import OutboxRepo, Settlement
from storage.ratelimit import RateLimiter

log = logging.getLogger(__name__)

ForbiddenHook = Callable[[int, DeliveryJob, str], Awaitable[None]]
MigrateHook = Callable[[int, int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """Tuning of one engine (the defaults suit production; tests shorten the times)."""

    batch_size: int = 200
    concurrency: int = 100
    lease_seconds: float = 30.0
    max_attempts: int = 8
    idle_poll: float = 1.0
    horizon: float = 2.0
    backoff_base: float = 1.0
    backoff_max: float = 300.0
    flush_delay: float = 0.003
    slowdown_factor: float = 2.0
    stop_grace: float = 5.0

    @classmethod
    def from_settings(cls, settings: DeliverySettings, **overrides: Any) -> EngineConfig:
        """The engine's part of `Settings.delivery` (plus explicit overrides)."""
        values: dict[str, Any] = {
            "lease_seconds": settings.lease_seconds,
            "max_attempts": settings.max_attempts,
        }
        values.update(overrides)
        return cls(**values)

    @property
    def capacity(self) -> int:
        """Jobs one engine holds at most (sending, waiting for their slot or to be settled)."""
        return 2 * (self.batch_size + self.concurrency)

    @property
    def queue_target(self) -> int:
        """Send tasks worth keeping (in flight plus waiting their turn): the pipe stays full."""
        return self.concurrency + self.batch_size


@dataclass(slots=True)
class EngineCounters:
    """What this engine did since it started (for the worker's log and the benchmarks)."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    deferred: int = 0
    rate_limited: int = 0


@dataclass(slots=True)
class _Hooks:
    forbidden: list[ForbiddenHook] = field(default_factory=list)
    migrate: list[MigrateHook] = field(default_factory=list)


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
        self._hooks = _Hooks()
        sender.on_migrate = self._run_migrate_hooks
        self._held: dict[str, DeliveryJob] = {}
        self._pending: list[Settlement] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._flusher: asyncio.Task[None] | None = None
        self._sem = asyncio.Semaphore(self.config.concurrency)
        self._room = asyncio.Event()
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._stopped = asyncio.Event()
        self._running = False

    # --- hooks --------------------------------------------------------------------------
    def add_forbidden_hook(self, hook: ForbiddenHook) -> None:
        """Call `hook(chat_id, job, description)` when Telegram refuses a chat for good (403:
        kicked, blocked, not an admin). Publishing deactivates the channel; subscribers
        unsubscribe the user. Hooks must be idempotent: each refused job calls them."""
        self._hooks.forbidden.append(hook)

    def add_migrate_hook(self, hook: MigrateHook) -> None:
        """Call `hook(old_chat_id, new_chat_id)` when a group turned into a supergroup."""
        self._hooks.migrate.append(hook)

    async def _run_migrate_hooks(self, old: int, new: int) -> None:
        for hook in list(self._hooks.migrate):
            await _guarded(hook(old, new), "migrate hook")

    async def _run_forbidden_hooks(self, job: DeliveryJob, description: str) -> None:
        for hook in list(self._hooks.forbidden):
            await _guarded(hook(job.chat_id, job, description), "forbidden hook")

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
        helpers = [asyncio.create_task(self._renew_loop(), name="delivery:renew")]
        if self._use_wake:
            helpers.append(asyncio.create_task(self._listen(), name="delivery:wake"))
        try:
            await self._loop()
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)
            await self._finish()
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
                if not self._held and not self._pending and await self.outbox.is_empty():
                    return True
                if runner is not None and runner.done():
                    runner.result()
                await asyncio.sleep(0.02)
            return False
        finally:
            if runner is not None:
                await self.stop()
                await runner

    async def run_once(self, limit: int | None = None) -> int:
        """Claim one batch, deliver it and settle it; returns how many jobs were claimed.

        For tests in virtual time: no background tasks, nothing left running afterwards.
        """
        now = self.clock.time()
        await self.outbox.reclaim_expired(now)
        result = await self.outbox.claim_batch(
            now, limit or self.config.batch_size, self.worker_id, self.config.lease_seconds
        )
        if result.jobs:
            await self._dispatch(result.jobs, now)
            await self._settle_all()
        return len(result.jobs)

    # --- the loop -----------------------------------------------------------------------
    async def _loop(self) -> None:
        next_reclaim = 0.0
        while not self._stop.is_set():
            now = self.clock.time()
            if now >= next_reclaim:
                await self._reclaim(now)
                next_reclaim = now + self._reclaim_interval()
            room = self._room_to_claim()
            if room < max(1, self.config.batch_size // 4):
                self._room.clear()
                await self._wait(self.config.idle_poll, self._room)
                continue
            await self._claim_and_dispatch(now, room)

    def _room_to_claim(self) -> int:
        cfg = self.config
        return min(cfg.capacity - len(self._held), cfg.queue_target - len(self._tasks))

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
            pace = self.limiter.limits.pace_per_sec * self._horizon()
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

    def _horizon(self) -> float:
        return max(0.05, min(self.config.horizon, self.config.lease_seconds / 2))

    def _reclaim_interval(self) -> float:
        return max(0.1, min(self.config.lease_seconds / 4, 5.0))

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
        """Reserve rate for the batch, start a send task per granted job, give back the rest.

        Returns the moment worth claiming again when some jobs had to be given back.
        """
        self.counters.claimed += len(jobs)
        await self.sender.prepare(jobs)
        reservations = await self.limiter.reserve(
            [job.chat_id for job in jobs], now, horizon=self._horizon()
        )
        earliest: float | None = None
        for job, reservation in zip(jobs, reservations, strict=True):
            self._held[job.id] = job
            if reservation.granted:
                self._spawn(self._deliver(job, reservation.delay))
                continue
            self.counters.deferred += 1
            self._queue(self.outbox.deferral(job, now + reservation.delay))
            earliest = reservation.delay if earliest is None else min(earliest, reservation.delay)
        if earliest is None:
            return None
        return now + max(0.0, earliest - self._horizon() / 2)  # half a horizon opens up

    def _release_unstarted(self, jobs: list[DeliveryJob]) -> None:
        for job in jobs:
            self._held.pop(job.id, None)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, job: DeliveryJob, delay: float) -> None:
        try:
            if delay > 0.0005:
                await self.clock.sleep(delay)
            async with self._sem:
                result = await self.sender.deliver(job)
            self._room.set()
            await self._handle(job, result)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("delivery of job %s crashed", job.id)
            await self._handle_retry(job, Retry("internal", repr(exc)), self.clock.time())

    async def _handle(self, job: DeliveryJob, result: Result) -> None:
        now = self.clock.time()
        if isinstance(result, Sent):
            self.counters.sent += 1
            self._queue(self.outbox.completion(job, result.message_id, now, detail=result.detail))
        elif isinstance(result, Retry):
            await self._handle_retry(job, result, now)
        else:
            await self._handle_failure(job, result, now)

    async def _handle_retry(self, job: DeliveryJob, result: Retry, now: float) -> None:
        if result.retry_after is not None:
            self.counters.rate_limited += 1
            wait = max(1.0, result.retry_after)
            log.warning("429 for chat %s (job %s): waiting %.0f s", job.chat_id, job.id, wait)
            await self._penalize(job.chat_id, wait, now)
            self._queue(self.outbox.retrial(job, now + wait, "retry_after", now, count=False))
            return
        if job.attempts + 1 >= self.config.max_attempts:
            await self._handle_failure(job, Failed(result.error, result.description), now)
            return
        self.counters.retried += 1
        at = now + self._backoff(job.attempts + 1)
        log.info("job %s: %s (%s); retry at +%.1f s", job.id, result.error, result.description,
                 at - now)  # fmt: skip
        self._queue(self.outbox.retrial(job, at, result.error, now))

    async def _penalize(self, chat_id: int, wait: float, now: float) -> None:
        try:
            await self.limiter.pause_chat(chat_id, wait, now)
            await self.limiter.slow_down(self.config.slowdown_factor, max(10.0, 2 * wait), now)
        except RedisError:
            log.exception("could not record a flood wait for chat %s", chat_id)

    async def _handle_failure(self, job: DeliveryJob, result: Failed, now: float) -> None:
        self.counters.failed += 1
        log.warning("job %s to chat %s failed: %s (%s)", job.id, job.chat_id, result.reason,
                    result.description)  # fmt: skip
        self._queue(self.outbox.failure(job, result.reason, now, result.description))
        if result.reason == "forbidden":
            await self._run_forbidden_hooks(job, result.description)

    def _backoff(self, attempt: int) -> float:
        base = min(self.config.backoff_max, self.config.backoff_base * 2.0 ** (attempt - 1))
        return base * random.uniform(0.5, 1.5)

    # --- settling -----------------------------------------------------------------------
    def _queue(self, settlement: Settlement) -> None:
        self._pending.append(settlement)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        await asyncio.sleep(self.config.flush_delay)
        failures = 0
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self.outbox.settle(batch, self.clock.time())
            except RedisError:
                failures += 1
                log.exception("settling %d delivery outcomes failed (try %d)", len(batch), failures)
                self._pending[:0] = batch
                if failures >= 20:
                    return
                await asyncio.sleep(min(2.0, 0.05 * failures))
                continue
            for settlement in batch:
                self._held.pop(settlement.job.id, None)
            self._room.set()

    async def _settle_all(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        while self._flusher is not None and not self._flusher.done():
            await self._flusher
        if self._pending:
            self._flusher = None
            await self._flush()

    async def _finish(self) -> None:
        if self._tasks:
            _, late = await asyncio.wait(list(self._tasks), timeout=self.config.stop_grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        await self._settle_all()

    # --- background helpers -------------------------------------------------------------
    async def _renew_loop(self) -> None:
        interval = self.config.lease_seconds / 3
        while True:
            await self.clock.sleep(interval)
            if not self._held:
                continue
            expiry = self.clock.time() + self.config.lease_seconds
            try:
                lost = await self.outbox.renew(list(self._held.values()), self.worker_id, expiry)
            except RedisError:
                log.exception("renewing delivery leases failed")
                continue
            if lost:
                log.warning("lost the lease of %d jobs (taken over): %s", len(lost), lost[:5])

    async def _listen(self) -> None:
        pubsub = self.outbox.redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self.outbox.keys.outbox_wake())
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    self._wake.set()
        except RedisError:
            log.exception("wake channel lost; falling back to polling")
        finally:
            with contextlib.suppress(RedisError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]


async def _guarded(call: Awaitable[None], what: str) -> None:
    try:
        await call
    except Exception:
        log.exception("%s failed", what)
