"""Morphological search: word forms find each other, newest first, re-indexing is exact."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from bot.article_format import parse_article
from bot.subscribers.search import Lemmatizer, SearchService, shared_morph, tokenize
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.models.article import Article
from storage.search_index import SearchIndex


@pytest.fixture(scope="module")
def lemmatizer() -> Lemmatizer:
    return Lemmatizer(shared_morph())


def test_tokenize_lowercases_and_reads_yo_as_ye() -> None:
    assert tokenize("Ёлка, 80-летия ООН!") == ["елка", "80", "летия", "оон"]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Токаева", "Токаев заявил"),
        ("Токаев", "встреча с Токаевым"),
        ("хабом", "международный хаб"),
        ("хаб", "становится хабом"),
        ("ёлка", "главная елка страны"),
        ("добровольцы", "Программа добровольцев ООН"),
    ],
)
def test_word_forms_match(lemmatizer: Lemmatizer, query: str, text: str) -> None:
    doc = lemmatizer.document_terms([text])
    groups = lemmatizer.query_groups(query)
    assert len(groups) == 1
    assert doc & set(groups[0])


def test_unrelated_words_do_not_match(lemmatizer: Lemmatizer) -> None:
    doc = lemmatizer.document_terms(["Токаев заявил о хабе"])
    assert not doc & set(lemmatizer.query_groups("футбол")[0])


def test_function_words_are_not_searchable(lemmatizer: Lemmatizer) -> None:
    assert lemmatizer.query_groups("и в на") == []
    assert lemmatizer.query_groups("   ") == []
    assert "в" not in lemmatizer.document_terms(["в Алматы"])


def _article(aid: str, headline: str, day: int) -> Article:
    return Article(
        id=aid,
        rubric="Политика",
        headline=headline,
        lead="",
        published_at=datetime(2026, 11, day, 9, 0, tzinfo=UTC),
    )


async def test_search_finds_every_word_newest_first(
    redis: Redis, keys: Keys, lemmatizer: Lemmatizer, sample_text: str
) -> None:
    articles = ArticleRepo(redis, keys)
    service = SearchService(SearchIndex(redis, keys), articles, lemmatizer)
    sample = parse_article(sample_text)
    stored = [
        (
            await articles.store(
                sample.model_copy(update={"published_at": datetime(2026, 11, 20, tzinfo=UTC)})
            )
        ).article,
        (await articles.store(_article("x1", "Токаев открыл новый хаб в Астане", 22))).article,
        (await articles.store(_article("x2", "Погода в Алматы", 24))).article,
    ]
    for article in stored:
        await service.index_article(article, now=0.0)
    by_form = await service.search("Токаева")
    assert [a.id for a in by_form.articles] == ["x1", stored[0].id]
    assert by_form.total == 2
    both = await service.search("хабом Алматы")
    assert [a.id for a in both.articles] == [stored[0].id]
    assert (await service.search("футбол")).total == 0
    empty = await service.search("и в")
    assert empty.empty_query and empty.total == 0
    page = await service.search("Токаев", offset=1, limit=1)
    assert page.total == 2 and [a.id for a in page.articles] == [stored[0].id]


async def test_reindex_drops_old_terms(redis: Redis, keys: Keys, lemmatizer: Lemmatizer) -> None:
    index = SearchIndex(redis, keys)
    articles = ArticleRepo(redis, keys)
    service = SearchService(index, articles, lemmatizer)
    first = (await articles.store(_article("x1", "Токаев открыл хаб", 22))).article
    await service.index_article(first, now=0.0)
    await service.index_article(first.model_copy(update={"headline": "Погода в Алматы"}), now=0.0)
    assert (await index.search([["токаев"]]))[0] == 0
    assert (await index.search([["алматы"]]))[0] == 1
    await service.remove("x1")
    assert await index.terms_of("x1") == set()
    assert (await index.search([["алматы"]]))[0] == 0


async def test_search_forgets_articles_that_are_gone(
    redis: Redis, keys: Keys, lemmatizer: Lemmatizer
) -> None:
    articles = ArticleRepo(redis, keys)
    index = SearchIndex(redis, keys)
    service = SearchService(index, articles, lemmatizer)
    for aid in ("x1", "x2"):
        stored = (await articles.store(_article(aid, f"Хаб номер {aid}", 22))).article
        await service.index_article(stored, now=0.0)
    await redis.delete(keys.article("x1"))  # gone without unindexing (e.g. an older purge)
    assert await index.terms_of("x1")
    first = await service.search("хаб")
    assert [a.id for a in first.articles] == ["x2"]
    assert (await service.search("хаб")).total == 1
    assert await index.terms_of("x1") == set()
