"""Texts the subscribers feature sends, rendered from service results (pure functions).

Everything user-supplied or article-supplied is HTML-escaped here, since the bot talks HTML.
Times are shown in the subscriber's time zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.formatting.telegram_html import telegram_length
from bot.i18n import I18n
from bot.subscribers.keyboards import quiet_label
from bot.subscribers.rubric_names import label, label_of_name
from bot.subscribers.search import SearchResult
from bot.subscribers.service import (
    LATEST_MAX,
    DigestChange,
    LatestPage,
    RubricChange,
    TimezoneChange,
)
from bot.subscribers.timemath import format_hhmm, utc_offset, zone
from storage.models.article import Article, Rubric
from storage.models.post import Post
from storage.models.subscriber import Subscriber

_COMMAND_SAFE = re.compile(r"^[A-Za-z0-9_]{1,32}$")
DIGEST_TEXT_LIMIT = 4096
ECHO_MAX = 60  # how much of what a reader typed a reply repeats
SEARCH_ECHO_MAX = 100


def esc(text: str) -> str:
    """HTML-escape text for Telegram (quotes stay as they are)."""
    return escape(text, quote=False)


def clip(text: str, limit: int = ECHO_MAX) -> str:
    """What a reader typed, on one line and cut to `limit` characters with `…` (not escaped).

    Replies repeat the reader's words; a 4,000-character argument must not make the reply
    longer than Telegram accepts.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def echo(text: str, limit: int = ECHO_MAX) -> str:
    """`clip`, then HTML-escaped: the form every reply quotes a reader's input in."""
    return esc(clip(text, limit))


def quoted(i18n: I18n, locale: str, names: list[str]) -> list[str]:
    """Names in the locale's quotes («» in Russian, “ ” in English), escaped."""
    return [i18n("sub.quote", locale, text=esc(n)) for n in names]


def rubric_label(i18n: I18n, locale: str, rubric: Rubric) -> str:
    """A rubric's name in the reader's language (its own name if it has no translation)."""
    return label(i18n, rubric, locale)


