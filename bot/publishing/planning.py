"""Planning posts: an article queued for one channel, or every channel routing its rubric.

Each (article, channel) pair gets one `QueuedPost`: slot posts wait in the channel's queue,
timed posts for their time, breaking and `now` posts are dispatched at once. Queueing a
waiting pair again re-plans it. The pair's ledger record decides whether a new post may be
made: one that went out (in this chat or under a former id of it) is refused with
`already_published`, one being handed over or sent now with `in_flight` (both with a
`duplicate` ledger event); one whose delivery failed for good or was skipped gets a new post.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal, cast

from bot.publishing.dispatch import PostDispatcher, TickReport
from bot.publishing.errors import PublishingError
from bot.publishing.ports import Articles, Ledger
from bot.publishing.render import rubric_of
from bot.publishing.settings import ChannelSettings
from storage.models.article import Article
from storage.models.channel import Channel
from storage.models.delivery import LedgerEntry
from storage.models.queue import POST_MODES, PostMode, QueuedPost

log = logging.getLogger(__name__)

# Why a pair gets no new post, strongest first (a multi-channel request reports that one).
REFUSALS = ("already_published", "in_flight")
# Ledger records after which a pair's delivery is over without a copy: it may be queued again.
GAVE_UP = frozenset({"failed", "skipped"})


class PostPlanning(ChannelSettings):
    """Queues articles as posts (the base of `PublishingService`, which sets the attributes)."""

    articles: Articles
    ledger: Ledger
    dispatcher: PostDispatcher

    async def queue_article(
        self,
        article_id: str,
        chat_id: int | None = None,
        mode: PostMode = "next_slot",
        at: datetime | None = None,
        pin: bool | None = None,
    ) -> list[QueuedPost]:
        """Plan an article for one channel, or (chat_id None) every channel routing its rubric.

        `mode`: `next_slot` (the channel's queue), `at` (a fixed time, `at` required),
        `breaking` (now, with sound and the channel's marker), `now` (now, like a slot post).
        `pin` None (what the desk and the CLI pass) pins a breaking post where the channel's
        `pin_breaking` says, and nothing else; True or False decides for every channel.
        Refuses an unknown article or channel and a pair already published
        (`already_published`).
        """
        _check_mode(mode)
        article = await self._article(article_id)
        due = self._due(mode, at)
        targets = await self._targets(article, chat_id)
        planned: list[QueuedPost] = []
        refused: list[PublishingError] = []
        for channel in targets:
            try:
                planned.append(await self._plan(article_id, channel, mode, due, pin))
            except PublishingError as exc:
                if chat_id is not None or exc.code not in REFUSALS:
                    raise
                refused.append(exc)
        if not planned and refused:
            raise min(refused, key=lambda exc: REFUSALS.index(exc.code))
        self._changed()
        return planned

    async def check_plan(self, chat_id: int, mode: PostMode, at: datetime | None) -> None:
        """Refuse (with `PublishingError`) a plan `queue_article` would refuse whatever the
        article: an unknown mode, a missing or past time, an unknown or inactive channel.
        An import checks its plan before storing anything."""
        _check_mode(mode)
        self._due(mode, at)
        await self._active_channel(chat_id)

    async def route_article(self, article_id: str) -> list[QueuedPost]:
        """Queue a newly imported article in every active channel that routes its rubric."""
        try:
            return await self.queue_article(article_id, None, "next_slot")
        except PublishingError as exc:
            if exc.code != "no_channels" and exc.code not in REFUSALS:
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
            return [await self._active_channel(chat_id)]
        slug = (await rubric_of(article, self.rubrics)).slug
        routed = [c for c in await self.channels.active() if c.routes(slug)]
        if not routed:
            raise PublishingError("no_channels", f"no active channel publishes rubric {slug!r}")
        return routed

    async def _active_channel(self, chat_id: int) -> Channel:
        channel = await self.channel(chat_id)
        if not channel.active:
            raise PublishingError(
                "channel_inactive", f"channel {chat_id} is inactive ({channel.inactive_reason})"
            )
        return channel

    async def _plan(
        self,
        article_id: str,
        channel: Channel,
        mode: PostMode,
        due: float | None,
        wanted_pin: bool | None,
    ) -> QueuedPost:
        """Create the pair's post (or re-plan its pending one) and dispatch it if immediate."""
        pin = _pins(mode, channel, wanted_pin)
        if await self.ledger.has_published(article_id, channel.id):
            await self._refuse(article_id, channel.id, "already_published")
        existing_id = (await self.queue.links(article_id)).get(channel.id)
        existing = await self.queue.get(existing_id) if existing_id else None
        if existing is not None and await self._in_flight(existing):
            await self._refuse(article_id, channel.id, "in_flight")
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

    async def _in_flight(self, post: QueuedPost) -> bool:
        """Whether the pair's last post is still on its way: being handed to the engine, or
        handed over and neither failed for good nor skipped yet (the ledger says)."""
        if post.state == "dispatching":
            return True
        if post.state != "dispatched":
            return False
        record = await self.ledger.get(post.article_id, post.chat_id)
        return record is None or record.status not in GAVE_UP

    async def _refuse(self, article_id: str, chat_id: int, code: str) -> None:
        """Log the refused second copy (`duplicate`, with the code as reason) and refuse."""
        entry = LedgerEntry(
            article_id=article_id,
            chat_id=chat_id,
            status="duplicate",
            at=self.clock.time(),
            reason=code,
        )
        await self.ledger.record(entry)
        if code == "already_published":
            message = f"article {article_id} is already published in {chat_id}"
        else:
            message = (
                f"article {article_id} is being sent to {chat_id} right now;"
                " queue it again if that delivery fails"
            )
        raise PublishingError(code, message)

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
            await self._refuse(post.article_id, channel.id, "in_flight")
        return post


def _pins(mode: PostMode, channel: Channel, wanted: bool | None) -> bool:
    """Whether the post is pinned: as asked, else a breaking one where the channel pins them."""
    if wanted is not None:
        return wanted
    return mode == "breaking" and channel.pin_breaking


def _check_mode(mode: str) -> None:
    if mode not in POST_MODES:
        raise PublishingError("bad_mode", f"unknown mode {mode!r} (one of {', '.join(POST_MODES)})")


def _same_plan(post: QueuedPost, mode: PostMode, due: float | None, pin: bool) -> bool:
    """Whether a waiting post already has this plan (queueing it again changes nothing)."""
    return post.mode == mode and post.due_at == due and post.pin == pin


def _target(post: QueuedPost) -> Literal["queue", "scheduled", "dispatching"]:
    return cast(Literal["queue", "scheduled", "dispatching"], _PLACES[post.state])


_PLACES = {"queued": "queue", "scheduled": "scheduled", "dispatching": "dispatching"}
