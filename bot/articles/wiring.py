"""Wiring of the articles feature: repositories and the import service.

Built last (see `bot.features`), so `deps["article_listeners"]` already holds every other
feature's listener. Configured rubrics are seeded lazily by `RubricRepo` on first use:
nothing touches Redis while the application is being assembled.
"""

from __future__ import annotations

from typing import Any

from bot.articles.service import ArticleService
from bot.context import AppContext, Feature
from storage.articles import ArticleRepo
from storage.rubrics import RubricRepo


def build(ctx: AppContext, deps: dict[str, Any]) -> Feature:
    """Workflow data `articles`, `rubrics` and `article_service` (their retention is the
    retention feature's sweep)."""
    articles = ArticleRepo(ctx.redis, ctx.keys, now=ctx.clock.now)
    rubrics = RubricRepo(ctx.redis, ctx.keys, defaults=ctx.settings.rubrics)
    service = ArticleService(
        articles,
        rubrics,
        list(deps.get("article_listeners", [])),
        ctx.clock,
        tz=ctx.settings.tz,
        publisher=deps.get("publisher"),
    )
    return Feature(
        name="articles",
        workflow_data={"articles": articles, "rubrics": rubrics, "article_service": service},
    )
