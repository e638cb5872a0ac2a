"""Rubric names in the reader's language, and matching of the translated names.

The registry (`storage/rubrics.py`) knows one name per rubric, the newsroom's (Russian).
Translations live in the text catalogue as `sub.rubric.<slug>`, so an English reader sees
“Politics” and may type `/subscribe Politics`; a rubric without an entry keeps its own name.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from bot.i18n import LOCALES, I18n
from storage.models.article import Rubric
from storage.text import slugify

NATIVE_LOCALE = "ru"  # the language the newsroom names its rubrics in
_NEAR_MISS = 0.75


def text_key(slug: str) -> str:
    """The catalogue key of a rubric's translated names."""
    return f"sub.rubric.{slug}"


def label(i18n: I18n, rubric: Rubric, locale: str) -> str:
    """The rubric's name for a reader of `locale` (its own name when there is no translation)."""
    key = text_key(rubric.slug)
    if locale == NATIVE_LOCALE or not i18n.has(key):
        return rubric.name
    return i18n(key, locale)


def label_of_name(i18n: I18n, name: str, locale: str) -> str:
    """The same for a rubric known only by the name an article carries (digests)."""
    key = text_key(slugify(name)) if name.strip() else ""
    if locale == NATIVE_LOCALE or not key or not i18n.has(key):
        return name
    return i18n(key, locale)


def fold(text: str) -> str:
    """Case- and `#`-insensitive comparison form (`ё` counts as `е`), as the registry's."""
    return " ".join(text.strip().lstrip("#").casefold().replace("ё", "е").split())


class RubricAliases:
    """Finds a rubric by one of its translated names (`Politics` -> `Политика`)."""

    def __init__(self, i18n: I18n) -> None:
        self._i18n = i18n

    def names(self, rubric: Rubric) -> list[str]:
        """Every translated name of a rubric, folded (none when it has no entry)."""
        key = text_key(rubric.slug)
        if not self._i18n.has(key):
            return []
        return [fold(self._i18n(key, locale)) for locale in LOCALES]

    def find(self, query: str, rubrics: Sequence[Rubric]) -> Rubric | None:
        """The rubric one of whose translated names equals `query`, ignoring case."""
        wanted = fold(query)
        if not wanted:
            return None
        return next((r for r in rubrics if wanted in self.names(r)), None)

    def suggest(self, query: str, rubrics: Sequence[Rubric], limit: int = 3) -> list[Rubric]:
        """Near misses among translated names (`Politcs` -> Politics), best first."""
        wanted = fold(query)
        if not wanted or len(wanted) > 64:
            return []
        scored = []
        for rubric in rubrics:
            ratios = [difflib.SequenceMatcher(None, wanted, n).ratio() for n in self.names(rubric)]
            best = max(ratios, default=0.0)
            if best >= _NEAR_MISS:
                scored.append((best, rubric))
        scored.sort(key=lambda pair: -pair[0])
        return [rubric for _, rubric in scored[:limit]]
