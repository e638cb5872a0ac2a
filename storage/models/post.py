"""A rendered Telegram post, ready to send."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class LinkPreview(BaseModel):
    """Telegram's `link_preview_options` for a text message, as the channel chose them
    (frozen: one value object shared by every job of a fan-out)."""

    model_config = ConfigDict(frozen=True)

    is_disabled: bool = False
    url: str | None = None
    show_above_text: bool = False


class Post(BaseModel):
    """What the bot sends: a photo with an HTML caption, or an HTML text message.

    `text` holds the caption for `sendPhoto` and the message text for `sendMessage`.
    `length` is the length Telegram counts (characters after entity parsing).
    `link_preview`: the link preview of a text message (None: Telegram's default).
    `reply_markup`: its inline keyboard (Bot API JSON), if any, so a fan-out's shared
    payload carries its buttons. `version`: the content hash of the article version it was
    rendered from, so a copy sent from an older version can be edited once it is out.
    """

    method: Literal["sendPhoto", "sendMessage"]
    text: str
    parse_mode: Literal["HTML"] | None = "HTML"
    photo: str | None = None
    length: int = 0
    link_preview: LinkPreview | None = None
    reply_markup: dict[str, Any] | None = None
    version: str | None = None
