"""/start and /help."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.types import Message

from bot.i18n import I18n
from bot.subscribers.keyboards import rubric_keyboard
from bot.subscribers.service import Profile, SubscriberService


def create_router() -> Router:
    """Handlers of /start and /help."""
    router = Router(name="subscribers.start")
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    return router


async def start(
    message: Message, subscriber_service: SubscriberService, i18n: I18n, profile: Profile
) -> None:
    """A short welcome and the rubric keyboard."""
    tg_language = message.from_user.language_code if message.from_user else None
    await subscriber_service.register(profile, tg_language)
    choices = await subscriber_service.rubric_choices(profile.user_id)
    markup = rubric_keyboard(choices, i18n, profile.locale) if choices else None
    await message.answer(i18n("sub.start", profile.locale), reply_markup=markup)


async def help_(message: Message, i18n: I18n, profile: Profile) -> None:
    """Every command, one line each."""
    await message.answer(i18n("sub.help", profile.locale))
