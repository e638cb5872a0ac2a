"""The tick: serve every slot, interval and timed post due up to a moment, exactly once.

`Ticker.tick(now)` is pure in its inputs (Redis state and `now`): any number of processes may
call it at the same moment. Per channel, the claim script compares the channel's mark (the
last slot served, or the last post time in interval mode), advances it and pops the queue
head in one step, so only one caller serves a slot. Timed posts are taken one by one with
the same all-or-nothing move. What a tick took is dispatched once every channel is served,
in one batch (one outbox round trip for a 09:00 slot shared by many channels).

Catch-up: a slot that came due more than `grace` seconds ago was missed (the bot was down,
or the channel paused or inactive). Per channel policy: `publish_now` serves one post per
missed slot at once; `spread` lets missed slots go and keeps the queue for the next slots;
`skip_older` skips (with a ledger entry) queued posts older than `catchup_max_age`, then
behaves like `spread`. Interval-only channels apply the same policies to the posts whose
due time (one per `min_interval`) passed more than `grace` ago.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from redis.exceptions import RedisError

from bot.publishing.dispatch import PostDispatcher, TickReport
from bot.publishing.slots import quiet_at, slots_between
from storage.channels import ChannelRepo
from storage.models.channel import Channel
from storage.models.queue import QueuedPost
from storage.queue import QueueRepo

log = logging.getLogger(__name__)

DEFAULT_GRACE = 300.0
DEFAULT_RECOVER_AFTER = 30.0


@dataclass(slots=True)
class Taken:
    """What a tick took for dispatching: ids a channel claim moved, timed posts it moved.

    They are dispatched together once every channel is served, so their jobs reach the
    outbox in one batch.
    """

    post_ids: list[str] = field(default_factory=list)
    posts: list[QueuedPost] = field(default_factory=list)


def _at(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class Ticker:
    """Decides what is due and hands it to the dispatcher."""

    def __init__(
        self,
        *,
        queue: QueueRepo,
        channels: ChannelRepo,
        dispatcher: PostDispatcher,
        grace: float = DEFAULT_GRACE,
        recover_after: float = DEFAULT_RECOVER_AFTER,
    ) -> None:
        self.queue = queue
        self.channels = channels
        self.dispatcher = dispatcher
        self.grace = grace
        self.recover_after = recover_after
        # Posts this process took for dispatching in a tick that Redis failed: the next tick
        # finishes them first, so posts due during an outage go out in their due order.
        self._unfinished: list[str] = []

    async def tick(self, now: datetime) -> TickReport:
        """Serve everything due up to `now`; returns what was dispatched and skipped.

        When Redis fails midway, what this tick took is remembered and finished first by
        the next tick (another process's leftovers wait `recover_after`, in `recover`).
        """
        ts = now.timestamp()
        report = TickReport()
        taken = Taken()
        try:
            await self._finish_unfinished(report)
            await self.dispatcher.recover(ts, self.recover_after, report)
            channels = {c.id: c for c in await self.channels.active()}
            for channel in channels.values():
                if not channel.paused:
                    await self._serve_channel(channel, ts, report, taken)
            await self._serve_timed(channels, ts, report, taken)
            claimed = await self.queue.get_many(taken.post_ids) if taken.post_ids else []
            await self.dispatcher.dispatch_many([*claimed, *taken.posts], report)
        except RedisError:
            known = set(self._unfinished)
            ids = [*taken.post_ids, *(p.id for p in taken.posts)]
            self._unfinished += [i for i in ids if i not in known]
            raise
        return report

    async def _finish_unfinished(self, report: TickReport) -> None:
        """Dispatch, in the order they were taken, the posts a failed tick left behind."""
        if not self._unfinished:
            return
        posts = await self.queue.get_many(self._unfinished)
        waiting = [p for p in posts if p.state == "dispatching"]
        if waiting:
            log.info("finishing %d post(s) a failed tick had taken", len(waiting))
            await self.dispatcher.dispatch_many(waiting, report)
        self._unfinished = []

    async def _serve_channel(
        self, channel: Channel, ts: float, report: TickReport, taken: Taken
    ) -> None:
        if channel.slots:
            await self._serve_slots(channel, ts, report, taken)
        else:
            await self._serve_interval(channel, ts, report, taken)

    async def _serve_slots(
        self, channel: Channel, ts: float, report: TickReport, taken: Taken
    ) -> None:
        mark = await self.queue.mark(channel.id)
        if mark is None:  # first sight of this channel: count slots from now on
            await self.queue.claim(
                channel.id, interval_mode=False, expected=None, mark=ts, count=0, now=ts
            )
            return
        tz = ZoneInfo(channel.timezone)
        due = slots_between(channel.slots, tz, _at(float(mark)), _at(ts), channel.quiet)
        if not due:
            return
        count = await self._count(channel, due, ts, report)
        claim = await self.queue.claim(
            channel.id,
            interval_mode=False,
            expected=mark,
            mark=due[-1].timestamp(),
            count=count,
            now=ts,
        )
        if claim.won:
            taken.post_ids += claim.post_ids

    async def _count(
        self, channel: Channel, due: list[datetime], ts: float, report: TickReport
    ) -> int:
        """How many queued posts the due slots take, by the catch-up policy and min interval."""
        on_time = [s for s in due if ts - s.timestamp() <= self.grace]
        missed = len(due) - len(on_time)
        if missed:
            log.info(
                "channel %s missed %d slot(s), catch-up %s", channel.id, missed, channel.catchup
            )
            if channel.catchup == "publish_now":
                return len(due)
            if channel.catchup == "skip_older":
                await self._skip_stale(channel, ts, report)
        if on_time and await self._too_soon(channel, on_time[-1].timestamp()):
            return 0
        return len(on_time)

    async def _too_soon(self, channel: Channel, slot_ts: float) -> bool:
        """Whether the channel's minimum interval forbids a post at this slot."""
        if channel.min_interval <= 0:
            return False
        last = await self.queue.last_post(channel.id)
        return last is not None and slot_ts - float(last) < channel.min_interval

    async def _skip_stale(self, channel: Channel, ts: float, report: TickReport) -> None:
        """Skip queued posts older than the channel's limit, each with a ledger entry."""
        limit = channel.catchup_max_age
        for post in await self.queue.get_many(await self.queue.queue_ids(channel.id)):
            age = ts - post.created_at
            if age > limit:
                await self.dispatcher.skip(
                    post, "stale", report, age_s=round(age), limit_s=limit, policy="skip_older"
                )

    async def _serve_interval(
        self, channel: Channel, ts: float, report: TickReport, taken: Taken
    ) -> None:
        """No slots: one post every `min_interval` seconds (all at once when it is 0).

        The catch-up policy applies to posts whose due time passed more than `grace` ago
        (the bot was down, or the channel paused): `publish_now` sends every one of them at
        once, `skip_older` skips the stale ones first, `spread` keeps to one per interval.
        """
        last = await self.queue.last_post(channel.id)
        if last is not None and ts < float(last) + channel.min_interval:
            return
        if quiet_at(_at(ts), ZoneInfo(channel.timezone), channel.quiet):
            return
        count = 1 if channel.min_interval > 0 else -1
        missed = await self._missed_in_interval(channel, last, ts)
        if missed:
            log.info(
                "channel %s missed %d post(s), catch-up %s", channel.id, missed, channel.catchup
            )
            if channel.catchup == "publish_now" and count > 0:
                count = missed
            elif channel.catchup == "skip_older":
                await self._skip_stale(channel, ts, report)
        claim = await self.queue.claim(
            channel.id, interval_mode=True, expected=last, mark=ts, count=count, now=ts
        )
        if claim.won:
            taken.post_ids += claim.post_ids

    async def _missed_in_interval(self, channel: Channel, last: str | None, ts: float) -> int:
        """How many queued posts came due more than `grace` ago. In interval mode a post is
        due `min_interval` after the one before it (or the last post), never before it was
        queued."""
        cutoff = ts - self.grace
        previous = float(last) if last is not None else None
        missed = 0
        for post in await self.queue.get_many(await self.queue.queue_ids(channel.id)):
            due = post.created_at
            if previous is not None:
                due = max(due, previous + channel.min_interval)
            if due > cutoff:
                break
            missed += 1
            previous = due
        return missed

    async def _serve_timed(
        self, channels: dict[int, Channel], ts: float, report: TickReport, taken: Taken
    ) -> None:
        """Timed posts whose time has come, unless their channel is paused or inactive.

        Quiet hours hold slot and interval posts, not timed ones: an editor who picked the
        time asked for it (an embargo, a night announcement), so the post goes out then,
        without a notification sound.
        """
        for post in await self.queue.get_many(await self.queue.scheduled_due(ts)):
            channel = channels.get(post.chat_id)
            if channel is None or channel.paused:
                continue
            late = ts - (post.due_at or ts)
            if channel.catchup == "skip_older" and late > max(self.grace, channel.catchup_max_age):
                await self.dispatcher.skip(
                    post, "stale", report, late_s=round(late), policy="skip_older"
                )
                continue
            if not post.silent and quiet_at(_at(ts), ZoneInfo(channel.timezone), channel.quiet):
                # An editor's explicit time stands; in quiet hours the post goes out muted.
                post = post.model_copy(update={"silent": True})
            moved = await self.dispatcher.take(post)
            if moved is not None:
                taken.posts.append(moved)
