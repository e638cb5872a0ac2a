"""Pushes: a new article goes to its rubric's instant subscribers through the delivery engine.

The listener also keeps the search index in step with imports. Only a public article is
indexed or pushed: an embargoed one (queued for later) is, once publishing releases it
(`article_public`). Quiet hours never drop a push: they set that subscriber's `not_before`
to the end of their quiet hours.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.clock import Clock
from bot.config import Settings
from bot.subscribers.copies import ReaderCopies
from bot.subscribers.ports import Outbox, Rubrics
from bot.subscribers.search import SearchService
from bot.subscribers.timemath import quiet_hours_end, zone
from storage.models.article import Article, Rubric
from storage.models.post import Post
from storage.models.subscriber import Subscriber
from storage.subscriptions import SubscriptionRepo
from storage.text import slugify

log = logging.getLogger(__name__)

PostBuilder = Callable[[Article, Rubric | None], Post]


def not_before(sub: Subscriber | None, now: datetime, default_tz: str) -> float:
    """When a push may reach this subscriber: now, or the end of their quiet hours."""
    if sub is None or not sub.has_quiet_hours:
        return 0.0
    assert sub.quiet_from is not None and sub.quiet_to is not None
    end = quiet_hours_end(now, sub.quiet_from, sub.quiet_to, zone(sub.timezone, default_tz))
    return 0.0 if end is None else end.timestamp()


class PushListener:
    """Indexes every stored article for search and fans new ones out to subscribers."""

    def __init__(
        self,
        subscriptions: SubscriptionRepo,
        rubrics: Rubrics,
        outbox: Outbox,
        search: SearchService,
        clock: Clock,
        settings: Settings,
        build_post: PostBuilder,
        copies: ReaderCopies | None = None,
    ) -> None:
        self._copies = copies
        self._subs = subscriptions
        self._rubrics = rubrics
        self._outbox = outbox
        self._search = search
        self._clock = clock
        self._settings = settings
        self._build_post = build_post

    async def article_stored(self, article: Article, *, is_new: bool, changed: bool) -> None:
        """Index a new or changed public article; push a new one to its rubric's
        subscribers, bring readers' copies of a changed one up to date. An embargoed
        article waits for `article_public`."""
        if not article.is_public:
            return
        if is_new or changed:
            await self._index(article)
        if is_new:
            await self.fan_out(article)
        elif changed and self._copies is not None:
            await self._copies.edit(article)

    async def article_public(self, article: Article) -> None:
        """An embargoed article became public: index it and push it (idempotent: the push
        job ids are per article and reader)."""
        await self._index(article)
        await self.fan_out(article)

    async def _index(self, article: Article) -> None:
        try:
            await self._search.index_article(article, now=self._clock.time())
        except Exception:
            # Search is a convenience: a failure must not stop the push.
            log.exception("search indexing failed for article %s", article.id)

    async def fan_out(self, article: Article) -> int:
        """Queue the article for every instant subscriber of its rubric; the number queued."""
        if article.id is None:
            return 0
        slug = slugify(article.rubric)  # the per-rubric index key the article layer uses
        rubric = await self._rubrics.get(slug)
        users = await self._subs.instant_subscribers(slug)
        if not users:
            return 0
        recipients = await self.recipients(users)
        post = self._build_post(article, rubric)
        count = await self._outbox.enqueue_fanout(
            post, recipients, kind="push", article_id=article.id, lane="push"
        )
        log.info("article %s pushed to %d subscribers of %s", article.id, count, slug)
        return count

    async def recipients(self, users: Sequence[int]) -> list[tuple[int, float]]:
        """(chat id, not before) per user: quiet hours defer a push to their end."""
        quiet = await self._subs.with_quiet_hours(users)
        if not quiet:
            return [(uid, 0.0) for uid in users]
        now = self._clock.now()
        tz = self._settings.timezone
        return [(uid, not_before(quiet.get(uid), now, tz)) for uid in users]
