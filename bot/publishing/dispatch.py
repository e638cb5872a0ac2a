"""Handing taken posts to the delivery engine, and recording posts that will not go out.

A post reaches here after a Lua script moved it into the dispatching set, so exactly one
caller took it. The job id is `post-<post id>` and the outbox's enqueue is idempotent for a
given id: if a process dies between the enqueue and `mark_dispatched`, the post stays in the
dispatching set and the next tick (any process) repeats both steps, which is a no-op for the
job. The ledger's claim-time check is the last guard against a second copy in the chat.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from redis.exceptions import RedisError

from bot.publishing.parts import PublishingPart
from bot.publishing.render import render, rubric_of
from storage.models.article import Article
from storage.models.delivery import DeliveryJob, LedgerEntry
from storage.models.queue import QueuedPost

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    """What one call did: posts handed to the engine and posts skipped (with reasons)."""

    dispatched: list[QueuedPost] = field(default_factory=list)
    skipped: list[QueuedPost] = field(default_factory=list)

    def merge(self, other: TickReport) -> None:
        """Add another report's posts to this one."""
        self.dispatched += other.dispatched
        self.skipped += other.skipped


class PostDispatcher(PublishingPart):
    """Renders and enqueues taken posts; skips (with a ledger entry) what cannot go out."""

    async def dispatch(self, post: QueuedPost, report: TickReport) -> None:
        """Enqueue the post's delivery job, then mark it dispatched (safe to repeat)."""
        await self.dispatch_many([post], report)

    async def dispatch_many(self, posts: Sequence[QueuedPost], report: TickReport) -> None:
        """`dispatch` for every post a tick took: their jobs go to the outbox in one batch
        (one round trip), then each post is marked dispatched (safe to repeat).

        A post that cannot be rendered (a broken template...) stays in the dispatching set
        (logged; `recover` tries it again later) without holding back the others.
        """
        now = self.clock.time()
        articles: dict[str, Article | None] = {}
        ready: list[tuple[QueuedPost, DeliveryJob]] = []
        for post in posts:
            try:
                job = await self._job_for(post, now, articles, report)
            except RedisError:
                raise
            except Exception:
                log.exception("post %s (article %s) could not be rendered; will retry",
                              post.id, post.article_id)  # fmt: skip
                continue
            if job is not None:
                ready.append((post, job))
        if not ready:
            return
        job_ids = await self.outbox.enqueue_many([job for _, job in ready])
        for (post, job), job_id in zip(ready, job_ids, strict=True):
            await self._mark_dispatched(post, job, job_id, now, report)

    async def _job_for(
        self,
        post: QueuedPost,
        now: float,
        articles: dict[str, Article | None],
        report: TickReport,
    ) -> DeliveryJob | None:
        """The post's delivery job, rendered for its channel (None: skipped, with a reason).

        `articles` caches the batch's articles: one article often goes to many channels.
        """
        if post.article_id not in articles:
            articles[post.article_id] = await self.articles.get(post.article_id)
        article = articles[post.article_id]
        channel = await self.channels.get(post.chat_id)
        if article is None or channel is None:
            reason = "article_missing" if article is None else "channel_missing"
            await self._drop(post, reason, report)
            return None
        rubric = await rubric_of(article, self.rubrics)
        return DeliveryJob(
            id=post.job_key,
            kind="channel_post",
            chat_id=channel.id,
            article_id=post.article_id,
            lane="channel",
            not_before=now,
            post=render(article, rubric, channel, breaking=post.mode == "breaking"),
            silent=post.silent,
            pin=post.pin,
            queued_post_id=post.id,
            content_hash=article.content_hash,
        )

    async def _mark_dispatched(
        self, post: QueuedPost, job: DeliveryJob, job_id: str, now: float, report: TickReport
    ) -> None:
        done = post.model_copy(
            update={"state": "dispatched", "dispatched_at": now, "job_id": job_id}
        )
        done = await self.queue.mark_dispatched(done)
        if done.retracted_at is not None and await self._withdraw_job(done, report):
            return
        report.dispatched.append(done)
        log.info("post %s (article %s) dispatched to %s", post.id, post.article_id, job.chat_id)

    async def _withdraw_job(self, post: QueuedPost, report: TickReport) -> bool:
        """A retraction came while the post was being handed over: take its job back if it
        is still waiting (False: it is being sent; the completed hook deletes the copy)."""
        if not post.job_id or not await self.outbox.cancel(post.job_id):
            return False
        cancelled = post.model_copy(update={"state": "cancelled", "reason": "retracted"})
        await self.queue.save(cancelled)
        await self.record_skip(cancelled, "retracted")
        report.skipped.append(cancelled)
        return True

    async def _drop(self, post: QueuedPost, reason: str, report: TickReport) -> None:
        dropped = post.model_copy(update={"state": "skipped", "reason": reason})
        await self.queue.mark_dispatched(dropped)
        await self.record_skip(dropped, reason)
        report.skipped.append(dropped)
        log.warning("post %s skipped: %s", post.id, reason)

    async def skip(
        self, post: QueuedPost, reason: str, report: TickReport, **detail: object
    ) -> bool:
        """Take a pending post out of its queue as skipped, with the reason in the ledger.

        False (nothing written) when another process took the post first.
        """
        skipped = post.model_copy(update={"state": "skipped", "reason": reason})
        if not await self.queue.move(skipped, "none"):
            return False
        await self.record_skip(skipped, reason, **detail)
        report.skipped.append(skipped)
        log.info("post %s (article %s) skipped: %s", post.id, post.article_id, reason)
        return True

    async def record_skip(self, post: QueuedPost, reason: str, **detail: object) -> None:
        """The ledger entry saying why the article did not go out to this chat."""
        entry = LedgerEntry(
            article_id=post.article_id,
            chat_id=post.chat_id,
            status="skipped",
            at=self.clock.time(),
            reason=reason,
            detail={"post_id": post.id, **detail},
        )
        await self.ledger.record(entry)

    async def take(self, post: QueuedPost) -> QueuedPost | None:
        """Move a queued or timed post to dispatching (None: it is no longer there)."""
        taking = post.model_copy(update={"state": "dispatching"})
        if not await self.queue.move(taking, "dispatching", self.clock.time()):
            return None
        return taking

    async def take_and_dispatch(self, post: QueuedPost, report: TickReport) -> bool:
        """Move a queued or timed post to dispatching (if still there) and dispatch it."""
        taking = await self.take(post)
        if taking is None:
            return False
        await self.dispatch(taking, report)
        return True

    async def dispatch_ids(self, post_ids: list[str], report: TickReport) -> None:
        """Dispatch posts a claim script moved to the dispatching set (one batch)."""
        if post_ids:
            await self.dispatch_many(await self.queue.get_many(post_ids), report)

    async def recover(self, now: float, older_than: float, report: TickReport) -> None:
        """Finish dispatches a dead process left half done (claimed before `now - older_than`)."""
        stale = await self.queue.dispatching_before(now - older_than)
        if stale:
            log.warning("recovering %d post(s) left in dispatching", len(stale))
            await self.dispatch_ids(stale, report)
