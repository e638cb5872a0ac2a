"""Edit and retract reach copies that were on their way: the whole app against the sandbox.

The sandbox holds `sendMessage` (a latency fault), so the post is in flight while the
article changes or is retracted; once Telegram has answered, the delivery engine's
completed hook makes publishing edit the new copy or delete it.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from bot.publishing.dispatch import TickReport
from bot.publishing.service import PublishingService
from bot.redis_server import RedisServerProcess
from storage.models.article import Article
from tests.harness import RunningApp, eventually, running_app
from tests.publishing.conftest import World, local
from tests.publishing.test_e2e import register_channel, wait_ledger

HOLD_MS = 1500


async def send_held(app: RunningApp, headline: str) -> tuple[int, str, str]:
    """A channel, and an article whose post is in flight (sendMessage held by the sandbox)."""
    admin = await app.client.create_private_chat("Редактор")
    chat_id = await register_channel(app, "Лента", admin["id"])
    imported = await app.services["article_service"].import_article(
        Article(rubric="Политика", headline=headline, source_url="https://example.kz/held")
    )
    await app.client.add_latency(HOLD_MS, method="sendMessage")
    publisher: PublishingService = app.services["publisher"]
    [post] = await publisher.queue_article(imported.article_id, chat_id, "now")
    outbox = app.services["outbox"]

    async def in_flight() -> bool:
        return bool(await outbox.state(post.job_key) == "inflight")

    await eventually(in_flight, timeout=5, what="the post's job to be in flight")
    return chat_id, imported.article_id, post.job_key


async def test_an_article_changed_while_its_post_is_being_sent_is_edited_once_out(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    async with running_app(redis_server.url, sandbox) as app:
        chat_id, article_id, job_id = await send_held(app, "Первая версия")
        await app.services["article_service"].import_article(
            Article(
                rubric="Политика", headline="Вторая версия", source_url="https://example.kz/held"
            )
        )
        assert await app.services["outbox"].state(job_id) == "inflight"  # still on its way
        assert await app.client.bot_messages(chat_id) == []

        edited = await app.wait_for(chat_id, lambda m: bool(m["edited"]), timeout=8)
        assert "Вторая версия" in (edited["text"] or "")
        await wait_ledger(app, article_id, "edited")
        [message] = await app.client.bot_messages(chat_id)
        assert message["message_id"] == edited["message_id"]  # edited in place, not resent
        copies = await app.services["ledger"].published_copies(article_id)
        assert copies == {chat_id: edited["message_id"]}


async def test_an_article_retracted_while_its_post_is_being_sent_is_deleted_once_out(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    async with running_app(redis_server.url, sandbox) as app:
        chat_id, article_id, job_id = await send_held(app, "Ошибочная новость")
        publisher: PublishingService = app.services["publisher"]
        result = await publisher.retract_article(article_id)
        assert (result.deleted, result.cancelled, result.following) == ([], [], [chat_id])
        assert await app.services["outbox"].state(job_id) == "inflight"

        deleted = await app.wait_for(chat_id, lambda m: bool(m["deleted"]), timeout=8)
        assert "Ошибочная новость" in (deleted["text"] or "")
        await wait_ledger(app, article_id, "retracted")
        assert await app.client.bot_messages(chat_id) == []
        assert await app.services["ledger"].published_copies(article_id) == {}


async def test_a_queued_post_renders_the_article_as_it_is_when_its_slot_comes(
    world: World,
) -> None:
    await world.channel(-1001)
    publisher = world.publisher()
    article_id = await world.article("Черновой заголовок", source_url="https://example.kz/q")
    [post] = await publisher.queue_article(article_id, -1001)
    article = await world.articles.get(article_id)
    assert article is not None
    await world.articles.store(
        article.model_copy(update={"headline": "Итоговый", "content_hash": ""})
    )
    await world.clock.set(local("09:00"))
    await publisher.tick()
    job = await world.job(post.id)
    assert job is not None and job.post is not None
    assert "<b>Итоговый</b>" in job.post.text and "<b>Черновой" not in job.post.text
    stored = await world.articles.get(article_id)
    assert stored is not None and job.content_hash == stored.content_hash


async def test_a_retraction_while_a_tick_hands_the_post_over_keeps_it_from_going_out(
    world: World,
) -> None:
    await world.channel(-1001)
    publisher = world.publisher()
    article_id = await world.article("Снять до выхода")
    [post] = await publisher.queue_article(article_id, -1001)
    await world.clock.set(local("09:00"))
    mark = await world.queue.mark(-1001)
    claim = await world.queue.claim(  # a tick took the post; its job is not enqueued yet
        -1001, interval_mode=False, expected=mark, mark=world.clock.time(), count=1,
        now=world.clock.time(),
    )  # fmt: skip
    assert claim.post_ids == [post.id]
    [taken] = await world.queue.get_many(claim.post_ids)  # what the tick goes on with

    result = await publisher.retract_article(article_id)
    assert result.following == [-1001]
    report = TickReport()
    await publisher.dispatcher.dispatch(taken, report)  # the tick goes on

    assert report.dispatched == [] and [p.id for p in report.skipped] == [post.id]
    stored = await world.queue.get(post.id)
    assert stored is not None and (stored.state, stored.reason) == ("cancelled", "retracted")
    assert await world.outbox.claim(world.clock.time(), 10, "w", 30) == []
    events = [(e.status, e.reason) for e in await world.ledger.events(article_id)]
    assert events[-1] == ("skipped", "retracted")


async def test_reimport_by_source_or_id_edits_every_published_copy_in_place(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    async with running_app(redis_server.url, sandbox) as app:
        chats = []
        for title, name in (("Первый", "Админ 1"), ("Второй", "Админ 2")):
            admin = await app.client.create_private_chat(name)
            chats.append(await register_channel(app, title, admin["id"]))
        service = app.services["article_service"]
        source = "https://example.kz/two"
        imported = await service.import_article(
            Article(rubric="Политика", headline="Исходная", source_url=source)
        )
        article_id = imported.article_id
        await app.services["publisher"].queue_article(article_id, None, "now")
        ledger = app.services["ledger"]

        async def copies() -> dict[int, int]:
            found: dict[int, int] = await ledger.published_copies(article_id)
            return found if len(found) == 2 else {}

        sent = await eventually(copies, what="both copies to be out")

        for version, article in enumerate(
            [
                Article(rubric="Политика", headline="Правка по ссылке", source_url=source),
                Article(id=article_id, rubric="Политика", headline="Правка по номеру"),
            ],
            start=1,
        ):
            await service.import_article(article)

            async def edited(headline: str = article.headline) -> bool:
                texts = [  # (typography binds short words with no-break spaces)
                    (m["text"] or "").replace("\xa0", " ")
                    for chat in chats
                    for m in await app.client.bot_messages(chat)
                ]
                return len(texts) == 2 and all(headline in t for t in texts)

            await eventually(edited, what=f"both copies to show «{article.headline}»")
            for chat in chats:
                [message] = await app.client.bot_messages(chat)
                assert message["message_id"] == sent[chat] and message["edited"]

            async def recorded(count: int = version) -> bool:
                events = [e for e in await ledger.events(article_id) if e.status == "edited"]
                return sorted(e.chat_id for e in events) == sorted(chats * count)

            await eventually(recorded, what=f"edit {version} of both copies in the ledger")
        assert await ledger.published_copies(article_id) == sent
