"""Outcome recording: what a send's result means for its job, and who is told.

`Sent` completes the job; `Retry` waits (Telegram's flood wait, which also slows the shared
limiter, or an exponential backoff) until `max_attempts` turns it into a failure; `Failed`
gives up, and a refused chat (`forbidden`) calls the forbidden hooks.

A flood wait pauses the chat in the shared limiter (for later reservations, in every
process) and in `paused` (this process's jobs already given a send time wait too).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from redis.exceptions import RedisError

from bot.clock import Clock
from bot.delivery.engine_config import EngineConfig, EngineCounters
from bot.delivery.sender import Failed, Result, Retry, Sent
from bot.delivery.settling import Settler
from storage.models.delivery import DeliveryJob
from storage.outbox import OutboxRepo, Settlement
from storage.ratelimit import RateLimiter

log = logging.getLogger(__name__)

ForbiddenHook = Callable[[int, DeliveryJob, str], Awaitable[None]]
MigrateHook = Callable[[int, int], Awaitable[None]]
CompletedHook = Callable[[DeliveryJob, int | None], Awaitable[None]]


@dataclass(slots=True)
class Hooks:
    """The callbacks other features registered on the engine."""

    forbidden: list[ForbiddenHook] = field(default_factory=list)
    migrate: list[MigrateHook] = field(default_factory=list)
    completed: list[CompletedHook] = field(default_factory=list)

    async def run_migrate(self, old: int, new: int) -> None:
        """Tell every migrate hook that chat `old` is now `new` (a failing hook is logged)."""
        for hook in list(self.migrate):
            await _guarded(hook(old, new), "migrate hook")

    async def run_completed(self, settlements: Sequence[Settlement]) -> None:
        """Tell every completed hook about each settled job Telegram accepted (with the
        message id; its ledger entry is written by then). A failing hook is logged."""
        if not self.completed:
            return
        for settlement in settlements:
            if settlement.op != "c":
                continue
            message_id = None if settlement.at == "null" else int(settlement.at)
            for hook in list(self.completed):
                await _guarded(hook(settlement.job, message_id), "completed hook")

    async def run_forbidden(self, job: DeliveryJob, description: str) -> None:
        """Tell every forbidden hook that Telegram refused the job's chat for good."""
        for hook in list(self.forbidden):
            await _guarded(hook(job.chat_id, job, description), "forbidden hook")


class Outcomes:
    """Turns send results into settlements (and counters, limiter penalties, hook calls)."""

    def __init__(
        self,
        *,
        outbox: OutboxRepo,
        limiter: RateLimiter,
        clock: Clock,
        config: EngineConfig,
        counters: EngineCounters,
        settler: Settler,
        hooks: Hooks,
    ) -> None:
        self.outbox = outbox
        self.limiter = limiter
        self.clock = clock
        self.config = config
        self.counters = counters
        self.settler = settler
        self.hooks = hooks
        self.paused: dict[int, float] = {}

    def sent(self, job: DeliveryJob, result: Sent) -> None:
        """Record that Telegram accepted `job` (no waiting: the common case stays cheap)."""
        self.counters.sent += 1
        completion = self.outbox.completion(
            job, result.message_id, self.clock.time(), result.detail
        )
        self.settler.queue(completion)

    async def handle(self, job: DeliveryJob, result: Result) -> None:
        """Record what one send attempt of `job` came to."""
        now = self.clock.time()
        if isinstance(result, Sent):
            self.sent(job, result)
        elif isinstance(result, Retry):
            await self.retry(job, result, now)
        else:
            await self.failure(job, result, now)

    async def retry(self, job: DeliveryJob, result: Retry, now: float) -> None:
        """Schedule another attempt (or give up after `max_attempts`; 429s do not count)."""
        if result.retry_after is not None:
            wait = await self.flood_wait(job.chat_id, result.retry_after, now)
            self.settler.queue(
                self.outbox.retrial(job, now + wait, "retry_after", now, count=False)
            )
            return
        if job.attempts + 1 >= self.config.max_attempts:
            await self.failure(job, Failed(result.error, result.description), now)
            return
        self.counters.retried += 1
        at = now + self._backoff(job.attempts + 1)
        log.info("job %s: %s (%s); retry at +%.1f s", job.id, result.error, result.description,
                 at - now)  # fmt: skip
        self.settler.queue(self.outbox.retrial(job, at, result.error, now))

    async def failure(self, job: DeliveryJob, result: Failed, now: float) -> None:
        """Give up on `job`; a refused chat calls the forbidden hooks."""
        self.counters.failed += 1
        log.warning("job %s to chat %s failed: %s (%s)", job.id, job.chat_id, result.reason,
                    result.description)  # fmt: skip
        self.settler.queue(self.outbox.failure(job, result.reason, now, result.description))
        if result.reason == "forbidden":
            await self.hooks.run_forbidden(job, result.description)

    async def flood_wait(self, chat_id: int, retry_after: float, now: float | None = None) -> float:
        """Telegram said 429 for `chat_id`: pause the chat, slow the global pace; the wait."""
        now = self.clock.time() if now is None else now
        self.counters.rate_limited += 1
        wait = max(1.0, retry_after)
        log.warning("429 for chat %s: waiting %.0f s", chat_id, wait)
        self.paused[chat_id] = max(self.paused.get(chat_id, 0.0), now + wait)
        await self._penalize(chat_id, wait, now)
        return wait

    def paused_until(self, chat_id: int, now: float) -> float | None:
        """When this process may send to `chat_id` again after a flood wait (None: now)."""
        until = self.paused.get(chat_id)
        if until is None:
            return None
        if until <= now:
            del self.paused[chat_id]
            return None
        return until

    async def _penalize(self, chat_id: int, wait: float, now: float) -> None:
        try:
            await self.limiter.pause_chat(chat_id, wait, now)
            await self.limiter.slow_down(self.config.slowdown_factor, max(10.0, 2 * wait), now)
        except RedisError:
            log.exception("could not record a flood wait for chat %s", chat_id)

    def _backoff(self, attempt: int) -> float:
        base = min(self.config.backoff_max, self.config.backoff_base * 2.0 ** (attempt - 1))
        return base * random.uniform(0.5, 1.5)


async def _guarded(call: Awaitable[None], what: str) -> None:
    try:
        await call
    except Exception:
        log.exception("%s failed", what)
