"""The delivery engine's tuning (`EngineConfig`) and its running tally (`EngineCounters`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.config import DeliverySettings


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
    send_tick: float = 0.02  # paced sends are released on this grid (never before their slot)

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

    @property
    def horizon_seconds(self) -> float:
        """How far ahead the engine books send times (at most half a lease)."""
        return max(0.05, min(self.horizon, self.lease_seconds / 2))

    @property
    def reclaim_interval(self) -> float:
        """How often the engine looks for other workers' expired leases."""
        return max(0.1, min(self.lease_seconds / 4, 5.0))


@dataclass(slots=True)
class EngineCounters:
    """What this engine did since it started (for the worker's log and the benchmarks)."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    deferred: int = 0
    rate_limited: int = 0
