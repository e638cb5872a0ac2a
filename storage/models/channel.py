"""Channels the bot publishes into, and each channel's publishing settings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ChannelStatus = Literal["active", "inactive"]
CatchupPolicy = Literal["publish_now", "spread", "skip_older"]
CATCHUP_POLICIES: tuple[CatchupPolicy, ...] = ("publish_now", "spread", "skip_older")
HashtagPosition = Literal["end", "top"]
HASHTAG_POSITIONS: tuple[HashtagPosition, ...] = ("end", "top")
LinkPreviewMode = Literal["off", "above", "below"]
LINK_PREVIEW_MODES: tuple[LinkPreviewMode, ...] = ("off", "above", "below")
DEFAULT_BREAKING_MARKER = "⚡️ Срочно"
MAX_BREAKING_MARKER = 32
DEFAULT_SLOTS = ("09:00", "12:00", "15:00", "18:00")


class ChannelRights(BaseModel):
    """The bot's membership in the chat as Telegram last reported it."""

    status: str = "administrator"  # administrator | member | left | kicked | restricted
    can_post_messages: bool = False
    can_edit_messages: bool = False
    can_delete_messages: bool = False
    can_pin_messages: bool = False


class QuietHours(BaseModel):
    """Local times `HH:MM` between which no slot is served (may wrap midnight: 23:00-07:00)."""

    start: str
    end: str


class TemplateSettings(BaseModel):
    """The channel's post template as stored; `bot.formatting.post.PostTemplate` extends it
    with the signature check (storage does not parse Telegram HTML).

    `hashtag_position`: the rubric hashtag at the `end` of the post (before the read-more
    link and the signature) or at the `top`, above the headline. `breaking_marker`: plain
    text put before a breaking post's headline (None: no marker). `link_preview`: the source
    link's preview `off`, `above` or `below` the text (text posts only: a photo is its own
    picture).
    """

    signature: str | None = None
    read_more_label: str = "Читать полностью"
    show_hashtag: bool = True
    hashtag_position: HashtagPosition = "end"
    show_credit: bool = True
    typography: bool = True
    credit_label: str = "Фото"
    breaking_marker: str | None = Field(DEFAULT_BREAKING_MARKER, max_length=MAX_BREAKING_MARKER)
    link_preview: LinkPreviewMode = "below"


class Channel(BaseModel):
    """A channel (or group) the bot is an admin of, with its publishing settings.

    `routing` lists the rubric slugs the channel publishes; `None` means every rubric.
    `slots` are local times (`HH:MM` or `HH:MM:SS`) in `timezone`; `min_interval` is the
    least number of seconds between two queued posts (alone it is the whole schedule).
    `pin_breaking`: whether breaking posts are pinned, however they are queued (the desk's
    «Срочно», `vestnik queue --breaking`).
    """

    id: int
    title: str = ""
    username: str | None = None
    type: str = "channel"
    status: ChannelStatus = "active"
    inactive_reason: str | None = None
    rights: ChannelRights = Field(default_factory=ChannelRights)
    added_by: int | None = None
    added_at: float = 0.0
    routing: list[str] | None = None
    timezone: str = "Asia/Almaty"
    template: TemplateSettings = Field(default_factory=TemplateSettings)
    slots: list[str] = Field(default_factory=lambda: list(DEFAULT_SLOTS))
    min_interval: int = Field(0, ge=0)
    quiet: QuietHours | None = None
    paused: bool = False
    catchup: CatchupPolicy = "spread"
    catchup_max_age: int = Field(6 * 3600, gt=0)
    silent_slot_posts: bool = True
    pin_breaking: bool = True

    @property
    def active(self) -> bool:
        """Whether the channel may receive posts now (it may still be paused)."""
        return self.status == "active"

    def routes(self, rubric_slug: str) -> bool:
        """Whether an article of this rubric belongs in this channel."""
        return self.routing is None or rubric_slug in self.routing
