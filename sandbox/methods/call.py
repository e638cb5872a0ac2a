"""What every Bot API method receives, and the checks they share (chat access, rate limits)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sandbox.bots import BotState
from sandbox.errors import ApiError, bad_request, forbidden
from sandbox.models import PRESENT, Chat, Membership
from sandbox.params import Params
from sandbox.state import SandboxState

Handler = Callable[["Call"], Any]
AsyncHandler = Callable[["Call"], Awaitable[Any]]

_KIND = {"group": "group", "supergroup": "supergroup", "channel": "channel"}


@dataclass(slots=True)
class Call:
    """One Bot API call: the sandbox, the calling bot, the parameters."""

    state: SandboxState
    bot: BotState
    params: Params
    method: str

    def chat(self, name: str = "chat_id") -> Chat:
        """The chat a parameter names, or 400 ``chat not found``."""
        chat = self.state.find_chat(self.params.chat_id(name))
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def visible_chat(self, name: str = "chat_id") -> Chat:
        """A chat the bot can still see: not migrated away, not kicked from."""
        chat = self.chat(name)
        ensure_not_migrated(chat)
        membership = chat.membership(self.bot.id)
        if chat.type != "private" and membership.status == "kicked":
            raise forbidden(f"bot was kicked from the {_KIND[chat.type]} chat")
        return chat

    def writable_chat(self, name: str = "chat_id") -> Chat:
        """A chat the bot may post in, or Telegram's 400/403 saying why not."""
        chat = self.chat(name)
        ensure_can_write(chat, chat.membership(self.bot.id))
        return chat

    def charge(self, chat: Chat, cost: int = 1) -> None:
        """Count a sending call against the flood limits (429 when over)."""
        paid = self.params.get_bool("allow_paid_broadcast")
        try:
            self.state.limiter.check(self.bot.id, chat.id, chat.type, cost=cost, paid=paid)
        except ApiError:
            self.state.stats.method(self.method).rate_limited += 1
            raise


def ensure_not_migrated(chat: Chat) -> None:
    """A basic group upgraded to a supergroup answers 400 with ``migrate_to_chat_id``."""
    if chat.migrated_to is not None:
        raise bad_request(
            "group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": chat.migrated_to},
        )


def ensure_can_write(chat: Chat, membership: Membership) -> None:
    """Telegram's rules for who may post where, with its exact error texts."""
    ensure_not_migrated(chat)
    status = membership.status
    if chat.type == "private":
        if status == "kicked":
            raise forbidden("bot was blocked by the user")
        return
    kind = _KIND[chat.type]
    if status == "kicked":
        raise forbidden(f"bot was kicked from the {kind} chat")
    if status not in PRESENT:
        raise forbidden(f"bot is not a member of the {kind} chat")
    if chat.type == "channel" and not membership.can("can_post_messages"):
        raise bad_request("need administrator rights in the channel chat")
