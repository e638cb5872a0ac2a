"""Published copies and refused posts: edit in place, retract, put a refused post back.

Edits and deletions are delivery jobs (`edit`, `delete`) per copy the ledger knows
(`published_copies`); the engine records `edited` / `retracted` when Telegram confirms.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.publishing.dispatch import PostDispatcher
from bot.publishing.errors import PublishingError
from bot.publishing.parts import Collaborators, PublishingPart
from bot.publishing.render import render, rubric_of
from storage.models.article import Article
from storage.models.delivery import DeliveryJob, LedgerEntry


@dataclass(frozen=True)
class RetractResult:
    """What a retraction did: delete jobs enqueued, queued copies removed."""

    deleted: list[int]
    cancelled: list[int]


class Copies(PublishingPart):
    """Acts on an article's copies in every channel."""

    def __init__(self, deps: Collaborators, *, dispatcher: PostDispatcher) -> None:
        super().__init__(deps)
        self.dispatcher = dispatcher

    async def requeue_refused(self, chat_id: int, job: DeliveryJob, description: str) -> None:
        """Delivery hook: Telegram refused a channel post (403, no rights). The post goes
        back to the head of the channel's queue under a new id (its old job id is spent),
        so it goes out once the bot may post again instead of being lost. Idempotent."""
        if job.kind != "channel_post" or not job.queued_post_id:
            return
        old = await self.queue.get(job.queued_post_id)
        if old is None or old.state != "dispatched" or old.chat_id != chat_id:
            return
        bounds = await self.queue.queue_bounds(chat_id)
        fresh = old.model_copy(
            update={
                "id": await self.queue.next_id(),
                "state": "queued",
                "mode": "breaking" if old.mode == "breaking" else "next_slot",
                "due_at": None,
                "dispatched_at": None,
                "job_id": None,
            }
        )
        if not await self.queue.add(fresh, (bounds[0] if bounds else 0.0) - 1.0, expect=old.id):
            return
        await self.queue.save(old.model_copy(update={"reason": f"refused: {description}"}))
        await self.ledger.record(
            LedgerEntry(
                article_id=old.article_id,
                chat_id=chat_id,
                status="queued",
                at=self.clock.time(),
                reason="requeued after refusal",
                detail={"post_id": fresh.id, "previous_post_id": old.id},
            )
        )

    async def edit(self, article: Article) -> list[int]:
        """Edit every published copy in place with the article's current text; the chat ids."""
        article_id = str(article.id)
        rubric = await rubric_of(article, self.rubrics)
        edited: list[int] = []
        stamp = int(self.clock.time() * 1000)
        for chat_id, message_id in (await self.ledger.published_copies(article_id)).items():
            channel = await self.channels.get(chat_id)
            if channel is None:
                continue
            job = DeliveryJob(
                id=f"edit-{article_id}-{chat_id}-{article.content_hash[:12]}-{stamp}",
                kind="edit",
                chat_id=chat_id,
                article_id=article_id,
                message_id=message_id,
                post=render(article, rubric, channel),
            )
            await self.outbox.enqueue(job)
            edited.append(chat_id)
        return edited

    async def retract(self, article_id: str) -> RetractResult:
        """Delete every published copy and remove every copy still waiting."""
        copies = await self.ledger.published_copies(article_id)
        links = await self.queue.links(article_id)
        if not copies and not links and await self.articles.get(article_id) is None:
            raise PublishingError("unknown_article", f"no article with id {article_id!r}")
        for chat_id, message_id in copies.items():
            await self.outbox.enqueue(
                DeliveryJob(
                    id=f"delete-{article_id}-{chat_id}-{message_id}",
                    kind="delete",
                    chat_id=chat_id,
                    article_id=article_id,
                    message_id=message_id,
                )
            )
        cancelled = [c for c in links if c not in copies and await self._withdraw(links[c])]
        return RetractResult(deleted=sorted(copies), cancelled=sorted(cancelled))

    async def _withdraw(self, post_id: str) -> bool:
        """Stop a copy that has not gone out: out of its queue, or its job out of the outbox."""
        post = await self.queue.get(post_id)
        if post is None:
            return False
        retracted = post.model_copy(update={"state": "cancelled", "reason": "retracted"})
        if post.state in ("queued", "scheduled"):
            done = await self.queue.move(retracted, "none")
        elif post.state == "dispatched" and post.job_id:
            done = await self.outbox.cancel(post.job_id)
            if done:
                await self.queue.save(retracted)
        else:
            done = False
        if done:
            await self.dispatcher.record_skip(retracted, "retracted")
        return done
