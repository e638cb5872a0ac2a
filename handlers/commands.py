"""How a command is addressed: `/HELP` is `/help`, `/start@other_bot` is not for us.

An outer middleware on the root router, so every package's filters and handlers see one
spelling: the command word in lower case (Telegram clients keep what the user typed, and
`/Help` should work as `/help` does), and a command addressed to another bot is dropped
unanswered, as Telegram's own group semantics intend (`/start@other_bot` belongs to it).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import Message, TelegramObject

_COMMAND = re.compile(r"/(?P<name>[A-Za-z0-9_]{1,64})(?:@(?P<bot>[A-Za-z0-9_]{1,64}))?(?=\s|$)")


class CommandAddress(BaseMiddleware):
    """Outer message middleware: lower-case command names; ignore other bots' commands."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Message) or not event.text:
            return await handler(event, data)
        match = _COMMAND.match(event.text)
        if match is None:
            return await handler(event, data)
        addressee = match.group("bot")
        if addressee and not await _is_us(data.get("bot"), addressee):
            return None  # someone else's command: not ours to answer
        name = match.group("name")
        if name == name.lower():
            return await handler(event, data)
        text = f"/{name.lower()}{event.text[match.end('name') :]}"
        return await handler(event.model_copy(update={"text": text}), data)


async def _is_us(bot: Bot | None, username: str) -> bool:
    """Whether `@username` names this bot (getMe is asked once per process, then cached)."""
    if bot is None:
        return True
    me = await bot.me()
    return (me.username or "").lower() == username.lower()
