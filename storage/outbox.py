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
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal
from uuid import uuid4

from redis.asyncio import Redis

from storage import outbox_lua
from storage.keys import Keys
from storage.ledger import LOG_CAP, key_template
from storage.models.delivery import DeliveryJob, JobKind, Lane, LedgerEntry, LedgerStatus
from storage.models.post import Post
from storage.stats import StatsRepo

LANES: tuple[Lane, Lane] = ("channel", "push")
LEDGER_KINDS: frozenset[str] = frozenset({"channel_post", "push", "digest"})
FANOUT_CHUNK = 5000
PAYLOAD_GRACE_SECONDS = 3 * 86400
PAIR_BUSY_DELAY = 1.0

_DONE_STATUS: dict[str, LedgerStatus | None] = {
    "channel_post": "published",
    "push": "published",
    "digest": "published",
    "edit": "edited",
    "delete": "retracted",
    "notice": None,
}
_DONE_STAT: dict[str, str] = {
    "channel_post": "published",
    "push": "pushes",
    "digest": "pushes",
    "notice": "notices",
    "edit": "edits",
    "delete": "retracts",
}

Op = Literal["c", "f", "r", "d"]
ScriptArg = str | int | float


class JobError(ValueError):
    """A job that cannot be delivered as given (no content, no message id for an edit...)."""


@dataclass(slots=True)
class Settlement:
    """One job's outcome, ready for `OutboxRepo.settle` (build with `completion` & co)."""

    op: Op
    job: DeliveryJob
    status: str = ""
    ledger_json: str = ""
    stat: str = ""
    at: str = "null"
    job_json: str = ""


@dataclass(slots=True)
class ClaimResult:
    """Jobs now leased to the caller, and when the next waiting job becomes due."""

    jobs: list[DeliveryJob] = field(default_factory=list)
    next_due: float | None = None


def validate_job(job: DeliveryJob) -> None:
    """Refuse jobs the sender could never carry out (raises `JobError`)."""
    if job.kind in ("edit", "delete") and job.message_id is None:
        raise JobError(f"{job.kind} job for chat {job.chat_id} needs message_id")
    if job.kind != "delete" and job.post is None and job.payload_ref is None:
        raise JobError(f"{job.kind} job for chat {job.chat_id} has no post")
    if job.kind in LEDGER_KINDS and not job.article_id and job.kind != "digest":
        raise JobError(f"{job.kind} job for chat {job.chat_id} needs article_id")


