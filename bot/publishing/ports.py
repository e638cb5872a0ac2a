"""What publishing needs from its neighbours, as protocols (the real classes satisfy them).

The delivery engine provides the outbox and the ledger, the articles feature the article
and rubric repositories; publishing depends only on these few methods.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    """Stored articles."""

    async def get(self, article_id: str) -> Article | None:
        """One article, or None."""
        ...


class Rubrics(Protocol):
    """The rubric registry."""

    async def find(self, query: str) -> Rubric | None:
        """A rubric by name, slug or hashtag (case-insensitive)."""
        ...
