"""Progress of long work shown in ONE chat message that is edited as the work goes on.

«Рассылка: 12 000 из 20 000 · 29 сообщ./с · осталось ~4 мин», then a summary (sent, failed
by reason, the reasons in the reader's words). Edits are throttled (at most one every
`min_interval` seconds of the injected clock) so the status message itself never hits
Telegram's rate limits. `track` follows the work as long as it keeps moving: how long it
waits is derived from what is left and the measured pace, not a fixed timeout.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from babel.numbers import format_decimal

from bot.clock import Clock
from bot.i18n import I18n

MIN_EDIT_INTERVAL = 2.0
PATIENCE = 300.0  # follow at least this long after the last progress (429 waits, restarts)
ETA_MARGIN = 2.0  # the remaining items may take this many times the measured pace
MAX_FOLLOW = 12 * 3600.0  # never follow one piece of work longer than this


@dataclass(frozen=True)
class ProgressSample:
    """How far a bulk action is: finished items of `total`, and failures by reason."""

    done: int
    total: int
    failed: Mapping[str, int] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """Every item has an outcome."""
        return self.total > 0 and self.done >= self.total


def number(value: float, locale: str) -> str:
    """A number the way the locale writes it (`12 000` with a no-break space in Russian)."""
    return str(format_decimal(value, format="#,##0.#", locale=locale))


def format_remaining(seconds: float, i18n: I18n, locale: str) -> str:
    """`~40 с`, `~4 мин`, `~1 ч 5 мин`: rounded up, never `~0`."""
    secs = max(1, math.ceil(seconds))
    if secs < 60:
        return i18n("progress.eta.seconds", locale, n=secs)
    minutes = math.ceil(secs / 60)
    if minutes < 60:
        return i18n("progress.eta.minutes", locale, n=minutes)
    return i18n("progress.eta.hours", locale, h=minutes // 60, m=minutes % 60)


def format_progress(
    i18n: I18n, locale: str, label: str, done: int, total: int, rate: float | None
) -> str:
    """One status line: what, how many of how many, the pace and the time left."""
    parts = [
        i18n(
            "progress.line",
            locale,
            label=label,
            done=number(done, locale),
            total=number(total, locale),
        )
    ]
    if rate is not None and rate > 0:
        parts.append(i18n("progress.rate", locale, rate=number(round(rate, 1), locale)))
        if total > done:
            eta = format_remaining((total - done) / rate, i18n, locale)
            parts.append(i18n("progress.eta", locale, eta=eta))
    return " · ".join(parts)


def reason_name(reason: str, i18n: I18n, locale: str) -> str:
    """A delivery failure reason (`forbidden`, `network`...) in the reader's words."""
    key = f"delivery.reason.{reason}"
    return i18n(key, locale) if i18n.has(key) else reason


