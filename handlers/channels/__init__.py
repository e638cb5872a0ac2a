"""Handlers for chats the bot publishes into: its own membership, and group migration.

The audience filter (channels, groups and supergroups — never private chats, whose
`my_chat_member` updates belong to the subscribers package) is set once here.
"""

from __future__ import annotations

from aiogram import F, Router


def create_router() -> Router:
    """A fresh router: `my_chat_member` registration and `migrate_to_chat_id` messages."""
    from handlers.channels import membership

    router = Router(name="channels")
    audience = F.chat.type.in_({"channel", "group", "supergroup"})
    router.my_chat_member.filter(audience)
    router.message.filter(audience)
    membership.register(router)
    return router
