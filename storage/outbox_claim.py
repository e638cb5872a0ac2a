"""Claiming delivery jobs and their leases: claim, renew, reclaim expired leases.

A claimed job is leased to one worker until its lease expires; the claim script drops jobs
whose (article, chat) the ledger already holds, and holds back a job whose pair another job
is sending right now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from storage.models.delivery import DeliveryJob
from storage.models.post import Post
from storage.outbox_core import OutboxCore

PAIR_BUSY_DELAY = 1.0


@dataclass(slots=True)
class ClaimResult:
    """Jobs now leased to the caller, and when the next waiting job becomes due."""

    jobs: list[DeliveryJob] = field(default_factory=list)
    next_due: float | None = None


class OutboxLeases(OutboxCore):
    """Leases due jobs to workers and keeps the leases honest."""

    async def claim(
        self, now: float, limit: int, worker_id: str, lease_s: float
    ) -> list[DeliveryJob]:
        """Lease up to `limit` due jobs (lane `channel` first) to `worker_id` for `lease_s`.

        Jobs whose (article, chat) is already in the ledger are dropped here with a
        `duplicate` event; a job whose pair another job is sending right now waits a second.
        """
        return (await self.claim_batch(now, limit, worker_id, lease_s)).jobs

    async def claim_batch(
        self, now: float, limit: int, worker_id: str, lease_s: float
    ) -> ClaimResult:
        """`claim`, also telling when the next waiting job is due (for the idle sleep)."""
        raw = await self._scripts["CLAIM"](
            keys=[*self._lane_keys(), *self._state_keys(), *self._record_keys(now)],
            args=[
                repr(now), limit, repr(now + lease_s), worker_id,
                *self._job_t, *self._ledger_t, *self._log_t,
                self.log_cap, self.done_ttl_ms, *self._payload_t, PAIR_BUSY_DELAY,
                self.stats.ttl_seconds, self.stats.day_name(now),
            ],
        )  # fmt: skip
        next_due = float(raw[0]) if raw[0] else None
        count = int(raw[1])
        bodies, extra = raw[2 : 2 + count], raw[2 + count :]
        posts = self._payload_posts(extra)
        jobs = [self._parse_claimed(body, worker_id, posts) for body in bodies]
        return ClaimResult(jobs=jobs, next_due=next_due)

    def _parse_claimed(self, body: str, worker_id: str, posts: dict[str, Post]) -> DeliveryJob:
        job = DeliveryJob.model_validate_json(body)
        job.claimed_by = worker_id
        job.claimed_chat_id = job.chat_id
        if job.payload_ref and job.post is None:
            job.post = posts.get(job.payload_ref)
        return job

    def _payload_posts(self, flat: Sequence[str]) -> dict[str, Post]:
        posts: dict[str, Post] = {}
        for ref, raw in zip(flat[0::2], flat[1::2], strict=True):
            if not raw:
                continue
            cached = self._payloads.get(ref)
            if cached is None or cached[0] != raw:
                if len(self._payloads) > 512:
                    self._payloads.clear()
                cached = self._payloads[ref] = (raw, Post.model_validate_json(raw))
            posts[ref] = cached[1]
        return posts

    async def renew(self, jobs: Sequence[DeliveryJob], worker_id: str, expiry: float) -> list[str]:
        """Extend this worker's leases to `expiry`; returns the ids it no longer holds."""
        if not jobs:
            return []
        lost = await self._scripts["RENEW"](
            keys=[self.keys.outbox_inflight(), self.keys.outbox_owners()],
            args=[worker_id, repr(expiry), *(job.id for job in jobs)],
        )
        return [str(job_id) for job_id in lost]

    async def reclaim_expired(self, now: float, limit: int = 1000) -> int:
        """Put jobs whose lease expired (their worker died or hung) back into ready."""
        return int(
            await self._scripts["RECLAIM"](
                keys=[*self._lane_keys(), *self._state_keys()],
                args=[repr(now), *self._job_t, limit, self.keys.outbox_wake()],
            )
        )
