"""End to end: a reader changes their time zone by button or /timezone; the digest follows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from aiogram.types import (
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.redis_server import RedisServerProcess
from bot.subscribers.push import not_before
from bot.subscribers.timemath import find_zone, utc_offset
from storage.models.subscriber import Subscriber
from storage.subscriptions import SubscriptionRepo
from tests.harness import RunningApp, eventually, running_app
from tests.subscribers.e2e import Reader, body, button, buttons

EARLY = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 07:00 in Almaty, 05:00 in Moscow


@pytest.fixture
async def app(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object
) -> AsyncIterator[RunningApp]:
    async with running_app(redis_server.url, sandbox) as running:
        yield running


async def _stored_zone(app: RunningApp, reader: Reader) -> str | None:
    stored = await app.services["subscriptions"].get(reader.chat_id)
    return None if stored is None else stored.timezone


async def test_choosing_a_zone_by_button_moves_the_check_mark(app: RunningApp) -> None:
    reader = await Reader.create(app, "Алия")
    settings = await reader.say("/settings")
    assert "Часовой пояс — Asia/Almaty" in body(settings)
    await reader.press(settings, button(settings, "Часовой пояс"))
    menu = await reader.edited(settings["message_id"], "Выберите часовой пояс")
    labels = [b["text"] for b in buttons(menu)]
    assert "✓ Алматы (UTC+5)" in labels
    assert {"Москва (UTC+3)", "Берлин (UTC+1)", "Всемирное время (UTC)"} <= set(labels)
    pressed = await reader.press(menu, button(menu, "Москва"))
    assert pressed["callback_answers"][-1]["text"] == "Часовой пояс — Europe/Moscow"
    moved = await reader.edited(settings["message_id"], "Часовой пояс — Europe/Moscow")
    labels = [b["text"] for b in buttons(moved)]
    assert "✓ Москва (UTC+3)" in labels and "Алматы (UTC+5)" in labels
    assert sum(label.startswith("✓") for label in labels) == 1
    assert await _stored_zone(app, reader) == "Europe/Moscow"
    assert len(await reader.bot_messages()) == 1  # edited in place, nothing new sent
    await reader.press(moved, button(moved, "Назад"))
    back = await reader.edited(settings["message_id"], "Тихие часы")
    assert "Выберите часовой пояс" not in body(back)
    assert "Часовой пояс" in [b["text"] for b in buttons(back)]


async def test_forged_zone_button_is_refused_and_changes_nothing(app: RunningApp) -> None:
    reader = await Reader.create(app, "Бауыржан")
    await reader.say("/timezone Asia/Tashkent")
    for forged in ("sz:Mars/Base", "sz:Asia/Tokyo", "sz:"):
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="старая кнопка", callback_data=forged)]]
        )
        old = await app.ctx.bot.send_message(
            reader.chat_id, "старые настройки", reply_markup=markup
        )
        pressed = await reader.press(await reader.message(old.message_id), forged)
        answer = pressed["callback_answers"][-1]
        assert answer["text"].startswith("Такого часового пояса в списке нет"), forged
        assert not (await reader.message(old.message_id))["edited"]
    assert await _stored_zone(app, reader) == "Asia/Tashkent"


async def test_timezone_command_sets_and_shows_the_zone(app: RunningApp) -> None:
    reader = await Reader.create(app, "Ирина")
    shown = body(await reader.say("/timezone"))
    assert shown.startswith("Ваш часовой пояс — Asia/Almaty (UTC+5)")
    assert "/timezone Europe/Moscow" in shown
    reply = body(await reader.say("/timezone europe/moscow"))
    assert reply.startswith("Готово — ваш часовой пояс теперь Europe/Moscow (UTC+3)")
    assert await _stored_zone(app, reader) == "Europe/Moscow"
    assert "Часовой пояс — Europe/Moscow" in body(await reader.say("/settings"))
    help_text = body(await reader.say("/help"))
    assert "/timezone" in help_text


async def test_unknown_zone_gets_a_polite_reply_and_changes_nothing(app: RunningApp) -> None:
    reader = await Reader.create(app, "Тимур")
    await reader.say("/timezone Asia/Bishkek")
    for bad in ("Mars/Base", "../../etc/passwd", "Москва"):
        reply = body(await reader.say(f"/timezone {bad}"))
        assert reply.startswith("Не знаю часового пояса «")
        assert "/timezone Europe/Moscow" in reply
    assert await _stored_zone(app, reader) == "Asia/Bishkek"


async def test_english_labels(app: RunningApp) -> None:
    reader = await Reader.create(app, "Anna", language="en")
    settings = await reader.say("/settings")
    await reader.press(settings, button(settings, "Time zone"))
    menu = await reader.edited(settings["message_id"], "Choose your time zone")
    assert "✓ Almaty (UTC+5)" in [b["text"] for b in buttons(menu)]
    assert "Done — your time zone is now Asia/Tashkent" in body(
        await reader.say("/timezone Asia/Tashkent")
    )


async def test_digest_moves_with_the_zone(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object
) -> None:
    clock = VirtualClock(EARLY)
    async with running_app(redis_server.url, sandbox, clock=clock) as app:
        subs: SubscriptionRepo = app.services["subscriptions"]
        reader = await Reader.create(app, "Гульнара")
        assert "Ближайший — сегодня, 08:00" in body(await reader.say("/digest 08:00"))
        almaty_eight = datetime(2026, 11, 25, 3, 0, tzinfo=UTC).timestamp()
        assert await subs.next_digest(reader.chat_id) == almaty_eight
        reply = body(await reader.say("/timezone Europe/Moscow"))
        assert "Дайджест приходит в 08:00 по этому времени, ближайший — сегодня, 08:00" in reply
        moscow_eight = datetime(2026, 11, 25, 5, 0, tzinfo=UTC).timestamp()
        assert await subs.next_digest(reader.chat_id) == moscow_eight
        settings = await reader.say("/settings")
        await reader.press(settings, button(settings, "Часовой пояс"))
        menu = await reader.edited(settings["message_id"], "Выберите часовой пояс")
        await reader.press(menu, button(menu, "Берлин"))
        await reader.edited(settings["message_id"], "Часовой пояс — Europe/Berlin")
        berlin_eight = datetime(2026, 11, 25, 7, 0, tzinfo=UTC).timestamp()
        assert await subs.next_digest(reader.chat_id) == berlin_eight
        stored = await subs.get(reader.chat_id)
        assert stored is not None and stored.digest_at == 8 * 60  # same wall-clock time


async def test_no_digest_scheduled_when_none_is_set(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object
) -> None:
    async with running_app(redis_server.url, sandbox, clock=VirtualClock(EARLY)) as app:
        reader = await Reader.create(app, "Самат")
        reply = body(await reader.say("/timezone Asia/Yekaterinburg"))
        assert "Дайджест" not in reply
        assert await app.services["subscriptions"].next_digest(reader.chat_id) is None


def test_quiet_hours_follow_the_zone() -> None:
    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 08:00 in Almaty, 06:00 in Moscow
    almaty = Subscriber(user_id=1, quiet_from=23 * 60, quiet_to=7 * 60)
    assert not_before(almaty, now, "Asia/Almaty") == 0.0
    moscow = almaty.model_copy(update={"timezone": "Europe/Moscow"})
    assert (
        not_before(moscow, now, "Asia/Almaty")
        == datetime(2026, 11, 25, 4, 0, tzinfo=UTC).timestamp()
    )


def test_zone_lookup_and_offsets() -> None:
    winter = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
    assert find_zone("asia/almaty") == ZoneInfo("Asia/Almaty")
    assert find_zone(" Europe/Moscow ") == ZoneInfo("Europe/Moscow")
    assert find_zone("Mars/Base") is None
    assert find_zone("/etc/passwd") is None
    assert find_zone("") is None
    assert utc_offset(ZoneInfo("Europe/Berlin"), winter) == "UTC+1"
    assert utc_offset(ZoneInfo("Europe/Berlin"), summer) == "UTC+2"
    assert utc_offset(ZoneInfo("UTC"), winter) == "UTC"
    assert utc_offset(ZoneInfo("Asia/Kolkata"), winter) == "UTC+5:30"
    assert utc_offset(ZoneInfo("America/St_Johns"), winter) == "UTC−3:30"


async def test_timezone_is_in_the_commands_menu(app: RunningApp) -> None:
    bot = app.ctx.bot

    scope = BotCommandScopeAllPrivateChats()

    async def published() -> bool:
        return bool(await bot.get_my_commands(scope=scope))

    await eventually(published, what="setMyCommands")
    ru = {c.command: c.description for c in await bot.get_my_commands(scope=scope)}
    en = {
        c.command: c.description for c in await bot.get_my_commands(scope=scope, language_code="en")
    }
    assert ru["timezone"] == "Часовой пояс" and en["timezone"] == "Time zone"
