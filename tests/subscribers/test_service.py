"""SubscriberService against a real Redis with the real article and rubric repositories."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.subscribers.service import SubscriberService
from storage.articles import ArticleRepo
from storage.keys import Keys
from tests.subscribers.helpers import NOW, article, make_service


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(NOW)


@pytest.fixture
def service(redis: Redis, keys: Keys, clock: VirtualClock) -> SubscriberService:
    return make_service(redis, keys, clock)


@pytest.mark.parametrize("query", ["Политика", "политика", "politika", "#Политика", " ПОЛИТИКА "])
async def test_subscribe_by_name_slug_or_hashtag(service: SubscriberService, query: str) -> None:
    change = await service.subscribe(1, query)
    assert change.status == "done" and change.rubric and change.rubric.slug == "politika"
    assert change.count == 1
    again = await service.subscribe(1, "Политика")
    assert again.status == "already"


async def test_near_miss_suggests(service: SubscriberService) -> None:
    change = await service.subscribe(1, "Политка")
    assert change.status == "unknown"
    assert [r.name for r in change.suggestions] == ["Политика"]
    nothing = await service.subscribe(1, "Погода")
    assert nothing.status == "unknown" and not nothing.suggestions
    assert "Спорт" in [r.name for r in nothing.available]
    assert (await service.subscribe(1, "   ")).status == "empty"


async def test_unsubscribe_one_and_all(service: SubscriberService) -> None:
    await service.subscribe(1, "Политика")
    await service.subscribe(1, "Спорт")
    one = await service.unsubscribe(1, "спорт")
    assert one.status == "done" and one.count == 1
    assert (await service.unsubscribe(1, "Спорт")).status == "already"
    everything = await service.unsubscribe(1, "все")
    assert everything.status == "done" and everything.removed == 1
    assert (await service.unsubscribe(1, "all")).status == "nothing"


async def test_toggle_and_forged_slug(service: SubscriberService) -> None:
    on = await service.toggle(1, "sport")
    assert on.subscribed and on.count == 1
    choices = {c.rubric.slug: c.subscribed for c in await service.rubric_choices(1)}
    assert choices["sport"] and not choices["politika"]
    off = await service.toggle(1, "sport")
    assert not off.subscribed and off.count == 0
    forged = await service.toggle(1, "no-such-rubric")
    assert forged.status == "unknown"
    assert await service.subscription_count(1) == 0


async def test_latest_paging_and_bad_numbers(
    service: SubscriberService, redis: Redis, keys: Keys
) -> None:
    repo = ArticleRepo(redis, keys)
    for i in range(7):
        await repo.store(article(f"p{i}", "Политика", f"Политика {i}", minutes_ago=i))
    await repo.store(article("s0", "Спорт", "Спорт 0", minutes_ago=30))
    await service.subscribe(1, "Политика")
    first = await service.latest(1, "3")
    assert first.scope == "mine" and [a.id for a in first.articles] == ["p0", "p1", "p2"]
    assert first.has_next and not first.has_prev
    last = await service.page(1, "", 6, 3)
    assert [a.id for a in last.articles] == ["p6"] and not last.has_next and last.has_prev
    sport = await service.latest(1, "Спорт")
    assert sport.scope == "rubric" and [a.id for a in sport.articles] == ["s0"]
    everyone = await service.latest(2, "")
    assert everyone.scope == "all" and everyone.articles[0].id == "p0"
    for bad in ("0", "21", "-3", "Политика 100"):
        assert (await service.latest(1, bad)).status == "range", bad
    assert (await service.latest(1, "Погода 3")).status == "unknown"
    assert (await service.page(1, "", -5, 3)).status == "range"
    assert (await service.page(1, "nope", 0, 3)).status == "unknown"


async def test_full_post_validates_ids(
    service: SubscriberService, redis: Redis, keys: Keys
) -> None:
    await ArticleRepo(redis, keys).store(article("p1", "Политика", "Заголовок", 1))
    post = await service.full_post("p1")
    assert post is not None and post.text == "Политика: Заголовок"
    assert await service.full_post("nope") is None
    assert await service.full_post("bad:id{x}") is None
    assert await service.full_post("x" * 200) is None


async def test_digest_set_show_off(service: SubscriberService) -> None:
    profile = await service.profile(1, "ru")
    change = await service.digest(profile, "08:30")
    assert change.status == "set" and change.minutes == 510
    assert change.next_at is not None
    assert change.next_at.timestamp() == NOW.timestamp() + 21.5 * 3600  # tomorrow 08:30 +05
    profile = await service.profile(1, "ru")
    shown = await service.digest(profile, "")
    assert shown.status == "show" and shown.minutes == 510 and shown.next_at == change.next_at
    assert (await service.digest(profile, "25:00")).status == "bad"
    assert (await service.digest(profile, "off")).status == "off"
    assert (await service.profile(1, "ru")).subscriber.digest_at is None


async def test_settings_buttons_and_forged_values(service: SubscriberService) -> None:
    profile = await service.profile(1, "en-US")
    assert profile.locale == "en"
    sub = await service.change_setting(profile, "lang", "ru")
    assert sub is not None and sub.language == "ru"
    assert (await service.profile(1, "en")).locale == "ru"
    profile = await service.profile(1, "en")
    digest_only = await service.change_setting(profile, "mode", "digest")
    assert digest_only is not None and not digest_only.pushes and digest_only.digest_at == 540
    profile = await service.profile(1, "en")
    quiet = await service.change_setting(profile, "quiet", "23-08")
    assert quiet is not None and (quiet.quiet_from, quiet.quiet_to) == (1380, 480)
    for name, value in [("lang", "de"), ("mode", "sometimes"), ("quiet", "1-2"), ("x", "y")]:
        assert await service.change_setting(profile, name, value) is None


async def test_stop_deletes_everything(service: SubscriberService) -> None:
    await service.subscribe(1, "Политика")
    await service.subscribe(1, "Спорт")
    profile = await service.profile(1, "ru")
    await service.digest(profile, "09:00")
    assert await service.stop(1) == 2
    profile = await service.profile(1, "ru")
    assert not profile.known and await service.subscription_count(1) == 0


async def test_register_remembers_telegram_language(service: SubscriberService) -> None:
    profile = await service.profile(5, "en-GB")
    assert not profile.known and profile.subscriber.telegram_language == "en"
    await service.register(profile, "en-GB")
    await service.subscribe(5, "Спорт")
    stored = await service.profile(5, None)
    assert stored.known and stored.locale == "en"  # remembered, even when Telegram is silent
    assert stored.subscriber.telegram_language == "en"
