"""Who reaches the desk's routers: the audience filter and the gate middleware.

`DeskAudience(needed)` is set ONCE on each package router: private chats of users holding
`needed` in at least one channel (an invitee's `/start inv_<code>` is let in too).
`DeskGate` is an outer middleware on the same routers: it learns `@username -> id` from every
update it sees, and when one of the package's commands was not handled (the sender is not a
member, so it fell through to the subscribers) it writes the denial to the audit log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot.desk.roles import RoleService
from storage.models.roles import Role

INVITE_PREFIX = "inv_"
_SEEN_CAP = 10_000


def command_of(text: str | None) -> str | None:
    """`/grant` from `/grant@vestnik_bot @anna`; None for text that is not a command."""
    if not text or not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0].split("@", 1)[0].lower()


def invite_code(text: str | None) -> str | None:
    """The code of a `/start inv_<code>` deep link, if the text is one."""
    if command_of(text) != "/start" or text is None:
        return None
    parts = text.split(maxsplit=1)
    if len(parts) < 2 or not parts[1].startswith(INVITE_PREFIX):
        return None
    return parts[1][len(INVITE_PREFIX) :].strip()


def is_private(event: TelegramObject) -> bool:
    """A message in a private chat, or a button pressed under one."""
    if isinstance(event, Message):
        return event.chat.type == "private"
    if isinstance(event, CallbackQuery):
        return event.message is not None and event.message.chat.type == "private"
    return False


class DeskAudience(Filter):
    """Private chat + the user holds `needed` (editor: editor/admin/owner) somewhere."""

    def __init__(self, needed: Role) -> None:
        self.needed = needed

    async def __call__(
        self,
        event: TelegramObject,
        event_from_user: User | None = None,
        roles: RoleService | None = None,
    ) -> bool:
        if roles is None or event_from_user is None or not is_private(event):
            return False
        if self.needed == "editor" and isinstance(event, Message) and invite_code(event.text):
            return True
        return await roles.has_any(event_from_user.id, self.needed)


class DeskGate(BaseMiddleware):
    """Outer middleware: learns usernames; audits package commands that fell through."""

    def __init__(self, commands: frozenset[str], *, learn_usernames: bool) -> None:
        self.commands = commands
        self.learn_usernames = learn_usernames
        self._seen: dict[int, str] = {}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        roles: RoleService | None = data.get("roles")
        user: User | None = data.get("event_from_user")
        if roles is not None and user is not None and self.learn_usernames:
            await self._learn(roles, user)
        if user is not None and "locale" not in data:
            await _locale_into(data, user)
        result = await handler(event, data)
        if result is UNHANDLED and roles is not None and user is not None:
            await self._audit_fallthrough(roles, user, event)
        return result

    async def _learn(self, roles: RoleService, user: User) -> None:
        if not user.username or self._seen.get(user.id) == user.username:
            return
        if len(self._seen) >= _SEEN_CAP:
            self._seen.clear()
        self._seen[user.id] = user.username
        await roles.remember_username(user.username, user.id)

    async def _audit_fallthrough(self, roles: RoleService, user: User, event: Any) -> None:
        if not isinstance(event, Message) or not is_private(event):
            return
        command = command_of(event.text)
        if command in self.commands and invite_code(event.text) is None:
            await roles.audit.record(user.id, command, None, allowed=False, detail="not_member")


async def _locale_into(data: dict[str, Any], user: User) -> None:
    """The user's language as the subscribers feature knows it (their /settings choice)."""
    service = data.get("subscriber_service")
    profile = getattr(service, "profile", None)
    if profile is None:
        return
    found = await profile(user.id, user.language_code)
    locale = getattr(found, "locale", None)
    if isinstance(locale, str):
        data["locale"] = locale
