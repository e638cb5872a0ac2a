"""The editor's drafts: composing, previewing exactly as the channel will show it, submitting.

A draft lives in Redis from the first step, so a dialogue abandoned half-way stays in
`/drafts`. Submitting imports the draft as an article (the articles feature tells routing,
pushes and search about it) and plans it for the chosen channel with the chosen mode.

The articles feature is built after the desk, so its services (`article_service`,
`rubrics`) are looked up at call time in the shared `services` mapping (the features'
workflow data, filled as each feature is built).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.article_format import parse_article
from bot.articles.service import Plan
from bot.clock import Clock
from bot.desk.article_rights import ArticleRights
from bot.desk.audit import Actor
from bot.desk.forwarded import Entity, read_forward
from bot.publishing.render import render, rubric_of
from bot.publishing.service import PublishingService
from storage.channels import ChannelRepo
from storage.drafts import DraftRepo
from storage.models.article import Article, Rubric
from storage.models.channel import Channel
from storage.models.draft import Draft, DraftOrigin
from storage.models.post import Post
from storage.models.queue import PostMode, QueuedPost

_URL = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)
MAX_HEADLINE = 300
MAX_LEAD = 3000


class DraftError(ValueError):
    """Input the draft cannot take; `code` picks the editor's message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Submitted:
    """A submitted draft: the stored article and its planned posts."""

    article_id: str
    posts: list[QueuedPost]
    apart_from: str | None = None
    updated: bool = False  # it replaced an article already out there: its copies are edited


def is_url(text: str) -> bool:
    """An http(s) link without spaces."""
    return bool(_URL.match(text.strip()))


