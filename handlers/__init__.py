"""aiogram routers, one package per audience.

Order matters: chat-membership events first, then editors and channel admins (their
package filters let only those roles in), then subscribers, who also get the fallback.
"""

from __future__ import annotations

from aiogram import Router


def create_root_router() -> Router:
    """A fresh router tree (routers can be attached once, so never build them at import)."""
    from handlers import channel_admins, channels, editors, subscribers
    from handlers.commands import CommandAddress

    root = Router(name="root")
    root.message.outer_middleware(CommandAddress())
    root.include_routers(
        channels.create_router(),
        editors.create_router(),
        channel_admins.create_router(),
        subscribers.create_router(),
    )
    return root
