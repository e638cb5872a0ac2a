"""Importing articles: parse, register the rubric, store, tell the other features.

Every way an article enters Vestnik (the `vestnik import` CLI, an editor's upload, the
editor's desk composing one) goes through `ArticleService`, so routing, pushes and edits
of published copies happen the same way whatever the source.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import tzinfo

from pydantic import BaseModel, Field
from redis.exceptions import RedisError

from bot.article_format import parse_article
from bot.clock import Clock
from bot.context import ArticleListener
from storage.articles import ArticleRepo
from storage.models.article import Article, Rubric
from storage.rubrics import RubricRepo

log = logging.getLogger(__name__)


class ImportResult(BaseModel):
    """What an import did: the stored article, its rubric and whether it was new or changed.

    `duplicate_of` is set when the same content was already stored (nothing was done);
    `listener_errors` names the features that failed to react (the import still stands).
    """

    article: Article
    rubric: Rubric
    is_new: bool
    changed: bool = False
    duplicate_of: str | None = None
    listener_errors: list[str] = Field(default_factory=list)

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
    ) -> None:
        self.articles = articles
        self.rubrics = rubrics
        self.listeners = list(listeners)
        self.clock = clock
        self.tz = tz

    async def import_text(self, text: str | bytes, *, source: str = "<text>") -> ImportResult:
        """Parse a newsroom text (raises `ArticleFormatError`) and import it."""
        return await self.import_article(parse_article(text, source=source, tz=self.tz))

    async def import_article(self, article: Article) -> ImportResult:
        """Store an article (deduplicated, or replacing the one with its source/id) and notify.

        The rubric is resolved to its canonical name first, so `политика` files under the
        existing `Политика`; a new rubric is registered in the same atomic step as the
        article. Listeners hear about new and changed articles only.
        """
        rubric = await self.rubrics.resolve(article.rubric)
        prepared = article.model_copy(
            update={"rubric": rubric.name, "imported_at": self.clock.now()}
        ).with_hash()
        stored = await self.articles.store(prepared, rubric=rubric)
        result = ImportResult(
            article=stored.article,
            rubric=rubric,
            is_new=stored.is_new,
            changed=stored.changed,
            duplicate_of=stored.duplicate_of,
        )
        if stored.is_new or stored.changed:
            result.listener_errors = await self._notify(
                stored.article, stored.is_new, stored.changed
            )
        log.info(
            "article %s %s (%s)", result.article_id, _verb(result), result.article.headline[:60]
        )
        return result

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
    if result.duplicate_of:
        return f"duplicate of {result.duplicate_of}"
    return "updated" if result.changed else "imported"
