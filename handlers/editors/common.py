"""Shared plumbing of the desk's handlers (editors and channel admins).

`Env` bundles what every desk handler needs (the user, their language, the services);
`with_channel` finds which channel a command is about — from an explicit `@channel` or
`-100…` argument, the user's only channel, or buttons when there are several — and then runs
the command's `Action` after a role check for THAT channel (audited; a refusal is polite).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, User
from babel.dates import format_datetime

from bot.desk.audit import Actor, Result, failed
from bot.desk.keyboards import channel_picker
from bot.desk.roles import Decision, RoleService
from bot.desk.wiring import Desk
from bot.digits import is_digits
from bot.i18n import I18n, normalize_locale
from bot.publishing.errors import PublishingError
from storage.models.channel import Channel
from storage.models.draft import Draft
from storage.models.roles import Role

PENDING = "desk_pending"


@dataclass
class Env:
    """One update's context for a desk handler."""

    event: Message | CallbackQuery
    user: User
    locale: str
    i18n: I18n
    roles: RoleService
    desk: Desk
    state: FSMContext | None
    bot: Bot
    data: Mapping[str, Any] = field(default_factory=dict)
    answered: bool = False

    @classmethod
    def of(cls, event: Message | CallbackQuery, data: Mapping[str, Any]) -> Env:
        """Build from a handler's event and its keyword data (workflow data included)."""
        user = data["event_from_user"]
        settings = data.get("settings")
        default = settings.default_locale if settings is not None else "ru"
        locale = data.get("locale") or normalize_locale(user.language_code, default)
        return cls(
            event=event,
            user=user,
            locale=locale,
            i18n=data["i18n"],
            roles=data["roles"],
            desk=data["desk"],
            state=data.get("state"),
            bot=data["bot"],
            data=data,
        )

    @property
    def actor(self) -> Actor:
        """The user as the desk's services know them (for their audit entries)."""
        return Actor(self.user.id, self.user.first_name, self.user.username)

    @property
    def chat_id(self) -> int:
        """The private chat with the user (its id is the user's id)."""
        return self.user.id

    def t(self, key: str, **kwargs: Any) -> str:
        """A text in the user's language."""
        return self.i18n(key, self.locale, **kwargs)

    async def say(self, key: str, markup: InlineKeyboardMarkup | None = None, **kwargs: Any) -> int:
        """Send a text (by key) to the user; returns the message id."""
        return await self.send(self.t(key, **kwargs), markup)

    async def send(
        self, text: str, markup: InlineKeyboardMarkup | None = None, *, html: bool = False
    ) -> int:
        """Send ready text to the user; returns the message id. With `html`, `text` is
        Telegram HTML (the caller escaped everything but trusted markup)."""
        message = await self.bot.send_message(
            self.chat_id, text, reply_markup=markup, parse_mode="HTML" if html else None
        )
        return message.message_id

    async def audit(
        self, action: str, chat_id: int | None, *, allowed: bool, detail: str | None = None
    ) -> None:
        """Write one audit entry about this user (with their name and @username)."""
        await self.roles.audit.record(
            self.user.id,
            action,
            chat_id,
            allowed=allowed,
            detail=detail,
            name=self.user.first_name,
            username=self.user.username,
        )

    async def ack(self, key: str | None = None, **kwargs: Any) -> None:
        """Answer the pressed button once (with a short toast when `key` is given)."""
        if not isinstance(self.event, CallbackQuery) or self.answered:
            return
        self.answered = True
        text = self.t(key, **kwargs) if key else None
        with contextlib.suppress(TelegramBadRequest):  # a query too old to answer
            await self.event.answer(text)


# A command's code: it answers the user and says what came of it (for the audit log).
Action = Callable[[Env, Channel, list[str]], Awaitable[Result]]


@dataclass(frozen=True)
class Command:
    """A channel command: its required role, whether it needs a fresh admin check, the code.

    Every call that changes something re-checks the Telegram admins with the cache bypassed
    (`fresh` forces that even for calls that only read).
    """

    name: str
    needed: Role
    run: Action
    fresh: bool = False
    mutates: bool = True
    reads_without_args: bool = False

    def changes(self, args: list[str]) -> bool:
        """Whether this call changes something (allowed calls that do are audited)."""
        return self.mutates and (bool(args) or not self.reads_without_args)


