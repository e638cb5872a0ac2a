"""User-facing text in Russian (default) and English, with CLDR plurals from Babel.

A catalogue maps a key to one entry per locale. An entry is a format string, or, for a
counted phrase, a mapping from CLDR plural category (`one`, `few`, `many`, `other`) to a
format string; the category is chosen by Babel's plural rules for the count `n`:

    {"subs.count": {"ru": {"one": "{n} подписка", "few": "{n} подписки",
                           "many": "{n} подписок", "other": "{n} подписки"},
                    "en": {"one": "{n} subscription", "other": "{n} subscriptions"}}}
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from babel import Locale

Entry = str | Mapping[str, str]
Catalog = Mapping[str, Mapping[str, Entry]]

LOCALES = ("ru", "en")
FALLBACK = "ru"


def normalize_locale(code: str | None, default: str = FALLBACK) -> str:
    """Map a Telegram `language_code` (`en-US`, `ru`, None) to a supported locale."""
    if not code:
        return default
    base = code.split("-")[0].split("_")[0].lower()
    return base if base in LOCALES else default


@lru_cache(maxsize=8)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def plural_category(locale: str, n: int) -> str:
    """The CLDR plural category of `n` in `locale` (Babel's rules, no hand-written ifs)."""
    return str(_locale(locale).plural_form(abs(n)))


class I18n:
    """Looks up and formats texts from one or more catalogues."""

    def __init__(self, *catalogs: Catalog, default_locale: str = FALLBACK) -> None:
        merged: dict[str, Mapping[str, Entry]] = {}
        for catalog in catalogs:
            merged.update(catalog)
        self._catalog = merged
        self.default_locale = default_locale

    def __call__(self, key: str, locale: str | None = None, /, **kwargs: Any) -> str:
        """The text for `key` in `locale`; pass `n=` for counted phrases."""
        loc = locale if locale in LOCALES else self.default_locale
        entries = self._catalog.get(key)
        if entries is None:
            raise KeyError(f"no text {key!r}")
        entry = entries.get(loc) or entries[FALLBACK]
        if not isinstance(entry, str):
            n = int(kwargs.get("n", 0))
            forms = entry
            entry = forms.get(plural_category(loc, n)) or forms["other"]
        return entry.format(**kwargs) if kwargs else entry

    def has(self, key: str) -> bool:
        """Whether a text exists (for tests that check every key has both locales)."""
        return key in self._catalog

    def keys(self) -> list[str]:
        """Every text key."""
        return list(self._catalog)

    def entry(self, key: str) -> Mapping[str, Entry]:
        """The raw per-locale entry of a key."""
        return self._catalog[key]