def join_or(i18n: I18n, locale: str, items: list[str]) -> str:
    """`«А», «Б» или «В»`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + i18n("sub.or", locale) + items[-1]


def when(i18n: I18n, locale: str, tz: ZoneInfo, moment: datetime | None, now: datetime) -> str:
    """`сегодня, 09:30` or `24 ноября, 18:00` in the subscriber's time zone (an article is
    dated by `Article.shown_at`: its publication time, else when it became public)."""
    if moment is None:
        return i18n("sub.no_date", locale)
    local = moment.astimezone(tz)
    clock = local.strftime("%H:%M")
    if local.date() == now.astimezone(tz).date():
        return i18n("sub.today", locale, time=clock)
    return f"{format_date(local.date(), 'd MMMM', locale=locale)}, {clock}"


def rubric_name(i18n: I18n, locale: str, names: dict[str, Rubric], article: Article) -> str:
    """The display name of an article's rubric in the reader's language."""
    rubric = names.get(article.rubric)
    if rubric is None:
        return label_of_name(i18n, article.rubric, locale)
    return label(i18n, rubric, locale)


# --- rubrics -------------------------------------------------------------------------
def rubrics_title(i18n: I18n, locale: str, count: int) -> str:
    """The text above the rubric keyboard."""
    return i18n("sub.rubrics.title", locale, count=i18n("sub.count", locale, n=count))


def unknown_rubric(i18n: I18n, locale: str, change: RubricChange | LatestPage) -> str:
    """«Рубрики «X» нет. Возможно, вы имели в виду …?» or the list of rubrics."""
    lines = [i18n("sub.unknown_rubric", locale, query=echo(change.query))]
    if change.suggestions:
        shown = [rubric_label(i18n, locale, r) for r in change.suggestions]
        options = join_or(i18n, locale, quoted(i18n, locale, shown))
        lines.append(i18n("sub.did_you_mean", locale, options=options))
    elif change.available:
        shown = [rubric_label(i18n, locale, r) for r in change.available]
        names = ", ".join(quoted(i18n, locale, shown))
        lines.append(i18n("sub.available", locale, names=names))
    return " ".join(lines)


def subscribe_text(i18n: I18n, locale: str, change: RubricChange) -> str:
    """The reply to /subscribe <rubric>."""
    if change.status == "unknown":
        return unknown_rubric(i18n, locale, change)
    name = esc(rubric_label(i18n, locale, change.rubric)) if change.rubric else echo(change.query)
    if change.status == "already":
        return i18n("sub.already", locale, rubric=name)
    count = i18n("sub.count", locale, n=change.count)
    return i18n("sub.subscribed", locale, rubric=name, count=count)


def unsubscribe_text(i18n: I18n, locale: str, change: RubricChange) -> str:
    """The reply to /unsubscribe <rubric|all>."""
    if change.status == "unknown":
        return unknown_rubric(i18n, locale, change)
    if change.status == "empty":
        return i18n("sub.unsubscribe.usage", locale)
    if change.status == "nothing":
        return i18n("sub.nothing_to_unsubscribe", locale)
    if change.rubric is None:
        return i18n("sub.unsubscribed_all", locale, n=change.removed)
    name = esc(rubric_label(i18n, locale, change.rubric))
    if change.status == "already":
        return i18n("sub.not_subscribed", locale, rubric=name)
    if change.count == 0:
        return i18n("sub.unsubscribed.last", locale, rubric=name)
    return i18n("sub.unsubscribed", locale, rubric=name, n=change.count)


# --- reading -----------------------------------------------------------------------------
def latest_text(
    i18n: I18n,
    locale: str,
    tz: ZoneInfo,
    page: LatestPage,
    names: dict[str, Rubric],
    now: datetime,
) -> str:
    """The /latest message: a title, numbered headlines with rubric and time, a hint."""
    if page.status == "range":
        return i18n("sub.latest.range", locale, max=LATEST_MAX)
    if page.status == "too_far":
        return i18n("sub.latest.too_far", locale)
    if page.status == "unknown":
        return unknown_rubric(i18n, locale, page)
    lines = [_latest_title(i18n, locale, page)]
    if page.scope == "all":
        lines.append(i18n("sub.latest.no_subs", locale))
    if not page.articles:
        key = "sub.latest.page_end" if page.offset else "sub.latest.empty"
        return "\n\n".join([*lines, i18n(key, locale)])
    items = [
        i18n(
            "sub.latest.item",
            locale,
            num=page.offset + i + 1,
            headline=esc(a.headline),
            rubric=esc(rubric_name(i18n, locale, names, a)),
            when=when(i18n, locale, tz, a.shown_at, now),
        )
        for i, a in enumerate(page.articles)
    ]
    return "\n\n".join([*lines, "\n".join(items), i18n("sub.latest.hint", locale)])


def _latest_title(i18n: I18n, locale: str, page: LatestPage) -> str:
    if page.rubric is not None:
        name = rubric_label(i18n, locale, page.rubric)
        return i18n("sub.latest.title.rubric", locale, rubric=esc(name))
    return i18n(f"sub.latest.title.{page.scope}", locale)


def search_text(
    i18n: I18n,
    locale: str,
    tz: ZoneInfo,
    query: str,
    result: SearchResult,
    names: dict[str, Rubric],
    now: datetime,
) -> str:
    """The /search reply: how many were found and the newest hits."""
    if result.empty_query:
        return i18n("sub.search.usage", locale)
    shown_query = echo(query, SEARCH_ECHO_MAX)
    if not result.articles:
        return i18n("sub.search.nothing", locale, query=shown_query)
    lines = [i18n("sub.search.found", locale, n=result.total, query=shown_query)]
    for i, a in enumerate(result.articles):
        stamp = when(i18n, locale, tz, a.shown_at, now)
        lines.append(
            i18n(
                "sub.latest.item",
                locale,
                num=i + 1,
                headline=esc(a.headline),
                rubric=esc(rubric_name(i18n, locale, names, a)),
                when=stamp,
            )
        )
    if result.total > len(result.articles):
        lines.append(i18n("sub.search.more", locale))
    return "\n".join(lines)


# --- digest and settings ----------------------------------------------------------------
def digest_change_text(
    i18n: I18n, locale: str, tz: ZoneInfo, change: DigestChange, now: datetime
) -> str:
    """The reply to /digest."""
    if change.status == "bad":
        return i18n("sub.digest.bad", locale, value=echo(change.value, 40))
    if change.status == "off":
        text = i18n("sub.digest.off", locale)
        if change.pushes_restored:
            text += " " + i18n("sub.digest.pushes_back", locale)
        return text
    if change.minutes is None:
        return i18n("sub.digest.off_status", locale)
    at = format_hhmm(change.minutes)
    if change.status == "show":
        return i18n("sub.digest.on", locale, time=at, tz=tz.key)
    upcoming = when(i18n, locale, tz, change.next_at, now)
    return i18n("sub.digest.set", locale, time=at, tz=tz.key, next=upcoming)


def settings_text(i18n: I18n, locale: str, sub: Subscriber, tz: ZoneInfo) -> str:
    """The /settings summary."""
    mode = "sub.settings.mode.instant" if sub.pushes else "sub.settings.mode.digest"
    digest = (
        i18n("sub.settings.digest_at", locale, time=format_hhmm(sub.digest_at))
        if sub.digest_at is not None
        else i18n("sub.settings.digest_none", locale)
    )
    quiet = i18n("sub.settings.quiet_none", locale)
    if sub.has_quiet_hours and sub.quiet_from is not None and sub.quiet_to is not None:
        quiet = quiet_label((sub.quiet_from, sub.quiet_to))
    return i18n(
        "sub.settings",
        locale,
        language=i18n("sub.settings.lang", locale),
        mode=i18n(mode, locale),
        digest=digest,
        quiet=quiet,
        tz=tz.key,
    )


def timezone_change_text(i18n: I18n, locale: str, change: TimezoneChange, now: datetime) -> str:
    """The reply to /timezone: the current zone, the new one (with the next digest), or a miss."""
    if change.status == "unknown":
        return i18n("sub.tz.unknown", locale, query=echo(change.query))
    tz = change.tz
    offset = utc_offset(tz, now)
    local = now.astimezone(tz).strftime("%H:%M")
    key = "sub.tz.set" if change.status == "set" else "sub.tz.current"
    text = i18n(key, locale, tz=tz.key, offset=offset, time=local)
    sub = change.subscriber
    if sub.digest_at is not None and change.next_digest is not None:
        upcoming = when(i18n, locale, tz, change.next_digest, now)
        text += " " + i18n("sub.tz.digest", locale, time=format_hhmm(sub.digest_at), next=upcoming)
    if change.status == "show":
        text += "\n\n" + i18n("sub.tz.usage", locale)
    return text


class DigestView:
    """Renders a digest as a ready-to-send Post (the digest task's `render`)."""

    def __init__(self, i18n: I18n, default_locale: str, default_tz: str) -> None:
        self._i18n = i18n
        self._locale = default_locale
        self._tz = default_tz

    def __call__(self, sub: Subscriber, day: date, articles: list[Article], total: int) -> Post:
        """The digest of `day` for `sub`: a title with the count, one line per headline.

        Headlines that would push the message over Telegram's limit are left out and
        counted in the closing «…и ещё N статей» line.
        """
        locale = sub.locale(self._locale)
        tz = zone(sub.timezone, self._tz)
        title = self._i18n(
            "sub.digest.title",
            locale,
            day=format_date(day, "d MMMM", locale=locale),
            count=self._i18n("articles.count", locale, n=total),
        )
        items = [self._item(locale, tz, a) for a in articles]
        while True:
            text = self._compose(locale, title, items, total)
            length = telegram_length(text)
            if length <= DIGEST_TEXT_LIMIT or len(items) <= 1:
                return Post(method="sendMessage", text=text, parse_mode="HTML", length=length)
            items.pop()

    def _compose(self, locale: str, title: str, items: list[str], total: int) -> str:
        lines = [title, "", *items]
        if total > len(items):
            lines.append(self._i18n("sub.digest.more", locale, n=total - len(items)))
        return "\n".join(lines)

    def _item(self, locale: str, tz: ZoneInfo, article: Article) -> str:
        moment = article.shown_at
        stamp = moment.astimezone(tz).strftime("%H:%M") if moment else ""
        line = self._i18n(
            "sub.digest.item",
            locale,
            headline=esc(article.headline),
            rubric=esc(label_of_name(self._i18n, article.rubric, locale)),
            time=stamp,
            id=article.id or "",
        )
        if not _COMMAND_SAFE.match(article.id or ""):
            line = line.rsplit(" /article_", 1)[0]
        return line
