"""Delivery jobs (the durable outbox) and ledger records (the exactly-once proof)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from storage.models.post import Post

JobKind = Literal["channel_post", "push", "digest", "notice", "edit", "delete"]
Lane = Literal["channel", "push"]


class DeliveryJob(BaseModel):
    """One message to send (or edit/delete) in one chat.

    `article_id` + `chat_id` is the ledger key for posts and pushes: a job whose pair is
    already in the ledger is never sent again. Fan-out jobs share one stored payload through
    `payload_ref` instead of carrying `post`.
    """

    id: str = ""
    kind: JobKind
    chat_id: int
    article_id: str | None = None
    lane: Lane = "channel"
    not_before: float = 0.0
    post: Post | None = None
    payload_ref: str | None = None
    silent: bool = False
    pin: bool = False
    reply_markup: dict[str, object] | None = None
    message_id: int | None = None  # for edit / delete
    queued_post_id: str | None = None  # the schedule entry this job came from, if any
    attempts: int = 0
    last_error: str | None = None


LedgerStatus = Literal[
    "published", "skipped", "failed", "edited", "retracted", "duplicate", "queued"
]


class LedgerEntry(BaseModel):
    """What happened to an article in one chat."""

    article_id: str
    chat_id: int
    status: LedgerStatus
    at: float
    message_id: int | None = None
    reason: str | None = None
    detail: dict[str, object] = Field(default_factory=dict)