def args_of(text: str | None) -> list[str]:
    """The words after the command."""
    if not text:
        return []
    return text.split()[1:]


async def find_channel(env: Env, ref: str) -> Channel | None:
    """A known channel by `@username`, `-100…` id or exact title."""
    wanted = ref.lstrip("@").lower()
    for channel in await env.desk.channels.all():
        if str(channel.id) == ref or (channel.username or "").lower() == wanted:
            return channel
    return None


def looks_like_channel(ref: str) -> bool:
    """`@name` or a negative chat id."""
    return ref.startswith("@") or (ref.startswith("-") and is_digits(ref[1:]))


async def with_channel(env: Env, command: Command, args: list[str]) -> None:
    """Run `command` for the channel named in `args`, the only one, or the one picked.

    A leading `-100…` id always names a channel; a leading `@name` does when a channel has
    that username (otherwise it stays an argument, e.g. the user in `/grant @anna`).
    """
    if args and looks_like_channel(args[0]):
        channel = await find_channel(env, args[0])
        if channel is not None:
            await run_command(env, command, channel, args[1:])
            return
        if not args[0].startswith("@"):
            await env.say("desk.channel.unknown", ref=args[0])
            return
    mine = await env.roles.channels_for(env.user.id, command.needed)
    if not mine:
        await refuse_everywhere(env, "/" + command.name, command.needed)
        return
    if len(mine) == 1:
        await run_command(env, command, mine[0], args)
        return
    if env.state is not None:
        await env.state.update_data({PENDING: {"command": command.name, "args": args}})
    admin = command.needed != "editor"
    await env.say("desk.channel.pick", channel_picker(mine, command.name, admin=admin))


async def pending_args(env: Env, command: str) -> list[str]:
    """The arguments stored when the channel picker was shown for `command`."""
    if env.state is None:
        return []
    pending = (await env.state.get_data()).get(PENDING) or {}
    if pending.get("command") != command:
        return []
    await env.state.update_data({PENDING: None})
    return [str(a) for a in pending.get("args") or []]


async def run_command(env: Env, command: Command, channel: Channel, args: list[str]) -> None:
    """Check the role for this channel, then run the command or refuse politely.

    A refusal is audited at once; a call that changes something is audited once it ran,
    with what came of it: done, or failed with the reason and what was given (`/slots
    25:00` → `bad_time: 25:00`), so the log never calls a refused change «выполнено».
    """
    changes = command.changes(args)
    action = "/" + command.name
    fresh = command.fresh or changes
    decision = await authorize(
        env, channel.id, action, command.needed, fresh=fresh, audit_allowed=False
    )
    if not decision.allowed:
        return
    result: Result = failed("error")
    try:
        result = await command.run(env, channel, args)
    finally:
        if changes:
            await env.roles.audit.result(env.actor, action, channel.id, result)


async def authorize(
    env: Env,
    chat_id: int,
    action: str,
    needed: Role,
    *,
    fresh: bool = False,
    audit_allowed: bool = True,
    quiet: bool = False,
) -> Decision:
    """The role check for one channel (denials always audited and explained to the user)."""
    decision = await env.roles.decide(env.user.id, chat_id, needed, fresh=fresh)
    if not decision.allowed or audit_allowed:
        note = None if decision.allowed else decision.reason
        await env.audit(action, chat_id, allowed=decision.allowed, detail=note)
    if not decision.allowed and not quiet:
        await deny(env, decision, chat_id)
    return decision


async def deny(env: Env, decision: Decision, chat_id: int) -> None:
    """A polite refusal that says why and names the channel (and changes nothing).

    A button always gets its short toast; the refusal message is rate-limited per person
    (`AuditService.refusal_reply`): a flood of refused attempts gets one «подождите».
    """
    await env.ack("desk.deny.toast")
    if not await may_refuse_aloud(env):
        return
    if decision.reason == "unknown_channel":
        await env.say("desk.deny.unknown_channel")
    elif decision.reason == "unverified":
        await env.say("desk.deny.unverified")
    else:
        channel = await env.desk.channels.get(chat_id)
        await env.say("desk.deny.role", title=title(channel) if channel else str(chat_id))


