"""What a reader can do: choose rubrics, read the latest news, set a digest and quiet hours.

Handlers call these methods and render the results; nothing here knows about aiogram.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import normalize_locale
from bot.subscribers.ports import Articles, Eraser, Rubrics
from bot.subscribers.rubric_names import RubricAliases
from bot.subscribers.timemath import find_zone, next_daily, parse_hhmm, zone
from storage.models.article import Article, Rubric
from storage.models.post import Post
from storage.models.subscriber import Locale, Subscriber
from storage.subscriptions import SubscriptionRepo

LATEST_DEFAULT = 5
LATEST_MAX = 20
# How far /latest pages back (a forged button may carry any number; Redis refuses huge ones).
LATEST_OFFSET_MAX = 10_000
# How long a /stop confirmation stays valid (seconds of the injected clock).
STOP_CONFIRM_SECONDS = 3600.0
DEFAULT_DIGEST = 9 * 60
ALL_WORDS = frozenset({"all", "все", "всё", "*"})
OFF_WORDS = frozenset({"off", "выкл", "выключить", "нет", "no"})
QUIET_CHOICES: dict[str, tuple[int, int] | None] = {
    "off": None,
    "22-07": (22 * 60, 7 * 60),
    "23-08": (23 * 60, 8 * 60),
    "00-09": (0, 9 * 60),
}
# The zones offered as buttons in /settings (any other IANA zone: /timezone Area/City).
TIMEZONE_CHOICES = (
    "Asia/Almaty",
    "Asia/Qostanay",
    "Asia/Aqtobe",
    "Asia/Tashkent",
    "Asia/Bishkek",
    "Europe/Moscow",
    "Asia/Yekaterinburg",
    "Asia/Novosibirsk",
    "Europe/Berlin",
    "UTC",
)
_ARTICLE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_NUMBER = re.compile(r"^[+-]?[0-9]+$")
# Quotes a reader may copy from the help or type around an argument: «все», "Спорт", „Welt“.
QUOTES = "«»\"'„“”‘’‚‹›"

FullPostBuilder = Callable[[Article, Rubric | None], Post]


def unquote(text: str) -> str:
    """An argument without the quotes around it and with single spaces (`«все»` -> `все`)."""
    return " ".join(text.split()).strip(QUOTES + " ")


def split_latest_args(args: str) -> tuple[str, str | None]:
    """`/latest` arguments as (rubric query, count): the count may come last or first."""
    words = args.split()
    if words and _NUMBER.match(words[-1]):
        return " ".join(words[:-1]), words[-1]
    if len(words) > 1 and _NUMBER.match(words[0]):
        return " ".join(words[1:]), words[0]
    return " ".join(words), None


@dataclass(frozen=True)
class Profile:
    """Who is talking to the bot: locale, time zone and stored settings (defaults if new)."""

    user_id: int
    locale: str
    tz: ZoneInfo
    subscriber: Subscriber
    known: bool


@dataclass
class RubricChoice:
    """A rubric and whether the user subscribes to it (one button of the rubric keyboard)."""

    rubric: Rubric
    subscribed: bool


@dataclass
class RubricChange:
    """The outcome of /subscribe, /unsubscribe or a keyboard tap."""

    status: Literal["done", "already", "unknown", "empty", "nothing"]
    rubric: Rubric | None = None
    subscribed: bool = False
    count: int = 0
    removed: int = 0
    query: str = ""
    suggestions: list[Rubric] = field(default_factory=list)
    available: list[Rubric] = field(default_factory=list)


@dataclass
class LatestPage:
    """One page of the newest headlines for /latest and its ◀ ▶ buttons."""

    status: Literal["ok", "unknown", "range", "too_far"]
    articles: list[Article] = field(default_factory=list)
    rubric: Rubric | None = None
    scope: Literal["rubric", "mine", "all"] = "mine"
    offset: int = 0
    size: int = LATEST_DEFAULT
    has_next: bool = False
    query: str = ""
    suggestions: list[Rubric] = field(default_factory=list)
    available: list[Rubric] = field(default_factory=list)

    @property
    def has_prev(self) -> bool:
        """Whether there are newer headlines before this page."""
        return self.offset > 0

    @property
    def callback_rubric(self) -> str:
        """What the paging buttons carry: the rubric slug, or `` for «my rubrics»."""
        return self.rubric.slug if self.rubric else ""


@dataclass
class DigestChange:
    """The outcome of /digest."""

    status: Literal["show", "set", "off", "bad"]
    minutes: int | None = None
    next_at: datetime | None = None
    value: str = ""
    pushes_restored: bool = False


@dataclass
class TimezoneChange:
    """The outcome of /timezone or a tap on a zone button."""

    status: Literal["show", "set", "unknown"]
    tz: ZoneInfo
    subscriber: Subscriber
    next_digest: datetime | None = None
    query: str = ""


class SubscriberService:
    """Subscriptions and settings of the readers who talk to the bot in private."""

    def __init__(
        self,
        subscriptions: SubscriptionRepo,
        rubrics: Rubrics,
        articles: Articles,
        settings: Settings,
        clock: Clock,
        full_post: FullPostBuilder,
        *,
        aliases: RubricAliases | None = None,
        eraser: Eraser | None = None,
    ) -> None:
        self._subs = subscriptions
        self._rubrics = rubrics
        self._articles = articles
        self._settings = settings
        self._clock = clock
        self._full_post = full_post
        self._aliases = aliases
        self._eraser = eraser

    # --- who is talking -----------------------------------------------------------
    async def profile(self, user_id: int, telegram_language: str | None) -> Profile:
        """The locale and time zone to answer this user in (their choice, else Telegram's)."""
        stored = await self._subs.get(user_id)
        default = self._settings.default_locale
        tg = _locale_or_none(normalize_locale(telegram_language, default))
        sub = stored or Subscriber(user_id=user_id, telegram_language=tg)
        now_told = tg if telegram_language else None
        locale = sub.language or now_told or sub.telegram_language or default
        return Profile(user_id, locale, self.tz_of(sub), sub, stored is not None)

    def tz_of(self, subscriber: Subscriber) -> ZoneInfo:
        """The subscriber's time zone (the newsroom's by default)."""
        return zone(subscriber.timezone, self._settings.timezone)

    async def register(self, profile: Profile, telegram_language: str | None) -> Subscriber:
        """Remember a user (and the language Telegram reports for them): on /start and when
        they first subscribe, so digests and notices speak their language."""
        tg = _locale_or_none(normalize_locale(telegram_language, self._settings.default_locale))
        sub = profile.subscriber
        if profile.known and sub.telegram_language == tg:
            return sub
        updated = sub.model_copy(update={"telegram_language": tg})
        await self._save(updated)
        return updated

    # --- rubrics ----------------------------------------------------------------
    async def rubric_choices(self, user_id: int) -> list[RubricChoice]:
        """Every rubric with a mark on those the user subscribes to."""
        mine = set(await self._subs.rubrics_of(user_id))
        return [RubricChoice(r, r.slug in mine) for r in await self._rubrics.all()]

    async def subscription_count(self, user_id: int) -> int:
        """How many rubrics the user subscribes to."""
        return len(await self._subs.rubrics_of(user_id))

    async def toggle(self, user_id: int, slug: str) -> RubricChange:
        """A tap on the rubric keyboard: subscribe or unsubscribe (unknown slug: `unknown`)."""
        rubric = await self._rubrics.get(slug)
        if rubric is None:
            return RubricChange("unknown", query=slug)
        if await self._subs.unsubscribe(user_id, rubric.slug):
            subscribed = False
        else:
            await self._subs.subscribe(user_id, rubric.slug)
            subscribed = True
        count = await self.subscription_count(user_id)
        return RubricChange("done", rubric, subscribed=subscribed, count=count)

    async def subscribe(self, user_id: int, query: str) -> RubricChange:
        """/subscribe <rubric>: by name, slug or hashtag, with near misses when unknown."""
        found = await self._resolve(query)
        if found.status != "done" or found.rubric is None:
            return found
        added = await self._subs.subscribe(user_id, found.rubric.slug)
        count = await self.subscription_count(user_id)
        status: Literal["done", "already"] = "done" if added else "already"
        return RubricChange(status, found.rubric, subscribed=True, count=count)

    async def unsubscribe(self, user_id: int, query: str) -> RubricChange:
        """/unsubscribe <rubric|all>."""
        if unquote(query).lower() in ALL_WORDS:
            removed = await self._subs.unsubscribe_all(user_id)
            return RubricChange("done" if removed else "nothing", removed=len(removed))
        found = await self._resolve(query)
        if found.status != "done" or found.rubric is None:
            return found
        removed_one = await self._subs.unsubscribe(user_id, found.rubric.slug)
        count = await self.subscription_count(user_id)
        status: Literal["done", "already"] = "done" if removed_one else "already"
        return RubricChange(status, found.rubric, subscribed=False, count=count)

    async def _resolve(self, query: str) -> RubricChange:
        """A rubric by its name, slug, hashtag or translated name; near misses otherwise."""
        text = unquote(query)
        if not text:
            return RubricChange("empty", available=await self._rubrics.all())
        rubric = await self._rubrics.find(text)
        every = await self._rubrics.all()
        if rubric is None and self._aliases is not None:
            rubric = self._aliases.find(text, every)
        if rubric is not None:
            return RubricChange("done", rubric, query=text)
        return RubricChange(
            "unknown", query=text, suggestions=await self._suggest(text, every), available=every
        )

    async def _suggest(self, text: str, every: list[Rubric]) -> list[Rubric]:
        found = await self._rubrics.suggest(text)
        if self._aliases is not None:
            found += self._aliases.suggest(text, every)
        unique: dict[str, Rubric] = {}
        for rubric in found:
            unique.setdefault(rubric.slug, rubric)
        return list(unique.values())[:3]

    # --- reading ------------------------------------------------------------------
    async def latest(self, user_id: int, args: str) -> LatestPage:
        """/latest [rubric] [N] (or /latest N rubric): parse the arguments, then the first page."""
        query, count = split_latest_args(args)
        size = LATEST_DEFAULT if count is None else int(count)
        if not 1 <= size <= LATEST_MAX:
            return LatestPage("range", size=size)
        if not unquote(query):
            return await self.page(user_id, "", 0, size)
        found = await self._resolve(query)
        if found.rubric is None:
            return LatestPage(
                "unknown", query=query, suggestions=found.suggestions, available=found.available
            )
        return await self.page(user_id, found.rubric.slug, 0, size)

    async def page(self, user_id: int, slug: str, offset: int, size: int) -> LatestPage:
        """A page of headlines of one rubric (`slug`) or of the user's rubrics (`slug` empty)."""
        if not 1 <= size <= LATEST_MAX:
            return LatestPage("range", size=size)
        if not 0 <= offset <= LATEST_OFFSET_MAX:
            return LatestPage("too_far", size=size)
        rubric = await self._rubrics.get(slug) if slug else None
        if slug and rubric is None:
            return LatestPage("unknown", query=slug, available=await self._rubrics.all())
        slugs, scope = await self._scope(user_id, rubric)
        items = await self._articles.list_latest(slugs, offset, size + 1)
        return LatestPage(
            "ok",
            articles=list(items[:size]),
            rubric=rubric,
            scope=scope,
            offset=offset,
            size=size,
            has_next=len(items) > size and offset + size <= LATEST_OFFSET_MAX,
        )

    async def _scope(
        self, user_id: int, rubric: Rubric | None
    ) -> tuple[list[str] | None, Literal["rubric", "mine", "all"]]:
        if rubric is not None:
            return [rubric.slug], "rubric"
        mine = await self._subs.rubrics_of(user_id)
        return (mine, "mine") if mine else (None, "all")

    async def full_post(self, article_id: str) -> Post | None:
        """The full formatted article for /article <id> or a tap on a headline."""
        if not _ARTICLE_ID.match(article_id):
            return None
        article = await self._articles.get(article_id)
        if article is None:
            return None
        return self._full_post(article, await self._rubrics.find(article.rubric))

    async def rubric_names(self) -> dict[str, Rubric]:
        """Rubrics by slug and by name (articles may carry either), to label headlines."""
        names: dict[str, Rubric] = {}
        for rubric in await self._rubrics.all():
            names[rubric.slug] = rubric
            names[rubric.name] = rubric
        return names

    # --- digest and settings ----------------------------------------------------------
    async def digest(self, profile: Profile, arg: str) -> DigestChange:
        """/digest [HH:MM|off]: show, set or switch off the daily digest."""
        value = unquote(arg)
        sub = profile.subscriber
        if not value:
            return DigestChange("show", sub.digest_at, await self._next_digest(sub.user_id))
        if value.lower() in OFF_WORDS:
            await self._save(sub.model_copy(update={"digest_at": None, "pushes": True}))
            return DigestChange("off", pushes_restored=not sub.pushes)
        minutes = parse_hhmm(value)
        if minutes is None:
            return DigestChange("bad", value=value)
        updated = sub.model_copy(update={"digest_at": minutes})
        due = await self._save(updated)
        return DigestChange("set", minutes, due)

    async def _next_digest(self, user_id: int) -> datetime | None:
        due = await self._subs.next_digest(user_id)
        return None if due is None else datetime.fromtimestamp(due, UTC)

    async def change_setting(self, profile: Profile, name: str, value: str) -> Subscriber | None:
        """A tap in /settings; None when the button's data is not a valid choice."""
        update = _setting_update(profile.subscriber, name, value)
        if update is None:
            return None
        updated = profile.subscriber.model_copy(update=update)
        await self._save(updated)
        return updated

    async def set_timezone(
        self, profile: Profile, name: str, *, menu_only: bool = False
    ) -> TimezoneChange:
        """/timezone [Area/City] or a zone button: show or change the user's time zone.

        Saving goes through `_save`, which computes the digest's next time in the new zone, so
        the digest and quiet hours follow the change. `menu_only` accepts only the zones the
        /settings keyboard offers (button data may be forged).
        """
        sub = profile.subscriber
        query = unquote(name)
        if not query:
            return TimezoneChange("show", profile.tz, sub, await self._next_digest(sub.user_id))
        tz = find_zone(query)
        if tz is None or (menu_only and tz.key not in TIMEZONE_CHOICES):
            return TimezoneChange("unknown", profile.tz, sub, query=query)
        updated = sub.model_copy(update={"timezone": tz.key})
        due = await self._save(updated)
        return TimezoneChange("set", tz, updated, due)

    async def _save(self, sub: Subscriber) -> datetime | None:
        due = None
        if sub.digest_at is not None:
            due = next_daily(self._clock.now(), sub.digest_at, self.tz_of(sub))
        await self._subs.save(sub, digest_due=None if due is None else due.timestamp())
        return due

    # --- leaving --------------------------------------------------------------------
    async def ask_stop(self, user_id: int, message_id: int) -> None:
        """/stop sent its confirmation as `message_id`: only a «yes» on that message counts."""
        await self._subs.remember_stop_request(user_id, message_id, self._clock.time())

    async def stop(self, user_id: int, message_id: int) -> int | None:
        """«Yes» on a /stop confirmation: delete everything; how many rubrics the user had.

        None (nothing deleted) when `message_id` is not the user's pending confirmation, or it
        is older than `STOP_CONFIRM_SECONDS` — a forged or stale button never deletes data.
        """
        asked = await self._subs.take_stop_request(user_id, message_id)
        if asked is None or self._clock.time() - asked > STOP_CONFIRM_SECONDS:
            return None
        removed = len(await self._subs.delete_user(user_id))
        if self._eraser is not None:
            await self._eraser.erase(user_id)
        return removed

    async def keep(self, user_id: int, message_id: int) -> None:
        """«No» on a /stop confirmation: forget the request, change nothing else."""
        await self._subs.take_stop_request(user_id, message_id)

    async def forget_blocked(self, user_id: int) -> None:
        """The user blocked the bot: unsubscribe them from everything and stop their digest."""
        await self._subs.unsubscribe_all(user_id)
        stored = await self._subs.get(user_id)
        if stored is not None and stored.digest_at is not None:
            await self._save(stored.model_copy(update={"digest_at": None}))


def _locale_or_none(code: str) -> Locale | None:
    """`ru`/`en` as the model's literal type."""
    if code == "en":
        return "en"
    return "ru" if code == "ru" else None


def _setting_update(sub: Subscriber, name: str, value: str) -> dict[str, object] | None:
    """The model fields a settings button changes, or None for forged/unknown data."""
    if name == "lang" and value in ("ru", "en"):
        return {"language": value}
    if name == "mode" and value == "instant":
        return {"pushes": True}
    if name == "mode" and value == "digest":
        digest = DEFAULT_DIGEST if sub.digest_at is None else sub.digest_at
        return {"pushes": False, "digest_at": digest}
    if name == "quiet" and value in QUIET_CHOICES:
        hours = QUIET_CHOICES[value]
        return {"quiet_from": hours[0] if hours else None, "quiet_to": hours[1] if hours else None}
    return None
