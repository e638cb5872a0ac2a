"""A 429 with the rate limiter on: that chat waits `retry_after`, the pace slows, none lost;
a failing pin never posts the message twice."""

from __future__ import annotations

from collections import Counter

from aiogram import Bot
from redis.asyncio import Redis

from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.ratelimit import RateLimits
from tests.delivery.engine_kit import FAST, make_kit
from tests.delivery.helpers import job
from tests.delivery.request_log import RequestLog
from tests.delivery.test_engine_sandbox import bot_texts, new_channel, new_user
from tests.fixtures_sandbox import sandbox_bot

RETRY_AFTER = 2
USERS = 50  # two pushes each: 100 messages at 30/s, half of them after the 429


async def test_a_429_pauses_that_chat_slows_the_global_pace_and_loses_nothing(
    sandbox_limited: RunningSandbox, redis: Redis, keys: Keys
) -> None:
    sandbox = sandbox_limited
    users = [await new_user(sandbox, f"Читатель {i}") for i in range(USERS)]
    requests = RequestLog()
    bot = sandbox_bot(sandbox.base_url)
    bot.session.middleware(requests)
    limits = RateLimits()  # Telegram's free limits: 30/s overall, 1/s per private chat
    try:
        kit = make_kit(redis, keys, bot, limits=limits)
        await sandbox.client.add_fault(
            "sendMessage", count=1, error_code=429, retry_after=RETRY_AFTER
        )
        for round_ in (1, 2):
            for i, user in enumerate(users):
                await kit.enqueue(job(user, f"news{round_}", kind="push", lane="push",
                                      text=f"Новость {i}.{round_}"))  # fmt: skip
        assert await kit.engine.drain(timeout=30)
    finally:
        await bot.session.close()

    sends = requests.of("sendMessage")
    [refused] = [r for r in sends if r.error == "429"]
    assert refused.chat_id is not None
    # that chat: nothing before retry_after is over, then both of its messages, once each
    later = [r for r in sends if r.chat_id == refused.chat_id and r.start > refused.start]
    assert len(later) == 2 and all(r.ok for r in later)
    assert min(r.start for r in later) >= refused.end + RETRY_AFTER

    # the global pace: every send after the horizon was booked after the 429, at half pace
    since = refused.end + FAST.horizon_seconds + 0.25
    paced = sorted(r.start for r in sends if r.start >= since and r.chat_id != refused.chat_id)
    assert len(paced) >= 20, paced
    spacing = (paced[-1] - paced[0]) / (len(paced) - 1)
    slowed = FAST.slowdown_factor / limits.global_per_sec
    assert spacing >= 0.9 * slowed, f"{spacing:.4f} s between sends, want >= {slowed:.4f}"

    for i, user in enumerate(users):  # every message exactly once
        texts = Counter(bot_texts(await sandbox.client.messages(user)))
        assert texts == Counter({f"Новость {i}.1": 1, f"Новость {i}.2": 1})
    for round_ in (1, 2):
        assert len(await kit.ledger.published_copies(f"news{round_}")) == USERS
    stats = (await sandbox.client.stats())["methods"]["sendMessage"]
    assert stats["errors"] == {"429": 1}  # the injected one; the limiter caused none
    assert stats["rate_limited"] == 0 and stats["ok"] == 2 * USERS
    assert kit.engine.counters.rate_limited == 1


async def test_a_429_on_the_pin_waits_and_pins_without_posting_twice(
    sandbox: RunningSandbox, redis: Redis, keys: Keys
) -> None:
    channel = await new_channel(sandbox, "Молнии")
    requests = RequestLog()
    bot = sandbox_bot(sandbox.base_url)
    bot.session.middleware(requests)
    try:
        kit = make_kit(redis, keys, bot, limits=RateLimits())
        await sandbox.client.add_fault("pinChatMessage", count=1, error_code=429, retry_after=1)
        await kit.enqueue(job(channel, "a1", job_id="breaking", pin=True, text="Молния"))
        assert await kit.engine.drain(timeout=15)
    finally:
        await bot.session.close()
    [post] = await sandbox.client.bot_messages(channel)  # posted once
    assert (post["text"], post["pinned"]) == ("Молния", True)
    refused, pinned = requests.of("pinChatMessage")
    assert refused.error == "429" and pinned.ok
    assert pinned.start >= refused.end + 1  # waited Telegram's retry_after
    entry = await kit.ledger.get("a1", channel)
    assert entry is not None and entry.status == "published" and entry.detail["pinned"] is True


async def test_a_pin_refused_by_a_server_error_is_recorded_and_the_post_not_repeated(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    channel = await new_channel(sandbox, "Молнии")
    kit = make_kit(redis, keys, tg_bot)
    await sandbox.client.add_fault("pinChatMessage", count=1, error_code=502)
    await kit.enqueue(job(channel, "a1", job_id="breaking", pin=True, text="Молния"))
    assert await kit.engine.drain(timeout=10)
    [post] = await sandbox.client.bot_messages(channel)
    assert (post["text"], post["pinned"]) == ("Молния", False)
    entry = await kit.ledger.get("a1", channel)
    assert entry is not None and entry.status == "published"
    assert "Bad Gateway" in str(entry.detail["pin_failed"])
