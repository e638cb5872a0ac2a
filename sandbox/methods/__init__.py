"""The Bot API methods the sandbox implements, by lower-case name (Telegram ignores case)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from sandbox.methods import chats, editing, sending, updates
from sandbox.methods.call import Call

Method = Callable[[Call], Any]

_METHODS: dict[str, Method] = {
    "getMe": updates.get_me,
    "getUpdates": updates.get_updates,
    "setWebhook": updates.set_webhook,
    "deleteWebhook": updates.delete_webhook,
    "getWebhookInfo": updates.get_webhook_info,
    "setMyCommands": updates.set_my_commands,
    "getMyCommands": updates.get_my_commands,
    "deleteMyCommands": updates.delete_my_commands,
    "logOut": updates.log_out,
    "close": updates.log_out,
    "sendMessage": sending.send_message,
    "sendPhoto": sending.send_photo,
    "sendDocument": sending.send_document,
    "sendMediaGroup": sending.send_media_group,
    "editMessageText": editing.edit_message_text,
    "editMessageCaption": editing.edit_message_caption,
    "editMessageReplyMarkup": editing.edit_message_reply_markup,
    "deleteMessage": editing.delete_message,
    "pinChatMessage": editing.pin_chat_message,
    "unpinChatMessage": editing.unpin_chat_message,
    "getChat": chats.get_chat,
    "getChatMember": chats.get_chat_member,
    "getChatAdministrators": chats.get_chat_administrators,
    "getChatMemberCount": chats.get_chat_member_count,
    "leaveChat": chats.leave_chat,
    "answerCallbackQuery": chats.answer_callback_query,
    "getFile": chats.get_file,
}

NAMES: dict[str, str] = {name.lower(): name for name in _METHODS}
"""Lower-case name -> canonical camelCase name."""

SYNC: dict[str, Method] = {}
ASYNC: dict[str, Callable[[Call], Awaitable[Any]]] = {}
for _name, _method in _METHODS.items():
    if inspect.iscoroutinefunction(_method):
        ASYNC[_name.lower()] = _method
    else:
        SYNC[_name.lower()] = _method

__all__ = ["ASYNC", "NAMES", "SYNC", "Call"]
