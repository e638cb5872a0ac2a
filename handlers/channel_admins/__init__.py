"""Handlers for channel admins: settings, post options and looks, statistics, editors, audit.

The package router lets in private chats of users who administer at least one channel (or
own the bot), and editors asking for an admin command (they are refused politely, naming the
channel, and the refusal is audited with it); everyone else falls through to the
subscribers. Each command checks the admin role for the channel it acts on (`@channel` or
`-100…` argument, the only channel, or a picker); every change re-checks with the admin
cache bypassed.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import CallbackQuery, Message

from bot.desk.access import DeskAudience, DeskGate
from bot.desk.keyboards import ADMIN_PREFIXES, AdminPick
from handlers.editors.common import (
    Command,
    Env,
    args_of,
    pending_args,
    run_command,
    with_channel,
)

ADMIN_COMMANDS = frozenset(
    {
        "/channels",
        "/slots",
        "/route",
        "/pause",
        "/resume",
        "/quiet",
        "/interval",
        "/catchup",
        "/timezone",
        "/signature",
        "/silent",
        "/hashtag",
        "/breaking",
        "/preview",
        "/stats",
        "/editors",
        "/grant",
        "/revoke",
        "/audit",
    }
)
# Commands whose name the subscribers use too (`/timezone` is also a reader's own zone): when
# someone outside the admins sends one, it is the subscribers' command, not a refused one.
SHARED_WITH_SUBSCRIBERS = frozenset({"/timezone"})


def _registry() -> dict[str, Command]:
    from handlers.channel_admins.layout import LAYOUT_COMMANDS
    from handlers.channel_admins.options import OPTION_COMMANDS
    from handlers.channel_admins.people import PEOPLE_COMMANDS
    from handlers.channel_admins.settings import SETTINGS_COMMANDS
    from handlers.channel_admins.stats import STATS_COMMANDS

    return {
        c.name: c
        for c in (
            *SETTINGS_COMMANDS,
            *OPTION_COMMANDS,
            *LAYOUT_COMMANDS,
            *PEOPLE_COMMANDS,
            *STATS_COMMANDS,
        )
    }


def create_router() -> Router:
    """The package router with its audience filter set once."""
    from handlers.channel_admins.people import audit_command
    from handlers.channel_admins.settings import channels_command

    commands = _registry()
    router = Router(name="channel_admins")
    refusable = ADMIN_COMMANDS - SHARED_WITH_SUBSCRIBERS
    gate = DeskGate(refusable, learn_usernames=False, buttons=ADMIN_PREFIXES)
    router.message.outer_middleware(gate)
    router.callback_query.outer_middleware(gate)
    audience = DeskAudience("admin", members_for=refusable)
    router.message.filter(audience)
    router.callback_query.filter(audience)
    router.message.register(channels_command, CommandFilter("channels"))
    router.message.register(audit_command, CommandFilter("audit"))
    for command in commands.values():
        if command.name != "audit":
            router.message.register(_runner(command), CommandFilter(command.name))
    router.callback_query.register(_picked(commands), AdminPick.filter())
    router.callback_query.register(_stale, F.data.regexp(r"^(?:" + "|".join(ADMIN_PREFIXES) + ")"))
    return router


def _runner(command: Command) -> Any:
    async def handler(message: Message, **data: Any) -> None:
        await with_channel(Env.of(message, data), command, args_of(message.text))

    handler.__name__ = f"{command.name}_command"
    return handler


def _picked(commands: dict[str, Command]) -> Any:
    async def handler(query: CallbackQuery, callback_data: AdminPick, **data: Any) -> None:
        """The channel picked for an admin command (its role is checked for that channel)."""
        env = Env.of(query, data)
        command = commands.get(callback_data.purpose)
        if command is not None and command.name == "audit" and callback_data.chat_id == 0:
            from handlers.channel_admins.people import audit_everywhere

            await env.ack()
            await audit_everywhere(env)
            return
        channel = await env.desk.channels.get(callback_data.chat_id)
        if command is None or channel is None:
            await env.ack("desk.stale")
            return
        await env.ack()
        await run_command(env, command, channel, await pending_args(env, command.name))

    return handler


async def _stale(query: CallbackQuery, **data: Any) -> None:
    await Env.of(query, data).ack("desk.stale")
