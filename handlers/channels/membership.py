"""The bot's own membership in a channel changed, or a group moved to a new id."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import ChatMemberUpdated, Message

from bot.publishing.channel_service import ChannelService, MembershipChange
from storage.models.channel import ChannelRights


def register(router: Router) -> None:
    """Attach this module's handlers to the package router."""
    router.my_chat_member.register(on_my_chat_member)
    router.message.register(on_migrated, F.migrate_to_chat_id)


def membership_of(event: ChatMemberUpdated) -> MembershipChange:
    """The update as the channel service's plain value (rights read defensively)."""
    member = event.new_chat_member
    rights = ChannelRights(
        status=_plain(member.status),
        can_post_messages=bool(getattr(member, "can_post_messages", False)),
        can_edit_messages=bool(getattr(member, "can_edit_messages", False)),
        can_delete_messages=bool(getattr(member, "can_delete_messages", False)),
        can_pin_messages=bool(getattr(member, "can_pin_messages", False)),
    )
    user = event.from_user
    return MembershipChange(
        chat_id=event.chat.id,
        chat_type=_plain(event.chat.type),
        title=event.chat.title or event.chat.username or str(event.chat.id),
        username=event.chat.username,
        rights=rights,
        user_id=None if user is None or user.is_bot else user.id,
        user_language=None if user is None else user.language_code,
    )


def _plain(value: object) -> str:
    """An aiogram enum member or a string as its plain string value."""
    return str(getattr(value, "value", value))


async def on_my_chat_member(event: ChatMemberUpdated, channel_service: ChannelService) -> None:
    """Added, promoted, demoted or removed: register or re-status the channel."""
    await channel_service.membership_changed(membership_of(event))


async def on_migrated(message: Message, channel_service: ChannelService) -> None:
    """A group became a supergroup: move its channel record and queue to the new id."""
    if message.migrate_to_chat_id is not None:
        await channel_service.on_migrate(message.chat.id, message.migrate_to_chat_id)
