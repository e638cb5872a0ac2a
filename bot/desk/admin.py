"""What channel admins read: statistics for a period, and the progress of bulk actions.

`/stats` sums the delivery engine's per-day counters over a day, a week or a month. What
happened in the channel (posts published, deliveries failed by reason, its queue) is the
channel's own; pushes sent and subscribers per rubric are facts about the whole bot (readers
subscribe to rubrics, not channels), shown for the rubrics the channel publishes.
The samplers turn the ledger into `ProgressSample`s for `ProgressReporter`: how many of an
article's recipients already have an outcome.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.desk.progress import ProgressSample
from storage.models.channel import Channel
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
    """The numbers `/stats` shows for one channel and period.

    `published`, `failed` and `queued` are the channel's own; `pushes` (bot-wide) and
    `subscribers` (bot-wide, per rubric the channel publishes) are not per channel.
    """

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

    async def stats(self, channel: Channel, period: Period) -> StatsReport:
        """The channel's counters over the period, its queue; bot-wide pushes and readers."""
        span = PERIOD_DAYS[period]
        own = await self._stats.channel_range(channel.id, span) if self._stats else []
        everywhere = await self._stats.range(span) if self._stats else []
        failed: Counter[str] = Counter()
        for day in own:
            failed.update(day.failed)
        queued = len(await self._publisher.list_queue(channel.id))
        counts = await self._subscriptions.counts() if self._subscriptions else {}
        return StatsReport(
            period=period,
            published=sum(d.published for d in own),
            pushes=sum(d.pushes for d in everywhere),
            failed=dict(failed),
            queued=queued,
            subscribers={slug: n for slug, n in counts.items() if channel.routes(slug)},
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
