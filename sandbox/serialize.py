"""Bot API JSON for the sandbox's objects (what aiogram validates on its side)."""

from __future__ import annotations

from sandbox.models import ADMIN_RIGHTS, Chat, JsonDict, MediaFile, Membership, StoredMessage

_GIFTS_OFF: JsonDict = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


def message_api(message: StoredMessage, *, with_reply: bool = True) -> JsonDict:
    """The Bot API ``Message`` (cached until the message changes; never mutate it)."""
    if message.api_cache is not None and with_reply:
        return message.api_cache
    data = _message_head(message)
    if message.text is not None:
        data["text"] = message.text
        if message.entities:
            data["entities"] = message.entities
    _add_media(data, message)
    _add_extras(data, message)
    if with_reply and message.reply_to is not None:
        data["reply_to_message"] = message_api(message.reply_to, with_reply=False)
    if with_reply:
        message.api_cache = data
    return data


def _message_head(message: StoredMessage) -> JsonDict:
    chat = message.chat
    data: JsonDict = {"message_id": message.message_id}
    if chat.type == "channel":
        data["sender_chat"] = chat.api()
    else:
        data["from"] = message.author.api()
    data["chat"] = chat.api()
    data["date"] = message.date
    return data


def _add_media(data: JsonDict, message: StoredMessage) -> None:
    if message.photo is not None:
        data["photo"] = message.photo.sizes
    if message.document is not None:
        data["document"] = document_api(message.document)
    if message.caption is not None:
        data["caption"] = message.caption
        if message.entities:
            data["caption_entities"] = message.entities
    if message.media_group_id is not None:
        data["media_group_id"] = message.media_group_id


def _add_extras(data: JsonDict, message: StoredMessage) -> None:
    if message.reply_markup is not None:
        data["reply_markup"] = message.reply_markup
    if message.link_preview_options is not None:
        data["link_preview_options"] = message.link_preview_options
    if message.edit_date is not None:
        data["edit_date"] = message.edit_date
    if message.protect_content:
        data["has_protected_content"] = True
    if message.forward_origin is not None:
        data["forward_origin"] = message.forward_origin
    if message.service is not None:
        data.update(message.service)


def document_api(media: MediaFile) -> JsonDict:
    """The Bot API ``Document`` object."""
    data: JsonDict = {"file_id": media.file_id, "file_unique_id": media.file_unique_id}
    if media.file_name:
        data["file_name"] = media.file_name
    if media.mime_type:
        data["mime_type"] = media.mime_type
    if media.size is not None:
        data["file_size"] = media.size
    return data


def member_api(user: JsonDict, membership: Membership) -> JsonDict:
    """The Bot API ``ChatMember`` variant for a status."""
    status = membership.status
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "administrator":
        rights = {**ADMIN_RIGHTS, **membership.rights}
        return {
            "status": "administrator",
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
            **rights,
        }
    if status == "kicked":
        return {"status": "kicked", "user": user, "until_date": 0}
    return {"status": status, "user": user}


def chat_full_api(chat: Chat) -> JsonDict:
    """The Bot API ``ChatFullInfo`` that getChat returns."""
    data: JsonDict = {
        **chat.api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": _GIFTS_OFF,
    }
    pinned = [m for m in chat.messages if m.pinned and not m.deleted]
    if pinned:
        data["pinned_message"] = message_api(pinned[-1])
    return data
