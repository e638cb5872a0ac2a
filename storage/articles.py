"""Articles in Redis: storing with dedup and in-place replacement, listing, retention.

Layout (see `docs/storage.md`): each article is a JSON STRING; a ZSET of all public ids and
one per rubric are scored by `published_at` (else the time it became public); HASHes map
content hash and source URL to the id. An embargoed article (queued for later) is stored
with its state in the same script but kept out of those lists, in the embargoed ZSET, until
it is released (`storage.article_embargo`). Every change to an article and its indexes runs
in one Lua script (`storage.articles_lua`), so a reader never sees half an article.
"""

from __future__ import annotations

import heapq
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from redis.asyncio import Redis

from storage import articles_lua
from storage.article_embargo import ArticleEmbargo, embargo_score
from storage.keys import Keys
from storage.models.article import Article, Rubric
from storage.text import slugify

__all__ = ["ArticleRepo", "ArticleStoreConflict", "MayTouch", "StoreResult"]

# Whether the caller may touch (replace, or share as a duplicate) the stored article with
# this id; when it may not, the article is stored apart under a new id.
MayTouch = Callable[[str], Awaitable[bool]]

MAX_ATTEMPTS = 20
_PURGE_BATCH = 200


class StoreResult(BaseModel):
    """What `ArticleRepo.store` did.

    `is_new`: a new article was created; `duplicate_of`: the same content (or the same
    source/id with identical content) was already stored under that id and nothing changed;
    `changed`: an article with the same source URL or explicit id was replaced in place;
    `apart_from`: the article matched `apart_from` (by source, id or content) but the caller
    may not touch that one, so it was stored as a new article of its own.
    `article` is the article as stored now (with its id).
    """

    article_id: str
    is_new: bool
    duplicate_of: str | None = None
    changed: bool = False
    apart_from: str | None = None
    article: Article


class ArticleStoreConflict(RuntimeError):
    """Concurrent writers kept changing the same article; the store gave up (very unlikely)."""


@dataclass
class _Snapshot:
    """What Python read before deciding; the script re-checks it before writing."""

    hash_owner: str | None
    hash_owner_json: str | None
    source_owner: str | None
    source_owner_json: str | None
    target: str | None  # the id this article would replace (explicit id or same source)
    target_json: str | None
    target_score: float | None
    seq: int

    def match(self) -> str | None:
        """The stored article this one would touch: replace (same id or source) or share
        (same content); None when it would be a new article."""
        if self.target and self.target_json:
            return self.target
        if self.hash_owner and self.hash_owner_json:
            return self.hash_owner
        return None


# Fields that make a re-imported article (same source or id) "changed" besides its text.
_IDENTITY_FIELDS = ("content_hash", "photo_url", "author", "author_photo_credit", "published_at")


def rubric_slug(article: Article) -> str:
    """The slug of the article's rubric (the per-rubric index it lives in)."""
    return slugify(article.rubric)


def _score(article: Article, fallback: datetime) -> float:
    return (article.shown_at or fallback).timestamp()


