"""/search <words>: articles containing the words in any grammatical form, newest first."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.i18n import I18n
from bot.subscribers import views
from bot.subscribers.keyboards import headline_buttons
from bot.subscribers.search import SearchService
from bot.subscribers.service import Profile, SubscriberService

RESULTS = 10


def create_router() -> Router:
    """The /search handler."""
    router = Router(name="subscribers.search")
    router.message.register(search_command, Command("search"))
    return router


async def search_command(
    message: Message,
    command: CommandObject,
    search: SearchService,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    clock: Clock,
) -> None:
    """Find articles; tapping a hit opens the whole article."""
    query = (command.args or "").strip()
    result = await search.search(query, limit=RESULTS)
    names = await subscriber_service.rubric_names()
    text = views.search_text(i18n, profile.locale, profile.tz, query, result, names, clock.now())
    rows = headline_buttons(result.articles, 1)
    await message.answer(
        text, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
    )
