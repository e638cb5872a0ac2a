"""A 403 in the middle of a publishing run, through the whole app and the sandbox.

The bot is kicked from the channel while a slot post is being sent (the sandbox holds
`sendMessage`): Telegram answers 403, the channel turns inactive, its admin is told in
private chat, and the refused post goes back to the head of the queue with the reason in
the ledger. Once the bot is an admin again, the post goes out at the next slot.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.publishing.service import PublishingService
from bot.redis_server import RedisServerProcess
from storage.models.article import Article
from tests.harness import RunningApp, eventually, running_app
from tests.publishing.conftest import local
from tests.publishing.test_day_of_slots import pump
from tests.publishing.test_e2e import register_channel, wait_channel

HOLD_MS = 1000


async def published(app: RunningApp, article_id: str, chat_id: int) -> bool:
    """Whether the ledger says the article is out in the chat."""
    return bool(await app.services["ledger"].has_published(article_id, chat_id))


async def test_a_kick_mid_run_deactivates_tells_the_admin_and_loses_no_post(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    clock = VirtualClock(local("08:00"))
    async with running_app(redis_server.url, sandbox, clock=clock) as app:
        admin = await app.client.create_private_chat("Айгерим", language_code="ru")
        chat_id = await register_channel(app, "Вестник Алматы", admin["id"])
        publisher: PublishingService = app.services["publisher"]
        ids = []
        for headline in ("Первая", "Вторая", "Третья"):
            imported = await app.services["article_service"].import_article(
                Article(rubric="Политика", headline=headline, lead=f"{headline} новость.")
            )
            ids.append(imported.article_id)

        await clock.set(local("09:00"))
        await pump(clock, lambda: published(app, ids[0], chat_id))

        await app.client.add_latency(HOLD_MS, method="sendMessage")
        await clock.set(local("12:00"))
        [held] = await publisher.queue.get_many([(await publisher.queue.links(ids[1]))[chat_id]])

        async def in_flight() -> bool:
            return bool(await app.services["outbox"].state(held.job_key) == "inflight")

        await eventually(in_flight, timeout=5, what="the 12:00 post to be in flight")
        await app.client.set_bot_status(chat_id, "kicked", from_id=admin["id"])

        channel = await wait_channel(app, chat_id, "inactive")
        assert channel.inactive_reason in ("forbidden", "removed")

        async def told() -> bool:
            texts = [m["text"] or "" for m in await app.client.bot_messages(admin["id"])]
            return any("остановлены" in t for t in texts)

        await pump(clock, told)

        async def requeued() -> bool:
            events = await app.services["ledger"].events(ids[1])
            return ("queued", "requeued after refusal") in [(e.status, e.reason) for e in events]

        await eventually(requeued, timeout=5, what="the refused post to be queued again")
        events = [(e.status, e.reason) for e in await app.services["ledger"].events(ids[1])]
        assert ("failed", "forbidden") in events
        waiting = await publisher.queue.get_many(await publisher.queue.queue_ids(chat_id))
        assert [p.article_id for p in waiting] == [ids[1], ids[2]]  # back at the head
        assert len(await app.client.bot_messages(chat_id)) == 1  # only the 09:00 post

        await app.client.clear_faults()
        await app.client.set_bot_status(
            chat_id, "administrator", can_post_messages=True, from_id=admin["id"]
        )
        await wait_channel(app, chat_id, "active")
        await clock.set(local("15:00"))
        await pump(clock, lambda: published(app, ids[1], chat_id))
        texts = [m["text"] or "" for m in await app.client.bot_messages(chat_id)]
        assert [t.splitlines()[0] for t in texts] == ["Первая", "Вторая"]
