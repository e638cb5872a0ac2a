"""Every Bot API call outside the delivery engine keeps to the same limits and survives 429.

Handlers answer readers, editors and admins with plain `bot.send_message`/`answer` calls.
`ReplyPacer` is a request middleware on the bot's session, so it sees every one of them:
- a sending call (a message, photo, document, album, copy or forward) first takes its slot
  from the shared `RateLimiter` — the same per-chat and global budget the delivery engine
  uses, across every process — and waits for it. A chat may get a short burst (`BURST`
  messages, as Telegram allows) so a three-part answer is not spread over three seconds;
  its average stays within the limit. The wait is on the injected clock, and never longer
  than the same time in real time: a person waits in real time, and a virtual clock (tests,
  replays) must not hold an answer back until someone moves it;
- any call Telegram answers with 429 pauses that chat for everyone (the engine's sends
  too), waits `retry_after` and is made again, up to `max_attempts` times; only then does
  the error reach the handler (and the dispatcher's error handler logs one line).
The engine paces its own jobs (a batch reserved in one round trip) and handles their 429s
itself: calls made inside `engine_calls()` pass through untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import (
    CopyMessage,
    ForwardMessage,
    GetUpdates,
    Response,
    SendAnimation,
    SendAudio,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SendVideo,
    SendVoice,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from redis.exceptions import RedisError

from bot.clock import Clock
from storage.ratelimit import RateLimiter

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BURST = 3  # messages one chat may get at once after a quiet spell (Telegram allows a few)
SENDING = (
    SendMessage,
    SendPhoto,
    SendDocument,
    SendMediaGroup,
    SendAnimation,
    SendAudio,
    SendVideo,
    SendVoice,
    CopyMessage,
    ForwardMessage,
)
_ENGINE_CALL: ContextVar[bool] = ContextVar("vestnik_engine_call", default=False)


@contextlib.contextmanager
def engine_calls() -> Iterator[None]:
    """Calls made inside are the delivery engine's own: paced and retried by the engine."""
    token = _ENGINE_CALL.set(True)
    try:
        yield
    finally:
        _ENGINE_CALL.reset(token)


def _chat_of(method: TelegramMethod[Any]) -> int | None:
    chat = getattr(method, "chat_id", None)
    return chat if isinstance(chat, int) else None


class ReplyPacer(BaseRequestMiddleware):
    """Paces sending calls with the shared limiter; waits out and repeats 429 answers."""

    def __init__(
        self, limiter: RateLimiter, clock: Clock, *, max_attempts: int = MAX_ATTEMPTS
    ) -> None:
        self.limiter = limiter
        self.clock = clock
        self.max_attempts = max_attempts

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if _ENGINE_CALL.get() or isinstance(method, GetUpdates):
            return await make_request(bot, method)
        chat_id = _chat_of(method)
        sending = isinstance(method, SENDING)
        for attempt in range(1, self.max_attempts + 1):
            if sending and chat_id is not None:
                await self._take_slot(chat_id)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt >= self.max_attempts:
                    raise
                await self._flood_wait(chat_id, float(exc.retry_after), method)
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _take_slot(self, chat_id: int) -> None:
        """Wait for this message's turn under the per-chat and global limits."""
        try:
            delay = await self.limiter.acquire(chat_id, self.clock.time(), burst=BURST)
        except RedisError as exc:  # no shared limits right now: send, and let 429s pace us
            log.warning("reply to %s not paced (Redis: %s)", chat_id, exc)
            return
        await self._wait(delay)

    async def _wait(self, seconds: float) -> None:
        """Sleep `seconds` on the injected clock, at most that long in real time."""
        if seconds <= 0:
            return
        waits = [
            asyncio.ensure_future(self.clock.sleep(seconds)),
            asyncio.ensure_future(asyncio.sleep(seconds)),
        ]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    async def _flood_wait(
        self, chat_id: int | None, retry_after: float, method: TelegramMethod[Any]
    ) -> None:
        """Telegram said 429: hold the chat for everyone, wait, and try again."""
        wait = max(1.0, retry_after)
        log.warning(
            "429 for %s to chat %s: retrying in %.0f s", type(method).__name__, chat_id, wait
        )
        if chat_id is not None:
            with contextlib.suppress(RedisError):
                await self.limiter.pause_chat(chat_id, wait, self.clock.time())
        await self._wait(wait)
