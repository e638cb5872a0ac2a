"""The parts of other features' repositories the subscribers feature calls.

Structural types, so this feature type-checks against the names the articles and delivery
layers publish (`storage/articles.py`, `storage/rubrics.py`, `storage/outbox.py`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from storage.models.article import Article, Rubric
from storage.models.delivery import DeliveryJob
from storage.models.post import Post


class Articles(Protocol):
    """Reading stored articles (`storage.articles.ArticleRepo`)."""

    async def get(self, article_id: str) -> Article | None:
        """One article by id."""
        ...

    async def get_many(self, ids: Sequence[str]) -> Any:
        """Articles by id."""
        ...

    async def list_latest(self, slugs: Any, offset: int, limit: int) -> list[Article]:
        """Newest first across `slugs` (None: every rubric)."""
        ...


class Rubrics(Protocol):
    """The rubric registry (`storage.rubrics.RubricRepo`)."""

    async def all(self) -> list[Rubric]:
        """Every rubric."""
        ...

    async def get(self, slug: str) -> Rubric | None:
        """One rubric by slug."""
        ...

    async def find(self, query: str) -> Rubric | None:
        """A rubric by name, slug or hashtag, case-insensitively."""
        ...

    async def suggest(self, query: str) -> list[Rubric]:
        """Near misses for a query that found nothing."""
        ...


class Outbox(Protocol):
    """The delivery engine's durable outbox (`storage.outbox.OutboxRepo`)."""

    async def enqueue(self, job: DeliveryJob) -> str:
        """Queue one job (idempotent by `job.id`)."""
        ...

    async def enqueue_fanout(
        self,
        post: Post,
        recipients: Sequence[tuple[int, float]],
        *,
        kind: Any,
        article_id: str,
        lane: Any = "push",
        ref: str | None = None,
        message_ids: Mapping[int, int] | None = None,
    ) -> int:
        """Queue one post for many chats, each with its own not-before time (edits: with
        the message id each chat's job changes)."""
        ...

    async def replace_payload(self, ref: str, post: Post) -> bool:
        """Replace a fan-out's shared post (its waiting jobs send the new one)."""
        ...


class Eraser(Protocol):
    """Deletes what other features keep about a reader who left with /stop."""

    async def erase(self, user_id: int) -> Any:
        """Cancel the reader's waiting pushes and forget them outside the subscriptions."""
        ...


class JobCanceller(Protocol):
    """Withdrawing waiting jobs (`storage.outbox.OutboxRepo.cancel_chat_jobs`)."""

    async def cancel_chat_jobs(self, chat_id: int, kinds: Collection[str]) -> list[str]:
        """Cancel every waiting job of these kinds to one chat; the ids cancelled."""
        ...


class DeskDirectory(Protocol):
    """The desk's user data (`storage.roles.RoleRepo`)."""

    async def editor_channels(self, user_id: int) -> list[int]:
        """Channels where the user is an editor."""
        ...

    async def forget_usernames(self, user_id: int) -> int:
        """Drop every @username pointing at the user."""
        ...


class ChatPacing(Protocol):
    """The shared rate limiter's state per chat (`storage.ratelimit.RateLimiter`)."""

    async def forget_chat(self, chat_id: int) -> None:
        """Drop what the limiter keeps about one chat."""
        ...


class AuditLog(Protocol):
    """The desk's audit log (`storage.audit.AuditRepo`)."""

    async def forget_refusals(self, user_id: int) -> int:
        """Delete the user's refused attempts."""
        ...
