"""/timezone [Area/City]: show or change the subscriber's time zone."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.clock import Clock
from bot.i18n import I18n
from bot.subscribers import views
from bot.subscribers.service import Profile, SubscriberService
from handlers.subscribers.common import command_args


def create_router() -> Router:
    """The /timezone handler."""
    router = Router(name="subscribers.timezone")
    router.message.register(timezone, Command("timezone"))
    return router


async def timezone(
    message: Message,
    command: CommandObject,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    clock: Clock,
) -> None:
    """Show the current zone, or set one given as an IANA name (`/timezone Europe/Moscow`)."""
    change = await subscriber_service.set_timezone(profile, command_args(command))
    await message.answer(views.timezone_change_text(i18n, profile.locale, change, clock.now()))
