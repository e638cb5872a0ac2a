"""SubscriberService against a real Redis with the real article and rubric repositories."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.subscribers.service import LATEST_OFFSET_MAX, STOP_CONFIRM_SECONDS, SubscriberService
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
    assert (await service.page(1, "", -5, 3)).status == "too_far"
    assert (await service.page(1, "nope", 0, 3)).status == "unknown"


async def test_latest_count_first_or_last(
    service: SubscriberService, redis: Redis, keys: Keys
) -> None:
    repo = ArticleRepo(redis, keys)
    for i in range(4):
        await repo.store(article(f"s{i}", "Спорт", f"Спорт {i}", minutes_ago=i))
    for args in ("Спорт 2", "2 Спорт", "2 «Спорт»", "sport 2"):
        page = await service.latest(1, args)
        assert page.status == "ok" and page.scope == "rubric", args
        assert [a.id for a in page.articles] == ["s0", "s1"], args
    assert (await service.latest(1, "50 Спорт")).status == "range"
    assert (await service.latest(1, "99999999999999999999 Спорт")).status == "range"


async def test_paging_stops_at_the_offset_cap(
    service: SubscriberService, redis: Redis, keys: Keys
) -> None:
    repo = ArticleRepo(redis, keys)
    for i in range(3):
        await repo.store(article(f"p{i}", "Политика", f"Политика {i}", minutes_ago=i))
    for offset in (LATEST_OFFSET_MAX + 1, 99999999999999999999):
        assert (await service.page(1, "", offset, 5)).status == "too_far"
    edge = await service.page(1, "", LATEST_OFFSET_MAX, 5)
    assert edge.status == "ok" and not edge.articles and not edge.has_next


@pytest.mark.parametrize("query", ["«Политика»", '"Политика"', "„Политика“", "'политика'"])
async def test_quotes_around_an_argument_are_ignored(
    service: SubscriberService, query: str
) -> None:
    change = await service.subscribe(1, query)
    assert change.status == "done" and change.rubric and change.rubric.slug == "politika"
    everything = await service.unsubscribe(1, "«все»")
    assert everything.status == "done" and everything.removed == 1


@pytest.mark.parametrize(
    ("query", "slug"),
    [("Politics", "politika"), ("politics", "politika"), ("World", "v-mire"), ("Sport", "sport")],
)
async def test_english_rubric_names(service: SubscriberService, query: str, slug: str) -> None:
    change = await service.subscribe(1, query)
    assert change.status == "done" and change.rubric and change.rubric.slug == slug


async def test_english_near_miss(service: SubscriberService) -> None:
    change = await service.subscribe(1, "Politcs")
    assert change.status == "unknown"
    assert [r.slug for r in change.suggestions] == ["politika"]


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
    await service.ask_stop(1, 77)
    assert await service.stop(1, 77) == 2
    profile = await service.profile(1, "ru")
    assert not profile.known and await service.subscription_count(1) == 0
    assert await service.stop(1, 77) is None  # the confirmation is used up


async def test_stop_needs_the_pending_confirmation(
    service: SubscriberService, clock: VirtualClock
) -> None:
    await service.subscribe(1, "Политика")
    assert await service.stop(1, 5) is None  # never asked: a forged «yes»
    await service.ask_stop(1, 10)
    assert await service.stop(1, 9) is None  # «yes» on another message
    await service.keep(1, 10)
    assert await service.stop(1, 10) is None  # «no» was pressed
    await service.ask_stop(1, 11)
    await clock.advance(STOP_CONFIRM_SECONDS + 1)
    assert await service.stop(1, 11) is None  # too old
    assert await service.subscription_count(1) == 1
    await service.ask_stop(1, 12)
    assert await service.stop(1, 12) == 1


async def test_register_remembers_telegram_language(service: SubscriberService) -> None:
    profile = await service.profile(5, "en-GB")
    assert not profile.known and profile.subscriber.telegram_language == "en"
    await service.register(profile, "en-GB")
    await service.subscribe(5, "Спорт")
    stored = await service.profile(5, None)
    assert stored.known and stored.locale == "en"  # remembered, even when Telegram is silent
    assert stored.subscriber.telegram_language == "en"
