"""The push listener: new articles fan out via the real outbox; quiet hours defer, never drop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.subscribers.push import PushListener
from bot.subscribers.search import Lemmatizer, SearchService, shared_morph
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.models.subscriber import Subscriber
from storage.outbox import OutboxRepo
from storage.rubrics import RubricRepo
from storage.search_index import SearchIndex
from storage.subscriptions import SubscriptionRepo
from tests.subscribers.helpers import NOW, article, settings, text_post

QUIET_USER = 3


@pytest.fixture
async def parts(redis: Redis, keys: Keys) -> tuple[PushListener, SubscriptionRepo, OutboxRepo]:
    clock = VirtualClock(NOW)  # 11:00 in Almaty
    subs = SubscriptionRepo(redis, keys, shards=8, user_shards=8)
    outbox = OutboxRepo(redis, keys, time_source=clock.time)
    articles = ArticleRepo(redis, keys)
    search = SearchService(SearchIndex(redis, keys), articles, Lemmatizer(shared_morph()))
    rubrics = RubricRepo(redis, keys, defaults=settings().rubrics)
    listener = PushListener(subs, rubrics, outbox, search, clock, settings(), text_post)
    return listener, subs, outbox


async def test_new_article_is_pushed_to_instant_subscribers_only(
    parts: tuple[PushListener, SubscriptionRepo, OutboxRepo], redis: Redis, keys: Keys
) -> None:
    listener, subs, outbox = parts
    for uid in (1, 2, QUIET_USER, 4):
        await subs.subscribe(uid, "politika")
    await subs.subscribe(5, "sport")
    await subs.save(Subscriber(user_id=4, pushes=False, digest_at=540), digest_due=0.0)
    # quiet hours 10:00-12:00 local: it is 11:00 in Almaty, so the push waits until 12:00
    await subs.save(Subscriber(user_id=QUIET_USER, quiet_from=600, quiet_to=720), digest_due=None)
    await listener.article_stored(
        article("a1", "Политика", "Токаев открыл хаб", 0), is_new=True, changed=False
    )
    assert await outbox.pending_count("push") == 3
    ready = keys.outbox_ready("push")
    assert await redis.zscore(ready, "push-a1-1") is not None
    assert await redis.zscore(ready, "push-a1-4") is None
    assert await redis.zscore(ready, "push-a1-5") is None
    deferred = await redis.zscore(ready, f"push-a1-{QUIET_USER}")
    assert deferred == (NOW + timedelta(hours=1)).timestamp()


async def test_repeated_or_changed_article_is_not_pushed_again(
    parts: tuple[PushListener, SubscriptionRepo, OutboxRepo],
) -> None:
    listener, subs, outbox = parts
    await subs.subscribe(1, "politika")
    item = article("a1", "Политика", "Токаев открыл хаб", 0)
    await listener.article_stored(item, is_new=True, changed=False)
    await listener.article_stored(item, is_new=True, changed=False)  # a retried import
    changed = item.model_copy(update={"headline": "Токаев открыл новый хаб"})
    await listener.article_stored(changed, is_new=False, changed=True)
    assert await outbox.pending_count("push") == 1


async def test_listener_indexes_for_search(
    parts: tuple[PushListener, SubscriptionRepo, OutboxRepo], redis: Redis, keys: Keys
) -> None:
    listener, _, _ = parts
    await listener.article_stored(
        article("a1", "Политика", "Хаб в Алматы", 0), is_new=True, changed=False
    )
    index = SearchIndex(redis, keys)
    assert "хаб" in await index.terms_of("a1")
    await listener.article_stored(
        article("a1", "Политика", "Погода", 0), is_new=False, changed=True
    )
    assert "хаб" not in await index.terms_of("a1")
