"""The durable outbox: every message Vestnik sends is a job in Redis until it has an outcome.

Layout (all names from `Keys`):
- `outbox_job(id)` STRING: the job as `DeliveryJob` JSON (fan-out jobs are tiny and point at
  a shared `outbox_payload(ref)`); after completion it stays as a tombstone for `done_ttl`
  so an idempotent re-enqueue of the same id is a no-op (fan-out jobs rely on the ledger).
- `outbox_ready(lane)` ZSET id -> not-before; lane `channel` is always claimed before `push`.
- `outbox_inflight()` ZSET id -> lease expiry, `outbox_owners()` HASH id -> worker id.
- `outbox_pairs()` HASH `article|chat` -> the job sending that pair now, so two jobs for the
  same pair are never in flight together.

Every state change is one Lua script: enqueue, claim (with the ledger dedup check), settle
(complete / fail / retry / defer a whole batch together with ledger entries and stats),
reclaim of expired leases, renewal, cancel.

`OutboxRepo` is assembled from one part per idea: `outbox_enqueue.py` (enqueue),
`outbox_claim.py` (claim, lease, reclaim), `outbox_outcomes.py` (settlements) on the shared
`outbox_core.py`; this module adds the queries and the cancel.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from storage.models.delivery import DeliveryJob, Lane
from storage.outbox_claim import PAIR_BUSY_DELAY, ClaimResult, OutboxLeases
from storage.outbox_core import LANES, ScriptArg
from storage.outbox_enqueue import (
    FANOUT_CHUNK,
    LEDGER_KINDS,
    PAYLOAD_GRACE_SECONDS,
    JobError,
    OutboxEnqueue,
    validate_job,
)
from storage.outbox_outcomes import Op, OutboxOutcomes, Settlement

_CANCEL_CHUNK = 500

__all__ = [
    "FANOUT_CHUNK",
    "LANES",
    "LEDGER_KINDS",
    "PAIR_BUSY_DELAY",
    "PAYLOAD_GRACE_SECONDS",
    "ClaimResult",
    "JobError",
    "Op",
    "OutboxRepo",
    "ScriptArg",
    "Settlement",
    "validate_job",
]


class OutboxRepo(OutboxEnqueue, OutboxLeases, OutboxOutcomes):
    """Enqueue, claim and settle delivery jobs, atomically and across processes."""

    async def get(self, job_id: str) -> DeliveryJob | None:
        """The stored job (also a finished one, while its tombstone lives)."""
        raw = await self.redis.get(self.keys.outbox_job(job_id))
        return DeliveryJob.model_validate_json(raw) if raw else None

    async def state(self, job_id: str) -> Literal["ready", "inflight", "done"] | None:
        """Where a job is: waiting, being sent, finished (tombstone) or unknown (None)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for lane in LANES:
                pipe.zscore(self.keys.outbox_ready(lane), job_id)
            pipe.zscore(self.keys.outbox_inflight(), job_id)
            pipe.exists(self.keys.outbox_job(job_id))
            channel, push, inflight, exists = await pipe.execute()
        if channel is not None or push is not None:
            return "ready"
        if inflight is not None:
            return "inflight"
        return "done" if exists else None

    async def cancel(self, job_id: str) -> bool:
        """Withdraw a job that is still waiting; False when unknown or already being sent."""
        keys = [*self._lane_keys(), self.keys.outbox_job(job_id)]
        return bool(await self._scripts["CANCEL"](keys=keys, args=[job_id]))

    async def cancel_chat_jobs(
        self, chat_id: int, kinds: Collection[str], lane: Lane = "push"
    ) -> list[str]:
        """Withdraw every waiting job of these `kinds` to one chat (a reader who left); the ids.

        There is no per-chat index: the lane's ids that contain the chat id are scanned
        (ZSCAN), and each candidate's body is checked before it is cancelled. Jobs being sent
        right now are not touched.
        """
        ready = self.keys.outbox_ready(lane)
        pattern = f"*{int(chat_id)}*"
        scan = self.redis.zscan_iter(ready, match=pattern, count=_CANCEL_CHUNK)
        ids = [str(member) async for member, _ in scan]
        cancelled: list[str] = []
        for start in range(0, len(ids), _CANCEL_CHUNK):
            chunk = ids[start : start + _CANCEL_CHUNK]
            bodies = await self.redis.mget([self.keys.outbox_job(job_id) for job_id in chunk])
            for job_id, raw in zip(chunk, bodies, strict=True):
                if raw is None:
                    continue
                job = DeliveryJob.model_validate_json(raw)
                if job.chat_id == chat_id and job.kind in kinds and await self.cancel(job_id):
                    cancelled.append(job_id)
        return cancelled

    async def pending_count(self, lane: Lane | None = None) -> int:
        """Jobs waiting in one lane (or in both), due or not."""
        lanes = LANES if lane is None else (lane,)
        return sum([await self.redis.zcard(self.keys.outbox_ready(name)) for name in lanes])

    async def inflight_count(self) -> int:
        """Jobs leased to workers right now."""
        return int(await self.redis.zcard(self.keys.outbox_inflight()))

    async def is_empty(self) -> bool:
        """Nothing waiting and nothing in flight."""
        return await self.pending_count() == 0 and await self.inflight_count() == 0
