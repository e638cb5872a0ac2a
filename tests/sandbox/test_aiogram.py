"""aiogram against the sandbox: its exceptions from sandbox answers, its update parsing."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    ChatMemberAdministrator,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)

from sandbox.testing import RunningSandbox
from tests.fixtures_sandbox import sandbox_bot


async def test_aiogram_raises_telegram_exceptions(sandbox_fake_clock: RunningSandbox) -> None:
    client = sandbox_fake_clock.client
    bot = sandbox_bot(sandbox_fake_clock.base_url)
    try:
        reader = await client.create_private_chat("Ира")
        for _ in range(3):
            await bot.send_message(reader["id"], "x")
        with pytest.raises(TelegramRetryAfter) as retry:
            await bot.send_message(reader["id"], "x")
        assert retry.value.retry_after == 1

        await client.block(reader["id"])
        with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
            await bot.send_message(reader["id"], "x")

        channel = await client.create_channel("Вестник")
        with pytest.raises(TelegramBadRequest, match="Unsupported start tag"):
            await bot.send_message(channel["id"], "<div>x</div>", parse_mode="HTML")

        group = await client.create_group("Редакция")
        supergroup = await client.migrate(group["id"])
        with pytest.raises(TelegramMigrateToChat) as migrated:
            await bot.send_message(group["id"], "x")
        assert migrated.value.migrate_to_chat_id == supergroup["id"]
    finally:
        await bot.session.close()


async def test_aiogram_parses_every_update_kind(sandbox: RunningSandbox, tg_bot: Bot) -> None:
    client = sandbox.client
    reader = await client.create_private_chat("Ира", language_code="ru")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Политика", callback_data="rubric:1")]]
    )
    sent = await tg_bot.send_message(reader["id"], "Рубрика?", reply_markup=keyboard)
    await client.send_user_message(reader["id"], "/start")
    await client.press_button(reader["id"], sent.message_id, "rubric:1")
    channel = await client.create_chat("channel", title="Вестник")
    await client.set_bot_status(channel["id"], "administrator")
    await client.send_user_message(channel["id"], "пост", from_id=reader["id"])
    await client.send_user_message(reader["id"], photo=b"\x89PNG", caption="фото")

    updates = await tg_bot.get_updates()
    kinds = [update.event_type for update in updates]
    assert kinds == ["message", "callback_query", "my_chat_member", "channel_post", "message"]
    assert updates[0].message is not None and updates[0].message.text == "/start"
    assert updates[0].message.from_user is not None
    assert updates[0].message.from_user.language_code == "ru"
    query = updates[1].callback_query
    assert query is not None and query.data == "rubric:1" and query.message is not None
    member = updates[2].my_chat_member
    assert member is not None and isinstance(member.new_chat_member, ChatMemberAdministrator)
    assert updates[4].message is not None and updates[4].message.photo
    assert await tg_bot.get_updates(offset=updates[-1].update_id + 1) == []


async def test_aiogram_objects_validate(sandbox: RunningSandbox, tg_bot: Bot) -> None:
    client = sandbox.client
    owner = await client.create_user("Главред")
    channel = await client.create_channel("Вестник", username="vestnik_test")
    await client.add_admin(channel["id"], owner["id"], status="creator")
    photo = await tg_bot.send_photo(
        "@vestnik_test",
        BufferedInputFile(b"\x89PNG", "p.png"),
        caption="<b>Фото</b>",
        parse_mode="HTML",
    )
    assert photo.photo is not None and photo.caption == "Фото"
    info = await tg_bot.get_chat(channel["id"])
    assert info.title == "Вестник" and info.type == "channel"
    admins = await tg_bot.get_chat_administrators(channel["id"])
    assert isinstance(admins[0], ChatMemberOwner)
    assert isinstance(admins[1], ChatMemberAdministrator) and admins[1].user.is_bot
    me = await tg_bot.get_me()
    assert me.username == "vestnik_sandbox_bot"
    webhook = await tg_bot.get_webhook_info()
    assert webhook.url == "" and webhook.pending_update_count == 0
    assert await tg_bot.set_my_commands([]) is True


async def test_aiogram_sees_conflict_while_webhook_set(
    sandbox: RunningSandbox, tg_bot: Bot
) -> None:
    await tg_bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(TelegramConflictError):
        await tg_bot.get_updates()
    await tg_bot.delete_webhook()


async def test_commands_are_kept_per_scope_and_language(
    sandbox: RunningSandbox, tg_bot: Bot
) -> None:
    commands = [BotCommand(command="start", description="Начать")]
    private = BotCommandScopeAllPrivateChats()
    assert await tg_bot.set_my_commands(commands, scope=private, language_code="ru")
    stored = await tg_bot.get_my_commands(scope=private, language_code="ru")
    assert [(c.command, c.description) for c in stored] == [("start", "Начать")]
    assert await tg_bot.get_my_commands(scope=private) == []
    assert await tg_bot.get_my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await tg_bot.set_my_commands([BotCommand(command="Старт", description="x")])
