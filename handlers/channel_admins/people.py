"""`/editors`, `/grant`, `/revoke`, `/audit`: who may edit a channel, and what was done."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message
from babel.dates import format_datetime

from bot.desk.access import INVITE_PREFIX
from handlers.editors.common import (
    Command,
    Env,
    args_of,
    find_channel,
    looks_like_channel,
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
    """`26 ноября, 09:00 · 123 · /pause · «Вестник» · разрешено`."""
    when = format_datetime(
        datetime.fromtimestamp(entry.at, ZoneInfo(tz)), "d MMM, HH:mm", locale=env.locale
    )
    where = titles.get(entry.chat_id, str(entry.chat_id)) if entry.chat_id else "—"
    verdict = env.t("admin.audit.allowed" if entry.allowed else "admin.audit.denied")
    return env.t(
        "admin.audit.line",
        when=when,
        who=entry.user_id,
        what=entry.action,
        where=where,
        verdict=verdict,
    )


async def audit_command(message: Message, **data: Any) -> None:
    """`/audit [@channel]`: the last actions in the user's channels (owners: everything)."""
    env = Env.of(message, data)
    args = args_of(message.text)
    mine = await env.roles.channels_for(env.user.id, "admin")
    scope: list[Channel] = mine
    if args and looks_like_channel(args[0]):
        channel = await find_channel(env, args[0])
        if channel is None:
            await env.say("desk.channel.unknown", ref=args[0])
            return
        from handlers.editors.common import authorize

        decision = await authorize(env, channel.id, "/audit", "admin", audit_allowed=False)
        if not decision.allowed:
            return
        scope = [channel]
    everything = env.roles.is_owner(env.user.id) and not args
    chat_ids = None if everything else [c.id for c in scope]
    entries = await env.roles.audit.recent(AUDIT_LINES, chat_ids)
    if not entries:
        await env.say("admin.audit.empty")
        return
    titles = {c.id: title(c) for c in mine}
    tz = env.data["settings"].timezone
    lines = [env.t("admin.audit.title", n=len(entries))]
    lines += [describe_entry(env, e, tz, titles) for e in entries]
    await env.send("\n".join(lines))


PEOPLE_COMMANDS = (
    Command("editors", "admin", editors, mutates=False),
    Command("grant", "admin", grant),
    Command("revoke", "admin", revoke, fresh=True),
)
