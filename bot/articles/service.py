"""Importing articles: parse, register the rubric, store, tell the other features.

Every way an article enters Vestnik (the `vestnik import` CLI, an editor's upload, the
editor's desk composing one) goes through `ArticleService`, so routing, pushes and edits
of published copies happen the same way whatever the source.

An import may carry a `Plan` (a channel, a mode, a time): the plan is checked first, the
article is stored embargoed when the plan is for later (a slot or a time), and then
queued. An embargoed article reaches no reader until its first channel post is out or its
own publication time comes (`bot.publishing.embargo`). An import without a plan is public
at once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field
from redis.exceptions import RedisError

from bot.article_format import parse_article
from bot.clock import Clock
from bot.context import ArticleListener
from bot.publishing.errors import PublishingError
from storage.articles import ArticleRepo, MayTouch
from storage.models.article import Article, Rubric
from storage.models.queue import PostMode, QueuedPost
from storage.rubrics import RubricRepo

if TYPE_CHECKING:
    from bot.publishing.service import PublishingService

log = logging.getLogger(__name__)
LATER: frozenset[str] = frozenset({"next_slot", "at"})


@dataclass(frozen=True)
class Plan:
    """Where and when an imported article goes out: one channel, a mode, a time.

    A plan for later (`next_slot`, `at`) embargoes the article until it is out; `breaking`
    and `now` go out at once, so the article is public at once.
    """

    chat_id: int
    mode: PostMode = "next_slot"
    at: datetime | None = None
    pin: bool | None = None  # None: a breaking post is pinned where the channel says

    @property
    def later(self) -> bool:
        """Whether the article waits (a slot or a time), hence is embargoed meanwhile."""
        return self.mode in LATER


class ImportResult(BaseModel):
    """What an import did: the stored article, its rubric and whether it was new or changed.

    `duplicate_of` is set when the same content was already stored (nothing was done);
    `apart_from` when it matched that article but the importer may not touch it, so it was
    stored as a new article of its own; `listener_errors` names the features that failed
    to react (the import still stands).
    With a plan: `posts` are the planned posts, or `not_queued` says why the plan failed
    after the article was stored (it stays stored and, if embargoed, not public).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    article: Article
    rubric: Rubric
    is_new: bool
    changed: bool = False
    duplicate_of: str | None = None
    apart_from: str | None = None
    listener_errors: list[str] = Field(default_factory=list)
    posts: list[QueuedPost] = Field(default_factory=list)
    not_queued: PublishingError | None = None

    @property
    def article_id(self) -> str:
        """The stored article's id."""
        return self.article.id or ""


class ArticleService:
    """Imports newsroom texts and `Article`s into storage and notifies the listeners."""

    def __init__(
        self,
        articles: ArticleRepo,
        rubrics: RubricRepo,
        listeners: Sequence[ArticleListener],
        clock: Clock,
        *,
        tz: tzinfo | None = None,
        publisher: PublishingService | None = None,
    ) -> None:
        self.articles = articles
        self.rubrics = rubrics
        self.listeners = list(listeners)
        self.clock = clock
        self.tz = tz
        self.publisher = publisher

    async def import_text(
        self, text: str | bytes, *, source: str = "<text>", plan: Plan | None = None
    ) -> ImportResult:
        """Parse a newsroom text (raises `ArticleFormatError`) and import it."""
        return await self.import_article(parse_article(text, source=source, tz=self.tz), plan=plan)

    async def import_article(
        self, article: Article, *, plan: Plan | None = None, may_touch: MayTouch | None = None
    ) -> ImportResult:
        """Store an article (deduplicated, or replacing the one with its source/id) and notify.

        The rubric is resolved to its canonical name first, so `политика` files under the
        existing `Политика`; a new rubric is registered in the same atomic step as the
        article. Listeners hear about new and changed articles only.

        `plan`: checked before anything is stored (an unknown or inactive channel, a past
        time raise `PublishingError`); a plan for later stores a new article embargoed, in
        the same step as the article; then the article is queued as planned.
        `may_touch` (see `ArticleRepo.store`) keeps the import away from articles its
        author has no rights to.
        """
        publisher = await self._checked(plan)
        rubric = await self.rubrics.resolve(article.rubric)
        prepared = article.model_copy(
            update={"rubric": rubric.name, "imported_at": self.clock.now()}
        ).with_hash()
        embargoed = plan is not None and plan.later
        stored = await self.articles.store(
            prepared, rubric=rubric, embargoed=embargoed, may_touch=may_touch
        )
        result = ImportResult(
            article=stored.article,
            rubric=rubric,
            is_new=stored.is_new,
            changed=stored.changed,
            duplicate_of=stored.duplicate_of,
            apart_from=stored.apart_from,
        )
        if stored.is_new or stored.changed:
            result.listener_errors = await self._notify(
                stored.article, stored.is_new, stored.changed
            )
        log.info(
            "article %s %s (%s)", result.article_id, _verb(result), result.article.headline[:60]
        )
        if plan is not None and publisher is not None:
            await self._queue(publisher, result, plan)
        return result

    async def _checked(self, plan: Plan | None) -> PublishingService | None:
        """The publisher, once the plan is known to be possible (raises `PublishingError`)."""
        if plan is None:
            return None
        if self.publisher is None:
            raise RuntimeError("an import with a plan needs the publishing service")
        await self.publisher.check_plan(plan.chat_id, plan.mode, plan.at)
        return self.publisher

    async def _queue(self, publisher: PublishingService, result: ImportResult, plan: Plan) -> None:
        """Queue the stored article as planned; a refusal is kept in `result.not_queued`."""
        try:
            result.posts = await publisher.queue_article(
                result.article_id, plan.chat_id, plan.mode, at=plan.at, pin=plan.pin
            )
        except PublishingError as exc:
            log.warning("article %s stored but not queued: %s", result.article_id, exc)
            result.not_queued = exc

    async def _notify(self, article: Article, is_new: bool, changed: bool) -> list[str]:
        """Tell every listener; one failing is logged and does not stop the others."""
        failed: list[str] = []
        for listener in self.listeners:
            name = type(listener).__name__
            try:
                await listener.article_stored(article, is_new=is_new, changed=changed)
            except RedisError as exc:  # an outage, not a bug: one line, no traceback
                log.error("listener %s failed for article %s: Redis: %s", name, article.id, exc)
                failed.append(name)
            except Exception:
                log.exception("listener %s failed for article %s", name, article.id)
                failed.append(name)
        return failed


def _verb(result: ImportResult) -> str:
    if result.apart_from:
        return f"imported apart from {result.apart_from}"
    if result.duplicate_of:
        return f"duplicate of {result.duplicate_of}"
    return "updated" if result.changed else "imported"
