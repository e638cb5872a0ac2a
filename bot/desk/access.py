"""Who reaches the desk's routers: the audience filter and the gate middleware.

`DeskAudience(needed)` is set ONCE on each package router: private chats of users holding
`needed` in at least one channel (an invitee's `/start inv_<code>` is let in too). With
`members_for`, members of the desk (editors of some channel) are let in for those commands
and for the package's buttons too, so an editor asking for an admin command gets a polite
refusal naming the channel instead of "no such command".
`DeskGate` is an outer middleware on the same routers: it learns `@username -> id` from every
update it sees, and when one of the package's commands or buttons was not handled (the sender
is not a member, so it fell through to the subscribers) it writes the denial to the audit log,
with the channel when the command or button names one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot.desk.keyboards import (
    AdminPick,
    Confirm,
    DraftAction,
    Nav,
    PickChannel,
    QueueAction,
    SubmitDraft,
)
from bot.desk.roles import RoleService
from bot.digits import is_digits
from bot.publishing.errors import PublishingError
from storage.models.roles import Role

INVITE_PREFIX = "inv_"
_SEEN_CAP = 10_000
_SEEN_TTL = 60.0  # seconds a learned @username is not written again


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
    """Private chat + the user holds `needed` (editor: editor/admin/owner) somewhere.

    Editors anywhere are also let in for the commands in `members_for` and for buttons
    (`members_for` non-empty): the handlers then refuse them per channel, politely.
    """

    def __init__(self, needed: Role, *, members_for: frozenset[str] = frozenset()) -> None:
        self.needed = needed
        self.members_for = members_for

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
        needed: Role = "editor" if self._for_members(event) else self.needed
        return await roles.has_any(event_from_user.id, needed)

    def _for_members(self, event: TelegramObject) -> bool:
        if not self.members_for:
            return False
        if isinstance(event, CallbackQuery):
            return True
        return isinstance(event, Message) and command_of(event.text) in self.members_for


class DeskGate(BaseMiddleware):
    """Outer middleware: learns usernames; audits package commands that fell through."""

    def __init__(
        self,
        commands: frozenset[str],
        *,
        learn_usernames: bool,
        buttons: tuple[str, ...] = (),
    ) -> None:
        self.commands = commands
        self.buttons = buttons
        self.learn_usernames = learn_usernames
        self._seen: dict[int, tuple[str, float]] = {}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        roles: RoleService | None = data.get("roles")
        user: User | None = data.get("event_from_user")
        if roles is not None and user is not None and self.learn_usernames:
            await self._learn(roles, user, data["clock"].time())
        if user is not None and "locale" not in data:
            await _locale_into(data, user)
        result = await handler(event, data)
        if result is UNHANDLED and roles is not None and user is not None:
            refused = await self._audit_fallthrough(roles, user, event, data.get("desk"))
            if refused and isinstance(event, Message):
                return await self._throttled(roles, user, data, result)
        return result

    async def _throttled(
        self, roles: RoleService, user: User, data: dict[str, Any], result: Any
    ) -> Any:
        """Let the subscribers answer a refused command («Команды … нет») only while the
        person's refusal replies are within the limit; then one «подождите», then nothing
        (returning a handled result stops the update here)."""
        verdict = await roles.audit.refusal_reply(user.id)
        if verdict == "reply":
            return result
        if verdict == "notice":
            i18n = data["i18n"]
            text = i18n("desk.refusals.slow_down", data.get("locale") or i18n.default_locale)
            await data["bot"].send_message(user.id, text, parse_mode=None)
        return None

    async def _learn(self, roles: RoleService, user: User, now: float) -> None:
        """Record @username -> id, at most once per `_SEEN_TTL` per user and process.

        The memo expires so that a mapping removed elsewhere (a reader's /stop, in any
        process) is learned again once that person writes to the bot again.
        """
        if not user.username:
            return
        seen = self._seen.get(user.id)
        if seen is not None and seen[0] == user.username and 0 <= now - seen[1] < _SEEN_TTL:
            return
        if len(self._seen) >= _SEEN_CAP:
            self._seen.clear()
        self._seen[user.id] = (user.username, now)
        await roles.remember_username(user.username, user.id)

    async def _audit_fallthrough(
        self, roles: RoleService, user: User, event: Any, desk: Any
    ) -> bool:
        """Audit a package command or button a non-member tried; whether it was one."""
        found = await self._refused_action(event, desk)
        if found is None:
            return False
        action, chat_id = found
        await roles.audit.record(
            user.id,
            action,
            chat_id,
            allowed=False,
            detail="not_member",
            name=user.first_name,
            username=user.username,
        )
        return True

    async def _refused_action(self, event: Any, desk: Any) -> tuple[str, int | None] | None:
        """What a non-member tried (`/slots`, `/queue:cancel`) and the channel it names."""
        if not is_private(event):
            return None
        if isinstance(event, CallbackQuery):
            data = event.data or ""
            if not data.startswith(tuple(f"{p}:" for p in self.buttons)):
                return None
            return await button_action(data, desk)
        if not isinstance(event, Message):
            return None
        command = command_of(event.text)
        if command not in self.commands or invite_code(event.text) is not None:
            return None
        return command, await _named_channel(event.text, desk)


async def button_action(data: str, desk: Any) -> tuple[str, int | None]:
    """The action a desk button stands for (`/queue:cancel`, `/pause`) and its channel."""
    prefix = data.split(":", 1)[0]
    try:
        if prefix in ("dch", "dap"):
            pick = (PickChannel if prefix == "dch" else AdminPick).unpack(data)
            return f"/{pick.purpose}", pick.chat_id or None
        if prefix == "dq":
            action = QueueAction.unpack(data)
            return f"/queue:{action.action}", await _post_channel(desk, action.post_id)
        if prefix == "dsub":
            submit = SubmitDraft.unpack(data)
            return f"/new:{submit.mode}", await _draft_channel(desk, submit.draft_id)
        if prefix == "dcf":
            return f"/{Confirm.unpack(data).action}", None
        if prefix == "ddr":
            return f"/drafts:{DraftAction.unpack(data).action}", None
        if prefix == "dnav":
            return f"/new:{Nav.unpack(data).action}", None
    except (TypeError, ValueError):
        pass
    return f"button:{prefix}", None


async def _post_channel(desk: Any, post_id: str) -> int | None:
    if desk is None:
        return None
    with contextlib.suppress(PublishingError):  # an unknown post names no channel
        post = await desk.publisher.post(post_id)
        return int(post.chat_id)
    return None


async def _draft_channel(desk: Any, draft_id: str) -> int | None:
    if desk is None:
        return None
    draft = await desk.drafts.repo.get(draft_id)
    return int(draft.chat_id) if draft is not None and draft.chat_id else None


async def _named_channel(text: str | None, desk: Any) -> int | None:
    """The known channel a command's first argument names (`@vestnik_a`, `-100…`), if any."""
    words = (text or "").split()
    if len(words) < 2 or desk is None:
        return None
    ref = words[1]
    if not (ref.startswith("@") or (ref.startswith("-") and is_digits(ref[1:]))):
        return None
    wanted = ref.lstrip("@").lower()
    for channel in await desk.channels.all():
        if str(channel.id) == ref or (channel.username or "").lower() == wanted:
            return int(channel.id)
    return None


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
