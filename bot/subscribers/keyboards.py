"""Inline keyboards and their callback data (aiogram `CallbackData` factories).

Callback data never carries a user id: every action applies to the user who pressed the
button, so forged data can at worst name a rubric or article that does not exist.
"""

from __future__ import annotations

from datetime import datetime

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import I18n
from bot.inline_keyboards import callback_button, in_rows
from bot.subscribers.rubric_names import label
from bot.subscribers.service import QUIET_CHOICES, TIMEZONE_CHOICES, LatestPage, RubricChoice
from bot.subscribers.timemath import utc_offset, zone
from storage.models.article import Article
from storage.models.subscriber import Subscriber

CHECK = "✓"
BUTTON_TEXT_MAX = 60
ARTICLE_ID_MAX = 60  # callback data is at most 64 bytes, `sa:` included


class RubricToggle(CallbackData, prefix="sr"):
    """Tap on a rubric in /rubrics: subscribe or unsubscribe."""

    slug: str


class LatestNav(CallbackData, prefix="sl"):
    """◀ ▶ in /latest: the rubric slug (empty: the user's rubrics), offset and page size."""

    rubric: str
    offset: int
    size: int


class OpenArticle(CallbackData, prefix="sa"):
    """Tap on a headline: the whole article."""

    id: str


class SettingChoice(CallbackData, prefix="ss"):
    """A button in /settings: which setting and the chosen value."""

    name: str
    value: str


class SettingsPage(CallbackData, prefix="sp"):
    """Navigation inside /settings: `tz` opens the time-zone choice, `main` goes back."""

    page: str


class ZoneChoice(CallbackData, prefix="sz"):
    """A time-zone button in /settings: the IANA name (checked against the offered list)."""

    zone: str


class StopConfirm(CallbackData, prefix="sx"):
    """The answer to /stop's confirmation."""

    confirm: bool


def rubric_keyboard(choices: list[RubricChoice], i18n: I18n, locale: str) -> InlineKeyboardMarkup:
    """Two rubrics a row, named in the reader's language, a check mark on subscribed ones."""
    buttons = []
    for c in choices:
        name = label(i18n, c.rubric, locale)
        text = f"{CHECK} {name}" if c.subscribed else name
        buttons.append(callback_button(text, RubricToggle(slug=c.rubric.slug)))
    return InlineKeyboardMarkup(inline_keyboard=in_rows(buttons, 2))


def shorten(text: str, limit: int = BUTTON_TEXT_MAX) -> str:
    """A button label: the text cut at a word boundary with `…` when too long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,.:;—-") + "…"


def headline_buttons(articles: list[Article], first: int) -> list[list[InlineKeyboardButton]]:
    """One row per article: `N. Headline` opening the whole article."""
    return [
        [callback_button(shorten(f"{first + i}. {a.headline}"), OpenArticle(id=a.id or ""))]
        for i, a in enumerate(articles)
        if a.id and len(a.id) <= ARTICLE_ID_MAX
    ]


def latest_keyboard(page: LatestPage, i18n: I18n, locale: str) -> InlineKeyboardMarkup:
    """Headline buttons plus ◀ ▶ when there are newer or older pages."""
    rows = headline_buttons(page.articles, page.offset + 1)
    nav: list[InlineKeyboardButton] = []
    if page.has_prev:
        offset = max(0, page.offset - page.size)
        nav.append(_nav(i18n("sub.btn.prev", locale), page, offset))
    if page.has_next:
        nav.append(_nav(i18n("sub.btn.next", locale), page, page.offset + page.size))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _nav(text: str, page: LatestPage, offset: int) -> InlineKeyboardButton:
    return callback_button(
        text, LatestNav(rubric=page.callback_rubric, offset=offset, size=page.size)
    )


def settings_keyboard(sub: Subscriber, i18n: I18n, locale: str) -> InlineKeyboardMarkup:
    """Language, instant or digest only, quiet hours — the current choice checked."""

    def choice(label: str, name: str, value: str, chosen: bool) -> InlineKeyboardButton:
        return callback_button(
            f"{CHECK} {label}" if chosen else label, SettingChoice(name=name, value=value)
        )

    lang = sub.language or locale
    rows = [
        [
            choice(i18n("sub.btn.lang.ru", locale), "lang", "ru", lang == "ru"),
            choice(i18n("sub.btn.lang.en", locale), "lang", "en", lang == "en"),
        ],
        [
            choice(i18n("sub.btn.instant", locale), "mode", "instant", sub.pushes),
            choice(i18n("sub.btn.digest_only", locale), "mode", "digest", not sub.pushes),
        ],
        [choice(i18n("sub.btn.quiet_off", locale), "quiet", "off", not sub.has_quiet_hours)],
    ]
    quiet = [
        choice(quiet_label(hours), "quiet", key, (sub.quiet_from, sub.quiet_to) == hours)
        for key, hours in QUIET_CHOICES.items()
        if hours is not None
    ]
    rows.append(quiet)
    rows.append([callback_button(i18n("sub.btn.timezone", locale), SettingsPage(page="tz"))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def zone_label(name: str, i18n: I18n, locale: str, now: datetime) -> str:
    """`Алматы (UTC+5)`: the city in the user's language and the zone's offset right now."""
    city = i18n(zone_text_key(name), locale)
    return i18n("sub.tz.label", locale, city=city, offset=utc_offset(zone(name, "UTC"), now))


def zone_text_key(name: str) -> str:
    """The text key of an offered zone's city name (`Asia/Almaty` -> `sub.tz.asia.almaty`)."""
    return "sub.tz." + name.lower().replace("/", ".")


def timezone_keyboard(current: str, i18n: I18n, locale: str, now: datetime) -> InlineKeyboardMarkup:
    """The offered zones, two a row, the current one checked; then «back to settings»."""
    buttons = [
        callback_button(
            f"{CHECK} {zone_label(name, i18n, locale, now)}"
            if name == current
            else zone_label(name, i18n, locale, now),
            ZoneChoice(zone=name),
        )
        for name in TIMEZONE_CHOICES
    ]
    rows = in_rows(buttons, 2)
    rows.append([callback_button(i18n("sub.btn.back", locale), SettingsPage(page="main"))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def quiet_label(hours: tuple[int, int]) -> str:
    """`23:00–08:00`."""
    start, end = hours
    return f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"


def stop_keyboard(i18n: I18n, locale: str) -> InlineKeyboardMarkup:
    """Yes / no for /stop."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                callback_button(i18n("sub.btn.stop_yes", locale), StopConfirm(confirm=True)),
                callback_button(i18n("sub.btn.stop_no", locale), StopConfirm(confirm=False)),
            ]
        ]
    )
