"""Invites (`/start inv_<code>`), `/desk` (the desk's commands) and stale desk buttons."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.desk.access import invite_code
from bot.desk.keyboards import EDITOR_PREFIXES
from handlers.editors.common import Env, title


def register(router: Router) -> None:
    """Attach the invite deep link and `/desk`."""
    router.message.register(redeem_invite, CommandStart(deep_link=True), _is_invite)
    router.message.register(desk_help, Command("desk"))


def register_last(router: Router) -> None:
    """Attach the catch-all for desk buttons no handler understood (forged or stale)."""
    router.callback_query.register(stale_button, F.data.regexp(_stale_pattern()))


def _stale_pattern() -> str:
    return r"^(?:" + "|".join(EDITOR_PREFIXES) + r")(?::|$)"


def _is_invite(message: Message) -> bool:
    return invite_code(message.text) is not None


async def redeem_invite(message: Message, **data: Any) -> None:
    """`/start inv_<code>`: the user becomes an editor of the invite's channel (once)."""
    env = Env.of(message, data)
    code = invite_code(message.text) or ""
    invite = await env.roles.redeem(code, env.user.id)
    if invite is None:
        await env.audit("/start inv", None, allowed=False, detail="invalid_invite")
        await env.say("desk.invite.invalid")
        return
    await env.audit("/start inv", invite.chat_id, allowed=True, detail=f"by {invite.created_by}")
    channel = await env.desk.channels.get(invite.chat_id)
    name = title(channel) if channel else str(invite.chat_id)
    await env.say("desk.invite.ok", title=name)


async def desk_help(message: Message, **data: Any) -> None:
    """The desk's commands; admins also see theirs."""
    env = Env.of(message, data)
    text = env.t("desk.help.editor")
    if await env.roles.has_any(env.user.id, "admin"):
        text += "\n\n" + env.t("desk.help.admin")
    await env.send(text)


async def stale_button(query: CallbackQuery, **data: Any) -> None:
    """A desk button whose data no handler accepts: polite, changes nothing."""
    env = Env.of(query, data)
    await env.ack("desk.stale")
