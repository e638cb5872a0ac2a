"""The send-time check of pushes: the reader's wishes when the push is due, not when queued."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aiogram import Bot
from redis.asyncio import Redis

from bot.subscribers.still_wanted import StillWanted
from sandbox.testing import RunningSandbox
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.models.delivery import DeliveryJob
from storage.models.subscriber import Subscriber
from storage.subscriptions import SubscriptionRepo
from tests.delivery.engine_kit import make_kit
from tests.delivery.helpers import job
from tests.subscribers.helpers import article


def push(chat_id: int, article_id: str = "a1") -> DeliveryJob:
    return DeliveryJob(
        id=f"push-{article_id}-{chat_id}",
        kind="push",
        chat_id=chat_id,
        article_id=article_id,
        lane="push",
    )


async def test_reasons_for_pushes_nobody_wants_any_more(redis: Redis, keys: Keys) -> None:
    subs = SubscriptionRepo(redis, keys, shards=8, user_shards=8)
    await ArticleRepo(redis, keys).store(article("a1", "Политика", "Токаев открыл хаб", 0))
    for uid in (1, 2, 3, 4):
        await subs.subscribe(uid, "politika")
    await subs.unsubscribe(2, "politika")
    await subs.save(Subscriber(user_id=3, pushes=False, digest_at=540), digest_due=None)
    await subs.delete_user(4)
    digest = DeliveryJob(id="digest-4-2026-11-25", kind="digest", chat_id=4, article_id="d")
    channel = DeliveryJob(id="c", kind="channel_post", chat_id=-1001, article_id="a1")
    gone = push(1, "no-such-article")  # nothing to check against: left alone
    waiting = await ArticleRepo(redis, keys).store(
        article("a2", "Политика", "Ещё под эмбарго", 0), embargoed=True
    )
    check = StillWanted(subs, ArticleRepo(redis, keys))
    jobs = [push(1), push(2), push(3), push(4), digest, channel, gone, push(1, "a2")]
    assert waiting.article_id == "a2"
    assert await check(jobs) == {
        "push-a1-2": "unsubscribed",
        "push-a1-3": "digest_only",
        "push-a1-4": "stopped",
        "digest-4-2026-11-25": "stopped",
        "push-a2-1": "not_public",
    }
    assert await check([channel]) == {}


async def test_engine_settles_refused_jobs_as_skipped_and_sends_the_rest(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    wanted = int((await sandbox.client.create_private_chat("Асем"))["id"])
    unwanted = int((await sandbox.client.create_private_chat("Даурен"))["id"])
    seen: list[list[str]] = []

    async def check(jobs: Sequence[DeliveryJob]) -> Mapping[str, str]:
        seen.append([j.id for j in jobs])
        return {j.id: "unsubscribed" for j in jobs if j.chat_id == unwanted}

    async def broken(jobs: Sequence[DeliveryJob]) -> Mapping[str, str]:
        raise RuntimeError("a bug in some feature's check")

    kit.engine.add_send_check(broken)  # a failing check refuses nothing
    kit.engine.add_send_check(check)
    await kit.enqueue(
        job(wanted, "a1", job_id="p-wanted", kind="push", lane="push", text="Пуш"),
        job(unwanted, "a1", job_id="p-unwanted", kind="push", lane="push", text="Пуш"),
    )
    assert await kit.engine.drain(timeout=10)
    assert seen and {"p-wanted", "p-unwanted"} <= {i for batch in seen for i in batch}
    entries = {e.chat_id: (e.status, e.reason) for e in await kit.ledger.entries("a1")}
    assert entries == {wanted: ("published", None), unwanted: ("skipped", "unsubscribed")}
    assert len(await sandbox.client.bot_messages(wanted)) == 1
    assert await sandbox.client.bot_messages(unwanted) == []
    assert await kit.outbox.is_empty()
