"""The sandbox's world: users, chats, the bot's place in each chat, messages, files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]

CHAT_TYPES = ("private", "group", "supergroup", "channel")
BOT_STATUSES = ("creator", "administrator", "member", "left", "kicked")
PRESENT = frozenset({"creator", "administrator", "member"})

ADMIN_RIGHTS: dict[str, bool] = {
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_send_welcome_messages": False,
    "can_post_messages": True,
    "can_edit_messages": True,
    "can_pin_messages": True,
    "can_manage_topics": False,
}


@dataclass(slots=True)
class User:
    """A Telegram account: a person, or one of the sandbox's bots."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    api_cache: JsonDict | None = field(default=None, repr=False)

    def api(self) -> JsonDict:
        """The Bot API ``User`` object (built once; never mutate the result)."""
        if self.api_cache is None:
            data: JsonDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
            for key in ("last_name", "username", "language_code"):
                value = getattr(self, key)
                if value:
                    data[key] = value
            self.api_cache = data
        return self.api_cache

    def brief(self) -> JsonDict:
        """The short form the control API shows."""
        data: JsonDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        return data


@dataclass(slots=True)
class Membership:
    """Someone's status in a chat, with admin rights when they are an administrator."""

    status: str
    rights: dict[str, bool] = field(default_factory=dict)

    def can(self, right: str) -> bool:
        """Whether this member holds ``right`` (creators hold every right)."""
        if self.status == "creator":
            return True
        return self.status == "administrator" and self.rights.get(right, False)

    def view(self) -> JsonDict:
        """JSON for the control API."""
        data: JsonDict = {"status": self.status}
        if self.status == "administrator":
            data["rights"] = dict(self.rights)
        return data


@dataclass(slots=True)
class MediaFile:
    """A photo or document the sandbox holds: uploaded bytes or a remembered URL."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes | None = None
    url: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    sizes: list[JsonDict] = field(default_factory=list)

    @property
    def size(self) -> int | None:
        """Byte size, known for uploads only."""
        return len(self.data) if self.data is not None else None


@dataclass(slots=True)
class StoredMessage:
    """One message as the sandbox keeps it; deleted ones stay, marked."""

    message_id: int
    chat: Chat
    date: int
    author: User
    by_bot: bool
    text: str | None = None
    caption: str | None = None
    entities: list[JsonDict] = field(default_factory=list)
    photo: MediaFile | None = None
    document: MediaFile | None = None
    reply_markup: JsonDict | None = None
    link_preview_options: JsonDict | None = None
    disable_notification: bool = False
    protect_content: bool = False
    media_group_id: str | None = None
    reply_to: StoredMessage | None = None
    forward_origin: JsonDict | None = None
    service: JsonDict | None = None
    edit_date: int | None = None
    edit_history: list[str] = field(default_factory=list)
    deleted: bool = False
    pinned: bool = False
    callback_answers: list[JsonDict] = field(default_factory=list)
    api_cache: JsonDict | None = field(default=None, repr=False)

    @property
    def body(self) -> str | None:
        """The text, or the caption of a media message."""
        return self.text if self.text is not None else self.caption

    def changed(self) -> None:
        """Forget cached renderings after an edit."""
        self.api_cache = None


@dataclass(slots=True)
class Chat:
    """A private chat, group, supergroup or channel with its history and members."""

    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    default_bot_status: str = "member"
    default_bot_rights: dict[str, bool] = field(default_factory=dict)
    bots: dict[int, Membership] = field(default_factory=dict)
    admins: dict[int, Membership] = field(default_factory=dict)
    members: set[int] = field(default_factory=set)
    messages: list[StoredMessage] = field(default_factory=list)
    migrated_to: int | None = None
    migrated_from: int | None = None
    api_cache: JsonDict | None = field(default=None, repr=False)

    def membership(self, bot_id: int) -> Membership:
        """The bot's status here (created from the chat's default on first use)."""
        found = self.bots.get(bot_id)
        if found is None:
            rights = {}
            if self.default_bot_status == "administrator":
                rights = {**ADMIN_RIGHTS, **self.default_bot_rights}
            found = self.bots[bot_id] = Membership(self.default_bot_status, rights)
        return found

    def message(self, message_id: int) -> StoredMessage | None:
        """The message with that id, deleted or not."""
        if 0 < message_id <= len(self.messages):
            return self.messages[message_id - 1]
        return None

    def live_message(self, message_id: int) -> StoredMessage | None:
        """The message with that id unless it was deleted."""
        found = self.message(message_id)
        return None if found is None or found.deleted else found

    @property
    def display_name(self) -> str:
        """Title of a group or channel, the user's name for a private chat."""
        if self.title:
            return self.title
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def api(self) -> JsonDict:
        """The Bot API ``Chat`` object (built once; never mutate the result)."""
        if self.api_cache is None:
            data: JsonDict = {"id": self.id, "type": self.type}
            if self.type == "private":
                data["first_name"] = self.first_name or ""
                if self.last_name:
                    data["last_name"] = self.last_name
            else:
                data["title"] = self.title or ""
            if self.username:
                data["username"] = self.username
            self.api_cache = data
        return self.api_cache
