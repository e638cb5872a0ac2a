"""/stop (with a confirmation) and a user blocking the bot."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message

from bot.i18n import I18n
from bot.subscribers.keyboards import StopConfirm, stop_keyboard
from bot.subscribers.service import Profile, SubscriberService
from handlers.subscribers.common import answer, show


def create_router() -> Router:
    """The /stop handler, its confirmation buttons and the block event."""
    router = Router(name="subscribers.stop")
    router.message.register(stop, Command("stop"))
    router.callback_query.register(confirm, StopConfirm.filter())
    router.my_chat_member.register(blocked, F.new_chat_member.status == "kicked")
    return router


async def stop(message: Message, i18n: I18n, profile: Profile) -> None:
    """Ask before deleting everything."""
    await message.answer(
        i18n("sub.stop.confirm", profile.locale), reply_markup=stop_keyboard(i18n, profile.locale)
    )


async def confirm(
    callback: CallbackQuery,
    callback_data: StopConfirm,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    bot: Bot,
) -> None:
    """Yes: unsubscribe from everything and delete the user's data. No: nothing changes."""
    await answer(callback)
    if not callback_data.confirm:
        await show(bot, callback, i18n("sub.stop.cancelled", profile.locale), None)
        return
    await subscriber_service.stop(profile.user_id)
    await show(bot, callback, i18n("sub.stop.done", profile.locale), None)


async def blocked(event: ChatMemberUpdated, subscriber_service: SubscriberService) -> None:
    """The user blocked the bot: stop sending them anything."""
    await subscriber_service.forget_blocked(event.chat.id)
