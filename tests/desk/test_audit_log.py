"""The audit log says what happened, and nobody can wipe it by being refused.

- A command that was allowed but changed nothing (`/slots 25:00`, `/slots abc`, `/grant
  @nobody`) is recorded as «не выполнено» with its reason and what was given, not as
  «выполнено».
- Refusals live apart from the actions, and each person adds at most
  `DESK__REFUSALS_PER_HOUR` of them: strangers flooding refused commands leave every action
  of the admins in the log.
- Refusal replies are rate-limited per person: a few, one «подождите», then nothing.
This module runs with the default limits (the matrices lift them).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.config import DeskSettings
from tests.desk.world import ADMIN_A, EDITOR_B, DeskWorld, Person, desk_world, text_of
from tests.harness import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")

LIMITS = DeskSettings()
SLOW_DOWN_TEXT = (
    "Слишком много запросов, на которые у вас нет прав. Подождите минуту: до тех пор я на них "
    "не отвечаю."
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(redis_server: Any) -> AsyncIterator[DeskWorld]:
    async with desk_world(redis_server.url, desk=LIMITS.model_dump()) as running:
        yield running


async def refused_one_by_one(world: DeskWorld, person: Person, text: str, times: int) -> None:
    """Send a refused command `times` times, each once the previous one was dealt with (its
    answer arrived, or it was decided to stay unanswered): a patient attacker, whom the burst
    guard (tested elsewhere) never stops."""
    key = world.app.ctx.keys.refusal_replies(person.user_id)
    start = int(await world.redis.get(key) or 0)
    before = len(await person.bot_messages())
    answered = LIMITS.refusal_replies_per_minute + 1  # the refusals and the one notice
    for n in range(1, times + 1):
        await world.client.send_user_message(person.user_id, text)

        async def dealt_with(n: int = n) -> bool:
            if int(await world.redis.get(key) or 0) < start + n:
                return False
            return n > answered or len(await person.bot_messages()) >= before + n

        await eventually(dealt_with, 15.0, f"refused message {n} dealt with")


async def answers_until_help(person: Person, before: int, expected: int) -> list[str]:
    """The bot's answers after message `before`: the `expected` ones, then a `/help` sent
    after them as a marker (answers in one chat go out in the order they were reserved, so
    an answer the limit should have withheld would show up before the marker's)."""
    await person.wait_new(before, expected, timeout=15.0)
    await person.say("/help", replies=expected + 1 - (len(await person.bot_messages()) - before))
    texts = [text_of(m) for m in (await person.bot_messages())[before:]]
    assert texts[-1].startswith("Что я умею"), texts
    return texts[:-1]


async def test_failed_commands_are_recorded_with_their_reason(world: DeskWorld) -> None:
    admin = world.person(ADMIN_A)
    audit_before = await world.audit_count()
    for command in ("/slots 25:00", "/slots abc", "/grant @nobody", "/slots 08:00 20:00"):
        await admin.say(command)
    entries = await world.audit_since(audit_before)
    assert [(e.action, e.chat_id, e.result, e.detail) for e in reversed(entries)] == [
        ("/slots", world.channel_a, "failed", "bad_slot: 25:00"),
        ("/slots", world.channel_a, "failed", "bad_slot: abc"),
        ("/grant", world.channel_a, "failed", "unknown_user: @nobody"),
        ("/slots", world.channel_a, "done", None),
    ]
    [shown] = await admin.say("/audit")
    lines = text_of(shown).split("\n")
    assert lines[1].endswith(" · /slots · Вестник А · выполнено"), lines[1]
    assert lines[2].endswith(
        " · /grant · Вестник А · не выполнено: неизвестный пользователь «@nobody»"
    ), lines[2]
    assert lines[3].endswith(" · /slots · Вестник А · не выполнено: неверный слот «abc»")
    assert lines[4].endswith(" · /slots · Вестник А · не выполнено: неверный слот «25:00»")


async def test_a_refusal_flood_leaves_the_admins_history_and_gets_one_slow_down(
    world: DeskWorld,
) -> None:
    """Strangers send a refused `/grant` 25 times each: 5 answers and one «подождите» each,
    at most `refusals_per_hour` entries and one flood marker each, and the admin's actions
    are all still in `/audit`, with one line per stranger among the refusals."""
    client = world.client
    admin = world.person(ADMIN_A)
    for command in ("/pause", "/resume", "/interval 30"):
        await admin.say(command)
    strangers = [Person(world, 7_300_000 + n) for n in range(3)]
    for stranger in strangers:
        await client.create_private_chat(f"Флуд {stranger.user_id}", id=stranger.user_id)
    per_person = LIMITS.refusals_per_hour + 5
    command = f"/grant {world.channel_a} @x"
    await asyncio.gather(*(refused_one_by_one(world, s, command, per_person) for s in strangers))
    limit = LIMITS.refusal_replies_per_minute
    for stranger in strangers:  # (answers to concurrent updates may arrive in any order)
        replies = sorted(await answers_until_help(stranger, 0, limit + 1))
        assert replies == sorted(
            ["Команды /grant нет. Список команд — /help."] * limit + [SLOW_DOWN_TEXT]
        ), replies
    entries = await world.service("audit").recent(10_000)
    for stranger in strangers:
        theirs = [e for e in entries if e.user_id == stranger.user_id]
        assert [e.detail for e in theirs] == ["flood"] + ["not_member"] * LIMITS.refusals_per_hour
        assert all(e.result == "denied" and e.chat_id == world.channel_a for e in theirs)
    [shown] = await admin.say("/audit")
    text = text_of(shown)
    actions, refusals = text.split("\n\nОтказы, последние:\n")
    for action in ("/pause", "/resume", "/interval"):
        assert f" · {action} · Вестник А · выполнено" in actions, text
    for stranger in strangers:  # one line per person, however many times they tried
        [line] = [r for r in refusals.split("\n") if f"Флуд {stranger.user_id}" in r]
        assert line.endswith(
            "/grant · Вестник А · отказано: не из редакции — "
            f"{LIMITS.refusals_per_hour} раз, дальше до конца часа не записывались"
        ), line


async def test_a_members_refusals_are_rate_limited_too(world: DeskWorld) -> None:
    """The editor of B asks for A's admin commands again and again: a few polite refusals,
    one «подождите», then nothing (every attempt still audited, nothing changes)."""
    editor = world.person(EDITOR_B)
    before = len(await editor.bot_messages())
    audit_before = await world.audit_count()
    attempts = LIMITS.refusal_replies_per_minute + 4
    await refused_one_by_one(world, editor, "/pause @vestnik_a", attempts)
    limit = LIMITS.refusal_replies_per_minute
    replies = sorted(await answers_until_help(editor, before, limit + 1))
    refusal = "Извините, у вас нет прав на это в канале «Вестник А». Ничего не изменено."
    assert replies == sorted([refusal] * limit + [SLOW_DOWN_TEXT]), replies
    entries = await world.audit_since(audit_before)
    assert sum(1 for e in entries if e.user_id == EDITOR_B and e.action == "/pause") == attempts
    assert not (await world.service("channels").get(world.channel_a)).paused
