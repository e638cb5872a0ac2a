"""Readers' copies of an article: the push as a reader gets it, and edits that reach it.

A push is the channel layout with two buttons instead of the read-more link: «Читать
полностью» (the whole text, here in the bot) and «Источник» (the source link, when there
is one). It carries the content hash it was rendered from (`Post.version`).

When an article changes (`/edit`, a re-import), `ReaderCopies.edit` brings every copy up to
date the way the delivery engine sends anything, paced within Telegram's limits: pushes
still waiting (a fan-out's shared payload, quiet hours) are sent in the new version, and
copies already out are edited in place, one `edit` job per reader in the push lane. A copy
that was on its way with the old version is edited once it is out (`after_delivery`, the
engine's completed hook).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from bot.clock import Clock
from bot.formatting.post import PostTemplate, build_post
from bot.subscribers.keyboards import ARTICLE_ID_MAX, OpenArticle
from bot.subscribers.ports import Outbox, Rubrics
from storage.ledger import LIVE_STATUSES
from storage.models.article import Article, Rubric
from storage.models.delivery import DeliveryJob, LedgerEntry
from storage.models.post import Post
from storage.text import slugify

log = logging.getLogger(__name__)

# A reader's copy links the source with a button, not in the text.
_READER_TEMPLATE = PostTemplate(read_more_label="")


class ReaderCopy:
    """Renders the push a reader gets (`PushListener`'s post builder)."""

    def __init__(self, read_label: str, source_label: str) -> None:
        self.read_label = read_label
        self.source_label = source_label

    def __call__(self, article: Article, rubric: Rubric | None) -> Post:
        """The post with its buttons and the version it shows."""
        post = build_post(article, rubric, template=_READER_TEMPLATE)
        return post.model_copy(
            update={"reply_markup": self.keyboard(article), "version": article.content_hash}
        )

    def keyboard(self, article: Article) -> dict[str, Any] | None:
        """«Читать полностью» (the whole text in the bot), «Источник» (the source link)."""
        row: list[dict[str, str]] = []
        if article.id and len(article.id) <= ARTICLE_ID_MAX:
            row.append(
                {"text": self.read_label, "callback_data": OpenArticle(id=article.id).pack()}
            )
        source = (article.source_url or "").strip()
        if source.startswith(("https://", "http://")):
            row.append({"text": self.source_label, "url": source})
        return {"inline_keyboard": [row]} if row else None


class CopyLedger(Protocol):
    """The exactly-once ledger (`storage.ledger.LedgerRepo`)."""

    async def published_copies(self, article_id: str) -> dict[int, int]:
        """chat id -> message id of each live copy."""
        ...

    async def get(self, article_id: str, chat_id: int) -> LedgerEntry | None:
        """The pair's current record."""
        ...


class Versions(Protocol):
    """Stored articles (`storage.articles.ArticleRepo`)."""

    async def is_current(self, article_id: str, content_hash: str) -> bool:
        """Whether the stored article has this content hash."""
        ...

    async def get(self, article_id: str) -> Article | None:
        """One article."""
        ...


class ReaderCopies:
    """Keeps readers' copies of a changed article up to date."""

    def __init__(
        self,
        ledger: CopyLedger,
        outbox: Outbox,
        articles: Versions,
        rubrics: Rubrics,
        render: ReaderCopy,
        clock: Clock,
    ) -> None:
        self._ledger = ledger
        self._outbox = outbox
        self._articles = articles
        self._rubrics = rubrics
        self._render = render
        self._clock = clock

    async def _post(self, article: Article) -> Post:
        return self._render(article, await self._rubrics.get(slugify(article.rubric)))

    async def edit(self, article: Article) -> list[int]:
        """Bring every reader's copy to this version: waiting pushes send it, copies out
        are edited in place (paced, push lane). The readers whose copies get an edit."""
        if article.id is None:
            return []
        post = await self._post(article)
        await self._outbox.replace_payload(f"push-{article.id}", post)
        copies = {
            chat: message
            for chat, message in (await self._ledger.published_copies(article.id)).items()
            if chat > 0
        }
        if copies:
            stamp = int(self._clock.time() * 1000)
            await self._outbox.enqueue_fanout(
                post,
                [(chat, 0.0) for chat in copies],
                kind="edit",
                article_id=article.id,
                ref=f"edit-{article.id}-{article.content_hash[:12]}-{stamp}",
                message_ids=copies,
            )
            log.info("article %s changed: %d reader copy(ies) to edit", article.id, len(copies))
        return sorted(copies)

    async def after_delivery(self, job: DeliveryJob, message_id: int | None) -> None:
        """Completed hook: a reader's push or edit went out rendered from an older version
        of its article (it changed meanwhile): edit that copy to the current one."""
        if job.chat_id <= 0 or job.kind not in ("push", "edit") or not job.article_id:
            return
        version = job.post.version if job.post is not None else None
        message_id = job.message_id if job.kind == "edit" else message_id
        if version is None or message_id is None:
            return
        if await self._articles.is_current(job.article_id, version):
            return
        article = await self._articles.get(job.article_id)
        if article is None or article.content_hash == version or not article.is_public:
            return
        record = await self._ledger.get(job.article_id, job.chat_id)
        if record is None or record.status not in LIVE_STATUSES:
            return
        await self._outbox.enqueue(
            DeliveryJob(
                id=f"edit-{job.article_id}-{job.chat_id}-{article.content_hash[:12]}-{message_id}",
                kind="edit",
                chat_id=job.chat_id,
                article_id=job.article_id,
                lane="push",
                message_id=message_id,
                post=await self._post(article),
                content_hash=article.content_hash,
            )
        )
