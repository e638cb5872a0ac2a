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
from bot.desk.audit import DONE, FLOOD, Result, failed
from bot.desk.keyboards import AdminPick, channel_picker
from bot.inline_keyboards import callback_button
from handlers.editors.common import (
    Command,
    Env,
    args_of,
    find_channel,
    looks_like_channel,
    quoted,
    refuse_everywhere,
    run_command,
    title,
)
from storage.models.channel import Channel
from storage.models.roles import AuditEntry

AUDIT_LINES = 15
REFUSAL_LINES = 5
REFUSALS_READ = 200


async def _name(env: Env, user_id: int) -> str:
    """`Анна (@anna, 123)` when Telegram tells us, else the id."""
    with contextlib.suppress(TelegramAPIError):
        chat = await env.bot.get_chat(user_id)
        label = chat.first_name or chat.title or str(user_id)
        return f"{label} (@{chat.username}, {user_id})" if chat.username else f"{label} ({user_id})"
    return str(user_id)


async def editors(env: Env, channel: Channel, args: list[str]) -> Result:
    """The channel's editors."""
    del args
    ids = await env.roles.repo.editors(channel.id)
    if not ids:
        await env.say("admin.editors.none", title=title(channel))
        return DONE
    names = [f"• {await _name(env, user_id)}" for user_id in ids]
    header = env.t("admin.editors.title", title=title(channel), n=len(ids))
    await env.send("\n".join([header, *names]))
    return DONE


async def grant(env: Env, channel: Channel, args: list[str]) -> Result:
    """`/grant @user|id` makes an editor; `/grant` alone gives a one-time invite link."""
    if not args:
        await _invite(env, channel)
        return DONE
    target = await env.roles.resolve_target(args[0])
    if target is None:
        await env.say("admin.user.unknown", who=args[0])
        return failed("unknown_user", args[0])
    added = await env.roles.grant(channel.id, target)
    key = "admin.grant.done" if added else "admin.grant.already"
    await env.say(key, who=await _name(env, target), title=title(channel))
    return DONE if added else failed("already_editor", args[0])


