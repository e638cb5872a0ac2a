"""Embargoed articles in storage: out of every reader list until released, released once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from redis.asyncio import Redis

from storage.article_embargo import PublicArticles
from storage.articles import ArticleRepo
from storage.keys import Keys
from tests.test_storage_articles import T0, Clock, clock, make, repo

__all__ = ["clock", "repo"]  # fixtures


async def test_an_embargoed_article_is_stored_but_no_reader_list_holds_it(
    repo: ArticleRepo, redis: Redis, keys: Keys
) -> None:
    public_id = (await repo.store(make(1))).article_id
    stored = await repo.store(make(2), embargoed=True)
    assert stored.is_new and stored.article.state == "embargoed"
    assert stored.article.embargo_until is None and stored.article.public_at is None
    readers = PublicArticles(repo)
    assert await readers.get(stored.article_id) is None
    assert (await repo.get(stored.article_id)) == stored.article  # the desk still sees it
    assert [a.id for a in await readers.list_latest()] == [public_id]
    assert [a.id for a in await readers.list_by_rubric("politika")] == [public_id]
    assert [a.id for a in await readers.get_many([stored.article_id, public_id])] == [public_id]
    assert await repo.count() == 1
    assert await redis.zscore(keys.articles_embargoed(), stored.article_id) == float("inf")


async def test_release_makes_it_public_once_even_when_processes_race(
    repo: ArticleRepo, redis: Redis, keys: Keys, clock: Clock
) -> None:
    article_id = (await repo.store(make(1), embargoed=True)).article_id
    clock.moment = T0 + timedelta(hours=2)
    at = T0 + timedelta(hours=2)
    others = [ArticleRepo(redis, keys, now=clock) for _ in range(8)]
    results = await asyncio.gather(*(r.release(article_id, at) for r in others))
    released = [r for r in results if r is not None]
    assert len(released) == 1
    assert released[0].state == "public" and released[0].public_at == at
    readers = PublicArticles(repo)
    assert (await readers.get(article_id)) == released[0]
    assert [a.id for a in await readers.list_latest()] == [article_id]
    assert await redis.zscore(keys.articles_all(), article_id) == at.timestamp()
    assert await repo.embargoed_ids() == []
    assert await repo.unannounced(at.timestamp()) == [article_id]
    await repo.announced(article_id)
    assert await repo.unannounced(at.timestamp()) == []
    assert await repo.release(article_id, at) is None  # public already


async def test_own_publication_time_is_the_embargo_end_when_it_is_ahead(
    repo: ArticleRepo, clock: Clock
) -> None:
    later = T0 + timedelta(hours=3)
    timed = await repo.store(make(1, published_at=later), embargoed=True)
    past = await repo.store(make(2, published_at=T0 - timedelta(days=1)), embargoed=True)
    assert timed.article.embargo_until == later
    assert past.article.embargo_until is None  # a stamp in the past does not lift it
    assert await repo.next_release() == later.timestamp()
    assert await repo.due_ids(T0 + timedelta(hours=2)) == []
    assert await repo.due_ids(later) == [timed.article_id]
    released = await repo.release(timed.article_id, later)
    assert released is not None and released.published_at == later
    assert await repo.next_release() is None  # the other one waits for its first post


async def test_a_replaced_article_keeps_its_state(repo: ArticleRepo) -> None:
    waiting = await repo.store(make(1, source_url="https://x.kz/1"), embargoed=True)
    changed = await repo.store(make(1, source_url="https://x.kz/1", headline="Новый"))
    assert changed.changed and changed.article.state == "embargoed"
    assert await PublicArticles(repo).get(waiting.article_id) is None
    public = await repo.store(make(2, source_url="https://x.kz/2"))
    again = await repo.store(
        make(2, source_url="https://x.kz/2", headline="Другой"), embargoed=True
    )
    assert again.changed and again.article.state == "public"
    assert again.article.public_at == public.article.public_at


async def test_delete_leaves_no_embargo_entry(repo: ArticleRepo, redis: Redis, keys: Keys) -> None:
    article_id = (await repo.store(make(1), embargoed=True)).article_id
    assert await repo.delete(article_id)
    assert await redis.zscore(keys.articles_embargoed(), article_id) is None
    assert await repo.release(article_id, T0) is None
