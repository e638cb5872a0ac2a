"""Handlers for the subscribers audience: readers in a private chat with the bot.

One module per command group; the audience filter (private chats) and the profile
middleware are set once here, on the package router; the fallback router comes last.
"""

from __future__ import annotations

from aiogram import F, Router


def create_router() -> Router:
    """The package router with its audience filter set once (a fresh tree on every call)."""
    from handlers.subscribers import (
        digest,
        fallback,
        reading,
        rubrics,
        search,
        settings,
        start,
        stop,
        timezone,
    )
    from handlers.subscribers.middleware import ProfileMiddleware

    router = Router(name="subscribers")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(F.message.chat.type == "private")
    router.my_chat_member.filter(F.chat.type == "private")
    router.message.middleware(ProfileMiddleware())
    router.callback_query.middleware(ProfileMiddleware())
    router.include_routers(
        start.create_router(),
        rubrics.create_router(),
        reading.create_router(),
        search.create_router(),
        digest.create_router(),
        settings.create_router(),
        timezone.create_router(),
        stop.create_router(),
        fallback.create_router(),
    )
    return router
