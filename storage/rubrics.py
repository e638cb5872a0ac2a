"""The rubric registry: display name, slug and hashtag (`Политика`/`politika`/`#Политика`).

One Redis HASH (`keys.rubrics()`: slug -> Rubric JSON). The newsroom's configured rubrics
are seeded lazily on first use; any other rubric is registered when an article arrives in it.
"""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Iterable, Sequence

from redis.asyncio import Redis

from storage.keys import Keys
from storage.models.article import Rubric
from storage.text import hashtag, normalize_rubric_name, slugify, transliterate

__all__ = ["RubricRepo", "make_rubric", "resolve_rubric"]


def make_rubric(name: str) -> Rubric:
    """The rubric a display name stands for, without touching Redis (`В мире` -> `v-mire`)."""
    clean = normalize_rubric_name(name)
    if not clean:
        raise ValueError("a rubric name needs at least one visible character")
    return Rubric(name=clean, slug=slugify(clean), hashtag=hashtag(clean))


def resolve_rubric(name: str, configured: Iterable[str] = ()) -> Rubric:
    """The rubric `name` files under when only the configured rubrics are known.

    A configured rubric with the same slug wins (`ПОЛИТИКА` -> `Политика`, `#Политика`),
    exactly as the registry, which is seeded with them, decides; any other name stands for
    itself. Needs no Redis (`vestnik preview` uses it when no Redis is at hand).
    """
    wanted = make_rubric(name)
    for other in configured:
        if slugify(normalize_rubric_name(other)) == wanted.slug:
            return make_rubric(other)
    return wanted


def _fold(text: str) -> str:
    """Case- and `#`-insensitive comparison form (`ё` counts as `е`)."""
    return " ".join(text.strip().lstrip("#").casefold().replace("ё", "е").split())


class RubricRepo:
    """Registers rubrics and finds them by name, slug or hashtag, case-insensitively."""

    def __init__(self, redis: Redis, keys: Keys, *, defaults: Sequence[str] = ()) -> None:
        self._redis = redis
        self._keys = keys
        self._defaults = [make_rubric(name) for name in defaults]
        self._seeded = not self._defaults
        self._seed_lock = asyncio.Lock()

    async def _ready(self) -> None:
        """Seed the configured rubrics once, on first use (never at construction)."""
        if self._seeded:
            return
        async with self._seed_lock:
            if not self._seeded:
                await self._register(self._defaults)
                self._seeded = True

    async def _register(self, rubrics: Iterable[Rubric]) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for rubric in rubrics:
                pipe.hsetnx(self._keys.rubrics(), rubric.slug, rubric.model_dump_json())
            await pipe.execute()

    async def seed(self, names: Iterable[str]) -> list[Rubric]:
        """Register every name that is not registered yet; return them as stored."""
        rubrics = [make_rubric(name) for name in names]
        await self._register(rubrics)
        stored = await self._redis.hmget(self._keys.rubrics(), [r.slug for r in rubrics])
        return [Rubric.model_validate_json(raw) for raw in stored if raw]

    async def ensure(self, name: str) -> Rubric:
        """The registered rubric for `name`, registering it first if it is new.

        `политика` finds the registered `Политика` (same slug), so an import never creates
        a case variant of an existing rubric.
        """
        await self._ready()
        wanted = make_rubric(name)
        await self._redis.hsetnx(self._keys.rubrics(), wanted.slug, wanted.model_dump_json())
        raw = await self._redis.hget(self._keys.rubrics(), wanted.slug)
        return Rubric.model_validate_json(raw) if raw else wanted

    async def resolve(self, name: str) -> Rubric:
        """The rubric `name` files under, without registering it: the registered one with
        the same slug, else a new rubric for `name` (pass it to `ArticleRepo.store` to
        register it together with the article)."""
        await self._ready()
        wanted = make_rubric(name)
        raw = await self._redis.hget(self._keys.rubrics(), wanted.slug)
        return Rubric.model_validate_json(raw) if raw else wanted

    async def lookup(self, name: str) -> Rubric:
        """Like `resolve`, but never writes (not even the seeding): for read-only tools."""
        wanted = resolve_rubric(name, (r.name for r in self._defaults))
        raw = await self._redis.hget(self._keys.rubrics(), wanted.slug)
        return Rubric.model_validate_json(raw) if raw else wanted

    async def get(self, slug: str) -> Rubric | None:
        """The rubric with this slug, or None."""
        await self._ready()
        raw = await self._redis.hget(self._keys.rubrics(), slug)
        return Rubric.model_validate_json(raw) if raw else None

    async def all(self) -> list[Rubric]:
        """Every rubric: the configured ones in their configured order, then the rest by name."""
        await self._ready()
        raw = await self._redis.hvals(self._keys.rubrics())
        rubrics = [Rubric.model_validate_json(item) for item in raw]
        order = {r.slug: i for i, r in enumerate(self._defaults)}
        return sorted(rubrics, key=lambda r: (order.get(r.slug, len(order)), _fold(r.name)))

    async def find(self, query: str) -> Rubric | None:
        """The rubric whose name, slug or hashtag equals `query`, ignoring case and a `#`."""
        wanted = _fold(query)
        if not wanted:
            return None
        for rubric in await self.all():
            if wanted in (_fold(rubric.name), rubric.slug, _fold(rubric.hashtag)):
                return rubric
        slug = slugify(query)
        return next((r for r in await self.all() if r.slug == slug), None)

    async def suggest(self, query: str, limit: int = 3) -> list[Rubric]:
        """Near misses for a rubric nobody has (`Политка` -> `Политика`), best first."""
        wanted = _fold(query)
        if not wanted:
            return []
        rubrics = await self.all()
        scores = {r.slug: _similarity(wanted, r) for r in rubrics}
        ranked = sorted(
            (r for r in rubrics if scores[r.slug] >= 0.6), key=lambda r: -scores[r.slug]
        )
        return ranked[:limit]


def _similarity(query: str, rubric: Rubric) -> float:
    """Best difflib ratio of the query (or its transliteration) against name, slug, hashtag."""
    forms = (_fold(rubric.name), rubric.slug, _fold(rubric.hashtag))
    queries = {query, transliterate(query), slugify(query)}
    best = 0.0
    for q in queries:
        for form in forms:
            best = max(best, difflib.SequenceMatcher(None, q, form).ratio())
        if len(q) >= 3 and any(form.startswith(q) for form in forms):
            best = max(best, 0.8)
    return best
