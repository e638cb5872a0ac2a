"""/digest [HH:MM|off]: the daily digest time."""

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
    """The /digest handler."""
    router = Router(name="subscribers.digest")
    router.message.register(digest, Command("digest"))
    return router


async def digest(
    message: Message,
    command: CommandObject,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    clock: Clock,
) -> None:
    """Show, set or switch off the daily digest."""
    change = await subscriber_service.digest(profile, command_args(command))
    text = views.digest_change_text(i18n, profile.locale, profile.tz, change, clock.now())
    await message.answer(text)
