"""The outbox's shared state: connection, key templates for the Lua scripts, the scripts.

`OutboxRepo` (`storage/outbox.py`) is assembled from parts that each own one idea:
enqueueing (`outbox_enqueue.py`), claiming and leases (`outbox_claim.py`) and outcomes
(`outbox_outcomes.py`); this base holds what they share.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from redis.asyncio import Redis

from storage import outbox_lua
from storage.keys import Keys
from storage.ledger import LOG_CAP, key_template
from storage.models.delivery import Lane
from storage.models.post import Post
from storage.stats import StatsRepo

LANES: tuple[Lane, Lane] = ("channel", "push")

ScriptArg = str | int | float
_SCRIPTS = ("ENQUEUE", "ENQUEUE_FANOUT", "CLAIM", "RECLAIM", "RENEW", "SETTLE", "REPLACE_PAYLOAD")


class OutboxCore:
    """Connection, key templates and registered scripts of the outbox."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        stats: StatsRepo | None = None,
        log_cap: int = LOG_CAP,
        done_ttl: float = 86400.0,
        time_source: Callable[[], float] | None = None,
    ) -> None:
        self.redis = redis
        self.keys = keys
        self._time = time_source or time.time
        self.stats = stats or StatsRepo(redis, keys, time_source=self._time)
        self.log_cap = log_cap
        self.done_ttl_ms = int(done_ttl * 1000)
        self._job_t = key_template(keys.outbox_job("@"))
        self._ledger_t = key_template(keys.ledger("@"))
        self._log_t = key_template(keys.ledger_log("@"))
        self._payload_t = key_template(keys.outbox_payload("@"))
        self._payloads: dict[str, tuple[str, Post]] = {}
        self._scripts = {
            name: redis.register_script(getattr(outbox_lua, name)) for name in _SCRIPTS
        }
        self._scripts["CANCEL"] = redis.register_script(outbox_lua.CANCEL)

    def _lane_keys(self) -> list[str]:
        return [self.keys.outbox_ready(lane) for lane in LANES]

    def _state_keys(self) -> list[str]:
        return [self.keys.outbox_inflight(), self.keys.outbox_owners(), self.keys.outbox_pairs()]

    def _record_keys(self, now: float) -> list[str]:
        """The day's stats, then the indexes the claim and settle scripts keep up to date."""
        return [
            self.stats.day_key(now), self.keys.ledger_index(), self.keys.ledger_unsummarised(),
            self.keys.stats_index(),
        ]  # fmt: skip

    def _now(self, now: float | None) -> float:
        return self._time() if now is None else now
