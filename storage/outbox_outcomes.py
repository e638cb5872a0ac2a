"""Delivery outcomes: build a job's settlement, then apply many settlements in one script.

The settlements travel as one JSON argument (13 strings each): one long argument is far
cheaper for the client to send than thirteen short ones per job.

A settlement changes the job's state, writes its ledger entry and bumps the day's stats
together: complete, fail, retry (an attempt counted, or not for Telegram's flood waits)
or defer (given back unsent).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from storage.models.delivery import DeliveryJob, LedgerEntry, LedgerStatus
from storage.outbox_core import OutboxCore, ScriptArg

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


class OutboxOutcomes(OutboxCore):
    """Settles claimed jobs: job state, ledger entries and stats in one atomic step."""

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
            ledger = _completed_json(job, status, now, message_id, detail)
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

    def skipping(self, job: DeliveryJob, reason: str, now: float) -> Settlement:
        """The settlement of a job dropped unsent because it is no longer wanted (a send check
        said so: the reader unsubscribed meanwhile...): ledger `skipped` with the reason,
        stats `skipped.<reason>`."""
        ledger = ""
        if job.article_id:
            detail: dict[str, object] = {"job_id": job.id, "kind": job.kind}
            ledger = _entry(job, "skipped", now, reason=reason, detail=detail).model_dump_json()
        return Settlement("f", job, "skipped", ledger, f"skipped.{reason}")

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
        ops = json.dumps([_settle_fields(s) for s in settlements], ensure_ascii=False,
                         separators=(",", ":"))  # fmt: skip
        args: list[ScriptArg] = [
            repr(now), self.stats.ttl_seconds, *self._job_t, *self._ledger_t, *self._log_t,
            self.log_cap, self.done_ttl_ms, self.keys.outbox_wake(), ops,
            self.stats.day_name(now),
        ]  # fmt: skip
        keys = [*self._lane_keys(), *self._state_keys(), *self._record_keys(now)]
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


def _completed_json(
    job: DeliveryJob,
    status: LedgerStatus,
    now: float,
    message_id: int | None,
    detail: dict[str, object] | None,
) -> str:
    """`LedgerEntry` JSON of a delivered job, written directly: every delivered message has
    one, and building the model costs more than sending the message's outcome. The fields
    and their order are the model's (`LEDGER_LUA` reads the status by position)."""
    entry = {
        "article_id": job.article_id, "chat_id": job.chat_id, "status": status, "at": now,
        "message_id": message_id, "reason": None, "detail": {"job_id": job.id, **(detail or {})},
    }  # fmt: skip
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def _job_json(job: DeliveryJob) -> str:
    return job.model_dump_json(exclude={"post"} if job.payload_ref else None)


def _settle_fields(s: Settlement) -> list[str]:
    job = s.job
    keep = "0" if job.payload_ref else "1"
    return [
        s.op, job.id, job.lane, job.article_id or "", str(job.chat_id), s.status,
        s.ledger_json, s.stat, s.job_json, s.at, keep, job.claimed_by or "",
        str(job.claimed_chat_id if job.claimed_chat_id is not None else job.chat_id),
    ]  # fmt: skip
