"""Every subscriber text exists in Russian and English, with correct CLDR plurals and typography."""

from __future__ import annotations

import re

import pytest

from bot.i18n import I18n
from bot.texts import build_i18n
from bot.texts import common as common_texts
from bot.texts import subscribers as subscriber_texts

CATALOGS = {**common_texts.CATALOG, **subscriber_texts.CATALOG}
PLURAL_FORMS = {"ru": {"one", "few", "many", "other"}, "en": {"one", "other"}}


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return build_i18n("ru")


@pytest.mark.parametrize("key", sorted(CATALOGS))
def test_every_key_has_both_locales_and_plural_forms(key: str) -> None:
    entry = CATALOGS[key]
    assert set(entry) == {"ru", "en"}, key
    kinds = {isinstance(entry[loc], str) for loc in ("ru", "en")}
    assert len(kinds) == 1, f"{key}: plural in one locale only"
    for loc in ("ru", "en"):
        value = entry[loc]
        if not isinstance(value, str):
            assert PLURAL_FORMS[loc] <= set(value), f"{key}/{loc} lacks CLDR categories"


@pytest.mark.parametrize(
    ("key", "n", "expected"),
    [
        ("sub.count", 1, "1 подписка"),
        ("sub.count", 2, "2 подписки"),
        ("sub.count", 5, "5 подписок"),
        ("sub.count", 11, "11 подписок"),
        ("sub.count", 21, "21 подписка"),
        ("sub.count", 22, "22 подписки"),
        ("articles.count", 21, "21 статья"),
        ("articles.count", 11, "11 статей"),
        ("articles.count", 3, "3 статьи"),
        ("articles.count", 0, "0 статей"),
    ],
)
def test_russian_plurals(i18n: I18n, key: str, n: int, expected: str) -> None:
    assert i18n(key, "ru", n=n) == expected


def test_english_plurals(i18n: I18n) -> None:
    assert i18n("sub.count", "en", n=1) == "1 subscription"
    assert i18n("sub.count", "en", n=21) == "21 subscriptions"


def test_search_found_agrees_with_the_number(i18n: I18n) -> None:
    assert i18n("sub.search.found", "ru", n=21, query="q") == "По запросу «q» найдена 21 статья:"
    assert i18n("sub.search.found", "ru", n=11, query="q") == "По запросу «q» найдено 11 статей:"


def _strings(entry: object) -> list[str]:
    return [entry] if isinstance(entry, str) else list(entry.values())  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", sorted(subscriber_texts.CATALOG))
def test_typography(key: str) -> None:
    for loc in ("ru", "en"):
        for text in _strings(subscriber_texts.CATALOG[key][loc]):
            assert '"' not in text, f"{key}/{loc}: straight quotes instead of «»"
            assert not re.search(r"\s-\s", text), f"{key}/{loc}: hyphen instead of an em dash"
            assert "..." not in text, f"{key}/{loc}: three dots instead of …"