class ArticleRepo(ArticleEmbargo):
    """Stores and finds articles; returns pydantic `Article`s."""

    def __init__(
        self, redis: Redis, keys: Keys, *, now: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__(redis, keys)
        self._now = now or (lambda: datetime.now(UTC))
        self._store_script = redis.register_script(articles_lua.STORE)
        self._delete_script = redis.register_script(articles_lua.DELETE)

    # --- writing ---------------------------------------------------------------
    async def store(
        self,
        article: Article,
        *,
        rubric: Rubric | None = None,
        embargoed: bool = False,
        may_touch: MayTouch | None = None,
    ) -> StoreResult:
        """Store atomically: dedup by content hash, replace in place by source URL or id.

        Same content -> the existing id (`is_new=False`, `duplicate_of`); same `source_url`
        or explicit `id` with different content -> replaced under the same id
        (`changed=True`, indexes moved); otherwise a new id (the next counter value, or the
        article's own `id` when it came with one). `rubric`, when given, is registered in
        the rubric registry (unless its slug already is) in the same atomic step, so an
        import never leaves a rubric without its article or an article without its rubric.

        `embargoed`: a new article is stored embargoed (queued for later: out of every
        reader list until released), in the same step. A replaced article keeps its state:
        a public one stays public, an embargoed one stays embargoed.

        With `may_touch`, the stored article this one matches (by id, source or content) is
        only replaced or shared when `may_touch(its id)` says so; otherwise the article is
        stored apart (`apart_from`): a new id, and the hash and source indexes keep pointing
        at the matched one. The answer is re-asked whenever a conflict makes the store re-read,
        so it always concerns the article that is really touched.
        """
        article = article.with_hash() if not article.content_hash else article
        if article.imported_at is None:
            article = article.model_copy(update={"imported_at": self._now()})
        for _ in range(MAX_ATTEMPTS):
            snap = await self._snapshot(article)
            match = snap.match()
            if match is not None and may_touch is not None and not await may_touch(match):
                result = await self._write_apart(article, snap, match, rubric, embargoed)
            else:
                result = await self._decide_and_write(article, snap, rubric, embargoed)
            if result is not None:
                return result
        raise ArticleStoreConflict(f"could not store {article.headline[:40]!r}: kept conflicting")

    async def _snapshot(self, article: Article) -> _Snapshot:
        k = self._keys
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hget(k.article_hashes(), article.content_hash)
            if article.source_url:
                pipe.hget(k.article_sources(), article.source_url)
            pipe.get(k.article_seq())
            first = await pipe.execute()
        hash_owner, seq = first[0], first[-1]
        source_owner = first[1] if article.source_url else None
        target = article.id or source_owner
        found, target_score = await self._read_candidates((hash_owner, source_owner), target)
        return _Snapshot(
            hash_owner=hash_owner,
            hash_owner_json=found.get(hash_owner or ""),
            source_owner=source_owner,
            source_owner_json=found.get(source_owner or ""),
            target=target,
            target_json=found.get(target or ""),
            target_score=target_score,
            seq=int(seq or 0),
        )

    async def _read_candidates(
        self, owners: tuple[str | None, ...], target: str | None
    ) -> tuple[dict[str, str | None], float | None]:
        """The JSON of the index owners and of the target (by id), and the target's score."""
        wanted = list(dict.fromkeys(i for i in (*owners, target) if i))
        if not wanted:
            return {}, None
        async with self._redis.pipeline(transaction=True) as pipe:
            for article_id in wanted:
                pipe.get(self._keys.article(article_id))
            pipe.zscore(self._keys.articles_all(), target or wanted[0])
            *raws, score = await pipe.execute()
        return dict(zip(wanted, raws, strict=True)), score if target else None

    async def _decide_and_write(
        self, article: Article, snap: _Snapshot, rubric: Rubric | None, embargoed: bool
    ) -> StoreResult | None:
        """Same source/id: duplicate or replace; else same content: duplicate; else new."""
        if snap.target and snap.target_json:
            old = Article.model_validate_json(snap.target_json)
            if _same(old, article):
                return _duplicate(snap.target, old)
            return await self._write(self._visible_as(article, old, False), snap, old, rubric)
        if snap.hash_owner and snap.hash_owner_json:
            return _duplicate(snap.hash_owner, Article.model_validate_json(snap.hash_owner_json))
        new_id = article.id or await self._next_id(snap.seq)
        fresh = self._visible_as(article.model_copy(update={"id": new_id}), None, embargoed)
        return await self._write(fresh, snap, None, rubric, counter=not article.id)

    def _visible_as(self, article: Article, old: Article | None, embargoed: bool) -> Article:
        """The article with its state: a replaced one keeps the old state (and when it
        became public); a new one is embargoed when asked, until its own publication time
        if that is still ahead; otherwise public from now."""
        now = self._now()
        if old is not None:
            embargoed = old.state == "embargoed"
        if embargoed:
            ahead = article.published_at is not None and article.published_at > now
            until = article.published_at if ahead else None
            fields = {"state": "embargoed", "embargo_until": until, "public_at": None}
        else:
            public_at = old.public_at if old is not None else article.imported_at or now
            fields = {"state": "public", "embargo_until": None, "public_at": public_at}
        updated = article.model_copy(update=fields)
        return updated if old is None else updated.model_copy(update={"id": old.id})

    async def _write_apart(
        self,
        article: Article,
        snap: _Snapshot,
        match: str,
        rubric: Rubric | None,
        embargoed: bool,
    ) -> StoreResult | None:
        """A new article under the next counter id, leaving `match` and its indexes alone."""
        new_id = await self._next_id(snap.seq)
        fresh = self._visible_as(article.model_copy(update={"id": new_id}), None, embargoed)
        result = await self._write(fresh, snap, None, rubric, counter=True)
        return result.model_copy(update={"apart_from": match}) if result is not None else None

    async def _next_id(self, seq: int) -> str:
        """The next counter value whose key is free (an explicit id may have taken one)."""
        candidate = seq + 1
        while await self._redis.exists(self._keys.article(str(candidate))):
            candidate += 1
        return str(candidate)

    async def _write(
        self,
        stored: Article,
        snap: _Snapshot,
        old: Article | None,
        rubric: Rubric | None,
        *,
        counter: bool = False,
    ) -> StoreResult | None:
        """Run the store script (`counter`: the id is the next counter value)."""
        article_id = str(stored.id)
        score = _score(stored, self._now())
        if old is not None and stored.published_at is None and snap.target_score is not None:
            score = snap.target_score  # keep its place in the lists: first-import time
        k = self._keys
        claim_hash = snap.hash_owner in (None, article_id) or not snap.hash_owner_json
        # The source index stays with the article that has it (an explicit id or an article
        # stored apart does not take it over), unless that article is gone.
        claim_source = snap.source_owner in (None, article_id) or not snap.source_owner_json
        reply = await self._store_script(
            keys=[
                k.article(article_id),
                k.article_seq(),
                k.articles_all(),
                k.article_hashes(),
                k.article_sources(),
                k.articles_by_rubric(rubric_slug(stored)),
                k.articles_by_rubric(rubric_slug(old or stored)),
                k.rubrics(),
                k.articles_embargoed(),
            ],
            args=[
                (snap.target_json or "") if old is not None else "",
                str(snap.seq) if counter else "",
                article_id,
                article_id,
                stored.model_dump_json(),
                repr(score),
                stored.content_hash,
                snap.hash_owner or "",
                stored.source_url or "",
                snap.source_owner or "",
                old.content_hash if old else "",
                (old.source_url or "") if old else "",
                "1" if claim_hash else "0",
                rubric.slug if rubric else "",
                rubric.model_dump_json() if rubric else "",
                stored.state,
                embargo_score(stored),
                "1" if claim_source else "0",
            ],
        )
        if reply != "ok":
            return None
        return StoreResult(
            article_id=article_id, is_new=old is None, changed=old is not None, article=stored
        )

    async def delete(self, article_id: str) -> bool:
        """Remove the article and every index entry of it (lists, dedup, source, search)."""
        k = self._keys
        for _ in range(MAX_ATTEMPTS):
            raw = await self._redis.get(k.article(article_id))
            if raw is None:
                await self._redis.zrem(k.articles_all(), article_id)  # a stale entry, if any
                return False
            if await self._delete_once(article_id, str(raw)):
                return True
        raise ArticleStoreConflict(f"could not delete article {article_id}: kept conflicting")

    async def _delete_once(self, article_id: str, raw: str) -> bool:
        k = self._keys
        article = Article.model_validate_json(raw)
        terms = sorted(_ids(await self._redis.smembers(k.article_terms(article_id))))
        reply = await self._delete_script(
            keys=[
                k.article(article_id),
                k.articles_all(),
                k.articles_by_rubric(rubric_slug(article)),
                k.article_hashes(),
                k.article_sources(),
                k.article_terms(article_id),
                k.articles_embargoed(),
                k.articles_unannounced(),
                *(k.search_term(term) for term in terms),
            ],
            args=[
                raw,
                article_id,
                article.content_hash,
                article.source_url or "",
                len(terms),
                *terms,
            ],
        )
        return bool(reply == "ok")

    async def purge_older_than(
        self, cutoff: datetime, *, forget: Callable[[str], Awaitable[object]]
    ) -> int:
        """Delete every public article whose list score (published, else when it became
        public) is before `cutoff`; embargoed ones wait for their first publication.

        `forget(article_id)` runs first for each one, so what hangs off the article (its
        posts, its ledger) goes before the article does: a crash in between leaves the
        article listed, and the next purge finishes the job.
        """
        deleted = 0
        bound = f"({cutoff.timestamp()!r}"
        while True:
            ids = _ids(
                await self._redis.zrangebyscore(
                    self._keys.articles_all(), "-inf", bound, start=0, num=_PURGE_BATCH
                )
            )
            if not ids:
                return deleted
            for article_id in ids:
                await forget(article_id)
                deleted += int(await self.delete(article_id))

    # --- reading ---------------------------------------------------------------
    async def get(self, article_id: str) -> Article | None:
        """The article with this id, or None."""
        raw = await self._redis.get(self._keys.article(article_id))
        return Article.model_validate_json(raw) if raw else None

    async def get_many(self, article_ids: Sequence[str]) -> list[Article]:
        """The articles that exist among `article_ids`, in the given order."""
        if not article_ids:
            return []
        raws = await self._redis.mget([self._keys.article(i) for i in article_ids])
        return [Article.model_validate_json(raw) for raw in raws if raw]

    async def list_by_rubric(self, slug: str, offset: int = 0, limit: int = 10) -> list[Article]:
        """A rubric's articles, newest first (by published time, else first import)."""
        key = self._keys.articles_by_rubric(slug)
        if limit <= 0:
            return []
        return await self.get_many(
            _ids(await self._redis.zrevrange(key, offset, offset + limit - 1))
        )

    async def list_latest(
        self, slugs: Sequence[str] | None = None, offset: int = 0, limit: int = 10
    ) -> list[Article]:
        """The newest articles of the given rubrics (every rubric when None), newest first."""
        if limit <= 0:
            return []
        if slugs is None:
            key = self._keys.articles_all()
            return await self.get_many(
                _ids(await self._redis.zrevrange(key, offset, offset + limit - 1))
            )
        async with self._redis.pipeline(transaction=False) as pipe:
            for slug in dict.fromkeys(slugs):
                key = self._keys.articles_by_rubric(slug)
                pipe.zrevrange(key, 0, offset + limit - 1, withscores=True)
            pages: list[list[tuple[str, float]]] = await pipe.execute()
        merged = heapq.merge(*pages, key=lambda item: (item[1], item[0]), reverse=True)
        ids = [article_id for article_id, _ in merged][offset : offset + limit]
        return await self.get_many(ids)

    async def count_by_rubric(self, slug: str) -> int:
        """How many articles the rubric holds."""
        return int(await self._redis.zcard(self._keys.articles_by_rubric(slug)))

    async def count(self) -> int:
        """How many articles are stored."""
        return int(await self._redis.zcard(self._keys.articles_all()))

    async def is_current(self, article_id: str, content_hash: str) -> bool:
        """Whether the stored article has this content hash: one HGET when the dedup index
        points the hash at it (the usual case), else the article is read."""
        owner = await self._redis.hget(self._keys.article_hashes(), content_hash)
        if owner == article_id:
            return True
        article = await self.get(article_id)
        return article is not None and article.content_hash == content_hash

    async def find_by_source(self, source_url: str) -> Article | None:
        """The article imported from this source URL, or None."""
        article_id = await self._redis.hget(self._keys.article_sources(), source_url)
        return await self.get(str(article_id)) if article_id else None


def _ids(values: Iterable[Any]) -> list[str]:
    """Redis replies as `str` ids (the client decodes responses)."""
    return [str(value) for value in values]


def _duplicate(article_id: str, existing: Article) -> StoreResult:
    return StoreResult(
        article_id=article_id, is_new=False, duplicate_of=article_id, article=existing
    )


def _same(old: Article, new: Article) -> bool:
    """Whether a re-imported article (same source or id) carries nothing new."""
    return all(getattr(old, f) == getattr(new, f) for f in _IDENTITY_FIELDS) and (
        new.source_url is None or old.source_url == new.source_url
    )
