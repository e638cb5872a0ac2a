"""The sandbox's in-memory world: users, chats, bots, files, and the services around them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.bots import BotState, parse_token
from sandbox.config import SandboxConfig
from sandbox.events import EventLog
from sandbox.faults import Faults
from sandbox.files import FileStore
from sandbox.ids import IdSequence
from sandbox.limits import RateLimiter
from sandbox.models import ADMIN_RIGHTS, CHAT_TYPES, Chat, JsonDict, StoredMessage, User
from sandbox.stats import Stats
from sandbox.webhook import WebhookManager

FIRST_USER_ID = 200_000_001  # far from test bot ids such as 123456 or 1000001
FIRST_GROUP_ID = -100_000_001
FIRST_CHANNEL_ID = -1_001_000_000_001


class NoBotError(LookupError):
    """The control API needed a bot, but none is known yet."""


@dataclass(slots=True)
class CallbackRecord:
    """A button press waiting for ``answerCallbackQuery``."""

    id: str
    bot_id: int
    message: StoredMessage
    from_id: int
    data: str
    answer: JsonDict | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class SandboxState:
    """All state of one sandbox instance; the Bot API and the control API both act on it."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.initial_limits = config.limits
        self.stats = Stats()
        self.events = EventLog(config.max_events)
        self.limiter = RateLimiter(config.limits, config.clock)
        self.faults = Faults()
        self.webhooks = WebhookManager(config, self.stats)
        self.bots: dict[int, BotState] = {}
        self._clear_world()

    def _clear_world(self) -> None:
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.files = FileStore()
        self.callbacks: dict[str, CallbackRecord] = {}
        self._user_ids = IdSequence(FIRST_USER_ID)
        self._group_ids = IdSequence(-FIRST_GROUP_ID)
        self._channel_ids = IdSequence(-FIRST_CHANNEL_ID)
        self._callback_ids = IdSequence(1)
        self._media_groups = IdSequence(1)

    def _sequences(self) -> dict[str, IdSequence]:
        return {
            "user": self._user_ids,
            "group": self._group_ids,
            "channel": self._channel_ids,
            "callback": self._callback_ids,
            "media_group": self._media_groups,
            "file": self.files.numbers,
        }

    def id_counters(self) -> dict[str, int]:
        """The next value of every id sequence, by name (saved with the state)."""
        return {name: sequence.next_value for name, sequence in self._sequences().items()}

    def restore_id_counters(self, counters: Mapping[str, int]) -> None:
        """Continue the id sequences from saved values (unknown names are ignored)."""
        for name, sequence in self._sequences().items():
            if name in counters:
                sequence.advance_to(int(counters[name]))

    def now(self) -> int:
        """Unix time for message dates."""
        return int(self.config.wall_clock())

    def reset(self) -> None:
        """Empty the world, restore the starting limits; known bots keep their identity."""
        for bot in self.bots.values():
            self.webhooks.stop(bot)
            bot.clear()
        self._clear_world()
        self.users.update({bot.id: bot.user for bot in self.bots.values()})
        self.faults.clear()
        self.stats.clear()
        self.config.limits = self.initial_limits
        self.limiter.configure(self.config.limits)
        self.events.add("reset")

    # bots

    def bot_for_token(self, token: str) -> BotState | None:
        """The bot a token belongs to (registered on first sight), ``None`` if malformed."""
        bot_id = parse_token(token)
        return None if bot_id is None else self.bot(bot_id)

    def bot(self, bot_id: int) -> BotState:
        """The bot with this id, registered on first use."""
        found = self.bots.get(bot_id)
        if found is None:
            username = self.config.bot_username if not self.bots else f"sandbox_{bot_id}_bot"
            found = self.bots[bot_id] = BotState(bot_id, username, self.config.bot_first_name)
            self.users.setdefault(bot_id, found.user)
        return found

    def default_bot(self) -> BotState:
        """The first bot seen: the one the control API acts for when none is named."""
        if not self.bots:
            raise NoBotError("no bot is known yet: pass token or bot_id, or call the Bot API once")
        return next(iter(self.bots.values()))

    def next_callback_id(self) -> str:
        """A fresh callback query id."""
        return f"{next(self._callback_ids)}{self.now() % 100000:05d}"

    def next_media_group_id(self) -> str:
        """A fresh media group id."""
        return f"1{next(self._media_groups):011d}"

    # users and chats

    def add_user(self, first_name: str, user_id: int | None = None, **extra: Any) -> User:
        """Create (or update) a person; ids are allocated when not given."""
        if user_id is None:
            user_id = self._free_id(self._user_ids)
        user = User(user_id, first_name, **extra)
        self.users[user_id] = user
        return user

    def user(self, user_id: int, first_name: str | None = None) -> User:
        """A known user, or a new one named ``first_name`` (default ``User <id>``)."""
        found = self.users.get(user_id)
        if found is None:
            found = self.add_user(first_name or f"User {user_id}", user_id)
        return found

    def user_api(self, user_id: int) -> JsonDict | None:
        """The Bot API ``User`` of a known user (for ``tg://user?id=`` links)."""
        found = self.users.get(user_id)
        return None if found is None else found.api()

    def add_chat(self, kind: str, chat_id: int | None = None, **fields: Any) -> Chat:
        """Create a chat of ``kind``; a private chat takes its user's id and creates the user."""
        if kind not in CHAT_TYPES:
            raise ValueError(f"type must be one of {', '.join(CHAT_TYPES)}")
        if chat_id is None:
            chat_id = self._new_chat_id(kind)
        if chat_id in self.chats:
            raise ValueError(f"chat {chat_id} already exists")
        if chat_id in self.bots:
            raise ValueError(f"{chat_id} is a bot's id")
        _check_id(kind, chat_id)
        chat = Chat(chat_id, kind, **fields)
        if kind == "private":
            self._private_user(chat)
        self.chats[chat_id] = chat
        self.events.add("chat", chat_id=chat_id)
        return chat

    def _private_user(self, chat: Chat) -> None:
        user = self.add_user(
            chat.first_name or f"User {chat.id}",
            chat.id,
            last_name=chat.last_name,
            username=chat.username,
            language_code=chat.language_code,
        )
        chat.first_name = user.first_name
        chat.members.add(user.id)

    def _new_chat_id(self, kind: str) -> int:
        if kind == "private":
            return self._free_id(self._user_ids)
        counter = self._group_ids if kind == "group" else self._channel_ids
        return -self._free_id(counter, negative=True)

    def _free_id(self, counter: IdSequence, negative: bool = False) -> int:
        while True:
            candidate = next(counter)
            key = -candidate if negative else candidate
            if key not in self.chats and key not in self.users:
                return candidate

    def find_chat(self, ref: int | str) -> Chat | None:
        """A chat by id or ``@username``."""
        if isinstance(ref, int):
            return self.chats.get(ref)
        name = ref.removeprefix("@").lower()
        return next((c for c in self.chats.values() if (c.username or "").lower() == name), None)

    # messages and updates

    def append_message(
        self, chat: Chat, author: User, *, by_bot: bool, **fields: Any
    ) -> StoredMessage:
        """Store a new message at the end of ``chat`` and announce it to viewers."""
        message = StoredMessage(len(chat.messages) + 1, chat, self.now(), author, by_bot, **fields)
        chat.messages.append(message)
        self.events.add("message", chat_id=chat.id, message_id=message.message_id)
        return message

    def emit(self, bot: BotState, kind: str, payload: JsonDict) -> None:
        """Queue an update for ``bot`` (long polling or webhook picks it up)."""
        if bot.enqueue(kind, payload) is not None:
            self.stats.updates_emitted += 1
            self.events.add("update", bot_id=bot.id, update_type=kind)

    def admin_rights(self, overrides: dict[str, Any]) -> dict[str, bool]:
        """Full admin rights with the given ``can_*`` flags applied."""
        rights = dict(ADMIN_RIGHTS)
        for key, value in overrides.items():
            if key.startswith("can_"):
                rights[key] = bool(value)
        return rights


def _check_id(kind: str, chat_id: int) -> None:
    if kind == "private" and chat_id <= 0:
        raise ValueError("a private chat's id is its user's id and must be positive")
    if kind != "private" and chat_id >= 0:
        raise ValueError("group and channel ids are negative")
