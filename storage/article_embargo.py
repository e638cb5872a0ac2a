"""Embargoed articles: stored, but out of every reader path until their first publication.

An article imported with a plan for later is stored `embargoed` (`ArticleRepo.store`, the
same script as the article itself): it is in `keys.articles_embargoed` (scored by its own
publication time, `+inf` when it has none) and in none of the reader lists. `release`
moves it into the lists in one script, exactly once across processes, and notes it in
`keys.articles_unannounced` until its readers were told (`announced`), so a process dying
between the release and the pushes leaves a trace the next tick finishes.

`PublicArticles` is the readers' view of the repository: it returns public articles only,
so every reader path (pushes, digests, /latest, /article, /search, buttons) gets the
embargo from storage rather than from a check each of them must remember.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from redis.asyncio import Redis

from storage import articles_lua
from storage.keys import Keys
from storage.models.article import Article
from storage.text import slugify

if TYPE_CHECKING:
    from storage.articles import ArticleRepo

_MAX_ATTEMPTS = 20
_DUE_BATCH = 100


def embargo_score(article: Article) -> str:
    """The embargoed zset score: its own publication time, or `+inf` (only a post lifts it)."""
    if article.embargo_until is None:
        return "+inf"
    return repr(article.embargo_until.timestamp())


class ArticleEmbargo:
    """The embargo half of `ArticleRepo`: release, what is due, what is still to announce."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._release_script = redis.register_script(articles_lua.RELEASE)

    async def release(self, article_id: str, at: datetime) -> Article | None:
        """Make an embargoed article public as of `at`; the public article, or None when it
        is not embargoed (already public, released by another process, or gone)."""
        k = self._keys
        for _ in range(_MAX_ATTEMPTS):
            raw = await self._redis.get(k.article(article_id))
            if raw is None:
                return None
            article = Article.model_validate_json(raw)
            if article.state != "embargoed":
                return None
            public = article.model_copy(
                update={"state": "public", "public_at": at, "embargo_until": None}
            )
            reply = await self._release_script(
                keys=[
                    k.article(article_id),
                    k.articles_all(),
                    k.articles_by_rubric(slugify(article.rubric)),
                    k.articles_embargoed(),
                    k.articles_unannounced(),
                ],
                args=[
                    raw,
                    public.model_dump_json(),
                    repr((public.published_at or at).timestamp()),
                    article_id,
                    repr(at.timestamp()),
                ],
            )
            if reply == "ok":
                return public
            if reply != "conflict":
                return None
        return None

    async def embargoed_ids(self, limit: int = _DUE_BATCH) -> list[str]:
        """Ids of embargoed articles, earliest own publication time first."""
        rows = await self._redis.zrange(self._keys.articles_embargoed(), 0, limit - 1)
        return [str(row) for row in rows]

    async def due_ids(self, now: datetime, limit: int = _DUE_BATCH) -> list[str]:
        """Embargoed articles whose own publication time has come."""
        rows = await self._redis.zrangebyscore(
            self._keys.articles_embargoed(), "-inf", now.timestamp(), start=0, num=limit
        )
        return [str(row) for row in rows]

    async def next_release(self) -> float | None:
        """The earliest own publication time of an embargoed article (None: none is timed)."""
        rows = await self._redis.zrange(self._keys.articles_embargoed(), 0, 0, withscores=True)
        if not rows or math.isinf(float(rows[0][1])):
            return None
        return float(rows[0][1])

    async def announced(self, article_id: str) -> None:
        """The readers of a released article were told (its pushes are queued)."""
        await self._redis.zrem(self._keys.articles_unannounced(), article_id)

    async def unannounced(self, before: float, limit: int = _DUE_BATCH) -> list[str]:
        """Articles released before `before` whose readers were never told (a crash)."""
        rows = await self._redis.zrangebyscore(
            self._keys.articles_unannounced(), "-inf", before, start=0, num=limit
        )
        return [str(row) for row in rows]


class PublicArticles:
    """What readers may see of the articles: public ones only, whatever the path."""

    def __init__(self, repo: ArticleRepo) -> None:
        self._repo = repo

    async def get(self, article_id: str) -> Article | None:
        """The article when it is public, else None (embargoed looks the same as missing)."""
        article = await self._repo.get(article_id)
        return article if article is not None and article.is_public else None

    async def get_many(self, article_ids: Sequence[str]) -> list[Article]:
        """The public articles among `article_ids`, in the given order."""
        return [a for a in await self._repo.get_many(article_ids) if a.is_public]

    async def list_latest(
        self, slugs: Sequence[str] | None = None, offset: int = 0, limit: int = 10
    ) -> list[Article]:
        """The newest public articles of the given rubrics (every rubric when None)."""
        found = await self._repo.list_latest(slugs, offset, limit)
        return [a for a in found if a.is_public]

    async def list_by_rubric(self, slug: str, offset: int = 0, limit: int = 10) -> list[Article]:
        """A rubric's public articles, newest first."""
        return [a for a in await self._repo.list_by_rubric(slug, offset, limit) if a.is_public]
