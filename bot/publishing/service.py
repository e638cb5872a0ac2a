"""PublishingService: what editors, channel admins, routing and the CLI ask of publishing.

Queueing an article makes one `QueuedPost` per channel. Slot posts wait in the channel's
queue until a tick serves them (see `ticker.py`); timed posts wait for their time; breaking
and `now` posts are dispatched at once. A pair (article, chat) that the ledger says already
went out is refused with `already_published` and a `duplicate` ledger event.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, cast
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.publishing.copies import Copies, RetractResult
from bot.publishing.dispatch import PostDispatcher, TickReport
from bot.publishing.errors import PublishingError as PublishingError
from bot.publishing.ports import Articles, Ledger, Outbox, Rubrics
from bot.publishing.render import rubric_of
from bot.publishing.settings import ChannelSettings
from bot.publishing.slots import next_slot as slot_after
from bot.publishing.slots import upcoming
from bot.publishing.ticker import DEFAULT_GRACE, Ticker
from storage.channels import ChannelRepo
from storage.models.article import Article
from storage.models.channel import Channel
from storage.models.delivery import DeliveryJob, LedgerEntry
from storage.models.queue import POST_MODES, PostMode, QueuedPost
from storage.queue import QueueRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelOverview:
    """One line of `vestnik channels` / `/channels`."""

    channel: Channel
    queue_length: int
    timed: int
    next_slot: datetime | None
    admins: int


class PublishingService(ChannelSettings):
    """Queues, schedules, edits and retracts channel posts; `tick` serves what is due."""

    def __init__(
        self,
        *,
        channels: ChannelRepo,
        queue: QueueRepo,
        articles: Articles,
        rubrics: Rubrics,
        outbox: Outbox,
        ledger: Ledger,
        clock: Clock,
        grace: float = DEFAULT_GRACE,
    ) -> None:
        super().__init__(channels=channels, queue=queue, rubrics=rubrics, clock=clock)
        self.articles = articles
        self.outbox = outbox
        self.ledger = ledger
        self.dispatcher = PostDispatcher(
            queue=queue,
            channels=channels,
            articles=articles,
            rubrics=rubrics,
            outbox=outbox,
            ledger=ledger,
            clock=clock,
        )
        self.copies = Copies(
            queue=queue,
            channels=channels,
            articles=articles,
            rubrics=rubrics,
            outbox=outbox,
            ledger=ledger,
            dispatcher=self.dispatcher,
            clock=clock,
        )
        self.ticker = Ticker(
            queue=queue, channels=channels, dispatcher=self.dispatcher, grace=grace
        )

    # --- the clock-driven decision ------------------------------------------------
    async def tick(self, now: datetime | None = None) -> TickReport:
        """Serve every slot, interval and timed post due up to `now` (default: the clock)."""
        return await self.ticker.tick(now or self.clock.now())

    # --- queueing -----------------------------------------------------------------
    async def queue_article(
        self,
        article_id: str,
        chat_id: int | None = None,
        mode: PostMode = "next_slot",
        at: datetime | None = None,
        pin: bool = False,
    ) -> list[QueuedPost]:
        """Plan an article for one channel, or (chat_id None) every channel routing its rubric.

        `mode`: `next_slot` (the channel's queue), `at` (a fixed time, `at` required),
        `breaking` (now, with sound, pinned if `pin`), `now` (now, like a slot post). Refuses
        an unknown article or channel and a pair already published (`already_published`).
        """
        if mode not in POST_MODES:
            raise PublishingError(
                "bad_mode", f"unknown mode {mode!r} (one of {', '.join(POST_MODES)})"
            )
        article = await self._article(article_id)
        due = self._due(mode, at)
        targets = await self._targets(article, chat_id)
        planned: list[QueuedPost] = []
        duplicates = 0
        for channel in targets:
            try:
                planned.append(await self._plan(article_id, channel, mode, due, pin))
            except PublishingError as exc:
                if chat_id is not None or exc.code != "already_published":
                    raise
                duplicates += 1
        if not planned and duplicates:
            raise PublishingError("already_published", f"article {article_id} is already out")
        self._changed()
        return planned

    async def route_article(self, article_id: str) -> list[QueuedPost]:
        """Queue a newly imported article in every active channel that routes its rubric."""
        try:
            return await self.queue_article(article_id, None, "next_slot")
        except PublishingError as exc:
            if exc.code not in ("no_channels", "already_published"):
                raise
            log.info("article %s not routed: %s", article_id, exc.message)
            return []

    async def _article(self, article_id: str) -> Article:
        article = await self.articles.get(article_id)
        if article is None:
            raise PublishingError("unknown_article", f"no article with id {article_id!r}")
        return article

    def _due(self, mode: PostMode, at: datetime | None) -> float | None:
        if mode != "at":
            return None
        if at is None:
            raise PublishingError("bad_time", "mode 'at' needs a time")
        return self._future(at)

    def _future(self, at: datetime) -> float:
        if at.tzinfo is None:
            raise PublishingError("bad_time", "the time needs a time zone (e.g. +05:00)")
        if at.timestamp() <= self.clock.time():
            raise PublishingError("bad_time", f"{at.isoformat()} is in the past")
        return at.timestamp()

    async def _targets(self, article: Article, chat_id: int | None) -> list[Channel]:
        if chat_id is not None:
            channel = await self.channel(chat_id)
            if not channel.active:
                raise PublishingError(
                    "channel_inactive", f"channel {chat_id} is inactive ({channel.inactive_reason})"
                )
            return [channel]
        slug = (await rubric_of(article, self.rubrics)).slug
        routed = [c for c in await self.channels.active() if c.routes(slug)]
        if not routed:
            raise PublishingError("no_channels", f"no active channel publishes rubric {slug!r}")
        return routed

    async def _plan(
        self, article_id: str, channel: Channel, mode: PostMode, due: float | None, pin: bool
    ) -> QueuedPost:
        """Create the pair's post (or re-plan its pending one) and dispatch it if immediate."""
        if await self.ledger.has_published(article_id, channel.id):
            await self._duplicate(article_id, channel.id, "already_published")
        existing_id = (await self.queue.links(article_id)).get(channel.id)
        existing = await self.queue.get(existing_id) if existing_id else None
        if existing is not None and existing.state in ("dispatching", "dispatched"):
            await self._duplicate(article_id, channel.id, "already_dispatched")
        fresh = existing is None or not existing.pending
        if existing is not None and not fresh and _same_plan(existing, mode, due, pin):
            return existing
        post = self._shape(existing if not fresh else None, article_id, channel, mode, due, pin)
        if fresh:
            post = await self._add(post, channel, existing_id)
        else:
            post = await self._replan(post, channel)
        if post.state == "dispatching":
            report = TickReport()
            await self.dispatcher.dispatch(post, report)
            return next(iter(report.dispatched + report.skipped), post)
        return post

    async def _duplicate(self, article_id: str, chat_id: int, reason: str) -> None:
        entry = LedgerEntry(
            article_id=article_id,
            chat_id=chat_id,
            status="duplicate",
            at=self.clock.time(),
            reason=reason,
        )
        await self.ledger.record(entry)
        raise PublishingError(
            "already_published", f"article {article_id} is already published in {chat_id}"
        )

    def _shape(
        self,
        existing: QueuedPost | None,
        article_id: str,
        channel: Channel,
        mode: PostMode,
        due: float | None,
        pin: bool,
    ) -> QueuedPost:
        """The post's new record: state by mode (immediate posts wait if the channel is paused)."""
        immediate = mode in ("breaking", "now")
        state = "scheduled" if mode == "at" else "queued"
        if immediate and not channel.paused:
            state = "dispatching"
        fields = {
            "mode": mode,
            "state": state,
            "due_at": due,
            "pin": pin,
            "silent": mode != "breaking" and channel.silent_slot_posts,
        }
        if existing is not None:
            return existing.model_copy(update=fields)
        base = QueuedPost(
            id="", article_id=article_id, chat_id=channel.id, created_at=self.clock.time()
        )
        return base.model_copy(update=fields)

    async def _score(self, post: QueuedPost) -> float:
        """Where the post goes: queue order (immediate ones at the head), due time, or now."""
        if post.state == "scheduled":
            return float(post.due_at or 0.0)
        if post.state == "dispatching":
            return self.clock.time()
        bounds = await self.queue.queue_bounds(post.chat_id)
        if post.mode in ("breaking", "now"):
            return (bounds[0] if bounds else 0.0) - 1.0
        return (bounds[1] if bounds else 0.0) + 1.0

    async def _add(self, post: QueuedPost, channel: Channel, expect: str | None) -> QueuedPost:
        post = post.model_copy(update={"id": await self.queue.next_id()})
        if not await self.queue.add(post, await self._score(post), expect=expect):
            raise PublishingError("conflict", "the queue changed meanwhile, please try again")
        await self.ledger.record(
            LedgerEntry(
                article_id=post.article_id,
                chat_id=channel.id,
                status="queued",
                at=self.clock.time(),
                detail={"post_id": post.id, "mode": post.mode, "due_at": post.due_at},
            )
        )
        return post

    async def _replan(self, post: QueuedPost, channel: Channel) -> QueuedPost:
        target = _target(post)
        if not await self.queue.move(post, target, await self._score(post)):
            await self._duplicate(post.article_id, channel.id, "already_dispatched")
        return post

    # --- managing queued posts ----------------------------------------------------
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

    # --- published copies -----------------------------------------------------------
    async def edit_article(self, article_id: str) -> list[int]:
        """Edit every published copy in place with the article's current text; the chat ids."""
        return await self.copies.edit(await self._article(article_id))

    async def retract_article(self, article_id: str) -> RetractResult:
        """Delete every published copy and remove every copy still waiting."""
        return await self.copies.retract(article_id)

    async def requeue_refused(self, chat_id: int, job: DeliveryJob, description: str) -> None:
        """Delivery hook: a channel post Telegram refused goes back to its queue's head."""
        await self.copies.requeue_refused(chat_id, job, description)

    # --- reading ------------------------------------------------------------------
    async def next_slot(self, chat_id: int, after: datetime | None = None) -> datetime | None:
        """When the channel's queue is next served after `after` (default: now)."""
        channel = await self.channel(chat_id)
        moment = after or self.clock.now()
        if channel.slots:
            return slot_after(channel.slots, ZoneInfo(channel.timezone), moment, channel.quiet)
        last = await self.queue.last_post(chat_id)
        start = max(moment.timestamp(), float(last) + channel.min_interval if last else 0.0)
        return datetime.fromtimestamp(start, UTC)

    async def channel_overview(self) -> list[ChannelOverview]:
        """Every channel with its queue length, timed posts and next slot."""
        timed_ids = [pid for pid, _ in await self.queue.scheduled_all()]
        timed = await self.queue.get_many(timed_ids)
        rows: list[ChannelOverview] = []
        for channel in await self.channels.all():
            rows.append(
                ChannelOverview(
                    channel=channel,
                    queue_length=await self.queue.queue_length(channel.id),
                    timed=sum(1 for p in timed if p.chat_id == channel.id),
                    next_slot=await self.next_slot(channel.id) if channel.active else None,
                    admins=len(await self.channels.admins(channel.id)),
                )
            )
        return rows

    async def next_due(self) -> float | None:
        """The earliest time a timed or interval post could go out (for the scheduler's wake-up)."""
        first = await self.queue.next_scheduled()
        times = [first] if first is not None else []
        for channel in await self.channels.active():
            if (
                not channel.slots
                and not channel.paused
                and await self.queue.queue_length(channel.id)
            ):
                last = await self.queue.last_post(channel.id)
                times.append(float(last) + channel.min_interval if last else self.clock.time())
        return min(times) if times else None


def _same_plan(post: QueuedPost, mode: PostMode, due: float | None, pin: bool) -> bool:
    """Whether a waiting post already has this plan (queueing it again changes nothing)."""
    return post.mode == mode and post.due_at == due and post.pin == pin


def _target(post: QueuedPost) -> Literal["queue", "scheduled", "dispatching"]:
    return cast(Literal["queue", "scheduled", "dispatching"], _PLACES[post.state])


_PLACES = {"queued": "queue", "scheduled": "scheduled", "dispatching": "dispatching"}

__all__: Sequence[str] = (
    "ChannelOverview",
    "PublishingError",
    "PublishingService",
    "RetractResult",
)
