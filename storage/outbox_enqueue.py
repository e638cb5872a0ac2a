"""Enqueueing delivery jobs: one job, or one post fanned out to many chats.

Jobs are validated first (`JobError` for what the sender could never carry out); an
enqueue with a known id is a no-op, so callers may repeat it safely.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from uuid import uuid4

from storage.models.delivery import DeliveryJob, JobKind, Lane
from storage.models.post import Post
from storage.outbox_core import OutboxCore, ScriptArg

LEDGER_KINDS: frozenset[str] = frozenset({"channel_post", "push", "digest"})
FANOUT_CHUNK = 5000
ENQUEUE_CHUNK = 500
PAYLOAD_GRACE_SECONDS = 3 * 86400


class JobError(ValueError):
    """A job that cannot be delivered as given (no content, no message id for an edit...)."""


def validate_job(job: DeliveryJob) -> None:
    """Refuse jobs the sender could never carry out (raises `JobError`)."""
    if job.kind in ("edit", "delete") and job.message_id is None:
        raise JobError(f"{job.kind} job for chat {job.chat_id} needs message_id")
    if job.kind != "delete" and job.post is None and job.payload_ref is None:
        raise JobError(f"{job.kind} job for chat {job.chat_id} has no post")
    if job.kind in LEDGER_KINDS and not job.article_id and job.kind != "digest":
        raise JobError(f"{job.kind} job for chat {job.chat_id} needs article_id")


class OutboxEnqueue(OutboxCore):
    """Adds jobs to the outbox's ready lanes (and wakes idle engines)."""

    async def enqueue(self, job: DeliveryJob) -> str:
        """Store a job and make it due at `job.not_before`; returns its id.

        Idempotent when `job.id` is set: enqueuing the same id again (even after the job was
        delivered, within `done_ttl`) changes nothing. Without an id a random one is issued.
        """
        return (await self.enqueue_many([job]))[0]

    async def enqueue_many(self, jobs: Sequence[DeliveryJob]) -> list[str]:
        """`enqueue` for several jobs: one script call per `ENQUEUE_CHUNK` jobs; their ids,
        in order.

        Every job is validated before any is stored. Jobs due now keep their order (see
        `_scores`).
        """
        for job in jobs:
            validate_job(job)
        ids: list[str] = []
        scores = self._scores(jobs)
        for start in range(0, len(jobs), ENQUEUE_CHUNK):
            end = start + ENQUEUE_CHUNK
            args: list[ScriptArg] = [*self._job_t, self.keys.outbox_wake()]
            for job, score in zip(jobs[start:end], scores[start:end], strict=True):
                job_id, body = _identified(job)
                args += (job_id, job.lane, repr(score), body)
                ids.append(job_id)
            await self._scripts["ENQUEUE"](keys=self._lane_keys(), args=args)
        return ids

    def _scores(self, jobs: Sequence[DeliveryJob]) -> list[float]:
        """Due times in the ready zset: a job due later keeps its `not_before`; jobs due now
        are stamped with the enqueue time, so jobs of one lane go out in the order they were
        enqueued. Within one batch the stamps step up by the smallest float step and the
        last one is now (equal scores would sort by id; a stamp after now would not be due
        yet for a claim at this same moment)."""
        now = self._time()
        due_now = sum(job.not_before <= now for job in jobs)
        stamp = now
        for _ in range(due_now - 1):
            stamp = math.nextafter(stamp, -math.inf)
        scores: list[float] = []
        for job in jobs:
            if job.not_before > now:
                scores.append(job.not_before)
                continue
            scores.append(stamp)
            stamp = math.nextafter(stamp, math.inf)
        return scores

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
        message_ids: Mapping[int, int] | None = None,
    ) -> int:
        """One post to many chats: the payload is stored once, each recipient gets a tiny job.

        `recipients` are (chat_id, not_before) pairs. Job ids are `<ref>-<chat_id>` with
        `ref` defaulting to `<kind>-<article_id>`, so fanning the same article out twice adds
        no job twice. `message_ids` (chat id -> message id, one per recipient) makes each job
        change that message (`edit`). Returns how many jobs were added.
        """
        if not recipients:
            return 0
        if kind == "edit" and message_ids is None:
            raise JobError("an edit fan-out needs the message id of every recipient")
        ref = ref or (f"{kind}-{article_id}" if article_id else f"{kind}-{uuid4().hex}")
        tail = _fanout_tail(kind, article_id, lane, ref, silent)
        latest = max(nb for _, nb in recipients)
        ttl_ms = int((max(latest - self._time(), 0.0) + PAYLOAD_GRACE_SECONDS) * 1000)
        head: list[ScriptArg] = [post.model_dump_json(), ttl_ms, *self._job_t, f"{ref}-", tail]
        head += (self.keys.outbox_wake(), 2 if message_ids is None else 3)
        keys = [self.keys.outbox_payload(ref), self.keys.outbox_ready(lane)]
        async with self.redis.pipeline(transaction=False) as pipe:
            for start in range(0, len(recipients), FANOUT_CHUNK):
                args: list[ScriptArg] = list(head)
                for chat_id, not_before in recipients[start : start + FANOUT_CHUNK]:
                    args += (str(int(chat_id)), repr(float(not_before)))
                    if message_ids is not None:
                        args.append(str(int(message_ids[chat_id])))
                await self._scripts["ENQUEUE_FANOUT"](keys=keys, args=args, client=pipe)
            added = await pipe.execute()
        return int(sum(added))

    async def replace_payload(self, ref: str, post: Post) -> bool:
        """Replace a fan-out's stored post (its jobs still waiting send the new one),
        keeping its expiry; False when there is none (nothing waits, or it expired)."""
        keys = [self.keys.outbox_payload(ref)]
        return bool(
            await self._scripts["REPLACE_PAYLOAD"](keys=keys, args=[post.model_dump_json()])
        )


def _identified(job: DeliveryJob) -> tuple[str, str]:
    """The job's id (a random one when it has none) and its JSON with that id."""
    if job.id:
        return job.id, job.model_dump_json()
    job_id = uuid4().hex
    return job_id, job.model_copy(update={"id": job_id}).model_dump_json()


def _fanout_tail(kind: str, article_id: str | None, lane: str, ref: str, silent: bool) -> str:
    fields: dict[str, object] = {
        "kind": kind, "article_id": article_id, "lane": lane, "payload_ref": ref, "silent": silent,
    }  # fmt: skip
    return "," + json.dumps(fields, ensure_ascii=False, separators=(",", ":"))[1:]