class OutboxRepo:
    """Enqueue, claim and settle delivery jobs, atomically and across processes."""

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
            name: redis.register_script(getattr(outbox_lua, name))
            for name in ("ENQUEUE", "ENQUEUE_FANOUT", "CLAIM", "RECLAIM", "RENEW", "SETTLE")
        }
        self._scripts["CANCEL"] = redis.register_script(outbox_lua.CANCEL)

    # --- enqueue ------------------------------------------------------------------
    async def enqueue(self, job: DeliveryJob) -> str:
        """Store a job and make it due at `job.not_before`; returns its id.

        Idempotent when `job.id` is set: enqueuing the same id again (even after the job was
        delivered, within `done_ttl`) changes nothing. Without an id a random one is issued.
        """
        validate_job(job)
        job_id = job.id or uuid4().hex
        body = job.model_copy(update={"id": job_id}).model_dump_json()
        await self._scripts["ENQUEUE"](
            keys=[self.keys.outbox_job(job_id), self.keys.outbox_ready(job.lane)],
            args=[body, self._score(job), self.keys.outbox_wake(), job_id],
        )
        return job_id

    def _score(self, job: DeliveryJob) -> str:
        """Due time in the ready zset: jobs due now are stamped with the enqueue time, so
        jobs of one lane go out in the order they were enqueued."""
        return repr(max(job.not_before, self._time()))

    async def enqueue_many(self, jobs: Sequence[DeliveryJob]) -> list[str]:
        """`enqueue` for several jobs in one pipelined round trip."""
        ids: list[str] = []
        async with self.redis.pipeline(transaction=False) as pipe:
            for job in jobs:
                validate_job(job)
                job_id = job.id or uuid4().hex
                body = job.model_copy(update={"id": job_id}).model_dump_json()
                await self._scripts["ENQUEUE"](
                    keys=[self.keys.outbox_job(job_id), self.keys.outbox_ready(job.lane)],
                    args=[body, self._score(job), self.keys.outbox_wake(), job_id],
                    client=pipe,
                )
                ids.append(job_id)
            await pipe.execute()
        return ids

    async def enqueue_fanout(
        self,
        post: Post,
        recipients: Sequence[tuple[int, float]],
        *,
        kind: JobKind,
        article_id: str | None,
        lane: Lane = "push",
        silent: bool = False,
        ref: str | None = None,
    ) -> int:
        """One post to many chats: the payload is stored once, each recipient gets a tiny job.

        `recipients` are (chat_id, not_before) pairs. Job ids are `<ref>-<chat_id>` with
        `ref` defaulting to `<kind>-<article_id>`, so fanning the same article out twice adds
        no job twice. Returns how many jobs were added.
        """
        if not recipients:
            return 0
        ref = ref or (f"{kind}-{article_id}" if article_id else f"{kind}-{uuid4().hex}")
        tail = _fanout_tail(kind, article_id, lane, ref, silent)
        latest = max(nb for _, nb in recipients)
        ttl_ms = int((max(latest - self._time(), 0.0) + PAYLOAD_GRACE_SECONDS) * 1000)
        head: list[ScriptArg] = [post.model_dump_json(), ttl_ms, *self._job_t, f"{ref}-", tail]
        head.append(self.keys.outbox_wake())
        keys = [self.keys.outbox_payload(ref), self.keys.outbox_ready(lane)]
        async with self.redis.pipeline(transaction=False) as pipe:
            for start in range(0, len(recipients), FANOUT_CHUNK):
                args: list[ScriptArg] = list(head)
                for chat_id, not_before in recipients[start : start + FANOUT_CHUNK]:
                    args += (str(int(chat_id)), repr(float(not_before)))
                await self._scripts["ENQUEUE_FANOUT"](keys=keys, args=args, client=pipe)
            added = await pipe.execute()
        return int(sum(added))

    # --- claim, lease, reclaim ----------------------------------------------------
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
            keys=[*self._lane_keys(), *self._state_keys(), self.stats.day_key(now)],
            args=[
                repr(now), limit, repr(now + lease_s), worker_id,
                *self._job_t, *self._ledger_t, *self._log_t,
                self.log_cap, self.done_ttl_ms, *self._payload_t, PAIR_BUSY_DELAY,
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

    # --- outcomes -----------------------------------------------------------------
    def completion(
        self,
        job: DeliveryJob,
        message_id: int | None,
        now: float,
        detail: dict[str, object] | None = None,
    ) -> Settlement:
        """The settlement of a job Telegram accepted (`message_id` of the sent/edited message).

        `detail` (e.g. `{"plain_text": true}`, `{"pin_failed": ...}`) is kept in the ledger.
        """
        status = _DONE_STATUS[job.kind]
        ledger = ""
        if status and job.article_id:
            info: dict[str, object] = {"job_id": job.id, **(detail or {})}
            ledger = _entry(job, status, now, message_id=message_id, detail=info).model_dump_json()
        mid = "null" if message_id is None else str(message_id)
        return Settlement("c", job, status or "", ledger, _DONE_STAT[job.kind], mid)

    def failure(
        self, job: DeliveryJob, reason: str, now: float, description: str | None = None
    ) -> Settlement:
        """The settlement of a job that will not be delivered, with the reason in the ledger."""
        ledger = ""
        if job.article_id:
            detail: dict[str, object] = {"job_id": job.id, "kind": job.kind}
            if description:
                detail["description"] = description
            ledger = _entry(job, "failed", now, reason=reason, detail=detail).model_dump_json()
        return Settlement("f", job, "failed", ledger, f"failed.{reason}")

    def retrial(
        self, job: DeliveryJob, at: float, error: str, now: float, *, count: bool = True
    ) -> Settlement:
        """The settlement of a failed attempt that will be tried again at `at`.

        `count=False` for waits Telegram imposed (429): they do not use up `max_attempts`.
        """
        if count:
            job.attempts += 1
        job.last_error = error
        job.not_before = at
        ledger = ""
        if job.article_id:
            detail: dict[str, object] = {"job_id": job.id, "attempt": job.attempts, "retry_at": at}
            entry = _entry(job, "queued", now, reason=f"retry: {error}", detail=detail)
            ledger = entry.model_dump_json()
        status = "queued" if ledger else ""
        return Settlement("r", job, status, ledger, "retries", repr(at), _job_json(job))

    def deferral(self, job: DeliveryJob, at: float, *, save: bool = False) -> Settlement:
        """Give a claimed job back unsent, due at `at` (rate limit, busy chat); no attempt used."""
        job.not_before = at
        return Settlement("d", job, at=repr(at), job_json=_job_json(job) if save else "")

    async def settle(self, settlements: Sequence[Settlement], now: float) -> int:
        """Apply many outcomes in one script: job state, ledger entries and stats together."""
        if not settlements:
            return 0
        args: list[ScriptArg] = [
            repr(now), "", *self._job_t, *self._ledger_t, *self._log_t,
            self.log_cap, self.done_ttl_ms, self.keys.outbox_wake(),
        ]  # fmt: skip
        for s in settlements:
            args += _settle_fields(s)
        keys = [*self._lane_keys(), *self._state_keys(), self.stats.day_key(now)]
        return int(await self._scripts["SETTLE"](keys=keys, args=args))

    async def complete(
        self, job: DeliveryJob, message_id: int | None, now: float | None = None
    ) -> None:
        """Mark a job delivered: ledger `published`/`edited`/`retracted` + stats, atomically."""
        at = self._now(now)
        await self.settle([self.completion(job, message_id, at)], at)

    async def retry(
        self, job: DeliveryJob, at: float, error: str, now: float | None = None
    ) -> None:
        """Count a failed attempt and make the job due again at `at` (logged as `queued`)."""
        moment = self._now(now)
        await self.settle([self.retrial(job, at, error, moment)], moment)

    async def fail(
        self,
        job: DeliveryJob,
        reason: str,
        now: float | None = None,
        description: str | None = None,
    ) -> None:
        """Give up on a job: ledger `failed` with `reason`, stats `failed.<reason>`."""
        at = self._now(now)
        await self.settle([self.failure(job, reason, at, description)], at)

    async def defer(self, job: DeliveryJob, at: float, now: float | None = None) -> None:
        """Return a claimed job unsent, due again at `at` (no attempt counted)."""
        await self.settle([self.deferral(job, at)], self._now(now))

    # --- queries ------------------------------------------------------------------
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

    def _lane_keys(self) -> list[str]:
        return [self.keys.outbox_ready(lane) for lane in LANES]

    def _state_keys(self) -> list[str]:
        return [self.keys.outbox_inflight(), self.keys.outbox_owners(), self.keys.outbox_pairs()]

    def _now(self, now: float | None) -> float:
        return self._time() if now is None else now


def _entry(
    job: DeliveryJob,
    status: LedgerStatus,
    now: float,
    *,
    message_id: int | None = None,
    reason: str | None = None,
    detail: dict[str, object] | None = None,
) -> LedgerEntry:
    return LedgerEntry(
        article_id=job.article_id or "",
        chat_id=job.chat_id,
        status=status,
        at=now,
        message_id=message_id,
        reason=reason,
        detail=detail or {},
    )


def _job_json(job: DeliveryJob) -> str:
    return job.model_dump_json(exclude={"post"} if job.payload_ref else None)


def _settle_fields(s: Settlement) -> list[ScriptArg]:
    job = s.job
    keep = "0" if job.payload_ref else "1"
    return [
        s.op, job.id, job.lane, job.article_id or "", str(job.chat_id), s.status,
        s.ledger_json, s.stat, s.job_json, s.at, keep, job.claimed_by or "",
        str(job.claimed_chat_id if job.claimed_chat_id is not None else job.chat_id),
    ]  # fmt: skip


def _fanout_tail(kind: str, article_id: str | None, lane: str, ref: str, silent: bool) -> str:
    fields: dict[str, object] = {
        "kind": kind, "article_id": article_id, "lane": lane, "payload_ref": ref, "silent": silent,
    }  # fmt: skip
    return "," + json.dumps(fields, ensure_ascii=False, separators=(",", ":"))[1:]