async def may_refuse_aloud(env: Env) -> bool:
    """Whether this refusal is told (else the «подождите» notice is sent once, or nothing)."""
    verdict = await env.roles.audit.refusal_reply(env.user.id)
    if verdict == "notice":
        await env.say("desk.refusals.slow_down")
    return verdict == "reply"


async def refuse_everywhere(env: Env, action: str, needed: Role) -> None:
    """`action` asked for with no channel where the user holds `needed`.

    A member of the desk (an editor somewhere) is refused politely, naming their channels,
    and the refusal is audited per channel; anyone else is told they have no channel yet.
    """
    mine = await env.roles.channels_for(env.user.id, "editor") if needed != "editor" else []
    if not mine:
        await env.say("desk.channel.none")
        return
    for channel in mine:
        await env.audit(action, channel.id, allowed=False, detail="no_role")
    await env.ack("desk.deny.toast")
    if not await may_refuse_aloud(env):
        return
    if len(mine) == 1:
        await env.say("desk.deny.role", title=title(mine[0]))
    else:
        titles = ", ".join(quoted(env, title(c)) for c in mine)
        await env.say("desk.deny.role.many", titles=titles)


def quoted(env: Env, text: str) -> str:
    """«text» in Russian, “text” in English."""
    return f"«{text}»" if env.locale == "ru" else f"“{text}”"


def title(channel: Channel) -> str:
    """How a channel is named to people: its title, else @username, else its id."""
    return channel.title or (f"@{channel.username}" if channel.username else str(channel.id))


def publishing_error(env: Env, exc: PublishingError) -> str:
    """The user's text for a refused publishing request."""
    key = f"desk.pub.{exc.code}"
    if env.i18n.has(key):
        return env.t(key)
    return env.t("desk.pub.other", detail=exc.message)


def local_time(env: Env, moment: float | datetime | None, tz: str) -> str:
    """`26 ноября, 09:00` in the channel's time zone (or «—»); `25 ноября 2027 г., 14:30`
    when the moment is not in the current year there, so a post a year ahead is noticed."""
    if moment is None:
        return "—"
    zone = ZoneInfo(tz)
    when = (
        datetime.fromtimestamp(moment, zone)
        if isinstance(moment, float | int)
        else moment.astimezone(zone)
    )
    same_year = when.year == env.desk.clock.now().astimezone(zone).year
    pattern = "d MMMM, HH:mm" if same_year else _WITH_YEAR.get(env.locale, "d MMMM y, HH:mm")
    return str(format_datetime(when, pattern, locale=env.locale))


_WITH_YEAR = {"ru": "d MMMM y 'г.', HH:mm", "en": "d MMMM y, HH:mm"}


def iso_example(env: Env, tz: str) -> str:
    """`2026-11-27 09:00`: tomorrow at nine in the channel's zone, an ISO time that works."""
    tomorrow = env.desk.clock.now().astimezone(ZoneInfo(tz)) + timedelta(days=1)
    return f"{tomorrow:%Y-%m-%d} 09:00"


async def own_draft(env: Env, draft_id: str, action: str) -> Draft | None:
    """The user's own draft by id; another editor's draft is refused (audited), like a gone one."""
    draft = await env.desk.drafts.get(env.user.id, draft_id)
    if draft is None:
        foreign = await env.desk.drafts.someone_elses(env.user.id, draft_id)
        if foreign is not None:
            await env.audit(action, foreign.chat_id, allowed=False, detail="not_your_draft")
    return draft


async def current_draft(env: Env) -> Draft | None:
    """The draft of the dialogue in progress, if any."""
    if env.state is None:
        return None
    draft_id = (await env.state.get_data()).get("draft_id")
    return await env.desk.drafts.get(env.user.id, str(draft_id)) if draft_id else None
