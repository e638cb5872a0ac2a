"""Builders shared by the subscriber tests."""

from __future__ import annotations

from datetime import UTC, datetime

from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.config import Settings
from bot.subscribers.rubric_names import RubricAliases
from bot.subscribers.service import SubscriberService
from bot.texts import build_i18n
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.models.article import Article, Rubric
from storage.models.post import Post
from storage.rubrics import RubricRepo
from storage.subscriptions import SubscriptionRepo

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 11:00 in Almaty


def settings() -> Settings:
    return Settings(_env_file=None, timezone="Asia/Almaty")


def text_post(article: Article, rubric: Rubric | None) -> Post:
    """A minimal full-post builder for service tests that only check which article is used."""
    label = rubric.name if rubric else "?"
    return Post(method="sendMessage", text=f"{label}: {article.headline}")


def article(aid: str, rubric: str, headline: str, minutes_ago: int) -> Article:
    published = datetime.fromtimestamp(NOW.timestamp() - minutes_ago * 60, UTC)
    return Article(id=aid, rubric=rubric, headline=headline, published_at=published)


def make_service(redis: Redis, keys: Keys, clock: VirtualClock) -> SubscriberService:
    s = settings()
    return SubscriberService(
        SubscriptionRepo(redis, keys, shards=8, user_shards=8),
        RubricRepo(redis, keys, defaults=s.rubrics),
        ArticleRepo(redis, keys, now=clock.now),
        s,
        clock,
        text_post,
        aliases=RubricAliases(build_i18n("ru")),
    )
