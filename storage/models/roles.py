"""Roles on the editor's desk: invite codes and the audit trail of admin and editor actions."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Role = Literal["owner", "admin", "editor"]
# What came of an audited action: done; failed (allowed, but nothing changed: bad input, a
# refused change); denied (no rights); kept apart (the article was stored as a new one
# because it matched an article the person has no rights to).
Outcome = Literal["done", "failed", "denied", "kept_apart"]

ROLE_RANK: dict[str, int] = {"editor": 1, "admin": 2, "owner": 3}


def role_at_least(role: str | None, needed: str) -> bool:
    """Whether `role` carries the rights of `needed` (owner > admin > editor)."""
    return role is not None and ROLE_RANK.get(role, 0) >= ROLE_RANK[needed]


class Invite(BaseModel):
    """A one-time code an admin forwards so someone becomes an editor of one channel."""

    code: str
    chat_id: int
    created_by: int
    created_at: float
    expires_at: float


class AuditEntry(BaseModel):
    """One admin or editor action, allowed or denied: who, what, in which channel, when.

    `name` and `username` are the person's Telegram first name and @username at the time
    (when known), so `/audit` can say who it was without asking Telegram. `outcome` says
    what came of it (entries written before it existed: done when allowed, else denied);
    `detail` the reason and what was given (`bad_time: 25:00`).
    """

    at: float
    user_id: int
    action: str
    chat_id: int | None = None
    allowed: bool
    outcome: Outcome | None = None
    detail: str | None = None
    name: str | None = None
    username: str | None = None
    seq: int = 0  # the order entries were written in (breaks ties between equal times)

    @property
    def result(self) -> Outcome:
        """The outcome, also for entries written before outcomes were recorded."""
        if self.outcome is not None:
            return self.outcome
        return "done" if self.allowed else "denied"

    @property
    def refused(self) -> bool:
        """A refused attempt that changed nothing (kept apart from the actions taken)."""
        return self.result == "denied"

    def who(self) -> str:
        """`Анна (@anna)`, `@anna`, `Анна (123)` or the bare id: as much as is known."""
        if self.username:
            return f"{self.name} (@{self.username})" if self.name else f"@{self.username}"
        return f"{self.name} ({self.user_id})" if self.name else str(self.user_id)
