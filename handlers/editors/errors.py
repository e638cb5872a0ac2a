"""Draft errors reach the editor: no handler of the desk lets one end in a traceback.

`DraftError` is the desk's "this input cannot go into a draft" (a lead over 3,000
characters, a bad link, no headline). Handlers that expect one answer it in place; this
inner middleware catches any other, so every draft error gets the editor's message in
their language and the operator's log gets one line, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.desk.drafts import DraftError
from handlers.editors.common import Env

log = logging.getLogger(__name__)


def draft_error_key(error: DraftError) -> str:
    """The text key of a draft error (`desk.draft.<code>`), or the general one."""
    return f"desk.draft.{error.code}"


class DraftErrors(BaseMiddleware):
    """Inner middleware of the editors' router: an escaped `DraftError` becomes a reply."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        except DraftError as error:
            if not isinstance(event, Message | CallbackQuery):
                raise
            env = Env.of(event, data)
            key = draft_error_key(error)
            log.info("draft refused for user %s: %s", env.user.id, error.code)
            await env.ack()
            await env.say(key if env.i18n.has(key) else "desk.draft.invalid")
            return None
