"""Queued posts: one article waiting for (or sent into) one channel."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

PostMode = Literal["next_slot", "at", "breaking", "now"]
POST_MODES: tuple[PostMode, ...] = ("next_slot", "at", "breaking", "now")
PostState = Literal["queued", "scheduled", "dispatching", "dispatched", "cancelled", "skipped"]
PENDING_STATES = ("queued", "scheduled", "dispatching")


class QueuedPost(BaseModel):
    """An article planned for one channel.

    `queued`: in the channel's queue for its next slot; `scheduled`: waiting for `due_at`;
    `dispatching`: taken by a tick, its delivery job being enqueued; `dispatched`: handed
    to the delivery engine as job `job_id`; `cancelled` / `skipped` (with `reason`).
    `retracted_at`: a retraction came while the post was being handed over or sent; the copy
    is deleted as soon as the delivery engine reports it out.
    `eta` is not stored: listings fill it with the expected publication time.
    """

    id: str
    article_id: str
    chat_id: int
    mode: PostMode = "next_slot"
    state: PostState = "queued"
    created_at: float
    due_at: float | None = None
    pin: bool = False
    silent: bool = True
    dispatched_at: float | None = None
    job_id: str | None = None
    reason: str | None = None
    retracted_at: float | None = None
    eta: float | None = None

    @property
    def pending(self) -> bool:
        """Still waiting to be handed to the delivery engine."""
        return self.state in PENDING_STATES

    @property
    def job_key(self) -> str:
        """The deterministic delivery job id: enqueuing it twice is one job."""
        return f"post-{self.id}"
