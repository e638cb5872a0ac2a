"""The daily digest: at each subscriber's chosen local time, the day's headlines in their rubrics.

Due digests come from a ZSET (user -> due time). Each becomes one `digest` job with the id
`digest-<user>-<local day>` and the ledger pair (`digest-<day>`, user), so a crash or a second
process repeating a tick never sends the same day's digest twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.subscribers.ports import Articles, Outbox
from bot.subscribers.timemath import local_day, next_daily, zone
from storage.models.article import Article
from storage.models.delivery import DeliveryJob
from storage.models.post import Post
from storage.models.subscriber import Subscriber
from storage.subscriptions import SubscriptionRepo

log = logging.getLogger(__name__)

TICK_SECONDS = 30.0
WINDOW = timedelta(days=1)
DIGEST_MAX_ITEMS = 20
_SCAN_PAGE = 50
_BATCH = 500
_MAX_BATCHES = 20
_SCAN_LIMIT = 500

DigestRenderer = Callable[[Subscriber, date, list[Article], int], Post]


def in_window(article: Article, start: datetime, end: datetime) -> bool:
    """Whether the article was published in (start, end]."""
    moment = article.shown_at
    return moment is not None and start < moment <= end


class DigestSender:
    """Sends due digests; `run` is the feature's long-running task."""

    def __init__(
        self,
        subscriptions: SubscriptionRepo,
        articles: Articles,
        outbox: Outbox,
        clock: Clock,
        settings: Settings,
        render: DigestRenderer,
    ) -> None:
        self._subs = subscriptions
        self._articles = articles
        self._outbox = outbox
        self._clock = clock
        self._settings = settings
        self._render = render

    async def run(self) -> None:
        """Check for due digests every `TICK_SECONDS` of the injected clock, forever."""
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("digest tick failed; retrying at the next tick")
            await self._clock.sleep(TICK_SECONDS)

    async def tick(self) -> int:
        """Queue every digest due now; how many were queued."""
        sent = 0
        for _ in range(_MAX_BATCHES):
            due_now = await self._subs.due_digests(self._clock.time(), limit=_BATCH)
            for user_id, due in due_now:
                sent += await self.send_one(user_id, due)
            if len(due_now) < _BATCH:
                break
        return sent

    async def send_one(self, user_id: int, due: float) -> int:
        """Queue one user's digest due at `due` (if there is news) and schedule the next one."""
        sub = await self._subs.get(user_id)
        if sub is None or sub.digest_at is None:
            await self._subs.cancel_digest(user_id)
            return 0
        tz = zone(sub.timezone, self._settings.timezone)
        due_at = datetime.fromtimestamp(due, UTC)
        queued = await self._queue(sub, due_at, local_day(due_at, tz))
        following = next_daily(max(self._clock.now(), due_at), sub.digest_at, tz)
        await self._subs.reschedule_digest(user_id, following.timestamp())
        return queued

    async def _queue(self, sub: Subscriber, due_at: datetime, day: date) -> int:
        slugs = await self._subs.rubrics_of(sub.user_id)
        if not slugs:
            return 0
        articles = await self.day_articles(slugs, due_at)
        if not articles:
            return 0
        post = self._render(sub, day, articles[:DIGEST_MAX_ITEMS], len(articles))
        await self._outbox.enqueue(
            DeliveryJob(
                id=f"digest-{sub.user_id}-{day.isoformat()}",
                kind="digest",
                chat_id=sub.user_id,
                article_id=digest_ledger_id(day),
                lane="push",
                post=post,
            )
        )
        return 1

    async def day_articles(self, slugs: list[str], due_at: datetime) -> list[Article]:
        """Articles of `slugs` published in the day before `due_at`, newest first."""
        start = due_at - WINDOW
        found: list[Article] = []
        for offset in range(0, _SCAN_LIMIT, _SCAN_PAGE):
            page = await self._articles.list_latest(slugs, offset, _SCAN_PAGE)
            found += [a for a in page if in_window(a, start, due_at)]
            oldest = page[-1].shown_at if page else None
            if len(page) < _SCAN_PAGE or (oldest is not None and oldest <= start):
                break
        return found


def digest_ledger_id(day: date) -> str:
    """The ledger id of one local day's digests (`digest-<day>`), one pair per reader."""
    return f"digest-{day.isoformat()}"
