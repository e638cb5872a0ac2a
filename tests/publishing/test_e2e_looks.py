"""End to end: what a channel's posts look like in Telegram (the sandbox records every call).

The first line (what a notification shows) is the headline, with the channel's marker for
breaking news; an edit of a breaking post keeps its marker; the link preview is sent as
`link_preview_options` the way the channel chose, on edits too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.publishing.service import PublishingService
from bot.redis_server import RedisServerProcess
from storage.models.article import Article
from tests.harness import RunningApp, running_app
from tests.publishing.conftest import local
from tests.publishing.test_e2e import pump, register_channel, wait_ledger

SOURCE = "https://example.kz/news/42"


@asynccontextmanager
async def channel_app(
    redis_server: RedisServerProcess, sandbox: Any, title: str
) -> AsyncIterator[tuple[RunningApp, VirtualClock, int]]:
    """The running app at 08:00 in virtual time, with one registered channel."""
    clock = VirtualClock(local("08:00"))
    async with running_app(redis_server.url, sandbox, clock=clock) as app:
        admin = await app.client.create_private_chat("Редактор")
        yield app, clock, await register_channel(app, title, admin["id"])


def first_line(message: dict[str, Any]) -> str:
    return str(message["text"] or message.get("caption") or "").split("\n")[0]


async def test_breaking_post_reads_right_and_keeps_its_marker_and_preview_through_an_edit(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    async with channel_app(redis_server, sandbox, "Новости") as (app, clock, chat_id):
        publisher: PublishingService = app.services["publisher"]
        await publisher.set_template(chat_id, link_preview="above")
        await publisher.set_routing(chat_id, ["Экономика"])
        service = app.services["article_service"]
        article = Article(
            rubric="Политика", headline="Парламент принял бюджет", lead="Лид.", source_url=SOURCE
        )
        stored = await service.import_article(article)
        await publisher.queue_article(stored.article_id, chat_id, "breaking")
        post = await pump(app, clock, chat_id, lambda m: "бюджет" in (m["text"] or ""))
        assert first_line(post) == "⚡️ Срочно: Парламент принял бюджет"
        assert post["link_preview_options"] == {"url": SOURCE, "show_above_text": True}
        assert post["disable_notification"] is False

        await publisher.set_template(chat_id, link_preview="off")
        fixed = article.model_copy(update={"headline": "Парламент принял бюджет-2027"})
        await service.import_article(fixed)  # the same source: an edit of every copy
        edited = await pump(
            app,
            clock,
            chat_id,
            lambda m: m["message_id"] == post["message_id"] and "2027" in (m["text"] or ""),
        )
        assert first_line(edited) == "⚡️ Срочно: Парламент принял бюджет-2027"
        assert edited["link_preview_options"] == {"is_disabled": True}
        assert edited["text"].endswith("#Политика\nЧитать полностью")


async def test_a_slot_post_starts_with_its_headline_and_previews_below_by_default(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    async with channel_app(redis_server, sandbox, "Экономика") as (app, clock, chat_id):
        service = app.services["article_service"]
        stored = await service.import_article(
            Article(rubric="Экономика", headline="Тенге укрепился", lead="Лид.", source_url=SOURCE)
        )
        await clock.set(local("09:00"))
        await app.services["publisher"].tick()
        post = await pump(app, clock, chat_id, lambda m: "Тенге" in (m["text"] or ""))
        assert first_line(post) == "Тенге укрепился"
        assert post["link_preview_options"] == {"url": SOURCE}
        assert post["pinned"] is False
        await wait_ledger(app, stored.article_id, "published")
