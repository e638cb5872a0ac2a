"""Before long polling starts: wait until Telegram answers, saying why it does not.

aiogram's `start_polling` begins with getMe, and when that fails it stops at once without a
reason ("Start polling", "Polling stopped"); the polling lease then tried again every few
seconds, forever, silently. `wait_for_telegram` asks getMe itself: each failure is one log
line with its reason and the next try waits twice as long (up to `cap`), so an operator whose
server has no route to Telegram, or whose token was revoked, reads what is wrong. Once getMe
answers, polling starts (and aiogram's own retries cover later network trouble).
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import User

from bot.clock import Clock

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 300.0


async def wait_for_telegram(
    bot: Bot, clock: Clock, *, first: float = FIRST_DELAY, cap: float = MAX_DELAY
) -> User:
    """The bot's own user once Telegram answers getMe; until then back off and log why."""
    delay = first
    failures = 0
    while True:
        try:
            me = await bot.me()
        except TelegramAPIError as exc:
            failures += 1
            wait = delay
            if isinstance(exc, TelegramRetryAfter):
                wait = max(delay, float(exc.retry_after))
            reason = _reason(exc).replace(bot.token, "***")  # never the token in a log
            log.warning("%s; trying again in %s (failure %d)", reason, _seconds(wait), failures)
            await clock.sleep(wait)
            delay = min(cap, delay * 2)
            continue
        if failures:
            log.info("Telegram answers again after %d failed attempt(s)", failures)
        return me


def _reason(exc: TelegramAPIError) -> str:
    """What went wrong, in one line, without the token."""
    detail = " ".join(str(exc.message).split())
    if isinstance(exc, TelegramNetworkError):
        return f"cannot reach Telegram: {detail}"
    if isinstance(exc, TelegramUnauthorizedError):
        return f"Telegram refuses BOT_TOKEN ({detail}): check the token with @BotFather"
    return f"Telegram does not answer getMe: {detail}"


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 1 else f"{value:.1f} s"
