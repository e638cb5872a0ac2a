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


async def stop(
    message: Message, subscriber_service: SubscriberService, i18n: I18n, profile: Profile
) -> None:
    """Ask before deleting everything; only «yes» on this very message will delete."""
    asked = await message.answer(
        i18n("sub.stop.confirm", profile.locale), reply_markup=stop_keyboard(i18n, profile.locale)
    )
    await subscriber_service.ask_stop(profile.user_id, asked.message_id)


async def confirm(
    callback: CallbackQuery,
    callback_data: StopConfirm,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    bot: Bot,
) -> None:
    """Yes: unsubscribe from everything and delete the user's data. No: nothing changes.

    «Yes» counts only on the user's pending confirmation (a forged or stale button is refused).
    """
    message_id = callback.message.message_id if callback.message else 0
    if not callback_data.confirm:
        await answer(callback)
        await subscriber_service.keep(profile.user_id, message_id)
        await show(bot, callback, i18n("sub.stop.cancelled", profile.locale), None)
        return
    if await subscriber_service.stop(profile.user_id, message_id) is None:
        await answer(callback, i18n("sub.stop.expired", profile.locale), alert=True)
        return
    await answer(callback)
    await show(bot, callback, i18n("sub.stop.done", profile.locale), None)


async def blocked(event: ChatMemberUpdated, subscriber_service: SubscriberService) -> None:
    """The user blocked the bot: stop sending them anything."""
    await subscriber_service.forget_blocked(event.chat.id)
