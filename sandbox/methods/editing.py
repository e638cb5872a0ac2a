"""editMessageText, editMessageCaption, editMessageReplyMarkup, deleteMessage, pin/unpin."""

from __future__ import annotations

from typing import Any

from sandbox.errors import bad_request
from sandbox.methods.call import Call
from sandbox.methods.content import caption_of, inline_markup, link_preview, message_text
from sandbox.models import Chat, JsonDict, StoredMessage
from sandbox.serialize import message_api

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _editable(call: Call) -> tuple[Chat, StoredMessage]:
    if call.params.raw("inline_message_id") is not None:
        raise bad_request("inline messages are not supported by the sandbox")
    chat = call.writable_chat()
    message = chat.live_message(call.params.require_int("message_id"))
    if message is None:
        raise bad_request("message to edit not found")
    if not message.by_bot or message.author.id != call.bot.id:
        raise bad_request("message can't be edited")
    return chat, message


def _apply(call: Call, message: StoredMessage, changes: dict[str, Any]) -> JsonDict:
    """Store an edit, unless nothing changes (then Telegram's 400 ``not modified``)."""
    if all(getattr(message, key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    previous = message.body
    body_key = "text" if "text" in changes else "caption" if "caption" in changes else None
    if body_key is not None and previous is not None:
        message.edit_history.append(previous)
    for key, value in changes.items():
        setattr(message, key, value)
    message.edit_date = call.state.now()
    message.changed()
    call.state.events.add("edit", chat_id=message.chat.id, message_id=message.message_id)
    return message_api(message)


def edit_message_text(call: Call) -> JsonDict:
    """Replace a bot message's text (and keyboard; no keyboard given removes it)."""
    _, message = _editable(call)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = message_text(call)
    changes = {"text": text, "entities": entities, "reply_markup": inline_markup(call)}
    preview = link_preview(call)
    if preview is not None:
        changes["link_preview_options"] = preview
    return _apply(call, message, changes)


def edit_message_caption(call: Call) -> JsonDict:
    """Replace the caption of a bot's photo or document message."""
    _, message = _editable(call)
    if message.photo is None and message.document is None:
        raise bad_request("there is no caption in the message to edit")
    caption, entities = caption_of(call)
    changes = {"caption": caption, "entities": entities, "reply_markup": inline_markup(call)}
    return _apply(call, message, changes)


def edit_message_reply_markup(call: Call) -> JsonDict:
    """Replace (or remove) the inline keyboard of a bot message."""
    _, message = _editable(call)
    return _apply(call, message, {"reply_markup": inline_markup(call)})


def delete_message(call: Call) -> bool:
    """Mark a message deleted (kept for the control API); own messages or with rights."""
    chat = call.chat()
    message = chat.live_message(call.params.require_int("message_id"))
    if message is None:
        raise bad_request("message to delete not found")
    own = message.by_bot and message.author.id == call.bot.id
    allowed = own or chat.type == "private"
    if not allowed and not chat.membership(call.bot.id).can("can_delete_messages"):
        raise bad_request("message can't be deleted")
    message.deleted = True
    message.changed()
    call.state.events.add("delete", chat_id=chat.id, message_id=message.message_id)
    return True


def _pin_rights(call: Call, chat: Chat) -> None:
    if chat.type == "private":
        return
    right = "can_edit_messages" if chat.type == "channel" else "can_pin_messages"
    if not chat.membership(call.bot.id).can(right):
        raise bad_request("not enough rights to manage pinned messages in the chat")


def pin_chat_message(call: Call) -> bool:
    """Pin a message (admins with the right, or anyone in a private chat)."""
    chat = call.visible_chat()
    message = chat.live_message(call.params.require_int("message_id"))
    if message is None:
        raise bad_request("message to pin not found")
    _pin_rights(call, chat)
    message.pinned = True
    call.state.events.add("pin", chat_id=chat.id, message_id=message.message_id)
    return True


def unpin_chat_message(call: Call) -> bool:
    """Unpin one message (the latest pinned when no ``message_id``)."""
    chat = call.visible_chat()
    _pin_rights(call, chat)
    message_id = call.params.get_int("message_id")
    pinned = [m for m in chat.messages if m.pinned and not m.deleted]
    if message_id is not None:
        pinned = [m for m in pinned if m.message_id == message_id]
    if not pinned:
        raise bad_request("message to unpin not found")
    pinned[-1].pinned = False
    call.state.events.add("pin", chat_id=chat.id, message_id=pinned[-1].message_id)
    return True
