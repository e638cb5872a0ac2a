"""A rendered Telegram post, ready to send."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Post(BaseModel):
    """What the bot sends: a photo with an HTML caption, or an HTML text message.

    `text` holds the caption for `sendPhoto` and the message text for `sendMessage`.
    `length` is the length Telegram counts (characters after entity parsing).
    """

    method: Literal["sendPhoto", "sendMessage"]
    text: str
    parse_mode: Literal["HTML"] | None = "HTML"
    photo: str | None = None
    length: int = 0
