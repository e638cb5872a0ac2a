"""The digest task in virtual time: the day's headlines at the subscriber's local time, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.subscribers.digest import DigestSender
from bot.subscribers.service import SubscriberService
from bot.subscribers.views import DigestView
from bot.texts import build_i18n
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.models.article import Article
from storage.models.subscriber import Subscriber
from storage.outbox import OutboxRepo
from storage.subscriptions import SubscriptionRepo
from tests.subscribers.helpers import make_service, settings

EVENING = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # 19:00 in Almaty


def _at(aid: str, rubric: str, when: datetime) -> Article:
    return Article(id=aid, rubric=rubric, headline=f"Новость {aid}", published_at=when)


async def test_digest_sent_at_local_time_once_with_the_days_headlines(
    redis: Redis, keys: Keys
) -> None:
    clock = VirtualClock(EVENING)
    service: SubscriberService = make_service(redis, keys, clock)
    subs = SubscriptionRepo(redis, keys, shards=8, user_shards=8)
    outbox = OutboxRepo(redis, keys, time_source=clock.time)
    articles = ArticleRepo(redis, keys)
    view = DigestView(build_i18n(), "ru", "Asia/Almaty")
    sender = DigestSender(subs, articles, outbox, clock, settings(), view)

    await service.subscribe(1, "Политика")
    await service.subscribe(1, "Спорт")
    profile = await service.profile(1, "ru")
    await service.digest(profile, "09:00")  # next: 25 Nov 09:00 +05 = 04:00 UTC
    await articles.store(_at("old", "Политика", EVENING - timedelta(days=2)))
    await articles.store(_at("p1", "Политика", EVENING + timedelta(hours=1)))
    await articles.store(_at("s1", "Спорт", EVENING + timedelta(hours=10)))
    await articles.store(_at("k1", "Культура", EVENING + timedelta(hours=11)))

    assert await sender.tick() == 0  # 19:00: nothing due yet
    await clock.set(datetime(2026, 11, 25, 4, 0, 30, tzinfo=UTC))
    assert await sender.tick() == 1
    job = await outbox.get("digest-1-2026-11-25")
    assert job is not None and job.kind == "digest" and job.post is not None
    text = job.post.text
    assert text.startswith("<b>Дайджест за 25 ноября</b> — 2 статьи")
    assert text.index("Новость s1") < text.index("Новость p1")  # newest first
    assert "Новость old" not in text and "Новость k1" not in text
    assert "Спорт, 05:00" in text and "Политика, 20:00" in text  # local times (UTC+5)
    assert await sender.tick() == 0  # rescheduled: not twice the same day
    assert await subs.next_digest(1) == datetime(2026, 11, 26, 4, 0, tzinfo=UTC).timestamp()


async def test_digest_skipped_when_nothing_new_and_dropped_when_off(
    redis: Redis, keys: Keys
) -> None:
    clock = VirtualClock(EVENING)
    service = make_service(redis, keys, clock)
    subs = SubscriptionRepo(redis, keys, shards=8, user_shards=8)
    outbox = OutboxRepo(redis, keys, time_source=clock.time)
    sender = DigestSender(
        subs,
        ArticleRepo(redis, keys),
        outbox,
        clock,
        settings(),
        DigestView(build_i18n(), "ru", "Asia/Almaty"),
    )
    await service.subscribe(1, "Политика")
    await service.digest(await service.profile(1, "ru"), "20:00")
    await clock.advance(3600 + 60)
    assert await sender.tick() == 0
    assert await outbox.pending_count() == 0
    assert await subs.next_digest(1) is not None  # still scheduled for tomorrow
    # a schedule entry whose settings no longer ask for a digest is dropped, not sent
    await subs.save(Subscriber(user_id=2), digest_due=clock.time() - 1)
    assert await sender.tick() == 0
    assert await subs.next_digest(2) is None