def reasons_text(failed: Mapping[str, int], i18n: I18n, locale: str) -> str:
    """`бот заблокирован — 8, сеть — 2`: the most frequent reason first."""
    ordered = sorted(failed.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(
        f"{reason_name(reason, i18n, locale)} — {number(count, locale)}"
        for reason, count in ordered
        if count
    )


def format_summary(
    i18n: I18n, locale: str, kind: str, sent: int, failed: Mapping[str, int], pending: int = 0
) -> str:
    """The final report of a `kind` (push, retract): sent, failed by reason, still waiting."""
    lines = [i18n(f"progress.done.{kind}", locale, n=sent, sent=number(sent, locale))]
    total_failed = sum(failed.values())
    if total_failed:
        reasons = reasons_text(failed, i18n, locale)
        lines.append(i18n("progress.failed", locale, n=total_failed, reasons=reasons))
    if pending:
        lines.append(i18n("progress.pending", locale, n=pending, value=number(pending, locale)))
    return "\n".join(lines)


class ProgressReporter:
    """Keeps one status message up to date in a chat."""

    def __init__(
        self,
        bot: Bot,
        chat_id: int,
        clock: Clock,
        i18n: I18n,
        *,
        locale: str = "ru",
        min_interval: float = MIN_EDIT_INTERVAL,
    ) -> None:
        self._bot = bot
        self._chat_id = chat_id
        self.clock = clock
        self._i18n = i18n
        self._locale = locale
        self._min_interval = min_interval
        self.message_id: int | None = None
        self.edits = 0
        self._label = ""
        self._kind = ""
        self._started = 0.0
        self._first_done = 0
        self._last_edit = -math.inf
        self._last_text = ""

    async def start(self, kind: str, total: int, done: int = 0) -> None:
        """Send the status message (the one that will be edited) for a `kind` of work."""
        self._kind = kind
        self._label = self._i18n(f"progress.label.{kind}", self._locale)
        self._started = self.clock.time()
        self._first_done = done
        text = format_progress(self._i18n, self._locale, self._label, done, total, None)
        message = await self._bot.send_message(self._chat_id, text, parse_mode=None)
        self.message_id = message.message_id
        self._last_edit = self._started
        self._last_text = text

    def rate(self, done: int) -> float | None:
        """Items per second since `start`, or None before there is anything to measure."""
        elapsed = self.clock.time() - self._started
        if elapsed <= 0 or done <= self._first_done:
            return None
        return (done - self._first_done) / elapsed

    async def update(self, done: int, total: int) -> bool:
        """Edit the status if `min_interval` has passed since the last edit; True if edited."""
        if self.clock.time() - self._last_edit < self._min_interval:
            return False
        text = format_progress(self._i18n, self._locale, self._label, done, total, self.rate(done))
        return await self._edit(text)

    async def finish(self, sent: int, failed: Mapping[str, int], pending: int = 0) -> None:
        """Replace the status with the summary (always, whatever the throttle says)."""
        text = format_summary(self._i18n, self._locale, self._kind, sent, failed, pending)
        await self._edit(text)

    async def _edit(self, text: str) -> bool:
        if self.message_id is None or text == self._last_text:
            return False
        self._last_edit = self.clock.time()
        self._last_text = text
        with contextlib.suppress(TelegramAPIError, TelegramNetworkError):
            await self._bot.edit_message_text(
                text=text, chat_id=self._chat_id, message_id=self.message_id, parse_mode=None
            )
            self.edits += 1
            return True
        return False


Sampler = Callable[[], Awaitable[ProgressSample]]


async def track(
    reporter: ProgressReporter,
    kind: str,
    sample: Sampler,
    *,
    poll: float = 1.0,
    patience: float = PATIENCE,
    limit: float = MAX_FOLLOW,
) -> ProgressSample:
    """Poll `sample` until the work is finished, reporting as it goes; then the summary.

    `kind` (push, retract) names the work in the status line and the summary. How long to
    keep following is derived from the work: each time items finish, the deadline moves to
    what the remaining items need at the measured pace (times `ETA_MARGIN`), and at least
    `patience` seconds ahead. Work that stops moving is given up `patience` (or its estimate)
    after its last progress, and nothing is followed for more than `limit` seconds; the
    summary then says how many messages are still waiting.
    """
    current = await sample()
    await reporter.start(kind, current.total, current.done)
    started = reporter.clock.time()
    deadline = started + patience
    last_done = current.done
    while not current.finished and reporter.clock.time() < deadline:
        await reporter.clock.sleep(poll)
        current = await sample()
        await reporter.update(current.done, current.total)
        if current.done > last_done:
            last_done = current.done
            deadline = _next_deadline(reporter, current, patience, started + limit)
    failed = sum(current.failed.values())
    pending = max(0, current.total - current.done)
    await reporter.finish(current.done - failed, current.failed, pending)
    return current


def _next_deadline(
    reporter: ProgressReporter, current: ProgressSample, patience: float, ceiling: float
) -> float:
    """Now plus the time the rest needs at the measured pace (with a margin), bounded."""
    now = reporter.clock.time()
    rate = reporter.rate(current.done)
    remaining = max(0, current.total - current.done)
    needed = remaining / rate * ETA_MARGIN if rate else 0.0
    return min(ceiling, now + max(patience, needed))
