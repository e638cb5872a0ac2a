"""Routing: a newly imported article goes to the queue of every channel publishing its rubric."""

from __future__ import annotations

import logging

from bot.publishing.errors import PublishingError
from bot.publishing.service import PublishingService
from storage.models.article import Article

log = logging.getLogger(__name__)


class RoutingListener:
    """The publishing feature's `ArticleListener`: route new articles, edit changed ones."""

    def __init__(self, publisher: PublishingService) -> None:
        self.publisher = publisher

    async def article_stored(self, article: Article, *, is_new: bool, changed: bool) -> None:
        """New: queue it by routing (ledger `queued`). Changed: edit every published copy."""
        if article.id is None:
            return
        try:
            if is_new:
                posts = await self.publisher.route_article(article.id)
                log.info("article %s routed to %d channel(s)", article.id, len(posts))
            elif changed:
                edited = await self.publisher.edit_article(article.id)
                log.info("article %s changed: %d copy(ies) to edit", article.id, len(edited))
        except PublishingError as exc:
            log.warning("article %s: %s", article.id, exc)
