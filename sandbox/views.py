"""Control-API JSON: chats and messages as a viewer or a test wants to see them."""

from __future__ import annotations

from sandbox.html_render import render_html
from sandbox.models import Chat, JsonDict, MediaFile, StoredMessage, User
from sandbox.serialize import document_api
from sandbox.state import SandboxState


def user_view(user: User) -> JsonDict:
    """A person or bot for the control API."""
    data = user.brief()
    if user.last_name:
        data["last_name"] = user.last_name
    if user.language_code:
        data["language_code"] = user.language_code
    return data


def chat_view(state: SandboxState, chat: Chat) -> JsonDict:
    """A chat with the bot's status, admins and counts."""
    data: JsonDict = {"id": chat.id, "type": chat.type}
    for key in ("title", "first_name", "last_name", "username", "language_code"):
        value = getattr(chat, key)
        if value:
            data[key] = value
    bots = {str(bot_id): chat.membership(bot_id).view() for bot_id in state.bots}
    default = next(iter(bots.values()), {"status": chat.default_bot_status})
    data.update(
        bot=default,
        bots=bots,
        admins=[_admin_view(state, user_id, chat) for user_id in chat.admins],
        blocked=chat.type == "private" and default["status"] == "kicked",
        migrated_to=chat.migrated_to,
        migrated_from=chat.migrated_from,
        message_count=sum(1 for m in chat.messages if not m.deleted),
    )
    return data


def _admin_view(state: SandboxState, user_id: int, chat: Chat) -> JsonDict:
    user = state.user(user_id)
    return {"user_id": user_id, "first_name": user.first_name, **chat.admins[user_id].view()}


def _media_view(media: MediaFile) -> JsonDict:
    url = media.url if media.data is None and media.url else f"/sandbox/files/{media.file_id}"
    data: JsonDict = {"file_id": media.file_id, "url": url}
    if media.url:
        data["source_url"] = media.url
    return data


def message_view(message: StoredMessage) -> JsonDict:
    """One message with its rendered ``html`` and its history flags."""
    data: JsonDict = {
        "message_id": message.message_id,
        "from": message.author.brief(),
        "date": message.date,
    }
    body = message.body
    if message.text is not None:
        data["text"] = message.text
    elif message.caption is not None:
        data["caption"] = message.caption
    data["entities"] = message.entities
    data["html"] = render_html(body, message.entities) if body else ""
    if message.photo is not None:
        data["photo"] = _media_view(message.photo)
    if message.document is not None:
        data["document"] = {**document_api(message.document), **_media_view(message.document)}
    _add_extras(data, message)
    return data


def _add_extras(data: JsonDict, message: StoredMessage) -> None:
    if message.reply_markup is not None:
        data["reply_markup"] = message.reply_markup
    data.update(
        edited=message.edit_date is not None,
        edit_history=list(message.edit_history),
        deleted=message.deleted,
        pinned=message.pinned,
        disable_notification=message.disable_notification,
    )
    if message.callback_answers:
        data["callback_answers"] = list(message.callback_answers)
    optional = {
        "media_group_id": message.media_group_id,
        "forward_origin": message.forward_origin,
        "reply_to_message_id": message.reply_to.message_id if message.reply_to else None,
        "link_preview_options": message.link_preview_options,
        "edit_date": message.edit_date,
    }
    data.update({key: value for key, value in optional.items() if value is not None})
    if message.service:
        data["service"] = message.service
