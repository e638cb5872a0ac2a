"""The desk's texts: both languages everywhere, Russian plurals complete, Russian typography."""

from __future__ import annotations

import re

import pytest

from bot.texts import build_i18n
from bot.texts.editors import CATALOG

I18N = build_i18n()
RU_FORMS = {"one", "few", "many", "other"}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_key_has_russian_and_english(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == {"ru", "en"}
    ru, en = entry["ru"], entry["en"]
    if isinstance(ru, str):
        assert isinstance(en, str)
        assert _fields(ru) == _fields(en), key
    else:
        assert set(ru) == RU_FORMS, key
        assert not isinstance(en, str) and {"one", "other"} <= set(en)


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_russian_uses_guillemets_not_straight_quotes(key: str) -> None:
    ru = CATALOG[key]["ru"]
    for text in [ru] if isinstance(ru, str) else list(ru.values()):
        assert '"' not in text and " - " not in text, key


def _fields(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "У «А» 1 редактор:"),
        (2, "У «А» 2 редактора:"),
        (5, "У «А» 5 редакторов:"),
        (11, "У «А» 11 редакторов:"),
        (21, "У «А» 21 редактор:"),
        (22, "У «А» 22 редактора:"),
    ],
)
def test_russian_plurals(n: int, expected: str) -> None:
    assert I18N("admin.editors.title", "ru", title="А", n=n) == expected


def test_english_plurals() -> None:
    assert I18N("admin.editors.title", "en", title="A", n=1) == "“A” has 1 editor:"
    assert I18N("admin.editors.title", "en", title="A", n=3) == "“A” has 3 editors:"
