"""End to end across time: a keyboard survives a restart; the digest arrives at local time."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.redis_server import RedisServerProcess
from storage.models.article import Article
from tests.harness import eventually, running_app
from tests.subscribers.e2e import Reader, body, button, buttons

MORNING = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 08:00 in Almaty


async def test_keyboards_from_before_a_restart_still_work(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object
) -> None:
    async with running_app(redis_server.url, sandbox) as first:
        reader = await Reader.create(first, "Олжас")
        now = datetime.now(UTC)
        for i in range(3):
            await first.services["article_service"].import_article(
                Article(
                    rubric="Спорт",
                    headline=f"Спорт: матч номер {i}",
                    lead=f"Подробности матча номер {i}.",
                    published_at=now - timedelta(minutes=3 - i),
                )
            )
        menu = await reader.say("/rubrics")
        settings = await reader.say("/settings")
        latest = await reader.say("/latest Спорт 1")
        assert "1. Спорт: матч номер 2" in body(latest)
        stop = await reader.say("/stop")
    async with running_app(redis_server.url, sandbox) as second:
        reader = Reader(second, reader.chat_id)
        await reader.press(menu, button(menu, "Культура"))
        edited = await reader.edited(menu["message_id"], "Сейчас у вас 1 подписка")
        assert "✓ Культура" in [b["text"] for b in buttons(edited)]
        await reader.press(settings, button(settings, "Только дайджест"))
        await reader.edited(settings["message_id"], "Новости — только дайджест")
        await reader.press(latest, button(latest, "Ранее ▶"))
        older = await reader.edited(latest["message_id"], "2. Спорт: матч номер 1")
        assert {"◀ Новее", "Ранее ▶"} <= {b["text"] for b in buttons(older)}
        before = len(await reader.bot_messages())
        await reader.press(older, button(older, "матч номер 1"))
        # the whole article, typographed (a number bound to the word before it)
        assert "Подробности матча номер\xa01." in body(await reader.next_message(before))
        await reader.press(stop, button(stop, "Да, удалить"))
        await reader.edited(stop["message_id"], "подписки и данные удалены")
        subs = second.services["subscriptions"]
        assert await subs.rubrics_of(reader.chat_id) == []
        assert await subs.get(reader.chat_id) is None


async def test_digest_arrives_at_the_chosen_local_time(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object, sample_text: str
) -> None:
    clock = VirtualClock(MORNING)
    async with running_app(redis_server.url, sandbox, clock=clock) as app:
        reader = await Reader.create(app, "Жанна")
        await reader.say("/subscribe Политика")
        assert "Ближайший — сегодня, 09:00" in body(await reader.say("/digest 09:00"))
        settings = await reader.say("/settings")
        await reader.press(settings, button(settings, "Только дайджест"))
        await reader.edited(settings["message_id"], "только дайджест")
        result = await app.services["article_service"].import_text(sample_text)
        before = len(await reader.bot_messages())

        async def digest_arrived() -> dict[str, object] | None:
            for message in (await reader.bot_messages())[before:]:
                if "Дайджест за 25 ноября" in body(message):
                    return message
            await clock.advance(30)  # the digest task checks every 30 s of virtual time
            await asyncio.sleep(0.02)
            return None

        await clock.advance(3600 - 60)
        digest = await eventually(digest_arrived, timeout=10.0, what="the digest")
        assert clock.now() >= datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
        text = body(digest)
        assert text.startswith("Дайджест за 25 ноября — 1 статья")
        assert "Токаев: Алматы становится" in text
        link = re.search(r"/article_\w+", text)
        assert link is not None and link.group(0) == f"/article_{result.article_id}"
        full = await reader.say(link.group(0))
        assert "Ранее сообщалось, что Токаев" in body(full)  # the body, not just the lead
        messages = await reader.bot_messages()
        assert sum("Дайджест за" in body(m) for m in messages) == 1
        assert not any(
            "Токаев" in body(m) and "Дайджест" not in body(m) for m in messages[before:-1]
        )  # digest only: no instant push before the digest


async def test_a_reader_who_left_and_writes_again_is_known_by_username_again(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object
) -> None:
    clock = VirtualClock(MORNING)
    async with running_app(redis_server.url, sandbox, clock=clock) as app:
        chat = await app.client.create_private_chat("Айгерим", username="aigerim_k")
        reader = Reader(app, int(chat["id"]))
        roles = app.services["roles"].repo
        await reader.say("/start")
        assert await roles.resolve_username("aigerim_k") == reader.chat_id
        stop = await reader.say("/stop")
        await reader.press(stop, button(stop, "Да, удалить"))
        await reader.edited(stop["message_id"], "подписки и данные удалены")
        assert await roles.resolve_username("aigerim_k") is None
        await clock.advance(120)
        await reader.say("/start")  # back a little later: an admin can /grant @aigerim_k again
        assert await roles.resolve_username("aigerim_k") == reader.chat_id
