"""ArticleRepo against a real Redis: dedup, replacement, lists, retention, atomicity."""

from __future__ import annotations

import asyncio
import inspect
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from bot.article_format import parse_article
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.models.article import Article

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def make(n: int, rubric: str = "Политика", **fields: object) -> Article:
    """A distinct article number `n`."""
    values: dict[str, object] = {
        "rubric": rubric,
        "headline": f"Заголовок {n}",
        "lead": f"Лид статьи номер {n}.",
        "body": [f"Абзац {n}."],
        "photo_credit": "assembly.kz",
    }
    values.update(fields)
    return Article.model_validate(values).with_hash()


class Clock:
    """A settable `now` for the repository's import-time fallback."""

    def __init__(self) -> None:
        self.moment = T0

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def repo(redis: Redis, keys: Keys, clock: Clock) -> ArticleRepo:
    return ArticleRepo(redis, keys, now=clock)


async def all_keys(redis: Redis) -> set[str]:
    return {key async for key in redis.scan_iter(match="*")}


async def test_store_new_article_and_read_it_back(
    repo: ArticleRepo, redis: Redis, keys: Keys, sample_text: str
) -> None:
    article = parse_article(sample_text)
    result = await repo.store(article)
    assert (result.article_id, result.is_new, result.changed, result.duplicate_of) == (
        "1",
        True,
        False,
        None,
    )
    stored = await repo.get("1")
    assert stored is not None
    assert stored.id == "1"
    assert stored.headline == article.headline
    assert stored.body == article.body
    assert stored.imported_at == T0
    assert await redis.zscore(keys.articles_all(), "1") == T0.timestamp()
    assert await redis.zrange(keys.articles_by_rubric("politika"), 0, -1) == ["1"]
    assert await redis.hget(keys.article_hashes(), article.content_hash) == "1"


async def test_same_content_is_a_duplicate(
    repo: ArticleRepo, redis: Redis, keys: Keys, sample_text: str
) -> None:
    first = await repo.store(parse_article(sample_text))
    before = await all_keys(redis)
    again = await repo.store(parse_article(sample_text.replace("\n", "\r\n")))
    assert (again.article_id, again.is_new, again.duplicate_of, again.changed) == (
        first.article_id,
        False,
        first.article_id,
        False,
    )
    assert await all_keys(redis) == before
    assert await redis.get(keys.article_seq()) == "1"
    assert await repo.count() == 1


async def test_different_content_gets_the_next_id(repo: ArticleRepo) -> None:
    ids = [(await repo.store(make(n))).article_id for n in range(3)]
    assert ids == ["1", "2", "3"]


async def test_same_source_with_new_content_replaces_in_place(
    repo: ArticleRepo, redis: Redis, keys: Keys
) -> None:
    source = "https://example.kz/news/1"
    first = await repo.store(make(1, source_url=source))
    old_hash = first.article.content_hash
    edited = make(1, source_url=source, lead="Исправленный лид.", rubric="Экономика")
    result = await repo.store(edited)
    assert (result.article_id, result.is_new, result.changed) == (first.article_id, False, True)
    stored = await repo.get(first.article_id)
    assert stored is not None
    assert stored.lead == "Исправленный лид."
    assert await repo.count() == 1
    assert await repo.count_by_rubric("politika") == 0
    assert await repo.count_by_rubric("ekonomika") == 1
    assert await redis.hget(keys.article_hashes(), old_hash) is None
    assert await redis.hget(keys.article_hashes(), edited.content_hash) == first.article_id
    assert await redis.hget(keys.article_sources(), source) == first.article_id


async def test_same_source_same_content_is_a_duplicate(repo: ArticleRepo) -> None:
    source = "https://example.kz/news/1"
    first = await repo.store(make(1, source_url=source))
    again = await repo.store(make(1, source_url=source))
    assert (again.is_new, again.changed, again.duplicate_of) == (False, False, first.article_id)


async def test_new_photo_for_the_same_source_counts_as_a_change(repo: ArticleRepo) -> None:
    source = "https://example.kz/news/1"
    first = await repo.store(make(1, source_url=source))
    again = await repo.store(make(1, source_url=source, photo_url="https://example.kz/2.jpg"))
    assert (again.article_id, again.changed) == (first.article_id, True)
    stored = await repo.get(first.article_id)
    assert stored is not None and stored.photo_url == "https://example.kz/2.jpg"


