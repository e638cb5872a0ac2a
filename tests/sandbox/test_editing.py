"""Edits, deletions and pins: Telegram's errors, and the history the control API keeps."""

from __future__ import annotations

from typing import Any

from sandbox.testing import RunningSandbox
from tests.sandbox.conftest import BotApi

KEYBOARD = {"inline_keyboard": [[{"text": "Подписаться", "callback_data": "sub:politika"}]]}


async def _post(sandbox: RunningSandbox, api: BotApi, **extra: Any) -> tuple[int, int]:
    channel = await sandbox.client.create_channel("Вестник")
    sent = await api.ok(
        "sendMessage", chat_id=channel["id"], text="<b>Было</b>", parse_mode="HTML", **extra
    )
    return channel["id"], sent["message_id"]


async def test_edit_text_is_visible_with_history(sandbox: RunningSandbox, api: BotApi) -> None:
    chat_id, message_id = await _post(sandbox, api)
    edited = await api.ok(
        "editMessageText",
        chat_id=chat_id,
        message_id=message_id,
        text="<i>Стало</i>",
        parse_mode="HTML",
    )
    assert edited["text"] == "Стало" and "edit_date" in edited
    stored = (await sandbox.client.messages(chat_id))[0]
    assert stored["edited"] is True
    assert stored["edit_history"] == ["Было"]
    assert stored["html"] == "<i>Стало</i>"


async def test_identical_edit_is_not_modified(sandbox: RunningSandbox, api: BotApi) -> None:
    chat_id, message_id = await _post(sandbox, api, reply_markup=KEYBOARD)
    answer = await api.fail(
        "editMessageText",
        400,
        chat_id=chat_id,
        message_id=message_id,
        text="<b>Было</b>",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )
    assert answer.description.startswith("Bad Request: message is not modified: ")
    # Same text without the keyboard is a change: the keyboard goes away.
    edited = await api.ok(
        "editMessageText",
        chat_id=chat_id,
        message_id=message_id,
        text="<b>Было</b>",
        parse_mode="HTML",
    )
    assert "reply_markup" not in edited


async def test_edit_reply_markup_and_caption(sandbox: RunningSandbox, api: BotApi) -> None:
    chat_id, message_id = await _post(sandbox, api)
    edited = await api.ok(
        "editMessageReplyMarkup", chat_id=chat_id, message_id=message_id, reply_markup=KEYBOARD
    )
    assert edited["reply_markup"] == KEYBOARD
    answer = await api.fail(
        "editMessageCaption", 400, chat_id=chat_id, message_id=message_id, caption="x"
    )
    assert answer.description == "Bad Request: there is no caption in the message to edit"
    photo = await api.ok(
        "sendPhoto", chat_id=chat_id, photo="https://e.org/p.jpg", caption="Старая"
    )
    await api.ok(
        "editMessageCaption", chat_id=chat_id, message_id=photo["message_id"], caption="Новая"
    )
    stored = (await sandbox.client.messages(chat_id))[1]
    assert stored["caption"] == "Новая" and stored["edit_history"] == ["Старая"]


async def test_missing_messages(sandbox: RunningSandbox, api: BotApi) -> None:
    chat_id, message_id = await _post(sandbox, api)
    answer = await api.fail("editMessageText", 400, chat_id=chat_id, message_id=999, text="x")
    assert answer.description == "Bad Request: message to edit not found"
    answer = await api.fail("deleteMessage", 400, chat_id=chat_id, message_id=999)
    assert answer.description == "Bad Request: message to delete not found"
    assert await api.ok("deleteMessage", chat_id=chat_id, message_id=message_id) is True
    answer = await api.fail("deleteMessage", 400, chat_id=chat_id, message_id=message_id)
    assert answer.description == "Bad Request: message to delete not found"
    answer = await api.fail(
        "editMessageText", 400, chat_id=chat_id, message_id=message_id, text="x"
    )
    assert answer.description == "Bad Request: message to edit not found"


async def test_deleted_messages_stay_marked(sandbox: RunningSandbox, api: BotApi) -> None:
    chat_id, message_id = await _post(sandbox, api)
    await api.ok("sendMessage", chat_id=chat_id, text="Вторая")
    await api.ok("deleteMessage", chat_id=chat_id, message_id=message_id)
    stored = await sandbox.client.messages(chat_id)
    assert [(m["text"], m["deleted"]) for m in stored] == [("Было", True), ("Вторая", False)]
    assert (await sandbox.client.chat(chat_id))["message_count"] == 1


async def test_pin_needs_rights_and_shows(sandbox: RunningSandbox, api: BotApi) -> None:
    chat_id, message_id = await _post(sandbox, api)
    await api.ok(
        "pinChatMessage", chat_id=chat_id, message_id=message_id, disable_notification=True
    )
    assert (await sandbox.client.messages(chat_id))[0]["pinned"] is True
    assert (await api.ok("getChat", chat_id=chat_id))["pinned_message"]["message_id"] == message_id
    await sandbox.client.set_bot_status(chat_id, "administrator", can_edit_messages=False)
    answer = await api.fail("pinChatMessage", 400, chat_id=chat_id, message_id=message_id)
    assert (
        answer.description == "Bad Request: not enough rights to manage pinned messages in the chat"
    )


async def test_users_messages_cannot_be_edited_by_the_bot(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    sent = await sandbox.client.send_user_message(chat["id"], "моё")
    answer = await api.fail(
        "editMessageText", 400, chat_id=chat["id"], message_id=sent["message_id"], text="x"
    )
    assert answer.description == "Bad Request: message can't be edited"
    assert await api.ok("deleteMessage", chat_id=chat["id"], message_id=sent["message_id"]) is True
