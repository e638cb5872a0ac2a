"""The delivery engine end to end: real Redis, aiogram over HTTP to the sandbox."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from aiogram import Bot
from redis.asyncio import Redis

from bot.delivery.engine import EngineConfig
from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.models.delivery import DeliveryJob
from storage.ratelimit import RateLimits
from tests.delivery.engine_kit import FAST, make_kit
from tests.delivery.helpers import job, photo_post
from tests.fixtures_sandbox import sandbox_bot


def bot_texts(messages: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [m.get("text") or m.get("caption") or "" for m in messages if m["from"]["is_bot"]]


async def new_channel(sandbox: RunningSandbox, title: str) -> int:
    return int((await sandbox.client.create_channel(title))["id"])


async def new_user(sandbox: RunningSandbox, name: str) -> int:
    return int((await sandbox.client.create_private_chat(name))["id"])


async def test_posts_pushes_silent_and_pinned_flags_arrive(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    channel = await new_channel(sandbox, "Вестник")
    user = await new_user(sandbox, "Айгерим")
    await kit.enqueue(
        job(channel, "a1", job_id="post-1", silent=True, text="<b>Первая</b> новость"),
        job(channel, "a2", job_id="post-2", pin=True, text="<i>Молния</i>"),
        job(user, "a1", kind="push", lane="push", text="Пуш «Первая»"),
    )
    assert await kit.engine.drain(timeout=10)
    posts = await sandbox.client.bot_messages(channel)
    assert [(m["text"], m["disable_notification"], m["pinned"]) for m in posts] == [
        ("Первая новость", True, False),
        ("Молния", False, True),
    ]
    assert bot_texts(await sandbox.client.messages(user)) == ["Пуш «Первая»"]
    assert await kit.ledger.published_copies("a1") == {
        channel: posts[0]["message_id"],
        user: (await sandbox.client.bot_messages(user))[0]["message_id"],
    }
    assert kit.engine.counters.sent == 3


async def test_a_429_storm_loses_nothing(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    users = [await new_user(sandbox, f"Читатель {i}") for i in range(12)]
    await sandbox.client.add_fault("sendMessage", count=8, error_code=429, retry_after=1)
    for i, user in enumerate(users):
        await kit.enqueue(job(user, "storm", kind="push", lane="push", text=f"Новость {i}"))
    assert await kit.engine.drain(timeout=20)
    for i, user in enumerate(users):
        assert bot_texts(await sandbox.client.messages(user)) == [f"Новость {i}"]
    stats = (await sandbox.client.stats())["methods"]["sendMessage"]
    assert stats["errors"].get("429") == 8
    assert kit.engine.counters.rate_limited == 8
    assert len(await kit.ledger.published_copies("storm")) == 12
    assert await redis.get(keys.rate("slow")) is not None  # the global pace was slowed


async def test_bot_kicked_mid_run_fails_with_reason_and_calls_the_hook(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    kicked, fine = await new_channel(sandbox, "Уходящий"), await new_channel(sandbox, "Живой")
    await kit.enqueue(job(kicked, "a1", job_id="k-1"))
    assert await kit.engine.drain(timeout=10)
    await sandbox.client.set_bot_status(kicked, "kicked")
    await kit.enqueue(job(kicked, "a2", job_id="k-2"), job(fine, "a2", job_id="f-2"))
    assert await kit.engine.drain(timeout=10)
    entry = await kit.ledger.get("a2", kicked)
    assert entry is not None and (entry.status, entry.reason) == ("failed", "forbidden")
    assert "kicked" in str(entry.detail["description"])
    assert [(chat, job_id) for chat, job_id, _ in kit.forbidden] == [(kicked, "k-2")]
    assert await kit.ledger.published_copies("a2") == {
        fine: (await sandbox.client.bot_messages(fine))[0]["message_id"]
    }
    day = await kit.outbox.stats.day(kit.outbox.stats.local_day())
    assert day.failed == {"forbidden": 1}


async def test_unparsable_html_is_resent_once_as_plain_text(
    sandbox: RunningSandbox,
    tg_bot: Bot,
    redis: Redis,
    keys: Keys,
    caplog: pytest.LogCaptureFixture,
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    channel = await new_channel(sandbox, "Вестник")
    await kit.enqueue(job(channel, "a1", job_id="bad-html", text="<div>Рынок</div> &amp; цены"))
    with caplog.at_level(logging.WARNING):
        assert await kit.engine.drain(timeout=10)
    assert bot_texts(await sandbox.client.messages(channel)) == ["Рынок & цены"]
    entry = await kit.ledger.get("a1", channel)
    assert entry is not None and entry.status == "published"
    assert entry.detail["plain_text"] is True
    assert any("bad-html" in r.getMessage() and "plain text" in r.getMessage()
               for r in caplog.records)  # fmt: skip


async def test_migrated_group_gets_the_post_under_its_new_id(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    group = int((await sandbox.client.create_group("Редакция"))["id"])
    new_id = int((await sandbox.client.migrate(group))["id"])
    await kit.enqueue(job(group, "a1", job_id="to-group", text="Новость для группы"))
    assert await kit.engine.drain(timeout=10)
    assert kit.migrated == [(group, new_id)]
    assert await redis.hlen(keys.outbox_pairs()) == 0  # the old chat's pair lock was let go
    assert bot_texts(await sandbox.client.messages(new_id)) == ["Новость для группы"]
    assert await kit.ledger.published_copies("a1") == {
        new_id: (await sandbox.client.bot_messages(new_id))[0]["message_id"]
    }


async def test_photo_file_id_is_reused_for_the_same_url(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    first, second = await new_channel(sandbox, "Первый"), await new_channel(sandbox, "Второй")
    url = "https://example.kz/photos/almaty.jpg"
    for chat, article in ((first, "a1"), (second, "a2"), (first, "a3")):
        await kit.enqueue(DeliveryJob(kind="channel_post", chat_id=chat, article_id=article,
                                      post=photo_post(url)))  # fmt: skip
    assert await kit.engine.drain(timeout=10)
    photos = [m["photo"] for chat in (first, second) for m in await sandbox.client.messages(chat)]
    assert len(photos) == 3
    # every send by URL makes the sandbox register a new file: one file_id = one URL send
    assert {p["file_id"] for p in photos} == {await kit.file_ids.get(url)}


async def test_edit_and_delete_jobs_change_the_published_copy(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    channel = await new_channel(sandbox, "Вестник")
    await kit.enqueue(job(channel, "a1", job_id="post-1", text="Было"))
    assert await kit.engine.drain(timeout=10)
    [(chat, message_id)] = (await kit.ledger.published_copies("a1")).items()
    edit = job(chat, "a1", kind="edit", text="Стало", message_id=message_id)
    same = job(chat, "a1", kind="edit", text="Стало", message_id=message_id)
    await kit.enqueue(edit)
    assert await kit.engine.drain(timeout=10)
    await kit.enqueue(same)  # identical content: "message is not modified" counts as done
    assert await kit.engine.drain(timeout=10)
    [message] = await sandbox.client.bot_messages(channel)
    assert (message["text"], message["edited"]) == ("Стало", True)
    await kit.enqueue(DeliveryJob(kind="delete", chat_id=chat, article_id="a1",
                                  message_id=message_id))  # fmt: skip
    assert await kit.engine.drain(timeout=10)
    [gone] = await sandbox.client.bot_messages(channel, include_deleted=True)
    assert gone["deleted"]
    statuses = [e.status for e in await kit.ledger.events("a1")]
    assert statuses == ["published", "edited", "edited", "retracted"]
    assert await kit.ledger.published_copies("a1") == {}


async def test_server_errors_are_retried_then_failed_with_the_reason(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    flaky, broken = await new_channel(sandbox, "Сбойный"), await new_channel(sandbox, "Лежит")
    await sandbox.client.add_fault("sendMessage", count=2, error_code=502)
    await kit.enqueue(job(flaky, "a1", job_id="flaky"))
    assert await kit.engine.drain(timeout=10)
    assert len(await sandbox.client.bot_messages(flaky)) == 1
    await sandbox.client.add_fault("sendMessage", count=FAST.max_attempts, error_code=500)
    await kit.enqueue(job(broken, "a1", job_id="broken"))
    assert await kit.engine.drain(timeout=10)
    entry = await kit.ledger.get("a1", broken)
    assert entry is not None and (entry.status, entry.reason) == ("failed", "server_error")
    reasons = [e.reason for e in await kit.ledger.events("a1") if e.chat_id == broken]
    assert reasons == ["retry: server_error"] * (FAST.max_attempts - 1) + ["server_error"]


async def test_an_idle_engine_wakes_up_on_enqueue(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    kit = make_kit(redis, keys, tg_bot, config=EngineConfig(idle_poll=30.0, lease_seconds=5))
    channel = await new_channel(sandbox, "Вестник")
    runner = asyncio.create_task(kit.engine.run())
    try:
        await asyncio.sleep(0.2)  # the engine is idle, sleeping up to 30 s
        started = time.monotonic()
        await kit.enqueue(job(channel, "a1"))
        await sandbox.client.wait_for_message(channel, timeout=5)
        assert time.monotonic() - started < 5  # woken by the enqueue, not by the 30 s poll
    finally:
        await kit.engine.stop()
        await runner


async def test_limited_sandbox_sees_no_429_when_the_engine_keeps_the_pace(
    sandbox_limited: RunningSandbox, redis: Redis, keys: Keys
) -> None:
    bot = sandbox_bot(sandbox_limited.base_url)
    try:
        kit = make_kit(redis, keys, bot, limits=RateLimits())
        channel = await new_channel(sandbox_limited, "Вестник")
        user = await new_user(sandbox_limited, "Читатель")
        for i in range(2):
            await kit.enqueue(job(channel, f"c{i}", text=f"Канал {i}"))
            await kit.enqueue(job(user, f"p{i}", kind="push", lane="push", text=f"Пуш {i}"))
        assert await kit.engine.drain(timeout=15)
    finally:
        await bot.session.close()
    assert bot_texts(await sandbox_limited.client.messages(channel)) == ["Канал 0", "Канал 1"]
    stats = (await sandbox_limited.client.stats())["methods"]["sendMessage"]
    assert stats["rate_limited"] == 0 and stats["ok"] == 4
