"""How commands are read: any letter case, only those addressed to this bot, ASCII digits and
real IANA zones. Each update is fed to the running app's dispatcher and awaited to the end,
so "no answer" is a fact, not a wait."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from tests.harness import RunningApp, running_app
from tests.subscribers.e2e import body


@pytest.fixture
async def app(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object
) -> AsyncIterator[RunningApp]:
    async with running_app(redis_server.url, sandbox, polling=False) as running:
        yield running


class Chat:
    """A reader whose every message is handled completely before `send` returns."""

    def __init__(self, app: RunningApp, chat_id: int) -> None:
        self.app = app
        self.chat_id = chat_id

    async def send(self, text: str) -> list[str]:
        """Write `text`, let the app handle it to the end; the bot's new messages."""
        bot = self.app.ctx.bot
        before = len(await self.app.client.bot_messages(self.chat_id))
        await self.app.client.send_user_message(self.chat_id, text)
        updates = await bot.get_updates(timeout=0)
        for update in updates:
            await self.app.dp.feed_update(bot, update)
        await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)  # confirm them
        return [body(m) for m in (await self.app.client.bot_messages(self.chat_id))[before:]]


@pytest.fixture
async def chat(app: RunningApp) -> Chat:
    created = await app.client.create_private_chat("Алия", language_code="ru")
    return Chat(app, int(created["id"]))


async def test_a_command_for_another_bot_is_ignored(app: RunningApp, chat: Chat) -> None:
    me = await app.ctx.bot.me()
    assert await chat.send("/start@othername_bot") == []
    assert await chat.send("/help@othername_bot") == []
    [help_text] = await chat.send(f"/help@{me.username}")
    assert help_text.startswith("Что я умею")


async def test_commands_are_case_insensitive(app: RunningApp, chat: Chat) -> None:
    me = await app.ctx.bot.me()
    [lower] = await chat.send("/help")
    assert await chat.send("/HELP") == [lower]
    assert await chat.send(f"/Help@{str(me.username).upper()}") == [lower]
    [subscribed] = await chat.send("/Subscribe Политика")
    assert "Политика" in subscribed and "Команды" not in subscribed


@pytest.mark.parametrize("zone", ["localtime", "Factory", "factory"])
async def test_timezone_accepts_only_real_iana_zones(chat: Chat, zone: str) -> None:
    [refused] = await chat.send(f"/timezone {zone}")
    assert refused.startswith(f"Не знаю часового пояса «{zone}»")
    [kept] = await chat.send("/timezone")
    assert kept.startswith("Ваш часовой пояс — Asia/Almaty")
    [moved] = await chat.send("/timezone europe/moscow")
    assert moved.startswith("Готово — ваш часовой пояс теперь Europe/Moscow")


@pytest.mark.parametrize("value", ["١٢:٠٠", "１２:００", "१२:००", "12:٣٠"])
async def test_digest_times_take_only_ascii_digits(chat: Chat, value: str) -> None:
    [refused] = await chat.send(f"/digest {value}")
    assert refused == (
        f"Не понял время «{value}». Напишите, например, /digest 08:30 или /digest off."
    )
    [status] = await chat.send("/digest")
    assert status.startswith("Дайджест выключен")
