"""ArticleService and the articles feature's wiring, against a real Redis."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.app import create_bot
from bot.article_format import ArticleFormatError
from bot.articles import wiring
from bot.articles.service import ArticleService
from bot.clock import VirtualClock
from bot.config import Settings
from bot.context import AppContext, ArticleListener
from bot.texts import build_i18n
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.models.article import Article
from storage.rubrics import RubricRepo

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
DATA = Path(__file__).parent / "data"


class Recorder:
    """An article listener that remembers what it heard."""

    def __init__(self) -> None:
        self.heard: list[tuple[str | None, bool, bool]] = []

    async def article_stored(self, article: Article, *, is_new: bool, changed: bool) -> None:
        self.heard.append((article.id, is_new, changed))


class Broken:
    """A listener whose feature is having a bad day."""

    async def article_stored(self, article: Article, *, is_new: bool, changed: bool) -> None:
        raise RuntimeError("routing exploded")


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(T0)


def make_service(
    redis: Redis, keys: Keys, clock: VirtualClock, *listeners: ArticleListener
) -> ArticleService:
    articles = ArticleRepo(redis, keys, now=clock.now)
    rubrics = RubricRepo(redis, keys, defaults=["Политика", "Экономика"])
    return ArticleService(articles, rubrics, list(listeners), clock)


async def test_import_text_stores_and_notifies(
    redis: Redis, keys: Keys, clock: VirtualClock, sample_text: str
) -> None:
    recorder = Recorder()
    service = make_service(redis, keys, clock, recorder)
    result = await service.import_text(sample_text, source="sample.txt")
    assert (result.article_id, result.is_new, result.changed) == ("1", True, False)
    assert result.rubric.hashtag == "#Политика"
    assert result.article.imported_at == T0
    assert recorder.heard == [("1", True, False)]
    stored = await service.articles.get("1")
    assert stored is not None and stored.author == "Елена Беляева"


async def test_duplicates_are_not_announced_but_changes_are(
    redis: Redis, keys: Keys, clock: VirtualClock, sample_text: str
) -> None:
    recorder = Recorder()
    service = make_service(redis, keys, clock, recorder)
    front = "---\nid: hub\n---\n"
    await service.import_text(front + sample_text)
    duplicate = await service.import_text(front + sample_text)
    assert duplicate.duplicate_of == "hub"
    changed = await service.import_text(front + sample_text.replace("тысячи", "сотни"))
    assert (changed.article_id, changed.changed) == ("hub", True)
    assert recorder.heard == [("hub", True, False), ("hub", False, True)]


async def test_a_failing_listener_does_not_undo_the_import(
    redis: Redis,
    keys: Keys,
    clock: VirtualClock,
    sample_text: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder()
    service = make_service(redis, keys, clock, Broken(), recorder)
    with caplog.at_level(logging.ERROR):
        result = await service.import_text(sample_text)
    assert result.listener_errors == ["Broken"]
    assert recorder.heard == [("1", True, False)]  # the next listener still heard it
    assert await service.articles.get("1") is not None
    assert any("Broken" in r.getMessage() and "article 1" in r.getMessage() for r in caplog.records)


async def test_rubric_spelling_is_unified(
    redis: Redis, keys: Keys, clock: VirtualClock, sample_text: str
) -> None:
    service = make_service(redis, keys, clock)
    result = await service.import_text(sample_text.replace("Политика", "ПОЛИТИКА", 1))
    assert result.article.rubric == "Политика"
    assert [r.name for r in await service.rubrics.all()] == ["Политика", "Экономика"]
    fresh = await service.import_text(sample_text.replace("Политика", "Наука", 1))
    assert (fresh.rubric.slug, fresh.article.rubric) == ("nauka", "Наука")
    assert await service.articles.count_by_rubric("nauka") == 1


async def test_bad_text_raises_and_stores_nothing(
    redis: Redis, keys: Keys, clock: VirtualClock
) -> None:
    recorder = Recorder()
    service = make_service(redis, keys, clock, recorder)
    with pytest.raises(ArticleFormatError) as caught:
        await service.import_text(b"\xff\xfe\x00garbage\x00", source="upload.txt")
    assert caught.value.source == "upload.txt"
    assert await service.articles.count() == 0
    assert recorder.heard == []


async def test_import_article_from_the_desk(redis: Redis, keys: Keys, clock: VirtualClock) -> None:
    service = make_service(redis, keys, clock)
    article = Article(rubric="экономика", headline="Курс тенге", lead="Тенге укрепился.")
    result = await service.import_article(article)
    assert result.is_new
    assert result.article.content_hash == result.article.compute_hash()
    assert result.article.rubric == "Экономика"


@pytest.fixture
async def ctx(redis: Redis, keys: Keys, clock: VirtualClock) -> AsyncIterator[AppContext]:
    settings = Settings(rubrics=["Спорт", "Культура"], article_retention_days=30)
    bot = create_bot("1:test", "http://127.0.0.1:9")
    try:
        yield AppContext(settings, redis, keys, clock, bot, build_i18n())
    finally:
        await bot.session.close()


async def test_wiring_builds_services_without_touching_redis(
    ctx: AppContext, redis: Redis, sample_text: str
) -> None:
    recorder = Recorder()
    feature = wiring.build(ctx, {"article_listeners": [recorder]})
    assert feature.name == "articles"
    assert set(feature.workflow_data) == {"articles", "rubrics", "article_service"}
    assert await redis.dbsize() == 0  # rubrics are seeded lazily
    service = feature.workflow_data["article_service"]
    await service.import_text(sample_text)
    assert recorder.heard == [("1", True, False)]
    names = [r.name for r in await feature.workflow_data["rubrics"].all()]
    assert names == ["Спорт", "Культура", "Политика"]


async def test_a_failed_store_registers_no_rubric(
    redis: Redis, keys: Keys, clock: VirtualClock
) -> None:
    """The rubric of a new article is registered in the same atomic step as the article."""
    service = make_service(redis, keys, clock)
    await redis.set(keys.articles_all(), "not a sorted set")  # the store script refuses
    with pytest.raises(Exception, match="expected a zset; nothing was written"):
        await service.import_text("Наука\n\nЗаголовок\n\nЛид.")
    assert not await redis.hexists(keys.rubrics(), "nauka")
    assert not await redis.exists(keys.article("1"))
    await redis.delete(keys.articles_all())
    result = await service.import_text("НАУКА\n\nЗаголовок\n\nЛид.")
    assert (result.rubric.name, result.rubric.hashtag) == ("НАУКА", "#НАУКА")
    assert await redis.hexists(keys.rubrics(), "nauka")
    again = await service.import_text("наука\n\nДругой заголовок\n\nЛид.")
    assert again.rubric.name == "НАУКА"  # the first spelling registered wins
