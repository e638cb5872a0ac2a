"""`/editors`, `/grant`, `/revoke`, `/audit`: who may edit a channel, and what was done."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup, Message
from babel.dates import format_datetime

from bot.desk.access import INVITE_PREFIX
from bot.desk.keyboards import AdminPick, channel_picker
from bot.inline_keyboards import callback_button
from handlers.editors.common import (
    Command,
    Env,
    args_of,
    find_channel,
    looks_like_channel,
    refuse_everywhere,
    run_command,
    title,
)
from storage.models.channel import Channel
from storage.models.roles import AuditEntry

AUDIT_LINES = 15


async def _name(env: Env, user_id: int) -> str:
    """`Анна (@anna, 123)` when Telegram tells us, else the id."""
    with contextlib.suppress(TelegramAPIError):
        chat = await env.bot.get_chat(user_id)
        label = chat.first_name or chat.title or str(user_id)
        return f"{label} (@{chat.username}, {user_id})" if chat.username else f"{label} ({user_id})"
    return str(user_id)


async def editors(env: Env, channel: Channel, args: list[str]) -> None:
    """The channel's editors."""
    del args
    ids = await env.roles.repo.editors(channel.id)
    if not ids:
        await env.say("admin.editors.none", title=title(channel))
        return
    names = [f"• {await _name(env, user_id)}" for user_id in ids]
    header = env.t("admin.editors.title", title=title(channel), n=len(ids))
    await env.send("\n".join([header, *names]))


async def grant(env: Env, channel: Channel, args: list[str]) -> None:
    """`/grant @user|id` makes an editor; `/grant` alone gives a one-time invite link."""
    if not args:
        await _invite(env, channel)
        return
    target = await env.roles.resolve_target(args[0])
    if target is None:
        await env.say("admin.user.unknown", who=args[0])
        return
    added = await env.roles.grant(channel.id, target)
    key = "admin.grant.done" if added else "admin.grant.already"
    await env.say(key, who=await _name(env, target), title=title(channel))


async def _invite(env: Env, channel: Channel) -> None:
    invite = await env.roles.create_invite(channel.id, env.user.id)
    me = await env.bot.me()
    link = f"https://t.me/{me.username}?start={INVITE_PREFIX}{invite.code}"
    hours = max(1, env.roles.invite_ttl // 3600)
    await env.say("admin.invite", title=title(channel), link=link, code=invite.code, hours=hours)


async def revoke(env: Env, channel: Channel, args: list[str]) -> None:
    """`/revoke @user|id`: no longer an editor of this channel."""
    if not args:
        await env.say("admin.revoke.usage")
        return
    target = await env.roles.resolve_target(args[0])
    if target is None:
        await env.say("admin.user.unknown", who=args[0])
        return
    removed = await env.roles.revoke(channel.id, target)
    key = "admin.revoke.done" if removed else "admin.revoke.not_editor"
    await env.say(key, who=await _name(env, target), title=title(channel))


def describe_entry(env: Env, entry: AuditEntry, tz: str, titles: dict[int, str]) -> str:
    """`26 ноября, 09:00 · Анна (@anna) · /pause · «Вестник» · выполнено`."""
    when = format_datetime(
        datetime.fromtimestamp(entry.at, ZoneInfo(tz)), "d MMM, HH:mm", locale=env.locale
    )
    where = titles.get(entry.chat_id, str(entry.chat_id)) if entry.chat_id else "—"
    verdict = env.t("admin.audit.allowed" if entry.allowed else "admin.audit.denied")
    return env.t(
        "admin.audit.line",
        when=when,
        who=entry.who(),
        what=entry.action,
        where=where,
        verdict=verdict,
    )


async def audit_command(message: Message, **data: Any) -> None:
    """`/audit [@channel]`: the last actions of one channel; with several, a picker.

    The picker also offers «Все каналы»: every channel of the admin (owners: the whole log,
    refusals of people outside the desk included).
    """
    env = Env.of(message, data)
    args = args_of(message.text)
    if args and looks_like_channel(args[0]):
        channel = await find_channel(env, args[0])
        if channel is None:
            await env.say("desk.channel.unknown", ref=args[0])
            return
        await run_command(env, AUDIT, channel, args[1:])
        return
    mine = await env.roles.channels_for(env.user.id, "admin")
    if not mine:
        await refuse_everywhere(env, "/audit", "admin")
    elif len(mine) == 1:
        await run_command(env, AUDIT, mine[0], [])
    else:
        await env.say("desk.channel.pick", _audit_picker(env, mine))


def _audit_picker(env: Env, channels: list[Channel]) -> InlineKeyboardMarkup:
    picker = channel_picker(channels, "audit", admin=True)
    everything = callback_button(
        env.t("admin.audit.pick.all"), AdminPick(purpose="audit", chat_id=0)
    )
    return InlineKeyboardMarkup(inline_keyboard=[*picker.inline_keyboard, [everything]])


async def audit_of(env: Env, channel: Channel, args: list[str]) -> None:
    """The last actions about one channel (its role was checked by `run_command`)."""
    del args
    entries = await env.roles.audit.recent(AUDIT_LINES, [channel.id])
    await _show_audit(env, entries, env.t("admin.audit.scope.channel", title=title(channel)))


async def audit_everywhere(env: Env) -> None:
    """The last actions in every channel of the admin; owners see the whole log."""
    mine = await env.roles.channels_for(env.user.id, "admin")
    if not mine:
        await refuse_everywhere(env, "/audit", "admin")
        return
    chat_ids = None if env.roles.is_owner(env.user.id) else [c.id for c in mine]
    entries = await env.roles.audit.recent(AUDIT_LINES, chat_ids)
    await _show_audit(env, entries, env.t("admin.audit.scope.all"))


async def _show_audit(env: Env, entries: list[AuditEntry], scope: str) -> None:
    if not entries:
        await env.say("admin.audit.empty", scope=scope)
        return
    titles = {c.id: title(c) for c in await env.desk.channels.all()}
    tz = env.data["settings"].timezone
    key = "admin.audit.title.one" if len(entries) == 1 else "admin.audit.title"
    lines = [env.t(key, n=len(entries), scope=scope)]
    lines += [describe_entry(env, e, tz, titles) for e in entries]
    await env.send("\n".join(lines))


AUDIT = Command("audit", "admin", audit_of, mutates=False)
PEOPLE_COMMANDS = (
    Command("editors", "admin", editors, mutates=False),
    Command("grant", "admin", grant),
    Command("revoke", "admin", revoke, fresh=True),
    AUDIT,
)
