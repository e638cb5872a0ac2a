"""Enqueueing delivery jobs: one job, or one post fanned out to many chats.

Jobs are validated first (`JobError` for what the sender could never carry out); an
enqueue with a known id is a no-op, so callers may repeat it safely.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from uuid import uuid4

from storage.models.delivery import DeliveryJob, JobKind, Lane
from storage.models.post import Post
from storage.outbox_core import OutboxCore, ScriptArg

LEDGER_KINDS: frozenset[str] = frozenset({"channel_post", "push", "digest"})
FANOUT_CHUNK = 5000
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


def _fanout_tail(kind: str, article_id: str | None, lane: str, ref: str, silent: bool) -> str:
    fields: dict[str, object] = {
        "kind": kind, "article_id": article_id, "lane": lane, "payload_ref": ref, "silent": silent,
    }  # fmt: skip
    return "," + json.dumps(fields, ensure_ascii=False, separators=(",", ":"))[1:]
