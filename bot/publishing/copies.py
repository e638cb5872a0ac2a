"""Published copies and refused posts: edit in place, retract, put a refused post back.

Edits and deletions are delivery jobs (`edit`, `delete`) per copy the ledger knows
(`published_copies`); the engine records `edited` / `retracted` when Telegram confirms.
A copy still on its way when the article changes or is retracted is followed up by
`after_delivery`, the delivery engine's completed hook: each job carries the content hash
it was rendered from, and a post being sent carries a retraction flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.publishing.dispatch import PostDispatcher
from bot.publishing.embargo import Embargoes
from bot.publishing.errors import PublishingError
from bot.publishing.parts import Collaborators, PublishingPart
from bot.publishing.render import render, rubric_of
from storage.models.article import Article
from storage.models.delivery import DeliveryJob, LedgerEntry
from storage.models.queue import QueuedPost


@dataclass(frozen=True)
class RetractResult:
    """What a retraction did, by chat: `deleted` (delete jobs enqueued), `cancelled` (copies
    that will not go out) and `following` (copies being sent now: deleted once out)."""

    deleted: list[int]
    cancelled: list[int]
    following: list[int] = field(default_factory=list)


_RETRACTED: dict[str, object] = {"state": "cancelled", "reason": "retracted"}


class Copies(PublishingPart):
    """Acts on an article's copies in every channel."""

    def __init__(
        self, deps: Collaborators, *, dispatcher: PostDispatcher, embargoes: Embargoes
    ) -> None:
        super().__init__(deps)
        self.dispatcher = dispatcher
        self.embargoes = embargoes

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
        """Edit every channel copy in place with the article's current text; the chat ids.

        Copies still on their way are not here: the completed hook (`after_delivery`)
        edits them once they are out if they were rendered from an older version. Readers'
        copies (private chats) are the subscribers feature's (`bot.subscribers.copies`).
        """
        article_id = str(article.id)
        edited: list[int] = []
        stamp = int(self.clock.time() * 1000)
        for chat_id, message_id in (await self.ledger.published_copies(article_id)).items():
            if chat_id > 0:
                continue  # a reader's copy
            suffix = f"{article.content_hash[:12]}-{stamp}"
            if await self._enqueue_edit(article, chat_id, message_id, suffix):
                edited.append(chat_id)
        return edited

    async def _enqueue_edit(
        self, article: Article, chat_id: int, message_id: int, suffix: str
    ) -> bool:
        """An edit job for one copy, rendered for its channel (False: channel unknown)."""
        channel = await self.channels.get(chat_id)
        if channel is None:
            return False
        article_id = str(article.id)
        rubric = await rubric_of(article, self.rubrics)
        breaking = await self._was_breaking(article_id, chat_id)
        job = DeliveryJob(
            id=f"edit-{article_id}-{chat_id}-{suffix}",
            kind="edit",
            chat_id=chat_id,
            article_id=article_id,
            message_id=message_id,
            post=render(article, rubric, channel, breaking=breaking),
            content_hash=article.content_hash,
        )
        await self.outbox.enqueue(job)
        return True

    async def _was_breaking(self, article_id: str, chat_id: int) -> bool:
        """Whether the copy in this chat went out as breaking news (an edit keeps its marker)."""
        post_id = (await self.queue.links(article_id)).get(chat_id)
        post = await self.queue.get(post_id) if post_id else None
        return post is not None and post.mode == "breaking"

    async def retract(self, article_id: str) -> RetractResult:
        """Delete every published copy and stop every copy that has not gone out.

        Copies being handed over or sent are flagged first and the ledger is read after,
        while the completed hook writes the ledger first and reads the flag after: either
        side sees the copy, so none stays up (both may: the delete job id is the same).
        """
        links = await self.queue.links(article_id)
        if (
            not links
            and await self.articles.get(article_id) is None
            and not await self.ledger.published_copies(article_id)
        ):
            raise PublishingError("unknown_article", f"no article with id {article_id!r}")
        cancelled: list[int] = []
        following: list[int] = []
        for chat_id, post_id in links.items():
            outcome = await self._withdraw(post_id)
            if outcome == "cancelled":
                cancelled.append(chat_id)
            elif outcome == "following":
                following.append(chat_id)
        copies = await self.ledger.published_copies(article_id)
        for chat_id, message_id in copies.items():
            await self._enqueue_delete(article_id, chat_id, message_id)
        await self._forget_if_embargoed(article_id)
        return RetractResult(
            deleted=sorted(copies),
            cancelled=sorted(c for c in cancelled if c not in copies),
            following=sorted(c for c in following if c not in copies),
        )

    async def _forget_if_embargoed(self, article_id: str) -> None:
        """An article retracted before its time leaves no trace for readers: it is deleted
        (the ledger keeps the operator's record), so no time, post or tick can release it."""
        article = await self.articles.get(article_id)
        if article is not None and not article.is_public:
            await self.articles.delete(article_id)

    async def _enqueue_delete(self, article_id: str, chat_id: int, message_id: int) -> None:
        await self.outbox.enqueue(
            DeliveryJob(
                id=f"delete-{article_id}-{chat_id}-{message_id}",
                kind="delete",
                chat_id=chat_id,
                article_id=article_id,
                message_id=message_id,
            )
        )

    async def _withdraw(self, post_id: str) -> str | None:
        """Stop a copy that has not gone out: `cancelled` (out of its queue, or its job out of
        the outbox), `following` (being sent: flagged, deleted once out) or None."""
        post = await self.queue.get(post_id)
        if post is None:
            return None
        if post.state in ("queued", "scheduled"):
            retracted = post.model_copy(update=_RETRACTED)
            if await self.queue.move(retracted, "none"):
                await self.dispatcher.record_skip(retracted, "retracted")
                return "cancelled"
            current = await self.queue.get(post_id)
            if current is None or current.state not in ("queued", "scheduled"):
                return await self._withdraw(post_id)  # it changed meanwhile: look again
            # Still "waiting" but out of its queue: a tick's claim took it (dispatching).
        elif post.state not in ("dispatching", "dispatched"):
            return None
        return await self._withdraw_sending(post_id)

    async def _withdraw_sending(self, post_id: str) -> str:
        """Flag a post handed to the engine, then take its job back if it is still waiting."""
        now = self.clock.time()
        flagged = await self.queue.update(post_id, lambda p: _flag(p, now))
        if flagged is None or not flagged.job_id:
            return "following"  # still being handed over: `dispatch` sees the flag
        if not await self.outbox.cancel(flagged.job_id):
            return "following"
        retracted = flagged.model_copy(update=_RETRACTED)
        await self.queue.save(retracted)
        await self.dispatcher.record_skip(retracted, "retracted")
        return "cancelled"

    async def after_delivery(self, job: DeliveryJob, message_id: int | None) -> None:
        """Completed hook: a post or edit is out. Delete it if its article was retracted
        meanwhile; a post lifts its article's embargo; edit it again if the article
        changed after the job was rendered."""
        if job.kind not in ("channel_post", "edit") or not job.article_id:
            return
        message_id = job.message_id if job.kind == "edit" else message_id
        if message_id is None:
            return
        if job.kind == "channel_post" and await self._retracted_meanwhile(job):
            await self._enqueue_delete(job.article_id, job.chat_id, message_id)
            return
        if job.kind == "channel_post":
            await self.embargoes.release(job.article_id)  # its first post is out
        if job.content_hash is None:
            return
        article = await self.articles.get(job.article_id)
        if article is None or article.content_hash == job.content_hash:
            return
        record = await self.ledger.get(job.article_id, job.chat_id)
        if record is not None and record.status == "retracted":
            return
        suffix = f"{article.content_hash[:12]}-after-{message_id}"
        await self._enqueue_edit(article, job.chat_id, message_id, suffix)

    async def _retracted_meanwhile(self, job: DeliveryJob) -> bool:
        if not job.queued_post_id:
            return False
        post = await self.queue.get(job.queued_post_id)
        return post is not None and post.retracted_at is not None


def _flag(post: QueuedPost, now: float) -> QueuedPost:
    """Mark a post whose copy is on its way as retracted (kept if already marked)."""
    if post.retracted_at is not None:
        return post
    return post.model_copy(update={"retracted_at": now, "reason": "retracted"})
