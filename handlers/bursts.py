"""A chat that writes faster than the bot may answer gets one «подождите», not silence.

Telegram lets a bot write about one message a second into a private chat; every reply waits
for its turn (`bot.delivery.replies.ReplyPacer`). `BurstGuard` (an outer middleware on the
root router) keeps a burst from piling up behind that limit: while `limit` updates of one
private chat are still being answered, a new message from it is not handled — the burst
gets a single «Вы пишете быстрее, чем я успеваю отвечать…» (a pressed button a short
toast), and the chat is back to normal as soon as the answers are out. Every message of a
burst thus gets its own answer or is covered by that one notice; nothing is dropped
silently, and nothing ends in a traceback: `reply_failed` logs one line when Telegram still
refuses a reply after the retries.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, ErrorEvent, Message, TelegramObject

from bot.i18n import normalize_locale

log = logging.getLogger(__name__)

BURST_LIMIT = 3  # updates of one chat being answered at once before a burst is coalesced


def private_chat(event: TelegramObject) -> int | None:
    """The private chat a message or button press comes from (None elsewhere)."""
    if isinstance(event, Message):
        return event.chat.id if event.chat.type == "private" else None
    if isinstance(event, CallbackQuery) and event.message is not None:
        chat = event.message.chat
        return chat.id if chat.type == "private" else None
    return None


class BurstGuard(BaseMiddleware):
    """Counts each private chat's updates in progress; coalesces what comes beyond `limit`."""

    def __init__(self, limit: int = BURST_LIMIT) -> None:
        self.limit = limit
        self._busy: dict[int, int] = {}
        self._noticed: set[int] = set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat_id = private_chat(event)
        if chat_id is None:
            return await handler(event, data)
        if self._busy.get(chat_id, 0) >= self.limit:
            log.debug("chat %s: update coalesced into the burst notice", chat_id)
            await self._coalesce(event, chat_id, data)
            return None
        self._busy[chat_id] = self._busy.get(chat_id, 0) + 1
        try:
            return await handler(event, data)
        finally:
            self._busy[chat_id] -= 1
            if self._busy[chat_id] <= 0:
                del self._busy[chat_id]
                self._noticed.discard(chat_id)

    async def _coalesce(self, event: TelegramObject, chat_id: int, data: dict[str, Any]) -> None:
        """One notice per burst; a button press always gets its toast (or it spins)."""
        text = _notice(data)
        if isinstance(event, CallbackQuery):
            with contextlib.suppress(TelegramBadRequest):  # too old to answer
                await event.answer(text)
            return
        if chat_id in self._noticed:
            return
        self._noticed.add(chat_id)
        await data["bot"].send_message(chat_id, text, parse_mode=None)


def _notice(data: dict[str, Any]) -> str:
    user = data.get("event_from_user")
    settings = data.get("settings")
    default = settings.default_locale if settings is not None else "ru"
    locale = normalize_locale(getattr(user, "language_code", None), default)
    return str(data["i18n"]("sub.burst", locale))


async def reply_failed(event: ErrorEvent) -> bool:
    """Telegram refused a reply even after waiting out its 429s, or could not be reached:
    one line for the operator instead of a traceback (the update is done with)."""
    update = event.update
    log.warning(
        "update %s: reply failed: %s: %s",
        update.update_id,
        type(event.exception).__name__,
        event.exception,
    )
    return True


REPLY_ERRORS = (TelegramAPIError,)  # network errors included
