"""The rubric registry against a real Redis, and the pure slug/hashtag helpers."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot.slug import hashtag, normalize_rubric_name, slugify
from storage.keys import Keys
from storage.rubrics import RubricRepo, make_rubric

NEWSROOM = ("Политика", "Экономика", "Общество", "В мире", "Спорт")


@pytest.mark.parametrize(
    ("name", "slug", "tag"),
    [
        ("Политика", "politika", "#Политика"),
        ("В мире", "v-mire", "#ВМире"),
        ("Экономика", "ekonomika", "#Экономика"),
        ("Общество", "obshchestvo", "#Общество"),
        ("Происшествия", "proisshestviya", "#Происшествия"),
        ("Технологии", "tekhnologii", "#Технологии"),
        ("Культура", "kultura", "#Культура"),
        ("Авто-мото", "avto-moto", "#АвтоМото"),
        ("Наука и IT", "nauka-i-it", "#НаукаИIT"),
        ("Қоғам", "qogam", "#Қоғам"),
        ("Ёлки, 2026!", "elki-2026", "#Ёлки2026"),
    ],
)
def test_slug_and_hashtag(name: str, slug: str, tag: str) -> None:
    rubric = make_rubric(name)
    assert (rubric.name, rubric.slug, rubric.hashtag) == (name, slug, tag)
    assert (slugify(name), hashtag(name)) == (slug, tag)


def test_slug_of_a_name_without_letters_is_stable_and_key_safe() -> None:
    assert slugify("🔥") == slugify("🔥") != slugify("⚡")
    assert slugify("🔥").startswith("r-")
    assert hashtag("🔥").startswith("#r_")


def test_name_normalisation() -> None:
    assert normalize_rubric_name("  #политика  ") == "Политика"
    assert normalize_rubric_name("в   мире") == "В мире"
    with pytest.raises(ValueError):
        make_rubric("  # ")


async def test_defaults_are_seeded_on_first_use_not_before(redis: Redis, keys: Keys) -> None:
    repo = RubricRepo(redis, keys, defaults=NEWSROOM)
    assert await redis.exists(keys.rubrics()) == 0
    assert [r.name for r in await repo.all()] == list(NEWSROOM)
    assert await redis.hlen(keys.rubrics()) == len(NEWSROOM)


async def test_seed_registers_each_name_once(redis: Redis, keys: Keys) -> None:
    repo = RubricRepo(redis, keys)
    seeded = await repo.seed(["Политика", "политика", "Спорт"])
    assert [r.slug for r in seeded] == ["politika", "politika", "sport"]
    assert await redis.hlen(keys.rubrics()) == 2


async def test_ensure_reuses_the_registered_name(redis: Redis, keys: Keys) -> None:
    repo = RubricRepo(redis, keys, defaults=NEWSROOM)
    assert (await repo.ensure("  политика ")).name == "Политика"
    fresh = await repo.ensure("Наука")
    assert (fresh.name, fresh.slug, fresh.hashtag) == ("Наука", "nauka", "#Наука")
    assert await repo.get("nauka") == fresh
    names = [r.name for r in await repo.all()]
    assert names == [*NEWSROOM, "Наука"]  # configured order first, then the rest


async def test_all_orders_unconfigured_rubrics_by_name(redis: Redis, keys: Keys) -> None:
    repo = RubricRepo(redis, keys)
    for name in ("Спорт", "Авто", "Экономика"):
        await repo.ensure(name)
    assert [r.name for r in await repo.all()] == ["Авто", "Спорт", "Экономика"]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Политика", "politika"),
        ("ПОЛИТИКА", "politika"),
        ("politika", "politika"),
        ("#Политика", "politika"),
        ("#политика", "politika"),
        ("в мире", "v-mire"),
        ("#вмире", "v-mire"),
        ("V-Mire", "v-mire"),
        ("  в   мире ", "v-mire"),
        ("v mire", "v-mire"),
    ],
)
async def test_find(redis: Redis, keys: Keys, query: str, slug: str) -> None:
    repo = RubricRepo(redis, keys, defaults=NEWSROOM)
    found = await repo.find(query)
    assert found is not None and found.slug == slug


@pytest.mark.parametrize("query", ["", "#", "Погода", "politics"])
async def test_find_unknown(redis: Redis, keys: Keys, query: str) -> None:
    repo = RubricRepo(redis, keys, defaults=NEWSROOM)
    assert await repo.find(query) is None
    assert await repo.get("pogoda") is None


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Политка", "Политика"),
        ("политик", "Политика"),
        ("ekonomka", "Экономика"),
        ("Економика", "Экономика"),
        ("#Спорь", "Спорт"),
        ("вмир", "В мире"),
        ("obshestvo", "Общество"),
    ],
)
async def test_suggest_near_misses(redis: Redis, keys: Keys, query: str, first: str) -> None:
    repo = RubricRepo(redis, keys, defaults=NEWSROOM)
    suggestions = await repo.suggest(query)
    assert suggestions and suggestions[0].name == first
    assert len(suggestions) <= 3


@pytest.mark.parametrize("query", ["", "Погода", "xyz", "12345"])
async def test_suggest_nothing_close(redis: Redis, keys: Keys, query: str) -> None:
    repo = RubricRepo(redis, keys, defaults=NEWSROOM)
    assert await repo.suggest(query) == []
