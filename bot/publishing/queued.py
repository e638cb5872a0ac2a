"""Managing waiting posts: list a channel's queue with expected times, move, reschedule,
cancel, or publish one at once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.publishing.dispatch import TickReport
from bot.publishing.errors import PublishingError
from bot.publishing.planning import PostPlanning
from bot.publishing.slots import upcoming
from storage.models.channel import Channel
from storage.models.queue import QueuedPost


class QueuedPosts(PostPlanning):
    """Reads and changes posts that are still waiting (the base of `PublishingService`)."""

    async def post(self, post_id: str) -> QueuedPost:
        """One post, or `unknown_post`."""
        post = await self.queue.get(post_id)
        if post is None:
            raise PublishingError("unknown_post", f"no queued post with id {post_id!r}")
        return post

    async def _pending(self, post_id: str) -> QueuedPost:
        post = await self.post(post_id)
        if post.state not in ("queued", "scheduled"):
            raise PublishingError("not_pending", f"post {post_id} is {post.state}, not waiting")
        return post

    async def list_queue(self, chat_id: int) -> list[QueuedPost]:
        """The channel's waiting posts (queue order, then timed), each with its expected time."""
        channel = await self.channel(chat_id)
        queued = await self.queue.get_many(await self.queue.queue_ids(chat_id))
        timed_ids = [pid for pid, _ in await self.queue.scheduled_all()]
        timed = [p for p in await self.queue.get_many(timed_ids) if p.chat_id == chat_id]
        etas = await self._etas(channel, len(queued))
        listed = [p.model_copy(update={"eta": eta}) for p, eta in zip(queued, etas, strict=False)]
        listed += [p.model_copy(update={"eta": None}) for p in queued[len(etas) :]]
        listed += [p.model_copy(update={"eta": p.due_at}) for p in timed]
        return listed

    async def _etas(self, channel: Channel, count: int) -> list[float]:
        """Expected publication times of the first `count` queued posts (none when paused)."""
        if channel.paused or not channel.active or count == 0:
            return []
        now = self.clock.now()
        if channel.slots:
            tz = ZoneInfo(channel.timezone)
            return [m.timestamp() for m in upcoming(channel.slots, tz, now, count, channel.quiet)]
        last = await self.queue.last_post(channel.id)
        start = max(now.timestamp(), float(last) + channel.min_interval if last else 0.0)
        return [start + i * channel.min_interval for i in range(count)]

    async def move(self, post_id: str, delta: int) -> list[QueuedPost]:
        """Move a queued post `delta` places (-1 = one up); returns the channel's new queue."""
        post = await self._pending(post_id)
        if await self.queue.reorder(post.chat_id, post_id, delta) is None:
            raise PublishingError("not_pending", f"post {post_id} is not in a channel queue")
        return await self.list_queue(post.chat_id)

    async def reschedule(self, post_id: str, at: datetime) -> QueuedPost:
        """Give a waiting post a fixed publication time."""
        post = await self._pending(post_id)
        due = self._future(at)
        moved = post.model_copy(update={"mode": "at", "state": "scheduled", "due_at": due})
        if not await self.queue.move(moved, "scheduled", due):
            raise PublishingError("not_pending", f"post {post_id} was taken meanwhile")
        self._changed()
        return moved

    async def cancel(self, post_id: str) -> QueuedPost:
        """Remove a waiting post (the ledger records it as skipped: cancelled)."""
        post = await self._pending(post_id)
        cancelled = post.model_copy(update={"state": "cancelled", "reason": "cancelled"})
        if not await self.queue.move(cancelled, "none"):
            raise PublishingError("not_pending", f"post {post_id} was taken meanwhile")
        await self.dispatcher.record_skip(cancelled, "cancelled")
        return cancelled

    async def publish_now(self, post_id: str) -> QueuedPost:
        """Send a waiting post at once (paused or inactive channels refuse)."""
        post = await self._pending(post_id)
        channel = await self.channel(post.chat_id)
        if not channel.active or channel.paused:
            state = "paused" if channel.paused else "inactive"
            raise PublishingError("channel_inactive", f"channel {channel.id} is {state}")
        report = TickReport()
        if not await self.dispatcher.take_and_dispatch(
            post.model_copy(update={"mode": "now"}), report
        ):
            raise PublishingError("not_pending", f"post {post_id} was taken meanwhile")
        return report.dispatched[0] if report.dispatched else post
