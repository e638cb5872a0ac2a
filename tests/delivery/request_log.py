"""What an aiogram Bot actually asked Telegram, and when: a request middleware that watches.

It changes nothing: every call still goes over HTTP to the sandbox. Tests use it to see the
moment each request left and came back (the sandbox stamps messages in whole seconds only),
including the requests Telegram refused.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.methods import Response, TelegramMethod

CHAT_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "pinChatMessage", "editMessageText", "editMessageCaption"}
)


@dataclass(slots=True)
class Request:
    """One Bot API request: method, chat, start and end (monotonic seconds), error if any."""

    method: str
    chat_id: int | None
    start: float
    end: float = 0.0
    error: str | None = None  # "429", "400", "network"...

    @property
    def ok(self) -> bool:
        """Telegram accepted it."""
        return self.error is None


class RequestLog(BaseRequestMiddleware):
    """Records every request of the Bot it is registered on (`bot.session.middleware(log)`)."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Response[Any]:
        chat = getattr(method, "chat_id", None)
        entry = Request(method.__api_method__, int(chat) if chat is not None else None,
                        time.monotonic())  # fmt: skip
        self.requests.append(entry)
        try:
            return await make_request(bot, method)
        except TelegramNetworkError:
            entry.error = "network"
            raise
        except TelegramAPIError as exc:
            entry.error = _code(exc)
            raise
        finally:
            entry.end = time.monotonic()

    def of(self, *methods: str, chat_id: int | None = None) -> list[Request]:
        """Requests of these methods (all methods when none given), optionally to one chat."""
        return [
            r
            for r in self.requests
            if (not methods or r.method in methods) and (chat_id is None or r.chat_id == chat_id)
        ]

    def to_chats(self) -> list[Request]:
        """Requests that act in a chat and so count against Telegram's flood limits."""
        return [r for r in self.requests if r.method in CHAT_METHODS]


def _code(exc: TelegramAPIError) -> str:
    name = type(exc).__name__
    codes = {"TelegramRetryAfter": "429", "TelegramBadRequest": "400",
             "TelegramMigrateToChat": "400", "TelegramForbiddenError": "403",
             "TelegramServerError": "5xx"}  # fmt: skip
    return codes.get(name, name)


def most_in_any_window(starts: Iterable[float], window: float) -> int:
    """The largest number of requests that started within any `window` seconds."""
    times = sorted(starts)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best
