"""End to end: the whole app (polling, delivery engine, scheduler) against the sandbox.

Channels are registered the way Telegram does it (the sandbox emits `my_chat_member` when
the bot is promoted); posts, edits and deletions are checked in the sandbox's message list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.publishing.service import PublishingService
from bot.redis_server import RedisServerProcess
from storage.models.article import Article
from storage.models.channel import Channel
from tests.harness import Message, RunningApp, eventually, running_app
from tests.publishing.conftest import local


async def register_channel(app: RunningApp, title: str, admin_id: int) -> int:
    """A sandbox channel the bot is promoted in by `admin_id`; waits for the registration."""
    chat = await app.client.create_channel(title, bot_status="left")
    await app.client.add_admin(chat["id"], admin_id, status="creator")
    await app.client.set_bot_status(
        chat["id"], "administrator", can_post_messages=True, from_id=admin_id
    )
    await app.wait_for_text(admin_id, title)
    return int(chat["id"])


async def wait_channel(app: RunningApp, chat_id: int, status: str) -> Channel:
    """The channel record once it has `status` (the update is handled asynchronously)."""

    async def with_status() -> Channel | None:
        channel = await app.services["channels"].get(chat_id)
        return channel if channel is not None and channel.status == status else None

    found: Channel = await eventually(with_status, timeout=5, what=f"{chat_id} to be {status}")
    return found


async def test_my_chat_member_registers_and_deactivates_with_private_notices(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    async with running_app(redis_server.url, sandbox) as app:
        admin = await app.client.create_private_chat("Айгерим", language_code="ru")
        chat_id = await register_channel(app, "Вестник Алматы", admin["id"])

        welcome = await app.wait_for_text(admin["id"], "подключён")
        assert "«Вестник Алматы» подключён" in welcome["text"]
        assert "/slots" in welcome["text"] and "/route" in welcome["text"]
        channel = await wait_channel(app, chat_id, "active")
        assert channel.added_by == admin["id"] and channel.rights.can_post_messages
        assert await app.services["channels"].admins(chat_id) == {admin["id"]}

        await app.client.set_bot_status(
            chat_id, "administrator", can_post_messages=False, from_id=admin["id"]
        )
        notice = await app.wait_for_text(admin["id"], "остановлены")
        assert "нет права публиковать сообщения" in notice["text"]
        assert (await wait_channel(app, chat_id, "inactive")).inactive_reason == "no_post_right"

        await app.client.set_bot_status(
            chat_id, "administrator", can_post_messages=True, from_id=admin["id"]
        )
        await app.wait_for_text(admin["id"], "снова подключён")
        await wait_channel(app, chat_id, "active")

        await app.client.set_bot_status(chat_id, "kicked", from_id=admin["id"])
        await app.wait_for_text(admin["id"], "бота удалили из канала")
        assert (await wait_channel(app, chat_id, "inactive")).inactive_reason == "removed"


async def test_slot_posts_are_silent_breaking_is_loud_and_pinned_edit_and_retract_show(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    clock = VirtualClock(local("08:00"))
    async with running_app(redis_server.url, sandbox, clock=clock) as app:
        admin = await app.client.create_private_chat("Редактор")
        chat_id = await register_channel(app, "Новости", admin["id"])
        publisher: PublishingService = app.services["publisher"]
        service = app.services["article_service"]
        planned = await service.import_article(
            Article(
                rubric="Политика",
                headline="Плановая новость",
                lead="Первый абзац.",
                source_url="https://example.kz/1",
            )
        )
        article_id = planned.article_id
        assert [p.chat_id for p in await publisher.list_queue(chat_id)] == [chat_id]  # routed

        urgent = await service.import_article(Article(rubric="Спорт", headline="Молния"))
        await publisher.queue_article(urgent.article_id, chat_id, "breaking", pin=True)
        # The pin is a second call after the send: wait for it, not just for the message.
        loud = await pump(
            app, clock, chat_id, lambda m: "Молния" in (m["text"] or "") and m["pinned"]
        )
        assert loud["disable_notification"] is False

        await clock.set(local("09:00"))
        await publisher.tick()
        quiet = await pump(app, clock, chat_id, lambda m: "Плановая" in (m["text"] or ""))
        assert quiet["disable_notification"] is True and quiet["pinned"] is False

        await wait_ledger(app, article_id, "published")
        await service.import_article(
            Article(
                rubric="Политика",
                headline="Исправленная новость",
                lead="Первый абзац.",
                source_url="https://example.kz/1",
            )
        )
        edited = await pump(
            app, clock, chat_id, lambda m: m["message_id"] == quiet["message_id"] and m["edited"]
        )
        assert "Исправленная новость" in (edited["text"] or edited.get("caption") or "")

        await publisher.retract_article(article_id)
        deleted = await pump(
            app, clock, chat_id, lambda m: m["message_id"] == quiet["message_id"] and m["deleted"]
        )
        assert deleted["deleted"] is True
        await wait_ledger(app, article_id, "retracted")
        live = [m for m in await app.messages(chat_id) if not m["deleted"]]
        assert [m["message_id"] for m in live] == [loud["message_id"]]


async def pump(
    app: RunningApp, clock: VirtualClock, chat_id: int, predicate: Callable[[Message], bool]
) -> Message:
    """Wait for a matching message, moving virtual time on in small steps meanwhile (the
    engine paces sends on the injected clock: a send spaced 1/30 s later needs time to pass)."""
    for _ in range(100):
        for message in await app.messages(chat_id):
            if predicate(message):
                return message
        await clock.advance(0.25)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no matching message in {chat_id}: {await app.messages(chat_id)}")


async def wait_ledger(app: RunningApp, article_id: str, status: str) -> None:
    """Until the ledger has an event with `status` for the article."""

    async def has_event() -> bool:
        events = await app.services["ledger"].events(article_id)
        return status in [e.status for e in events]

    await eventually(has_event, timeout=10, what=f"a {status} event for article {article_id}")


async def test_a_group_upgraded_to_a_supergroup_keeps_its_record_and_queue(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    async with running_app(redis_server.url, sandbox) as app:
        admin = await app.client.create_private_chat("Админ группы")
        group = await app.client.create_group("Редакция", bot_status="left")
        await app.client.add_admin(group["id"], admin["id"], status="creator")
        await app.client.set_bot_status(group["id"], "administrator", from_id=admin["id"])
        await app.wait_for_text(admin["id"], "Редакция")
        publisher: PublishingService = app.services["publisher"]
        stored = await app.services["article_service"].import_article(
            Article(rubric="Политика", headline="Ждёт слота")
        )
        [post] = await publisher.list_queue(group["id"])

        new = await app.client.migrate(group["id"])
        channel = await wait_channel(app, new["id"], "active")
        assert (channel.type, channel.title) == ("supergroup", "Редакция")
        assert await app.services["channels"].get(group["id"]) is None
        assert await app.services["channels"].admins(new["id"]) == {admin["id"]}
        [moved] = await publisher.list_queue(new["id"])
        assert (moved.id, moved.article_id, moved.chat_id) == (
            post.id,
            stored.article_id,
            new["id"],
        )
