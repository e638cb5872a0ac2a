"""What publishing needs from its neighbours, as protocols (the real classes satisfy them).

The delivery engine provides the outbox and the ledger, the articles feature the article
and rubric repositories; publishing depends only on these few methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from storage.models.article import Article, Rubric
from storage.models.delivery import DeliveryJob, LedgerEntry


class Outbox(Protocol):
    """The delivery engine's durable outbox."""

    async def enqueue(self, job: DeliveryJob) -> str:
        """Store a job (idempotent for a given `job.id`); returns its id."""
        ...

    async def enqueue_many(self, jobs: Sequence[DeliveryJob]) -> list[str]:
        """Store several jobs in one round trip (each as `enqueue` would); their ids."""
        ...

    async def cancel(self, job_id: str) -> bool:
        """Drop a job that has not been sent; True when it was still pending."""
        ...


class Ledger(Protocol):
    """The exactly-once ledger."""

    async def record(self, entry: LedgerEntry) -> None:
        """Log an event (and update the pair's record)."""
        ...

    async def has_published(self, article_id: str, chat_id: int) -> bool:
        """Whether the article already went out to this chat."""
        ...

    async def get(self, article_id: str, chat_id: int) -> LedgerEntry | None:
        """The pair's current record, if any."""
        ...

    async def published_copies(self, article_id: str) -> dict[int, int]:
        """chat id -> message id of each live published copy."""
        ...


class Articles(Protocol):
    """Stored articles, and the embargo of those queued for later."""

    async def get(self, article_id: str) -> Article | None:
        """One article, or None."""
        ...

    async def delete(self, article_id: str) -> bool:
        """Remove an article and every index entry of it."""
        ...

    async def release(self, article_id: str, at: datetime) -> Article | None:
        """Make an embargoed article public (exactly once); None when it is not embargoed."""
        ...

    async def due_ids(self, now: datetime) -> list[str]:
        """Embargoed articles whose own publication time has come."""
        ...

    async def embargoed_ids(self) -> list[str]:
        """Embargoed articles (a batch)."""
        ...

    async def next_release(self) -> float | None:
        """The earliest own publication time of an embargoed article."""
        ...

    async def announced(self, article_id: str) -> None:
        """A released article's readers were told."""
        ...

    async def unannounced(self, before: float) -> list[str]:
        """Articles released before `before` whose readers were never told."""
        ...


class Rubrics(Protocol):
    """The rubric registry."""

    async def find(self, query: str) -> Rubric | None:
        """A rubric by name, slug or hashtag (case-insensitive)."""
        ...
