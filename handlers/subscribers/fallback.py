"""The last resort: messages and buttons nothing else understood get a useful reply."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import I18n
from bot.subscribers.service import Profile
from bot.subscribers.views import echo
from handlers.subscribers.common import answer


def create_router() -> Router:
    """Catch-all handlers; include this router last."""
    router = Router(name="subscribers.fallback")
    router.message.register(not_understood)
    router.callback_query.register(stale_button)
    return router


async def not_understood(message: Message, i18n: I18n, profile: Profile) -> None:
    """An unknown command or a message the bot cannot act on: point to /help."""
    text = message.text or ""
    if text.startswith("/"):
        command = echo(text.split()[0].split("@")[0], 40)
        await message.answer(i18n("sub.fallback.command", profile.locale, command=command))
        return
    await message.answer(i18n("sub.fallback", profile.locale))


async def stale_button(callback: CallbackQuery, i18n: I18n, profile: Profile) -> None:
    """Callback data no handler accepts (forged, malformed or from an old keyboard)."""
    await answer(callback, i18n("sub.stale_button", profile.locale), alert=True)