async def test_explicit_id_is_kept_and_replaced_in_place(repo: ArticleRepo) -> None:
    first = await repo.store(make(1, id="tenge-1125"))
    assert (first.article_id, first.is_new) == ("tenge-1125", True)
    second = await repo.store(make(2, id="tenge-1125"))
    assert (second.article_id, second.changed) == ("tenge-1125", True)
    stored = await repo.get("tenge-1125")
    assert stored is not None and stored.headline == "Заголовок 2"
    assert await repo.count() == 1


async def test_counter_skips_an_id_taken_explicitly(repo: ArticleRepo) -> None:
    assert (await repo.store(make(1, id="2"))).article_id == "2"
    assert (await repo.store(make(2))).article_id == "1"
    assert (await repo.store(make(3))).article_id == "3"


class Asked:
    """A `may_touch` answer that records which stored article it was asked about."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[str] = []

    async def __call__(self, article_id: str) -> bool:
        self.asked.append(article_id)
        return self.answer


async def test_same_source_the_caller_may_not_touch_is_stored_apart(
    repo: ArticleRepo, redis: Redis, keys: Keys
) -> None:
    source = "https://example.kz/news/b1"
    theirs = await repo.store(make(1, source_url=source))
    asked = Asked(False)
    mine = await repo.store(make(2, source_url=source), may_touch=asked)
    assert asked.asked == [theirs.article_id]
    assert (mine.is_new, mine.changed, mine.apart_from) == (True, False, theirs.article_id)
    assert mine.article_id != theirs.article_id
    kept = await repo.get(theirs.article_id)
    assert kept is not None and kept.headline == "Заголовок 1"
    assert await redis.hget(keys.article_sources(), source) == theirs.article_id
    stored = await repo.get(mine.article_id)
    assert stored is not None and stored.source_url == source  # the link itself stays
    again = await repo.store(make(3, source_url=source), may_touch=Asked(True))
    assert again.article_id == theirs.article_id  # the next import still finds theirs


async def test_same_content_the_caller_may_not_touch_is_stored_apart(
    repo: ArticleRepo, redis: Redis, keys: Keys
) -> None:
    theirs = await repo.store(make(1))
    mine = await repo.store(make(1), may_touch=Asked(False))
    assert (mine.is_new, mine.duplicate_of, mine.apart_from) == (True, None, theirs.article_id)
    assert await repo.count() == 2
    assert await redis.hget(keys.article_hashes(), theirs.article.content_hash) == (
        theirs.article_id
    )
    shared = await repo.store(make(1), may_touch=Asked(True))
    assert shared.duplicate_of == theirs.article_id


async def test_an_explicit_id_the_caller_may_not_touch_is_stored_apart(
    repo: ArticleRepo,
) -> None:
    await repo.store(make(1, id="tenge-1125"))
    mine = await repo.store(make(2, id="tenge-1125"), may_touch=Asked(False))
    assert (mine.article_id, mine.apart_from) == ("1", "tenge-1125")
    kept = await repo.get("tenge-1125")
    assert kept is not None and kept.headline == "Заголовок 1"


async def test_a_new_article_asks_nobody(repo: ArticleRepo) -> None:
    asked = Asked(False)
    result = await repo.store(make(1, source_url="https://example.kz/news/1"), may_touch=asked)
    assert (result.is_new, result.apart_from, asked.asked) == (True, None, [])


async def test_an_explicit_id_does_not_take_over_another_articles_source(
    repo: ArticleRepo, redis: Redis, keys: Keys
) -> None:
    source = "https://example.kz/news/1"
    first = await repo.store(make(1, source_url=source))
    other = await repo.store(make(2, id="mine", source_url=source))
    assert other.article_id == "mine"
    assert await redis.hget(keys.article_sources(), source) == first.article_id
    await repo.delete(first.article_id)
    await repo.store(make(3, id="mine", source_url=source))  # the owner is gone: it may
    assert await redis.hget(keys.article_sources(), source) == "mine"


async def test_lists_are_newest_first_by_published_time(repo: ArticleRepo) -> None:
    for n in range(25):
        rubric = "Политика" if n % 2 else "Экономика"
        await repo.store(make(n, rubric=rubric, published_at=T0 + timedelta(minutes=n)))
    latest = await repo.list_latest(None, 0, 10)
    assert [a.headline for a in latest] == [f"Заголовок {n}" for n in range(24, 14, -1)]
    page3 = await repo.list_latest(None, 20, 10)
    assert [a.headline for a in page3] == [f"Заголовок {n}" for n in range(4, -1, -1)]
    politika = await repo.list_by_rubric("politika", 0, 5)
    assert [a.headline for a in politika] == [f"Заголовок {n}" for n in (23, 21, 19, 17, 15)]
    assert await repo.count_by_rubric("politika") == 12
    assert await repo.count_by_rubric("ekonomika") == 13


async def test_list_latest_merges_chosen_rubrics(repo: ArticleRepo) -> None:
    rubrics = ["Политика", "Экономика", "Спорт"]
    for n in range(30):
        await repo.store(make(n, rubric=rubrics[n % 3], published_at=T0 + timedelta(hours=n)))
    chosen = await repo.list_latest(["politika", "sport"], 2, 5)
    expected = [n for n in range(29, -1, -1) if n % 3 != 1][2:7]
    assert [a.headline for a in chosen] == [f"Заголовок {n}" for n in expected]
    assert await repo.list_latest(["nothing-here"], 0, 5) == []
    assert await repo.list_latest([], 0, 5) == []


async def test_import_time_is_the_fallback_order(repo: ArticleRepo, clock: Clock) -> None:
    await repo.store(make(1, published_at=T0 + timedelta(days=1)))
    clock.moment = T0 + timedelta(days=2)
    await repo.store(make(2))  # no published_at: sorted by when it was imported
    clock.moment = T0 + timedelta(days=3)
    await repo.store(make(3, published_at=T0))
    latest = await repo.list_latest(None, 0, 10)
    assert [a.headline for a in latest] == ["Заголовок 2", "Заголовок 1", "Заголовок 3"]


async def test_replacement_keeps_its_place_in_the_lists(repo: ArticleRepo, clock: Clock) -> None:
    await repo.store(make(1, id="a"))
    clock.moment = T0 + timedelta(hours=1)
    await repo.store(make(2, id="b"))
    clock.moment = T0 + timedelta(hours=2)
    await repo.store(make(3, id="a"))  # an edit of "a", imported later
    latest = await repo.list_latest(None, 0, 10)
    assert [a.id for a in latest] == ["b", "a"]


async def test_get_many_keeps_order_and_skips_missing(repo: ArticleRepo) -> None:
    for n in range(3):
        await repo.store(make(n))
    found = await repo.get_many(["3", "404", "1"])
    assert [a.id for a in found] == ["3", "1"]
    assert await repo.get_many([]) == []
    assert await repo.get("404") is None


async def test_delete_removes_every_index_entry(
    repo: ArticleRepo, redis: Redis, keys: Keys
) -> None:
    await repo.store(make(1, source_url="https://example.kz/1"))
    await redis.sadd(keys.article_terms("1"), "токаев", "алматы")
    await redis.zadd(keys.search_term("токаев"), {"1": 1.0, "other": 2.0})
    await redis.zadd(keys.search_term("алматы"), {"1": 1.0})
    assert await repo.delete("1") is True
    assert await all_keys(redis) == {keys.article_seq(), keys.search_term("токаев")}
    assert await redis.zrange(keys.search_term("токаев"), 0, -1) == ["other"]
    assert await repo.delete("1") is False
    assert await repo.find_by_source("https://example.kz/1") is None


async def test_retention_purge(repo: ArticleRepo, redis: Redis, keys: Keys, clock: Clock) -> None:
    for n in range(5):
        published = T0 - timedelta(days=400 - n) if n < 3 else T0 - timedelta(days=n)
        await repo.store(make(n, source_url=f"https://example.kz/{n}", published_at=published))
    clock.moment = T0 - timedelta(days=500)
    await repo.store(make(9))  # imported long ago, never published: old as well
    await redis.sadd(keys.article_terms("1"), "слово")
    await redis.zadd(keys.search_term("слово"), {"1": 1.0})
    forgotten: list[tuple[str, bool]] = []

    async def forget(article_id: str) -> None:  # runs while the article is still there
        forgotten.append((article_id, await repo.get(article_id) is not None))

    removed = await repo.purge_older_than(T0 - timedelta(days=365), forget=forget)
    assert removed == 4
    assert sorted(forgotten) == [("1", True), ("2", True), ("3", True), ("6", True)]
    remaining = [a.headline for a in await repo.list_latest(None, 0, 10)]
    assert remaining == ["Заголовок 3", "Заголовок 4"]
    assert set(await redis.hvals(keys.article_hashes())) == {"4", "5"}
    assert set(await redis.hvals(keys.article_sources())) == {"4", "5"}
    assert await redis.zrange(keys.articles_by_rubric("politika"), 0, -1) == ["5", "4"]
    assert {k for k in await all_keys(redis) if ":article:" in k} == {
        keys.article("4"),
        keys.article("5"),
        keys.article_seq(),
    }
    assert not await redis.exists(keys.search_term("слово"), keys.article_terms("1"))
    assert await repo.purge_older_than(T0 - timedelta(days=365), forget=forget) == 0


async def test_purge_skips_stale_index_entries(repo: ArticleRepo, redis: Redis, keys: Keys) -> None:
    await redis.zadd(keys.articles_all(), {"ghost": 1.0})

    async def forget(article_id: str) -> None:
        pass

    assert await repo.purge_older_than(T0, forget=forget) == 0
    assert await redis.zcard(keys.articles_all()) == 0


async def test_failing_store_writes_nothing(repo: ArticleRepo, redis: Redis, keys: Keys) -> None:
    await redis.set(keys.articles_by_rubric("politika"), "not a zset")
    with pytest.raises(ResponseError, match="nothing was written"):
        await repo.store(make(1, source_url="https://example.kz/1"))
    assert await all_keys(redis) == {keys.articles_by_rubric("politika")}


async def test_failing_replacement_leaves_the_old_version(
    repo: ArticleRepo, redis: Redis, keys: Keys
) -> None:
    await repo.store(make(1, id="x", source_url="https://example.kz/1"))
    before = {k: await redis.dump(k) for k in await all_keys(redis)}
    await redis.set(keys.articles_by_rubric("sport"), "not a zset")
    with pytest.raises(ResponseError):
        await repo.store(make(2, id="x", rubric="Спорт", source_url="https://example.kz/2"))
    after = {k: await redis.dump(k) for k in await all_keys(redis)}
    del after[keys.articles_by_rubric("sport")]
    assert after == before


async def test_failing_delete_removes_nothing(repo: ArticleRepo, redis: Redis, keys: Keys) -> None:
    await repo.store(make(1))
    await redis.sadd(keys.article_terms("1"), "слово")
    await redis.set(keys.search_term("слово"), "broken")
    with pytest.raises(ResponseError):
        await repo.delete("1")
    assert await repo.get("1") is not None
    assert await repo.count_by_rubric("politika") == 1


async def test_concurrent_imports_of_one_article_store_it_once(repo: ArticleRepo) -> None:
    results = await asyncio.gather(*(repo.store(make(1)) for _ in range(10)))
    assert sum(r.is_new for r in results) == 1
    assert {r.article_id for r in results} == {"1"}
    assert await repo.count() == 1


async def test_concurrent_imports_of_different_articles_get_unique_ids(repo: ArticleRepo) -> None:
    results = await asyncio.gather(*(repo.store(make(n)) for n in range(10)))
    assert sorted(int(r.article_id) for r in results) == list(range(1, 11))
    assert all(r.is_new for r in results)
    assert await repo.count() == 10


async def test_concurrent_edits_of_one_source_leave_one_consistent_article(
    repo: ArticleRepo, redis: Redis, keys: Keys
) -> None:
    source = "https://example.kz/1"
    await repo.store(make(0, source_url=source))
    await asyncio.gather(*(repo.store(make(n, source_url=source)) for n in range(1, 8)))
    assert await repo.count() == 1
    stored = await repo.get("1")
    assert stored is not None
    assert await redis.hgetall(keys.article_hashes()) == {stored.content_hash: "1"}


def test_storage_doc_lists_every_key() -> None:
    """docs/storage.md has a row per `Keys` method, showing the key it really builds."""
    doc = (Path(__file__).parent.parent / "docs" / "storage.md").read_text(encoding="utf-8")
    keys = Keys("vestnik")
    missing = []
    for name, method in inspect.getmembers(Keys, inspect.isfunction):
        if name.startswith("_"):
            continue
        params = [p for p in inspect.signature(method).parameters if p != "self"]
        key = method(keys, *(f"P{i}" for i in range(len(params))))
        pattern = re.sub(r"P\d", "<[^>]+>", re.escape(key))
        rows = [line for line in doc.splitlines() if line.startswith(f"| `{name}(")]
        if not rows or not re.search(pattern, rows[0]):
            missing.append(f"{name} -> {key}")
    assert missing == [], "undocumented or mis-documented keys in docs/storage.md"
