"""/settings: language, instant pushes or digest only, quiet hours, time zone (buttons)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.i18n import I18n
from bot.subscribers import views
from bot.subscribers.keyboards import (
    SettingChoice,
    SettingsPage,
    ZoneChoice,
    settings_keyboard,
    timezone_keyboard,
)
from bot.subscribers.service import Profile, SubscriberService
from handlers.subscribers.common import answer, show


def create_router() -> Router:
    """The /settings handler and its buttons."""
    router = Router(name="subscribers.settings")
    router.message.register(settings_command, Command("settings"))
    router.callback_query.register(choose, SettingChoice.filter())
    router.callback_query.register(navigate, SettingsPage.filter())
    router.callback_query.register(choose_zone, ZoneChoice.filter())
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


async def navigate(
    callback: CallbackQuery,
    callback_data: SettingsPage,
    i18n: I18n,
    profile: Profile,
    clock: Clock,
    bot: Bot,
) -> None:
    """«Часовой пояс» opens the zone keyboard in the same message; «Назад» goes back."""
    await answer(callback)
    locale, sub = profile.locale, profile.subscriber
    text = views.settings_text(i18n, locale, sub, profile.tz)
    if callback_data.page == "tz":
        text += "\n\n" + i18n("sub.tz.choose", locale)
        await show(
            bot, callback, text, timezone_keyboard(profile.tz.key, i18n, locale, clock.now())
        )
        return
    await show(bot, callback, text, settings_keyboard(sub, i18n, locale))


async def choose_zone(
    callback: CallbackQuery,
    callback_data: ZoneChoice,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    clock: Clock,
    bot: Bot,
) -> None:
    """Save the tapped zone (only an offered one) and move the check mark in place."""
    locale = profile.locale
    change = await subscriber_service.set_timezone(profile, callback_data.zone, menu_only=True)
    if change.status != "set":
        await answer(callback, i18n("sub.tz.refused", locale), alert=True)
        return
    await answer(callback, i18n("sub.tz.saved", locale, tz=change.tz.key))
    text = views.settings_text(i18n, locale, change.subscriber, change.tz)
    text += "\n\n" + i18n("sub.tz.choose", locale)
    await show(bot, callback, text, timezone_keyboard(change.tz.key, i18n, locale, clock.now()))
