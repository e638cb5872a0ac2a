"""Control-API actions of people: writing to a chat, pressing an inline button."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sandbox.chat_actions import actor, pick_bot
from sandbox.errors import ControlError
from sandbox.models import Chat, JsonDict, MediaFile, StoredMessage, User
from sandbox.notify import new_message
from sandbox.params import Upload
from sandbox.serialize import message_api
from sandbox.state import CallbackRecord, SandboxState
from sandbox.textutil import clean_entities, detect_entities


def _author(state: SandboxState, chat: Chat, body: dict[str, Any]) -> User:
    if chat.type == "private":
        if body.get("from_id") is not None and int(body["from_id"]) != chat.id:
            raise ControlError("in a private chat only its user (from_id == chat id) writes")
        return state.user(chat.id)
    if body.get("from_id") is None:
        raise ControlError("from_id is required outside private chats")
    return actor(state, chat, body)


def _target(state: SandboxState, body: dict[str, Any]) -> Any:
    if body.get("token") or body.get("bot_id") is not None:
        return pick_bot(state, body)
    return None


def user_message(
    state: SandboxState, chat: Chat, body: dict[str, Any]
) -> tuple[StoredMessage, list[int]]:
    """A person writes in ``chat``; bots present get a ``message``/``channel_post`` update."""
    if chat.migrated_to is not None:
        raise ControlError(f"chat {chat.id} was migrated to {chat.migrated_to}", 409)
    author = _author(state, chat, body)
    target = _target(state, body)
    if chat.type == "private":
        bot = target or pick_bot(state, body)
        if chat.membership(bot.id).status == "kicked":
            raise ControlError("the user blocked the bot: unblock it first", 409)
    fields = _content(state, chat, body)
    chat.members.add(author.id)
    message = state.append_message(chat, author, by_bot=False, **fields)
    return message, new_message(state, message, target)


_CONTENT_KEYS = ("text", "photo", "document")


def _content(state: SandboxState, chat: Chat, body: dict[str, Any]) -> dict[str, Any]:
    """Message fields from the request: own content, or a copy of a forwarded message."""
    fields: dict[str, Any] = {}
    source = None
    if body.get("forward_from_chat_id") is not None:
        source_chat, source = _forward_source(state, body)
        fields["forward_origin"] = _origin(state, source_chat, source)
    if source is not None and not any(body.get(key) for key in _CONTENT_KEYS):
        fields.update(_copy_of(source))
    else:
        fields.update(_own_content(state, body))
    if body.get("reply_to_message_id") is not None:
        fields["reply_to"] = chat.live_message(int(body["reply_to_message_id"]))
    return fields


def _copy_of(source: StoredMessage) -> dict[str, Any]:
    return {
        "text": source.text,
        "caption": source.caption,
        "entities": list(source.entities),
        "photo": source.photo,
        "document": source.document,
    }


def _own_content(state: SandboxState, body: dict[str, Any]) -> dict[str, Any]:
    media = _media(state, body)
    if media is not None:
        caption = str(body.get("caption") or "") or None
        entities = detect_entities(caption) if caption else []
        return {media.kind: media, "caption": caption, "entities": entities}
    if body.get("text"):
        text = str(body["text"])
        given = clean_entities(body.get("entities"), text)
        return {"text": text, "entities": given or detect_entities(text)}
    raise ControlError("give text, photo, document or forward_from_chat_id")


def _media(state: SandboxState, body: dict[str, Any]) -> MediaFile | None:
    photo = body.get("photo")
    if photo:
        photo = str(photo)
        if photo.startswith(("http://", "https://")):
            return state.files.add_url("photo", photo)
        known = state.files.get(photo)
        if known is not None:
            return known
        return state.files.add_upload("photo", Upload("photo.jpg", "image/jpeg", _b64(photo)))
    document = body.get("document")
    if document:
        if not isinstance(document, dict) or "content_base64" not in document:
            raise ControlError('document must be {"file_name", "content_base64"}')
        name = str(document.get("file_name") or "document.bin")
        upload = Upload(
            name, str(document.get("mime_type") or ""), _b64(document["content_base64"])
        )
        return state.files.add_upload("document", upload)
    return None


def _b64(value: Any) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise ControlError("file content must be base64 (or give an http(s) URL)") from None


def _forward_source(state: SandboxState, body: dict[str, Any]) -> tuple[Chat, StoredMessage | None]:
    """The chat forwarded from and its message (given, else its latest one)."""
    source_chat = state.find_chat(int(body["forward_from_chat_id"]))
    if source_chat is None:
        raise ControlError("forward_from_chat_id: chat not found", 404)
    if body.get("forward_from_message_id") is None:
        live = [m for m in source_chat.messages if not m.deleted]
        return source_chat, (live[-1] if live else None)
    source = source_chat.live_message(int(body["forward_from_message_id"]))
    if source is None:
        raise ControlError("forward_from_message_id: message not found", 404)
    return source_chat, source


def _origin(state: SandboxState, chat: Chat, source: StoredMessage | None) -> JsonDict:
    """The ``forward_origin`` (MessageOrigin) for a message forwarded from ``chat``."""
    date = source.date if source is not None else state.now()
    if chat.type == "channel":
        message_id = source.message_id if source is not None else 0
        return {"type": "channel", "date": date, "chat": chat.api(), "message_id": message_id}
    if chat.type == "private":
        return {"type": "user", "date": date, "sender_user": state.user(chat.id).api()}
    return {"type": "chat", "date": date, "sender_chat": chat.api()}


def press_button(state: SandboxState, chat: Chat, body: dict[str, Any]) -> CallbackRecord:
    """A person presses an inline button of a bot message: a ``callback_query`` update."""
    presser = _author(state, chat, body)
    message = chat.live_message(int(body.get("message_id") or 0))
    if message is None:
        raise ControlError("message not found", 404)
    data = str(body.get("callback_data"))
    if not message.by_bot or not _has_button(message, data):
        raise ControlError(
            f"message {message.message_id} has no button with callback_data {data!r}"
        )
    bot = state.bot(message.author.id)
    record = CallbackRecord(state.next_callback_id(), bot.id, message, presser.id, data)
    state.callbacks[record.id] = record
    payload = {
        "id": record.id,
        "from": presser.api(),
        "message": message_api(message),
        "chat_instance": str(abs(chat.id)),
        "data": data,
    }
    state.emit(bot, "callback_query", payload)
    state.events.add("callback", chat_id=chat.id, message_id=message.message_id)
    return record


def _has_button(message: StoredMessage, data: str) -> bool:
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    return any(button.get("callback_data") == data for row in rows for button in row)
