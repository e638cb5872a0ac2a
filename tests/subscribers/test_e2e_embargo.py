"""End to end: a post timed for later reaches no reader before its channel copy is out.

The whole app on a virtual clock: an article imported at 02:06 with a plan for 02:09 is
neither pushed nor found by /latest, /article or /search until the scheduler publishes it
in the channel; then the reader gets the push (with its buttons) and every command finds it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from redis.asyncio import Redis

from bot.articles.service import Plan
from bot.clock import VirtualClock
from bot.redis_server import RedisServerProcess
from storage.models.article import Article
from tests.harness import running_app
from tests.publishing.conftest import local
from tests.publishing.test_e2e import pump, register_channel
from tests.subscribers.e2e import Reader, body, buttons

HEADLINE = "Эмбарго: бюджет утвердят в ночь на четверг"
MARK = "Эмбарго: бюджет утвердят"  # the typograph binds short words with NBSPs


async def test_a_timed_post_reaches_readers_only_once_it_is_out(
    redis: Redis, redis_server: RedisServerProcess, sandbox: Any
) -> None:
    clock = VirtualClock(local("02:00", day=26))
    async with running_app(redis_server.url, sandbox, clock=clock) as app:
        admin = await app.client.create_private_chat("Редактор")
        channel = await register_channel(app, "Вестник ночью", admin["id"])
        reader = await Reader.create(app, "Арман")
        await reader.say("/subscribe Политика")
        await clock.set(local("02:06", day=26))
        result = await app.services["article_service"].import_article(
            Article(rubric="Политика", headline=HEADLINE, lead="Депутаты соберутся ночью."),
            plan=Plan(channel, "at", local("02:09", day=26)),
        )
        article_id = result.article_id
        assert await app.services["outbox"].pending_count("push") == 0
        assert MARK not in body(await reader.say("/latest"))
        assert "не найдена" in body(await reader.say(f"/article {article_id}"))
        assert "не найдена" in body(await reader.say(f"/article_{article_id}"))
        assert "ничего не нашлось" in body(await reader.say("/search бюджет"))
        assert not any(MARK in body(m) for m in await reader.bot_messages())
        await clock.set(local("02:08:55", day=26))
        await asyncio.sleep(0.2)  # the scheduler's safety tick runs; nothing is due yet
        assert await app.messages(channel) == []
        assert not any(MARK in body(m) for m in await reader.bot_messages())

        post = await pump(app, clock, channel, lambda m: MARK in body(m))
        assert clock.now() >= local("02:09", day=26)
        push = await pump(app, clock, reader.chat_id, lambda m: MARK in body(m))
        assert post["date"] <= push["date"]
        assert "Читать полностью" in [b["text"] for b in buttons(push)]
        assert MARK in body(await reader.say("/latest"))
        assert "Депутаты соберутся ночью." in body(await reader.say(f"/article {article_id}"))
        assert MARK in body(await reader.say("/search бюджета"))
