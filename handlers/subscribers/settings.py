"""/settings: language, instant pushes or digest only, quiet hours (buttons)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.i18n import I18n
from bot.subscribers import views
from bot.subscribers.keyboards import SettingChoice, settings_keyboard
from bot.subscribers.service import Profile, SubscriberService
from handlers.subscribers.common import answer, show


def create_router() -> Router:
    """The /settings handler and its buttons."""
    router = Router(name="subscribers.settings")
    router.message.register(settings_command, Command("settings"))
    router.callback_query.register(choose, SettingChoice.filter())
    return router


async def settings_command(
    message: Message, subscriber_service: SubscriberService, i18n: I18n, profile: Profile
) -> None:
    """The current settings with buttons to change them."""
    sub = profile.subscriber
    text = views.settings_text(i18n, profile.locale, sub, profile.tz)
    await message.answer(text, reply_markup=settings_keyboard(sub, i18n, profile.locale))


async def choose(
    callback: CallbackQuery,
    callback_data: SettingChoice,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    bot: Bot,
) -> None:
    """Apply one choice and redraw the settings in the (possibly new) language."""
    sub = await subscriber_service.change_setting(profile, callback_data.name, callback_data.value)
    if sub is None:
        await answer(callback, i18n("sub.stale_button", profile.locale), alert=True)
        return
    locale = sub.language or profile.locale
    await answer(callback, i18n("sub.settings.saved", locale))
    text = views.settings_text(i18n, locale, sub, subscriber_service.tz_of(sub))
    await show(bot, callback, text, settings_keyboard(sub, i18n, locale))
