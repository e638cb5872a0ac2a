"""Replies keep to Telegram's limits: nothing lost on 429, bursts get one «подождите».

The sandbox enforces Telegram's limits here (30 messages/s per bot, 1/s per private chat
with a burst of 3, answering 429 with `retry_after`), and can inject 429s. The app answers
readers through the shared rate limiter, waits out 429s and coalesces what one chat sends
faster than it can be answered. Each test accounts for every message sent.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from sandbox.testing import RunningSandbox
from tests.harness import RunningApp, eventually, running_app

HELP = "Что я умею"
BURST_NOTICE = "Вы пишете быстрее, чем я успеваю отвечать."


@pytest.fixture
async def app(
    redis: Redis, redis_server: RedisServerProcess, sandbox_limited: RunningSandbox
) -> AsyncIterator[RunningApp]:
    async with running_app(redis_server.url, sandbox_limited) as running:
        yield running


def _text(message: dict[str, Any]) -> str:
    return str(message.get("text") or "")


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage()[:200] for r in bad]


async def test_one_chat_flooding_gets_answers_and_one_notice(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    """20 `/search` from one chat in a burst: each is answered (its own query in the answer)
    or, sent while the chat's answers were still waiting, covered by the burst's one notice
    (which the first such message triggers)."""
    caplog.set_level(logging.DEBUG, logger="handlers.bursts")
    client = app.client
    chat = int((await client.create_private_chat("Торопыга"))["id"])
    sent = []
    for i in range(20):
        sent.append(await client.send_user_message(chat, f"/search запрос{i:02d}"))

    def coalesced() -> int:
        return sum(1 for r in caplog.records if "coalesced" in r.getMessage())

    async def answered() -> dict[int, dict[str, Any]] | None:
        found = {}
        for message in await client.bot_messages(chat):
            for i in range(20):
                if f"«запрос{i:02d}»" in _text(message):
                    found[i] = message
        return found if len(found) + coalesced() == 20 else None

    answers = await eventually(answered, 30.0, "every message answered or coalesced")
    assert len(answers) >= 3, answers.keys()  # the chat's burst, at least
    assert coalesced() > 0  # 20 in a burst is more than the chat may get at once
    [notice] = await eventually(lambda: _notices(app, chat), 10.0, "the burst's one notice")
    first_unanswered = min(i for i in range(20) if i not in answers)
    assert sent[first_unanswered]["message_id"] < notice["message_id"]
    assert len(await client.bot_messages(chat)) == len(answers) + 1  # no other message
    _no_tracebacks(caplog)


async def _notices(app: RunningApp, chat: int) -> list[dict[str, Any]] | None:
    found = [m for m in await app.client.bot_messages(chat) if _text(m).startswith(BURST_NOTICE)]
    return found or None


async def test_many_chats_at_once_are_all_answered_within_the_bots_limit(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    """45 readers send `/help` at the same moment, more than the bot's 30 messages a second:
    every one gets its answer, and Telegram never had to refuse a message."""
    client = app.client
    readers = [int((await client.create_private_chat(f"Читатель {n}"))["id"]) for n in range(45)]
    for chat in readers:
        await client.send_user_message(chat, "/help")

    async def everyone_answered() -> bool:
        for chat in readers:
            messages = await client.bot_messages(chat)
            if len(messages) != 1 or HELP not in _text(messages[0]):
                return False
        return True

    await eventually(everyone_answered, 20.0, "every reader answered once")
    stats = await client.stats()
    assert stats["methods"]["sendMessage"]["rate_limited"] == 0
    _no_tracebacks(caplog)


async def test_a_reply_refused_with_429_is_sent_after_retry_after(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.client
    chat = int((await client.create_private_chat("Терпеливый"))["id"])
    await client.add_fault("sendMessage", count=2, error_code=429, retry_after=1)
    await client.send_user_message(chat, "/help")
    [reply] = await eventually(lambda: client.bot_messages(chat), 10.0, "the reply")
    assert HELP in _text(reply)
    stats = await client.stats()
    assert stats["methods"]["sendMessage"]["faults"] == 2
    _no_tracebacks(caplog)
    assert any("429 for SendMessage" in r.getMessage() for r in caplog.records)


async def test_a_reply_telegram_refuses_is_one_log_line(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.client
    chat = int((await client.create_private_chat("Неудачник"))["id"])
    await client.add_fault("sendMessage", count=1, error_code=400, description="Bad Request: x")
    await client.send_user_message(chat, "/help")

    async def logged() -> list[logging.LogRecord] | None:
        found = [r for r in caplog.records if "reply failed" in r.getMessage()]
        return found or None

    [line] = await eventually(logged, 15.0, "the failure logged")
    assert "TelegramBadRequest" in line.getMessage() and line.exc_info is None
    _no_tracebacks(caplog)
    await client.send_user_message(chat, "/help")  # the next one goes through
    [reply] = await eventually(lambda: client.bot_messages(chat), 15.0, "the next reply")
    assert HELP in _text(reply)
