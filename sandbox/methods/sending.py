"""sendMessage, sendPhoto, sendDocument, sendMediaGroup."""

from __future__ import annotations

from typing import Any

from sandbox.errors import bad_request
from sandbox.methods.call import Call
from sandbox.methods.content import (
    caption_of,
    inline_markup,
    link_preview,
    media_file,
    message_text,
    reply_target,
)
from sandbox.models import Chat, JsonDict, StoredMessage
from sandbox.serialize import message_api

MEDIA_GROUP_MIN = 2
MEDIA_GROUP_MAX = 10


def _common(call: Call, chat: Chat) -> dict[str, Any]:
    """Options every send method shares."""
    params = call.params
    return {
        "disable_notification": params.get_bool("disable_notification"),
        "protect_content": params.get_bool("protect_content"),
        "reply_to": reply_target(call, chat),
    }


def _store(call: Call, chat: Chat, **fields: Any) -> StoredMessage:
    return call.state.append_message(chat, call.bot.user, by_bot=True, **fields)


def send_message(call: Call) -> JsonDict:
    """Send a text message (HTML parse mode, entities, inline keyboard, link preview)."""
    chat = call.writable_chat()
    text, entities = message_text(call)
    markup = inline_markup(call)
    common = _common(call, chat)
    call.charge(chat)
    message = _store(
        call,
        chat,
        text=text,
        entities=entities,
        reply_markup=markup,
        link_preview_options=link_preview(call),
        **common,
    )
    return message_api(message)


def send_photo(call: Call) -> JsonDict:
    """Send a photo by upload, URL or file_id, with an optional caption."""
    return _send_media(call, "photo")


def send_document(call: Call) -> JsonDict:
    """Send a document by upload, URL or file_id, with an optional caption."""
    return _send_media(call, "document")


def _send_media(call: Call, kind: str) -> JsonDict:
    chat = call.writable_chat()
    caption, entities = caption_of(call)
    markup = inline_markup(call)
    common = _common(call, chat)
    media = media_file(call, kind, call.params.raw(kind))
    call.charge(chat)
    message = _store(
        call,
        chat,
        caption=caption,
        entities=entities,
        reply_markup=markup,
        **{kind: media},
        **common,
    )
    return message_api(message)


def send_media_group(call: Call) -> list[JsonDict]:
    """Send 2-10 photos or documents as one album; returns every message."""
    chat = call.writable_chat()
    items = _media_items(call)
    kind = items[0]["type"]
    prepared = [
        (media_file(call, kind, item.get("media")), *caption_of(call, item)) for item in items
    ]
    common = _common(call, chat)
    call.charge(chat, cost=len(items))
    group_id = call.state.next_media_group_id()
    messages = [
        _store(
            call,
            chat,
            caption=caption,
            entities=entities,
            media_group_id=group_id,
            **{kind: media},
            **common,
        )
        for media, caption, entities in prepared
    ]
    return [message_api(message) for message in messages]


def _media_items(call: Call) -> list[dict[str, Any]]:
    items = call.params.get_json("media")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise bad_request("can't parse media JSON object")
    if len(items) > MEDIA_GROUP_MAX:
        raise bad_request("too much messages to send as an album")
    if len(items) < MEDIA_GROUP_MIN:
        raise bad_request("media group must include at least 2 items")
    kinds = {item.get("type") for item in items}
    if not kinds <= {"photo", "document"}:
        raise bad_request("the sandbox supports only photo and document media")
    if len(kinds) > 1:
        raise bad_request("document can't be mixed with other media types")
    return items
