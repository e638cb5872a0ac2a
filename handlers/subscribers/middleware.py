"""Works out who is talking (locale, time zone, settings) once per update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.subscribers.service import SubscriberService


class ProfileMiddleware(BaseMiddleware):
    """Puts `profile` (a `bot.subscribers.service.Profile`) and `locale` into handler data."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """Load the profile of the update's user, then run the handler."""
        user = data.get("event_from_user")
        service = data.get("subscriber_service")
        if isinstance(user, User) and isinstance(service, SubscriberService):
            profile = await service.profile(user.id, user.language_code)
            data["profile"] = profile
            data["locale"] = profile.locale
        return await handler(event, data)
