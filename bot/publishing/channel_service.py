"""Channel registration and status: the bot's membership changes and the engine's hooks.

Telegram tells the bot about its own membership with `my_chat_member` updates; the handler
turns one into a `MembershipChange` and calls `membership_changed`. Added as an admin that
may post: the channel is registered (or reactivated) and the person who added the bot
becomes its admin and gets a private notice. Removed, demoted or without the right to post:
the channel turns inactive (its queue is kept) and its admins are told. The delivery
engine's forbidden hook (403) and migrate hook land here too.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from typing import Literal
from uuid import uuid4

from bot.clock import Clock
from bot.i18n import I18n, normalize_locale
from bot.publishing.ports import Outbox
from storage.channels import ChannelRepo
from storage.models.channel import Channel, ChannelRights
from storage.models.delivery import DeliveryJob
from storage.models.post import Post
from storage.queue import QueueRepo

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({"administrator", "creator"})
Outcome = Literal["registered", "reactivated", "deactivated", "updated", "ignored"]


@dataclass(frozen=True)
class MembershipChange:
    """The bot's new membership in a chat, as a `my_chat_member` update reports it."""

    chat_id: int
    chat_type: str
    title: str
    username: str | None
    rights: ChannelRights
    user_id: int | None = None
    user_language: str | None = None

    @property
    def can_post(self) -> bool:
        """Whether the bot may publish there (groups: any admin; channels: the explicit right)."""
        if self.rights.status not in ADMIN_STATUSES:
            return False
        return self.chat_type != "channel" or self.rights.can_post_messages

    @property
    def reason(self) -> str:
        """Why the bot cannot post: `removed`, `demoted` or `no_post_right`."""
        if self.rights.status in ("left", "kicked"):
            return "removed"
        if self.rights.status not in ADMIN_STATUSES:
            return "demoted"
        return "no_post_right"


class ChannelService:
    """Keeps channel records in step with Telegram and tells channel admins what changed."""

    def __init__(
        self,
        *,
        channels: ChannelRepo,
        queue: QueueRepo,
        outbox: Outbox,
        i18n: I18n,
        clock: Clock,
        default_timezone: str,
    ) -> None:
        self.channels = channels
        self.queue = queue
        self.outbox = outbox
        self.i18n = i18n
        self.clock = clock
        self.default_timezone = default_timezone

    async def membership_changed(self, change: MembershipChange) -> Outcome:
        """Register, reactivate, deactivate or refresh the channel; notify its admins."""
        channel = await self.channels.get(change.chat_id)
        if channel is None:
            if change.rights.status not in ADMIN_STATUSES:
                return "ignored"
            await self._register(change)
            return "registered"
        if change.user_id is not None and change.can_post:
            await self.channels.add_admin(change.chat_id, change.user_id)
        return await self._restatus(channel, change)

    async def _register(self, change: MembershipChange) -> Channel:
        channel = Channel(
            id=change.chat_id,
            title=change.title,
            username=change.username,
            type=change.chat_type,
            status="active" if change.can_post else "inactive",
            inactive_reason=None if change.can_post else change.reason,
            rights=change.rights,
            added_by=change.user_id,
            added_at=self.clock.time(),
            timezone=self.default_timezone,
        )
        await self.channels.save(channel)
        await self.queue.raise_mark(channel.id, self.clock.time())
        log.info("channel %s (%s) registered by %s", channel.id, channel.title, change.user_id)
        if change.user_id is not None:
            await self.channels.add_admin(channel.id, change.user_id)
            await self._welcome(channel, change.user_id, change)
        return channel

    async def _welcome(self, channel: Channel, user_id: int, change: MembershipChange) -> None:
        locale = normalize_locale(change.user_language, self.i18n.default_locale)
        key = "channels.registered" if change.can_post else "channels.registered_no_rights"
        text = self.i18n(
            key,
            locale,
            title=html.escape(channel.title, quote=False),
            slots=", ".join(channel.slots) or self.i18n("channels.slots.none", locale),
            routing=self.i18n("channels.routing.all", locale),
        )
        await self._notice(user_id, channel.id, "welcome", text)

    async def _restatus(self, channel: Channel, change: MembershipChange) -> Outcome:
        was_active = channel.active
        status = "active" if change.can_post else "inactive"
        reason = None if change.can_post else change.reason

        def apply(current: Channel) -> Channel:
            return current.model_copy(
                update={
                    "title": change.title or current.title,
                    "username": change.username,
                    "rights": change.rights,
                    "status": status,
                    "inactive_reason": reason,
                }
            )

        stored = await self.channels.update(channel.id, apply)
        if stored is None:
            return "ignored"
        if was_active == stored.active:
            return "updated"
        if stored.active:
            await self._tell_admins(stored, "channels.reactivated")
            return "reactivated"
        await self._tell_admins(stored, "channels.deactivated", reason=reason or "removed")
        return "deactivated"

    async def on_forbidden(self, chat_id: int, job: DeliveryJob, description: str) -> None:
        """Delivery hook: Telegram answered 403 for this chat (kicked, not an admin)."""
        channel = await self.channels.get(chat_id)
        if channel is None:
            return
        before = await self.channels.set_status(chat_id, "inactive", reason="forbidden")
        log.warning("channel %s inactive after 403 on job %s: %s", chat_id, job.id, description)
        if before == "active":
            await self._tell_admins(
                channel, "channels.deactivated", reason="forbidden", detail=description
            )

    async def on_migrate(self, old: int, new: int) -> None:
        """Delivery hook (and service message): a group became a supergroup with a new id."""
        moved = await self.channels.migrate(old, new)
        if moved is not None:
            posts = await self.queue.migrate(old, new)
            log.info("channel %s migrated to %s with %d pending post(s)", old, new, posts)

    async def _tell_admins(
        self, channel: Channel, key: str, *, reason: str | None = None, detail: str = ""
    ) -> None:
        locale = self.i18n.default_locale
        queued = await self.queue.queue_length(channel.id)
        kwargs = {
            "title": html.escape(channel.title, quote=False),
            "queued": self.i18n("channels.posts", locale, n=queued),
        }
        if reason is not None:
            kwargs["reason"] = self.i18n(
                f"channels.reason.{reason}", locale, detail=html.escape(detail, quote=False)
            )
        text = self.i18n(key, locale, **kwargs)
        for admin in sorted(await self.channels.admins(channel.id)):
            await self._notice(admin, channel.id, key.rsplit(".", 1)[-1], text)

    async def _notice(self, user_id: int, chat_id: int, event: str, text: str) -> None:
        """A plain private message to a channel admin, through the outbox."""
        job = DeliveryJob(
            id=f"notice-{chat_id}-{user_id}-{event}-{uuid4().hex[:12]}",
            kind="notice",
            chat_id=user_id,
            lane="channel",
            not_before=self.clock.time(),
            post=Post(method="sendMessage", text=text, parse_mode="HTML", length=len(text)),
        )
        await self.outbox.enqueue(job)