async def _invite(env: Env, channel: Channel) -> None:
    invite = await env.roles.create_invite(channel.id, env.user.id)
    me = await env.bot.me()
    link = f"https://t.me/{me.username}?start={INVITE_PREFIX}{invite.code}"
    hours = max(1, env.roles.invite_ttl // 3600)
    await env.say("admin.invite", title=title(channel), link=link, code=invite.code, hours=hours)


async def revoke(env: Env, channel: Channel, args: list[str]) -> Result:
    """`/revoke @user|id`: no longer an editor of this channel."""
    if not args:
        await env.say("admin.revoke.usage")
        return failed("no_user")
    target = await env.roles.resolve_target(args[0])
    if target is None:
        await env.say("admin.user.unknown", who=args[0])
        return failed("unknown_user", args[0])
    removed = await env.roles.revoke(channel.id, target)
    key = "admin.revoke.done" if removed else "admin.revoke.not_editor"
    await env.say(key, who=await _name(env, target), title=title(channel))
    return DONE if removed else failed("not_editor", args[0])


def describe_entry(env: Env, entry: AuditEntry, tz: str, titles: dict[int, str]) -> str:
    """`26 ноября, 09:00 · Анна (@anna) · /slots · «Вестник» · не выполнено: неверное
    время «25:00»`: what came of the action, and why when it did not happen."""
    when = format_datetime(
        datetime.fromtimestamp(entry.at, ZoneInfo(tz)), "d MMM, HH:mm", locale=env.locale
    )
    where = titles.get(entry.chat_id, str(entry.chat_id)) if entry.chat_id else "—"
    return env.t(
        "admin.audit.line",
        when=when,
        who=entry.who(),
        what=entry.action,
        where=where,
        verdict=verdict(env, entry),
    )


def verdict(env: Env, entry: AuditEntry) -> str:
    """`выполнено`, `отказано: нет прав`, `не выполнено: неверное время «25:00»`,
    `сохранено отдельно: №12 (№7 не тронута), нет прав`."""
    result = entry.result
    if result == "done":
        return env.t("admin.audit.allowed")
    reason, _, given = (entry.detail or "").partition(": ")
    why = _reason(env, reason) if reason else ""
    if result == "kept_apart":
        old, _, new = given.partition("→")
        return env.t("admin.audit.kept_apart", old=old, new=new, reason=why)
    key = "admin.audit.failed" if result == "failed" else "admin.audit.denied"
    text = env.t(key)
    if why:
        text += f": {why}"
    if given:
        text += " " + quoted(env, given)
    return text


def _reason(env: Env, code: str) -> str:
    key = f"admin.audit.reason.{code}"
    return env.t(key) if env.i18n.has(key) else code


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


async def audit_of(env: Env, channel: Channel, args: list[str]) -> Result:
    """The last actions about one channel (its role was checked by `run_command`)."""
    del args
    await _show_audit(env, [channel.id], env.t("admin.audit.scope.channel", title=title(channel)))
    return DONE


async def audit_everywhere(env: Env) -> None:
    """The last actions in every channel of the admin; owners see the whole log."""
    mine = await env.roles.channels_for(env.user.id, "admin")
    if not mine:
        await refuse_everywhere(env, "/audit", "admin")
        return
    chat_ids = None if env.roles.is_owner(env.user.id) else [c.id for c in mine]
    await _show_audit(env, chat_ids, env.t("admin.audit.scope.all"))


async def _show_audit(env: Env, chat_ids: list[int] | None, scope: str) -> None:
    """The actions taken, then the refusals grouped by person and command (a flood of
    refusals is a few lines and never hides an action)."""
    audit = env.roles.audit
    actions = await audit.actions(AUDIT_LINES, chat_ids)
    refusals = group_refusals(await audit.refusals(REFUSALS_READ, chat_ids))[:REFUSAL_LINES]
    if not actions and not refusals:
        await env.say("admin.audit.empty", scope=scope)
        return
    titles = {c.id: title(c) for c in await env.desk.channels.all()}
    tz = env.data["settings"].timezone
    if actions:
        key = "admin.audit.title.one" if len(actions) == 1 else "admin.audit.title"
        lines = [env.t(key, n=len(actions), scope=scope)]
        lines += [describe_entry(env, e, tz, titles) for e in actions]
    else:
        lines = [env.t("admin.audit.no_actions", scope=scope)]
    if refusals:
        lines += ["", env.t("admin.audit.refusals")]
        lines += [_refusal_line(env, group, tz, titles) for group in refusals]
    await env.send("\n".join(lines))


def group_refusals(entries: list[AuditEntry]) -> list[list[AuditEntry]]:
    """Refusals grouped by person, command and channel, newest group first."""
    groups: dict[tuple[int, str, int | None], list[AuditEntry]] = {}
    for entry in entries:
        groups.setdefault((entry.user_id, entry.action, entry.chat_id), []).append(entry)
    return list(groups.values())


def _refusal_line(env: Env, group: list[AuditEntry], tz: str, titles: dict[int, str]) -> str:
    """The newest refusal of a group, and how many times it was tried."""
    shown = next((e for e in group if e.detail != FLOOD), group[0])
    line = describe_entry(env, shown, tz, titles)
    tried = sum(1 for e in group if e.detail != FLOOD)
    if any(e.detail == FLOOD for e in group):
        return f"{line} — {env.t('admin.audit.flooded', n=tried)}"
    return f"{line} — {env.t('admin.audit.times', n=tried)}" if tried > 1 else line


AUDIT = Command("audit", "admin", audit_of, mutates=False)
PEOPLE_COMMANDS = (
    Command("editors", "admin", editors, mutates=False),
    Command("grant", "admin", grant),
    Command("revoke", "admin", revoke, fresh=True),
    AUDIT,
)
