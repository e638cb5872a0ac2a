"""/rubrics (the keyboard and its taps), /subscribe and /unsubscribe."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, User

from bot.i18n import I18n
from bot.subscribers import views
from bot.subscribers.keyboards import RubricToggle, rubric_keyboard
from bot.subscribers.service import Profile, SubscriberService
from handlers.subscribers.common import answer, command_args, show


def create_router() -> Router:
    """Handlers of the rubric commands and the rubric keyboard."""
    router = Router(name="subscribers.rubrics")
    router.message.register(rubrics, Command("rubrics"))
    router.message.register(subscribe, Command("subscribe"))
    router.message.register(unsubscribe, Command("unsubscribe"))
    router.callback_query.register(toggle, RubricToggle.filter())
    return router


def _language(user: User | None) -> str | None:
    return user.language_code if user else None


async def _menu(
    service: SubscriberService, i18n: I18n, profile: Profile
) -> tuple[str, InlineKeyboardMarkup | None]:
    choices = await service.rubric_choices(profile.user_id)
    if not choices:
        return i18n("sub.rubrics.none", profile.locale), None
    count = sum(c.subscribed for c in choices)
    markup = rubric_keyboard(choices, i18n, profile.locale)
    return views.rubrics_title(i18n, profile.locale, count), markup


async def rubrics(
    message: Message, subscriber_service: SubscriberService, i18n: I18n, profile: Profile
) -> None:
    """The rubric keyboard with a check mark on subscribed rubrics."""
    text, markup = await _menu(subscriber_service, i18n, profile)
    await message.answer(text, reply_markup=markup)


async def subscribe(
    message: Message,
    command: CommandObject,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
) -> None:
    """/subscribe <rubric>; without a rubric, the keyboard."""
    query = command_args(command)
    if not query:
        choices = await subscriber_service.rubric_choices(profile.user_id)
        text = i18n("sub.subscribe.usage", profile.locale)
        markup = rubric_keyboard(choices, i18n, profile.locale) if choices else None
        await message.answer(text, reply_markup=markup)
        return
    await subscriber_service.register(profile, _language(message.from_user))
    change = await subscriber_service.subscribe(profile.user_id, query)
    await message.answer(views.subscribe_text(i18n, profile.locale, change))


async def unsubscribe(
    message: Message,
    command: CommandObject,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
) -> None:
    """/unsubscribe <rubric|all>."""
    change = await subscriber_service.unsubscribe(profile.user_id, command_args(command))
    await message.answer(views.unsubscribe_text(i18n, profile.locale, change))


async def toggle(
    callback: CallbackQuery,
    callback_data: RubricToggle,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    bot: Bot,
) -> None:
    """A tap on a rubric: toggle it and redraw the keyboard in place."""
    await subscriber_service.register(profile, _language(callback.from_user))
    change = await subscriber_service.toggle(profile.user_id, callback_data.slug)
    if change.rubric is None:
        await answer(callback, i18n("sub.rubric_gone", profile.locale), alert=True)
    else:
        key = "sub.toggle.on" if change.subscribed else "sub.toggle.off"
        name = views.rubric_label(i18n, profile.locale, change.rubric)
        await answer(callback, i18n(key, profile.locale, rubric=name))
    text, markup = await _menu(subscriber_service, i18n, profile)
    await show(bot, callback, text, markup)
