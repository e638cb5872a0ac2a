"""Embargo: an article imported with a plan for later is public from its first publication.

The articles service, routing and the publisher on one Redis and a virtual clock; a
recorder stands for the subscribers feature's public listener (the pushes), and storage's
`PublicArticles` for every reader path.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.articles.service import ArticleService, Plan
from bot.publishing.errors import PublishingError
from bot.publishing.routing import RoutingListener
from bot.publishing.service import PublishingService
from storage.article_embargo import PublicArticles
from storage.models.article import Article
from storage.models.delivery import LedgerEntry
from tests.publishing.conftest import World, local

A = -1001


class Heard:
    """The public listener: which articles became public, in order."""

    def __init__(self, fail: bool = False) -> None:
        self.ids: list[str] = []
        self.fail = fail

    async def __call__(self, article: Article) -> None:
        if self.fail:
            raise RuntimeError("the push fan-out fell over")
        self.ids.append(str(article.id))


def parts(world: World, heard: Heard) -> tuple[ArticleService, PublishingService]:
    publisher = world.publisher()
    publisher.add_public_listener(heard)
    service = ArticleService(
        world.articles,
        world.rubrics,
        [RoutingListener(publisher)],
        world.clock,
        publisher=publisher,
    )
    return service, publisher


def news(headline: str, **fields: object) -> Article:
    return Article(rubric="Политика", headline=headline, lead="Лид.", **fields)


async def out(world: World, publisher: PublishingService, post_id: str, message_id: int) -> None:
    """The delivery engine reports the post's copy out: ledger first, then the hook."""
    job = await world.job(post_id)
    assert job is not None
    await world.ledger.record(
        LedgerEntry(
            article_id=str(job.article_id),
            chat_id=job.chat_id,
            status="published",
            at=world.clock.time(),
            message_id=message_id,
        )
    )
    await publisher.after_delivery(job, message_id)


async def test_a_timed_post_is_public_when_its_channel_copy_is_out_not_before(
    world: World,
) -> None:
    await world.channel(A)
    heard = Heard()
    service, publisher = parts(world, heard)
    readers = PublicArticles(world.articles)
    await world.clock.set(local("02:06", day=26))
    result = await service.import_article(
        news("В 02:09"), plan=Plan(A, "at", local("02:09", day=26))
    )
    article_id = result.article_id
    assert result.article.state == "embargoed"
    [post] = result.posts
    assert (post.mode, post.state, post.due_at) == (
        "at",
        "scheduled",
        local("02:09", day=26).timestamp(),
    )
    assert heard.ids == [] and await readers.get(article_id) is None
    assert await readers.list_latest() == []
    await world.clock.set(local("02:08:59", day=26))
    await publisher.tick()
    assert heard.ids == [] and await world.job(post.id) is None
    await world.clock.set(local("02:09", day=26))
    await publisher.tick()
    assert heard.ids == []  # handed to the engine, not out yet
    await out(world, publisher, post.id, message_id=77)
    assert heard.ids == [article_id]
    public = await readers.get(article_id)
    assert public is not None and public.public_at == local("02:09", day=26)
    await out(world, publisher, post.id, message_id=77)  # a repeated hook call
    assert heard.ids == [article_id]


async def test_its_own_publication_time_lifts_the_embargo_without_a_post(world: World) -> None:
    await world.channel(A)  # slots 09:00 12:00...
    heard = Heard()
    service, publisher = parts(world, heard)
    stamp = local("08:00")
    result = await service.import_article(
        news("Пресс-релиз под эмбарго", published_at=stamp), plan=Plan(A, "next_slot")
    )
    assert result.article.embargo_until == stamp
    assert await publisher.next_due() == stamp.timestamp()  # the scheduler wakes for it
    await world.clock.set(local("07:59"))
    await publisher.tick()
    assert heard.ids == []
    await world.clock.set(stamp)
    await publisher.tick()
    assert heard.ids == [result.article_id]
    assert [p.state for p in await publisher.list_queue(A)] == ["queued"]  # still for 09:00


async def test_a_plain_import_is_public_at_once(world: World) -> None:
    await world.channel(A)
    heard = Heard()
    service, _ = parts(world, heard)
    result = await service.import_article(news("Без плана"))
    assert result.article.state == "public"
    assert await PublicArticles(world.articles).get(result.article_id) is not None
    breaking = await service.import_article(news("Срочно"), plan=Plan(A, "breaking", pin=True))
    assert breaking.article.state == "public"  # it goes out at once


async def test_retracting_before_its_time_leaves_no_trace(world: World) -> None:
    await world.channel(A)
    heard = Heard()
    service, publisher = parts(world, heard)
    stamp = local("08:00")
    result = await service.import_article(
        news("Передумали", published_at=stamp), plan=Plan(A, "at", local("08:30"))
    )
    retracted = await publisher.retract_article(result.article_id)
    assert retracted.cancelled == [A]
    assert await world.articles.get(result.article_id) is None
    await world.clock.set(local("09:00"))
    report = await publisher.tick()
    assert report.dispatched == [] and heard.ids == []
    assert await world.articles.count() == 0
    entries = {
        e.chat_id: (e.status, e.reason) for e in await world.ledger.entries(result.article_id)
    }
    assert entries == {A: ("skipped", "retracted")}  # the operator still sees what happened


async def test_a_bad_plan_stores_nothing(world: World) -> None:
    await world.channel(A)
    service, _ = parts(world, Heard())
    with pytest.raises(PublishingError) as past:
        await service.import_article(news("Вчера"), plan=Plan(A, "at", local("06:00")))
    assert past.value.code == "bad_time"
    with pytest.raises(PublishingError) as unknown:
        await service.import_article(news("Куда?"), plan=Plan(-999, "next_slot"))
    assert unknown.value.code == "unknown_channel"
    assert await world.articles.count() == 0 and await world.articles.embargoed_ids() == []


async def test_a_crash_before_the_hook_or_the_pushes_is_finished_by_the_tick(
    world: World,
) -> None:
    await world.channel(A)
    failing = Heard(fail=True)
    service, publisher = parts(world, failing)
    late = await service.import_article(news("Хук не дошёл"), plan=Plan(A, "next_slot"))
    [post] = late.posts
    await world.clock.set(local("09:00"))
    await publisher.tick()
    job = await world.job(post.id)
    assert job is not None
    await world.ledger.record(  # the copy is out, the process died before the hook
        LedgerEntry(
            article_id=late.article_id,
            chat_id=A,
            status="published",
            at=world.clock.time(),
            message_id=5,
        )
    )
    await publisher.tick()  # the safety net releases it; the pushes fail
    assert await PublicArticles(world.articles).get(late.article_id) is not None
    again = Heard()
    _, other = parts(world, again)  # another process, whose fan-out works
    await world.clock.advance(30)
    await other.tick()
    assert again.ids == []  # a release this recent may still be announcing
    await world.clock.advance(timedelta(minutes=2).total_seconds())
    await other.tick()
    assert again.ids == [late.article_id]
    await other.tick()
    assert again.ids == [late.article_id]  # announced once it worked