class DraftService:
    """Drafts from the first step to the queue."""

    def __init__(
        self,
        repo: DraftRepo,
        channels: ChannelRepo,
        publisher: PublishingService,
        clock: Clock,
        services: Mapping[str, Any],
        rights: ArticleRights,
    ) -> None:
        self.repo = repo
        self._channels = channels
        self._publisher = publisher
        self._clock = clock
        self._services = services
        self._rights = rights

    def _service(self, name: str) -> Any:
        service = self._services.get(name)
        if service is None:
            raise RuntimeError(f"the desk needs the {name!r} service, which is not built")
        return service

    async def start(
        self, user_id: int, *, origin: DraftOrigin = "new", chat_id: int | None = None
    ) -> Draft:
        """A new empty draft of this editor."""
        now = self._clock.time()
        draft = Draft(
            id=await self.repo.next_id(),
            user_id=user_id,
            created_at=now,
            updated_at=now,
            origin=origin,
            chat_id=chat_id,
        )
        await self.repo.save(draft)
        return draft

    async def get(self, user_id: int, draft_id: str) -> Draft | None:
        """The editor's own draft (another editor's draft id yields None)."""
        draft = await self.repo.get(draft_id)
        return draft if draft is not None and draft.user_id == user_id else None

    async def someone_elses(self, user_id: int, draft_id: str) -> Draft | None:
        """The draft `draft_id` when it exists and belongs to another editor (a forged or
        forwarded button), so the refusal can be audited with its channel."""
        draft = await self.repo.get(draft_id)
        return draft if draft is not None and draft.user_id != user_id else None

    async def update(self, draft: Draft, **changes: Any) -> Draft:
        """Store changed fields (validated) and the time of the change."""
        _validate(changes)
        changed = draft.model_copy(update={**changes, "updated_at": self._clock.time()})
        await self.repo.save(changed)
        return changed

    async def drafts_of(self, user_id: int, limit: int = 20) -> list[Draft]:
        """The editor's drafts, newest change first."""
        return await self.repo.list_for(user_id, limit)

    async def delete(self, draft: Draft) -> None:
        """Forget a draft."""
        await self.repo.delete(draft)

    async def rubrics_for(self, chat_id: int | None) -> list[Rubric]:
        """The rubrics the channel publishes (all of them when it routes every rubric)."""
        rubrics: list[Rubric] = await self._service("rubrics").all()
        channel = await self._channels.get(chat_id) if chat_id is not None else None
        if channel is None or channel.routing is None:
            return rubrics
        return [r for r in rubrics if channel.routes(r.slug)] or rubrics

    async def rubric(self, slug_or_name: str) -> Rubric | None:
        """A registered rubric by slug, name or hashtag."""
        repo = self._service("rubrics")
        found: Rubric | None = await repo.get(slug_or_name) or await repo.find(slug_or_name)
        return found

    def to_article(
        self, draft: Draft, rubric: Rubric | None, published_at: datetime | None = None
    ) -> Article:
        """The article a draft becomes (typography and escaping happen in the post builder).

        `published_at`: its publication time, now by default; a post for a later slot has
        none (it is dated by the moment it goes out).
        """
        if not draft.headline:
            raise DraftError("no_headline")
        return Article(
            id=draft.article_ref,
            rubric=rubric.name if rubric else (draft.rubric or ""),
            headline=draft.headline,
            lead=draft.lead,
            body=list(draft.body),
            photo_url=draft.photo_url,
            photo_file_id=draft.photo_file_id,
            photo_credit=draft.photo_credit,
            source_url=draft.source_url,
            author=draft.author,
            published_at=published_at,
        ).with_hash()

    async def channel(self, draft: Draft) -> Channel:
        """The channel the draft is for."""
        channel = await self._channels.get(draft.chat_id) if draft.chat_id else None
        if channel is None:
            raise DraftError("no_channel")
        return channel

    async def preview(self, draft: Draft) -> Post:
        """The post exactly as the channel will publish it (its template, its rubric)."""
        channel = await self.channel(draft)
        found = await self.rubric(draft.rubric or "")
        article = self.to_article(draft, found, self._clock.now())
        rubric = found or await rubric_of(article, self._service("rubrics"))
        return render(article, rubric, channel)

    async def from_text(self, user_id: int, text: str | bytes, source: str) -> Draft:
        """A draft from a newsroom-format file (raises ArticleFormatError with the line)."""
        article = parse_article(text, source=source)
        rubric = await self.rubric(article.rubric)
        fields = {
            "rubric": rubric.slug if rubric else article.rubric,
            "headline": article.headline,
            "lead": article.lead,
            "body": list(article.body),
            "photo_url": article.photo_url,
            "photo_credit": article.photo_credit,
            "source_url": article.source_url,
            "author": article.author,
            "article_ref": article.id,
        }
        _validate(fields)  # before the draft exists: a refused file leaves no empty draft
        return await self.update(await self.start(user_id, origin="txt"), **fields)

    async def from_forward(
        self,
        user_id: int,
        text: str,
        photo_file_id: str | None,
        source_url: str | None,
        entities: Sequence[Entity] = (),
    ) -> Draft:
        """A draft from a forwarded post, read through its formatting (`read_forward`):
        the bold run is the headline, an italic `Фото: …` the credit, a hashtag the rubric
        (when it is a registered one), a link on its own line the source."""
        post = read_forward(text, entities)
        if not post.headline:
            raise DraftError("empty_forward")
        rubric = await self.rubric(post.hashtag) if post.hashtag else None
        draft = await self.start(user_id, origin="forward")
        return await self.update(
            draft,
            rubric=rubric.slug if rubric else None,
            headline=post.headline[:MAX_HEADLINE],
            lead=post.lead[:MAX_LEAD],
            body=post.body,
            photo_file_id=photo_file_id,
            photo_credit=post.photo_credit,
            source_url=post.source_url or source_url,
        )

    async def submit(
        self, draft: Draft, mode: PostMode, at: datetime | None = None, *, actor: Actor
    ) -> Submitted:
        """Import the draft as an article and plan it for its channel; the draft is done.

        The import carries the plan, so a post for a slot or a time is embargoed until it
        is out: no reader sees it before. It goes through `ArticleRights.import_as`: a draft
        that matches an article (same source, same content, the file's `id:`) which channels
        the author has no role in already hold becomes a new article of its own instead of
        changing or sharing that one. A NEW article is routed to every channel publishing its
        rubric; its routed copies in channels where the author has no role are withdrawn
        (ledger: skipped, cancelled), so a desk post only goes where its author may publish.
        An existing article's posts are never withdrawn.
        """
        channel = await self.channel(draft)
        rubric = await self.rubric(draft.rubric or "")
        published_at = at if mode == "at" else None if mode == "next_slot" else self._clock.now()
        article = self.to_article(draft, rubric, published_at)
        plan = Plan(channel.id, mode, at)  # a breaking post pins as the channel says
        result = await self._rights.import_as(actor, article, f"/new:{mode}", plan=plan)
        refused = result.not_queued
        if refused is not None and not (result.changed and refused.code == "already_published"):
            raise refused  # (a corrected version of a published article: its copies are edited)
        article_id = str(result.article_id)
        posts = result.posts
        if result.is_new:
            await self._rights.withdraw_fresh_copies(actor, article_id, channel.id)
        await self.update(draft, status="queued", article_id=article_id)
        await self.repo.delete(draft)
        return Submitted(
            article_id=article_id,
            posts=posts,
            apart_from=result.apart_from,
            updated=result.changed and not posts,
        )


def _validate(changes: Mapping[str, Any]) -> None:
    headline = changes.get("headline")
    if headline is not None and not (0 < len(headline.strip()) <= MAX_HEADLINE):
        raise DraftError("bad_headline")
    lead = changes.get("lead")
    if lead is not None and len(lead) > MAX_LEAD:
        raise DraftError("bad_lead")
    for field in ("photo_url", "source_url"):
        value = changes.get(field)
        if value is not None and not is_url(value):
            raise DraftError(f"bad_{field}")
