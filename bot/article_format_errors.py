"""The one error type of the article parser: a line number, an English message, a Russian text."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from bot.i18n import I18n


@lru_cache(maxsize=1)
def _texts() -> I18n:
    from bot.article_format_texts import CATALOG

    return I18n(CATALOG)


class ArticleFormatError(ValueError):
    """An article file that cannot be read as the newsroom format.

    `line` is the 1-based line of the problem (None when it concerns the whole file),
    `message` the operator's English explanation, `code` + `params` select the editor's text
    (`user_message` in Russian, `localized(locale)` in any supported locale).
    """

    def __init__(
        self,
        line: int | None,
        message: str,
        *,
        code: str = "invalid",
        params: Mapping[str, object] | None = None,
        source: str = "<text>",
    ) -> None:
        self.line = line
        self.message = message
        self.code = code
        self.params = dict(params or {})
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message

    def location(self) -> str:
        """`SOURCE:LINE: message` (or `SOURCE: message`), as compilers print it."""
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"

    def localized(self, locale: str = "ru") -> str:
        """The editor-facing text in `locale`, prefixed with the line number when known."""
        texts = _texts()
        key = f"article_format.{self.code}"
        if not texts.has(key):
            return str(self)
        text = texts(key, locale, **self.params) if self.params else texts(key, locale)
        if self.line is None:
            return text
        return texts("article_format.at_line", locale, line=self.line, message=text)

    @property
    def user_message(self) -> str:
        """The Russian text the bot shows an editor who uploaded this file."""
        return self.localized("ru")
