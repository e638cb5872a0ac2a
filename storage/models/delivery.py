"""Delivery jobs (the durable outbox) and ledger records (the exactly-once proof)."""

from __future__ import annotations

from datetime import date
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
    content_hash: str | None = None  # the article version a post or edit was rendered from
    attempts: int = 0
    last_error: str | None = None
    claimed_by: str | None = Field(default=None, exclude=True)  # set by `OutboxRepo.claim`
    claimed_chat_id: int | None = Field(default=None, exclude=True)  # chat id when claimed


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


class DayStats(BaseModel):
    """Delivery counters for one local day (what the admin `/stats` command shows).

    `published`: channel posts; `pushes`: subscriber pushes and digests; `failed`: per reason
    (`forbidden`, `network`, ...); `duplicates`: jobs dropped because the pair was already
    published; `duplicates_sent`: messages that went out twice (a dead worker's lease taken over).
    """

    day: date
    published: int = 0
    pushes: int = 0
    notices: int = 0
    edits: int = 0
    retracts: int = 0
    retries: int = 0
    duplicates: int = 0
    duplicates_sent: int = 0
    failed: dict[str, int] = Field(default_factory=dict)

    @property
    def failed_total(self) -> int:
        """Every failure of the day, whatever the reason."""
        return sum(self.failed.values())
