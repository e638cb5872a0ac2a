"""aiogram routers, one package per audience.

Order matters: chat-membership events first, then editors and channel admins (their
package filters let only those roles in), then subscribers, who also get the fallback.
The root router coalesces bursts from one chat (`handlers.bursts`) and turns a reply
Telegram still refuses after the retries into one log line.
"""

from __future__ import annotations

from aiogram import Router


def create_root_router() -> Router:
    """A fresh router tree (routers can be attached once, so never build them at import)."""
    from aiogram.filters import ExceptionTypeFilter

    from handlers import channel_admins, channels, editors, subscribers
    from handlers.bursts import REPLY_ERRORS, BurstGuard, reply_failed
    from handlers.commands import CommandAddress

    root = Router(name="root")
    # Other bots' commands are dropped before anything counts or answers them.
    root.message.outer_middleware(CommandAddress())
    guard = BurstGuard()
    root.message.outer_middleware(guard)
    root.callback_query.outer_middleware(guard)
    root.errors.register(reply_failed, ExceptionTypeFilter(*REPLY_ERRORS))
    root.include_routers(
        channels.create_router(),
        editors.create_router(),
        channel_admins.create_router(),
        subscribers.create_router(),
    )
    return root
