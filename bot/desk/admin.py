"""What channel admins read: statistics for a period, and the progress of bulk actions.

`/stats` sums the delivery engine's per-day counters (published, pushes, failures by reason)
over a day, a week or a month, and adds the channel's queue and the subscribers per rubric.
The samplers turn the ledger into `ProgressSample`s for `ProgressReporter`: how many of an
article's recipients already have an outcome.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.desk.progress import ProgressSample
from storage.models.delivery import LedgerEntry

Period = Literal["day", "week", "month"]
PERIOD_DAYS: dict[str, int] = {"day": 1, "week": 7, "month": 30}
PERIOD_ALIASES: dict[str, Period] = {
    "day": "day",
    "день": "day",
    "сутки": "day",
    "сегодня": "day",
    "week": "week",
    "неделя": "week",
    "неделю": "week",
    "month": "month",
    "месяц": "month",
}
DONE_STATUSES = frozenset({"published", "failed", "skipped", "duplicate", "retracted"})


@dataclass(frozen=True)
class StatsReport:
    """The numbers `/stats` shows for one channel and period."""

    period: Period
    published: int
    pushes: int
    failed: dict[str, int]
    queued: int
    subscribers: dict[str, int] = field(default_factory=dict)


def parse_period(text: str | None) -> Period | None:
    """`day`/`week`/`month` (or Russian), default day; None for anything else."""
    if not text:
        return "day"
    return PERIOD_ALIASES.get(text.strip().lower())


class DeskAdmin:
    """Reads statistics and delivery progress for admin commands (no Telegram calls)."""

    def __init__(
        self,
        stats: Any,
        ledger: Any,
        subscriptions: Any,
        publisher: Any,
    ) -> None:
        self._stats = stats
        self._ledger = ledger
        self._subscriptions = subscriptions
        self._publisher = publisher

    async def stats(self, chat_id: int, period: Period) -> StatsReport:
        """Counters summed over the period, the channel's queue, subscribers per rubric slug."""
        days = await self._stats.range(PERIOD_DAYS[period]) if self._stats else []
        failed: Counter[str] = Counter()
        for day in days:
            failed.update(day.failed)
        queued = len(await self._publisher.list_queue(chat_id))
        subscribers = await self._subscriptions.counts() if self._subscriptions else {}
        return StatsReport(
            period=period,
            published=sum(d.published for d in days),
            pushes=sum(d.pushes for d in days),
            failed=dict(failed),
            queued=queued,
            subscribers=dict(subscribers),
        )

    async def push_recipients(self, rubric_slug: str | None) -> list[int]:
        """The subscribers who get an instant push for the rubric."""
        if not rubric_slug or self._subscriptions is None:
            return []
        return [int(u) for u in await self._subscriptions.instant_subscribers(rubric_slug)]

    async def delivery_sample(
        self, article_id: str, total: int, chats: Collection[int] | None = None
    ) -> ProgressSample:
        """How many of the article's `total` recipients have an outcome (among `chats`)."""
        entries = await self._ledger.entries(article_id)
        return sample_from(entries, total, chats, DONE_STATUSES)

    async def retract_sample(self, article_id: str, chats: Collection[int]) -> ProgressSample:
        """How many of the copies in `chats` are deleted (or failed to be)."""
        entries = await self._ledger.entries(article_id)
        return sample_from(entries, len(chats), chats, frozenset({"retracted", "failed"}))


def sample_from(
    entries: list[LedgerEntry],
    total: int,
    chats: Collection[int] | None,
    done_statuses: frozenset[str],
) -> ProgressSample:
    """Count finished entries and failures by reason."""
    wanted = set(chats) if chats is not None else None
    done = 0
    failed: Counter[str] = Counter()
    for entry in entries:
        if wanted is not None and entry.chat_id not in wanted:
            continue
        if entry.status in done_statuses:
            done += 1
        if entry.status == "failed":
            failed[entry.reason or "unknown"] += 1
    capped = min(done, total) if total else done
    return ProgressSample(done=capped, total=total, failed=dict(failed))
