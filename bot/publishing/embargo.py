"""Lifting embargoes: an article queued for later becomes public at its first publication.

Its first publication is whichever comes first: its first channel post going out (the
delivery engine's completed hook, `Copies.after_delivery`) or its own publication time
(`Article.embargo_until`, served by the tick). `release` is one storage script, so across
processes exactly one caller makes the article public and tells the public listeners (the
subscribers feature: search and pushes). The tick is also the safety net: an embargoed
article whose channel copy is out (the process died before the hook) is released, and a
release whose listeners never finished is announced again (pushes are idempotent by id).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from redis.exceptions import RedisError

from bot.publishing.parts import Collaborators, PublishingPart
from storage.models.article import Article

log = logging.getLogger(__name__)

PublicListener = Callable[[Article], Awaitable[None]]
# A release older than this whose readers were not told is announced again by the tick.
ANNOUNCE_AFTER = 60.0


class Embargoes(PublishingPart):
    """Releases embargoed articles and tells who shows them to readers."""

    def __init__(self, deps: Collaborators) -> None:
        super().__init__(deps)
        self.listeners: list[PublicListener] = []

    async def release(self, article_id: str) -> Article | None:
        """Make the article public now if it is embargoed; the public article, else None."""
        released = await self.articles.release(article_id, self.clock.now())
        if released is not None:
            log.info("article %s is public now (embargo lifted)", article_id)
            await self.announce(released)
        return released

    async def announce(self, article: Article) -> bool:
        """Tell every public listener; the release counts as announced when all succeeded
        (a failing one is logged and the tick tries again)."""
        ok = True
        for listener in self.listeners:
            try:
                await listener(article)
            except RedisError as exc:
                log.error("public listener failed for article %s: Redis: %s", article.id, exc)
                ok = False
            except Exception:
                log.exception("public listener failed for article %s", article.id)
                ok = False
        if ok and article.id is not None:
            await self.articles.announced(article.id)
        return ok

    async def tick(self, now: datetime) -> list[str]:
        """Release what is due by its own time or already out in a channel; finish
        announcements a crash left behind. The ids released."""
        released: list[str] = []
        for article_id in await self.articles.due_ids(now):
            if await self.release(article_id) is not None:
                released.append(article_id)
        for article_id in await self.articles.embargoed_ids():
            if await self.ledger.published_copies(article_id) and await self.release(article_id):
                released.append(article_id)
        for article_id in await self.articles.unannounced(now.timestamp() - ANNOUNCE_AFTER):
            article = await self.articles.get(article_id)
            if article is None:
                await self.articles.announced(article_id)
            else:
                await self.announce(article)
        return released
