"""A subscriber's settings, stored compactly (one short string per user)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Locale = Literal["ru", "en"]
_VERSION = "1"
_SEP = "|"


class Subscriber(BaseModel):
    """What a reader chose: language, pushes or digest only, digest time, quiet hours.

    Times are minutes after local midnight in the subscriber's time zone (`timezone`, or the
    newsroom's when None). `language` is an explicit choice in /settings; `telegram_language`
    is what Telegram last told us, used when there is no explicit choice.
    """

    user_id: int
    language: Locale | None = None
    telegram_language: Locale | None = None
    pushes: bool = True
    digest_at: int | None = Field(None, ge=0, lt=1440)
    quiet_from: int | None = Field(None, ge=0, lt=1440)
    quiet_to: int | None = Field(None, ge=0, lt=1440)
    timezone: str | None = None

    @property
    def has_quiet_hours(self) -> bool:
        """True when quiet hours are set (a non-empty interval)."""
        return (
            self.quiet_from is not None
            and self.quiet_to is not None
            and self.quiet_from != self.quiet_to
        )

    def locale(self, default: str = "ru") -> str:
        """The language to talk to this subscriber in."""
        return self.language or self.telegram_language or default

    def encode(self) -> str:
        """A short string (`1|en||1|540|1380|420|`), small enough for a listpack hash field."""
        parts = [
            _VERSION,
            self.language or "",
            self.telegram_language or "",
            "1" if self.pushes else "0",
            _num(self.digest_at),
            _num(self.quiet_from),
            _num(self.quiet_to),
            self.timezone or "",
        ]
        return _SEP.join(parts)

    @classmethod
    def decode(cls, user_id: int, raw: str | None) -> Subscriber:
        """The subscriber from `encode()` output; defaults when `raw` is None or unreadable."""
        if not raw:
            return cls(user_id=user_id)
        parts = raw.split(_SEP)
        if parts[0] != _VERSION or len(parts) != 8:
            return cls(user_id=user_id)
        try:
            return cls._from_parts(user_id, *parts[1:])
        except ValueError:
            return cls(user_id=user_id)

    @classmethod
    def _from_parts(cls, user_id: int, *parts: str) -> Subscriber:
        lang, tg_lang, pushes, digest, q_from, q_to, tz = parts
        return cls(
            user_id=user_id,
            language=_locale(lang),
            telegram_language=_locale(tg_lang),
            pushes=pushes != "0",
            digest_at=_int(digest),
            quiet_from=_int(q_from),
            quiet_to=_int(q_to),
            timezone=tz or None,
        )


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _locale(text: str) -> Locale | None:
    if text == "ru":
        return "ru"
    if text == "en":
        return "en"
    return None
