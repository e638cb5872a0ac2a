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
from tests.desk.world import ADMIN_A, EDITOR_B, DeskWorld, Message, Person, desk_world, text_of
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


async def settled(person: Person) -> list[Message]:
    """The bot's messages to `person` once no new one has come for three polls in a row."""
    last, calm = -1, 0
    for _ in range(200):
        messages = await person.bot_messages()
        calm = calm + 1 if len(messages) == last else 0
        if calm >= 3:
            return messages
        last = len(messages)
        await asyncio.sleep(0.05)
    raise AssertionError("the bot kept writing")


async def test_failed_commands_are_recorded_with_their_reason(world: DeskWorld) -> None:
    admin = world.person(ADMIN_A)
    audit_before = await world.audit_count()
    for command in ("/slots 25:00", "/slots abc", "/grant @nobody", "/slots 08:00 20:00"):
        await admin.say(command)
    entries = await world.audit_since(audit_before)
    assert [(e.action, e.chat_id, e.result, e.detail) for e in reversed(entries)] == [
        ("/slots", world.channel_a, "failed", "bad_time: 25:00"),
        ("/slots", world.channel_a, "failed", "bad_time: abc"),
        ("/grant", world.channel_a, "failed", "unknown_user: @nobody"),
        ("/slots", world.channel_a, "done", None),
    ]
    [shown] = await admin.say("/audit")
    lines = text_of(shown).split("\n")
    assert lines[1].endswith(" · /slots · Вестник А · выполнено"), lines[1]
    assert lines[2].endswith(
        " · /grant · Вестник А · не выполнено: неизвестный пользователь «@nobody»"
    ), lines[2]
    assert lines[3].endswith(" · /slots · Вестник А · не выполнено: неверное время «abc»")
    assert lines[4].endswith(" · /slots · Вестник А · не выполнено: неверное время «25:00»")


async def test_a_refusal_flood_leaves_the_admins_history_and_gets_one_slow_down(
    world: DeskWorld,
) -> None:
    """Strangers send a refused `/grant` 30 times each: 5 answers and one «подождите» each,
    at most `refusals_per_hour` entries and one flood marker each, and the admin's actions
    are all still in `/audit`."""
    client = world.client
    admin = world.person(ADMIN_A)
    for command in ("/pause", "/resume", "/interval 30"):
        await admin.say(command)
    strangers = [7_300_000 + n for n in range(3)]
    for user_id in strangers:
        await client.create_private_chat(f"Флуд {user_id}", id=user_id)
    per_person = LIMITS.refusals_per_hour + 10
    for _ in range(per_person):
        for user_id in strangers:
            await client.send_user_message(user_id, f"/grant {world.channel_a} @x")
    audit = world.service("audit")

    async def all_decided() -> bool:
        entries = await audit.recent(10_000)
        counts = [sum(1 for e in entries if e.user_id == u) for u in strangers]
        return counts == [LIMITS.refusals_per_hour + 1] * len(strangers)

    await eventually(all_decided, what="every stranger's refusals recorded, up to the cap")
    for user_id in strangers:  # (answers to concurrent updates may arrive in any order)
        replies = sorted(text_of(m) for m in await settled(Person(world, user_id)))
        assert replies == sorted(
            ["Команды /grant нет. Список команд — /help."] * LIMITS.refusal_replies_per_minute
            + [SLOW_DOWN_TEXT]
        ), replies
    entries = await audit.recent(10_000)
    for user_id in strangers:
        theirs = [e for e in entries if e.user_id == user_id]
        assert theirs[0].detail == "flood"  # the newest: the marker
        assert all(e.result == "denied" for e in theirs)
    [shown] = await admin.say("/audit")
    text = text_of(shown)
    actions, refusals = text.split("\n\nОтказы, последние:\n")
    for action in ("/pause", "/resume", "/interval"):
        assert f" · {action} · Вестник А · выполнено" in actions, text
    for user_id in strangers:  # one line per person, however many times they tried
        [line] = [r for r in refusals.split("\n") if f"Флуд {user_id}" in r]
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
    for _ in range(attempts):
        await world.client.send_user_message(EDITOR_B, "/pause @vestnik_a")
    await eventually(
        lambda: _refusals_since(world, audit_before, attempts), what="every attempt audited"
    )
    replies = sorted(text_of(m) for m in (await settled(editor))[before:])
    refusal = "Извините, у вас нет прав на это в канале «Вестник А». Ничего не изменено."
    limit = LIMITS.refusal_replies_per_minute
    assert replies == sorted([refusal] * limit + [SLOW_DOWN_TEXT]), replies
    assert not (await world.service("channels").get(world.channel_a)).paused


async def _refusals_since(world: DeskWorld, audit_before: int, wanted: int) -> bool:
    entries = await world.audit_since(audit_before)
    return sum(1 for e in entries if e.user_id == EDITOR_B and e.action == "/pause") == wanted
