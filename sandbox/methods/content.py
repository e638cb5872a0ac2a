"""Message content from call parameters: formatted text, keyboards, files, replies."""

from __future__ import annotations

from typing import Any

from sandbox.entity_rules import fix_entities, trim
from sandbox.errors import bad_request
from sandbox.html_entities import HtmlParseError, parse_html
from sandbox.methods.call import Call
from sandbox.models import Chat, JsonDict, MediaFile, StoredMessage
from sandbox.textutil import Entity, clean_entities

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
_KIND_NAMES = {"photo": "Photo", "document": "Document"}


def format_text(
    call: Call, raw: str | None, parse_mode: str | None, entities: Any
) -> tuple[str, list[Entity]]:
    """Apply parse mode or explicit entities, Telegram's nesting rules, then trim."""
    text = raw or ""
    if entities:
        return trim(text, fix_entities(clean_entities(entities, text)))
    if not parse_mode:
        return trim(text, [])
    mode = parse_mode.lower()
    if mode != "html":
        if mode in ("markdown", "markdownv2"):
            raise bad_request("can't parse entities: the sandbox supports only parse_mode HTML")
        raise bad_request("unsupported parse_mode")
    try:
        parsed, found = parse_html(text, call.state.user_api)
    except HtmlParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    return trim(parsed, fix_entities(found, presorted=True))


def message_text(call: Call) -> tuple[str, list[Entity]]:
    """``text`` with ``parse_mode``/``entities``: non-empty and at most 4096 characters."""
    params = call.params
    text, entities = format_text(
        call, params.get_str("text"), params.get_str("parse_mode"), params.get_json("entities")
    )
    if not text:
        raise bad_request("message text is empty")
    if len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return text, entities


def caption_of(call: Call, source: dict[str, Any] | None = None) -> tuple[str | None, list[Entity]]:
    """``caption`` with its parse mode (from the call or one media group item)."""
    if source is None:
        params = call.params
        raw, mode = params.get_str("caption"), params.get_str("parse_mode")
        entities = params.get_json("caption_entities")
    else:
        raw, mode, entities = source.get("caption"), source.get("parse_mode"), None
        entities = source.get("caption_entities")
    if raw is None or raw == "":
        return None, []
    text, found = format_text(call, str(raw), mode, entities)
    if len(text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return (text or None), found


def inline_markup(call: Call) -> JsonDict | None:
    """An inline keyboard to attach (other keyboard kinds are accepted and not stored)."""
    markup = call.params.get_json("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    for row in rows:
        for button in row:
            _check_button(button)
    return {"inline_keyboard": rows}


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if not button["text"]:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if data is not None and (not data or len(str(data).encode()) > CALLBACK_DATA_LIMIT):
        raise bad_request("BUTTON_DATA_INVALID")
    kinds = [key for key in button if key != "text"]
    if not kinds:
        raise bad_request("text buttons are unallowed in the inline keyboard")


def link_preview(call: Call) -> JsonDict | None:
    """``link_preview_options`` as sent (or the legacy ``disable_web_page_preview``)."""
    options = call.params.get_json("link_preview_options")
    if isinstance(options, dict):
        return options
    if call.params.get_bool("disable_web_page_preview"):
        return {"is_disabled": True}
    return None


def reply_target(call: Call, chat: Chat) -> StoredMessage | None:
    """The message replied to (``reply_parameters`` or ``reply_to_message_id``)."""
    reply = call.params.get_json("reply_parameters")
    allow_missing = call.params.get_bool("allow_sending_without_reply")
    message_id = call.params.get_int("reply_to_message_id")
    if isinstance(reply, dict):
        message_id = reply.get("message_id", message_id)
        allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
    if message_id is None:
        return None
    found = chat.live_message(int(message_id))
    if found is None and not allow_missing:
        raise bad_request("message to be replied not found")
    return found


def media_file(call: Call, kind: str, value: Any) -> MediaFile:
    """A photo/document from an upload, an http(s) URL (not fetched), or a known file_id."""
    files = call.state.files
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {kind} in the request")
    upload = call.params.upload(value)
    if upload is not None:
        return files.add_upload(kind, upload)
    if value.startswith(("http://", "https://")):
        return files.add_url(kind, value)
    known = files.get(value)
    if known is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if known.kind != kind:
        raise bad_request(
            f"can't use file of type {_KIND_NAMES[known.kind]} as {_KIND_NAMES[kind]}"
        )
    return known
