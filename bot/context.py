"""The shared, already-connected parts every feature is built from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from uuid import uuid4

from redis.asyncio import Redis

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import I18n
from storage.keys import Keys
from storage.models.article import Article

if TYPE_CHECKING:  # aiogram takes seconds to import: the CLI's light commands never need it
    from aiogram import Bot


@dataclass
class AppContext:
    """Built once in `main()` (or a test) and handed to each feature's wiring."""

    settings: Settings
    redis: Redis
    keys: Keys
    clock: Clock
    bot: Bot
    i18n: I18n
    instance_id: str = field(default_factory=lambda: uuid4().hex[:12])


class ArticleListener(Protocol):
    """Told after an article is stored, so features can route, push or edit copies."""

    async def article_stored(self, article: Article, *, is_new: bool, changed: bool) -> None:
        """`is_new`: first import; `changed`: an existing article's content was replaced."""
        ...


@dataclass
class Feature:
    """What one feature (delivery, publishing, subscribers, ...) adds to the application.

    `workflow_data` goes into the Dispatcher (and is handed to later features' `build` as
    `deps`); `listeners` hear about stored articles; `tasks` are long-running coroutines
    `vestnik run` starts and cancels on shutdown; `closers` run once at shutdown.
    """

    name: str
    workflow_data: dict[str, Any] = field(default_factory=dict)
    listeners: list[ArticleListener] = field(default_factory=list)
    tasks: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
