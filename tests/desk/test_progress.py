"""Progress reports: the Russian status line and summary; ONE message edited every ~2 s at most."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot

from bot.clock import VirtualClock
from bot.desk.progress import (
    ProgressReporter,
    ProgressSample,
    format_progress,
    format_remaining,
    format_summary,
    number,
    track,
)
from bot.texts import build_i18n

NBSP = "\u00a0"
I18N = build_i18n()


def test_numbers_use_a_no_break_space_in_russian() -> None:
    assert number(12000, "ru") == f"12{NBSP}000"
    assert number(1234567, "ru") == f"1{NBSP}234{NBSP}567"
    assert number(12000, "en") == "12,000"
    assert number(29.4, "ru") == "29,4"


def test_status_line_like_the_newsroom_expects() -> None:
    line = format_progress(I18N, "ru", "Рассылка", 12000, 20000, 34.0)
    assert line == f"Рассылка: 12{NBSP}000 из 20{NBSP}000 · 34 сообщ./с · осталось ~4 мин"


def test_status_line_without_a_rate_yet() -> None:
    assert format_progress(I18N, "ru", "Рассылка", 0, 20000, None) == f"Рассылка: 0 из 20{NBSP}000"


def test_status_line_in_english() -> None:
    line = format_progress(I18N, "en", "Sending", 12000, 20000, 34.0)
    assert line == "Sending: 12,000 of 20,000 · 34 msg/s · ~4 min left"


def test_remaining_time_rounds_up_and_never_shows_zero() -> None:
    assert format_remaining(0.2, I18N, "ru") == "1 с"
    assert format_remaining(40, I18N, "ru") == "40 с"
    assert format_remaining(61, I18N, "ru") == "2 мин"
    assert format_remaining(3900, I18N, "ru") == "1 ч 5 мин"


def test_summary_lists_failures_by_reason_in_words_with_plurals() -> None:
    text = format_summary(I18N, "ru", "push", 19990, {"forbidden": 8, "network": 2}, 0)
    assert text == (
        f"Рассылка завершена: доставлено 19{NBSP}990.\n"
        "Не доставлено 10 сообщений: бот заблокирован или без прав — 8, сеть — 2."
    )
    one = format_summary(I18N, "ru", "push", 5, {"forbidden": 1}, 2)
    assert "Не доставлено 1 сообщение" in one


def test_failure_reasons_in_english_and_unknown_ones_raw() -> None:
    text = format_summary(I18N, "en", "push", 7, {"network": 2, "weird_thing": 1})
    assert text == (
        "Sending finished: 7 delivered.\n3 messages not delivered: network — 2, weird_thing — 1."
    )


@pytest.mark.parametrize("n", [1, 2, 5, 21, 22, 25, 111])
def test_pending_is_plural_safe(n: int) -> None:
    text = format_summary(I18N, "ru", "push", 5, {}, n)
    assert text.endswith(f"Ещё в очереди сообщений: {n} — они уйдут позже.")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Снятие завершено: удалена 1 копия."),
        (3, "Снятие завершено: удалены 3 копии."),
        (5, "Снятие завершено: удалено 5 копий."),
        (21, "Снятие завершено: удалена 21 копия."),
    ],
)
def test_summary_of_a_retraction(n: int, expected: str) -> None:
    assert format_summary(I18N, "ru", "retract", n, {}) == expected


async def _private_chat(sandbox: object, user_id: int) -> int:
    chat = await sandbox.client.create_private_chat("Редактор", id=user_id)  # type: ignore[attr-defined]
    return int(chat["id"])


async def test_reporter_edits_one_message_at_most_every_two_seconds(
    sandbox: object, tg_bot: Bot
) -> None:
    chat_id = await _private_chat(sandbox, 5001)
    clock = VirtualClock(1_800_000_000.0)
    reporter = ProgressReporter(tg_bot, chat_id, clock, I18N, locale="ru")
    await reporter.start("push", 20000)
    edits = []
    for step in range(1, 11):  # ten updates, half a second apart: five seconds in all
        await clock.advance(0.5)
        edits.append(await reporter.update(step * 1000, 20000))
    assert edits.count(True) == 2  # at 2.0 s and 4.0 s
    await reporter.finish(20000, {})
    messages = await sandbox.client.bot_messages(chat_id)  # type: ignore[attr-defined]
    assert len(messages) == 1
    final = messages[0]
    assert final["text"] == f"Рассылка завершена: доставлено 20{NBSP}000."
    assert len(final["edit_history"]) == 3  # start + two throttled edits
    assert final["edit_history"][1] == (
        f"Рассылка: 4{NBSP}000 из 20{NBSP}000 · 2{NBSP}000 сообщ./с · осталось ~8 с"
    )


async def test_track_follows_samples_until_done(sandbox: object, tg_bot: Bot) -> None:
    chat_id = await _private_chat(sandbox, 5002)
    clock = VirtualClock(1_800_000_000.0)
    reporter = ProgressReporter(tg_bot, chat_id, clock, I18N, locale="ru")
    samples = iter(
        [
            ProgressSample(0, 4),
            ProgressSample(1, 4),
            ProgressSample(2, 4, {"forbidden": 1}),
            ProgressSample(4, 4, {"forbidden": 1}),
        ]
    )

    async def sample() -> ProgressSample:
        return next(samples)

    task = asyncio.create_task(track(reporter, "push", sample, poll=1.0))
    for _ in range(5):
        await asyncio.sleep(0.05)
        await clock.advance(1.0)
    result = await asyncio.wait_for(task, 5)
    assert result.finished
    messages = await sandbox.client.bot_messages(chat_id)  # type: ignore[attr-defined]
    assert len(messages) == 1
    assert messages[0]["text"] == (
        "Рассылка завершена: доставлено 3.\n"
        "Не доставлено 1 сообщение: бот заблокирован или без прав — 1."
    )


class Paced:
    """Work that finishes `rate` items per virtual second from `start` (then stops at `stop`)."""

    def __init__(self, clock: VirtualClock, total: int, rate: float, stop: int | None = None):
        self.clock, self.total, self.rate = clock, total, rate
        self.start = clock.time()
        self.stop = total if stop is None else stop

    async def sample(self) -> ProgressSample:
        done = min(self.stop, int((self.clock.time() - self.start) * self.rate))
        return ProgressSample(done, self.total)


async def _drive(clock: VirtualClock, task: asyncio.Task[ProgressSample], step: float) -> None:
    """Move virtual time on until the tracked work is over (bounded, never a real sleep)."""
    for _ in range(10_000):
        if task.done():
            return
        await clock.advance(step)
    raise AssertionError("track() never finished")


async def test_track_follows_a_push_longer_than_ten_minutes_until_done(
    sandbox: object, tg_bot: Bot
) -> None:
    """20 000 messages at 29/s take ~690 s: the report follows them to the end."""
    chat_id = await _private_chat(sandbox, 5003)
    clock = VirtualClock(1_800_000_000.0)
    reporter = ProgressReporter(tg_bot, chat_id, clock, I18N, locale="ru", min_interval=60)
    work = Paced(clock, 20_000, 29.0)
    task = asyncio.create_task(track(reporter, "push", work.sample, poll=10.0))
    await _drive(clock, task, 10.0)
    result = task.result()
    assert result.finished
    assert clock.time() - work.start < 800  # it ended when the work did, not much later
    messages = await sandbox.client.bot_messages(chat_id)  # type: ignore[attr-defined]
    assert [m["text"] for m in messages] == [f"Рассылка завершена: доставлено 20{NBSP}000."]


async def test_track_gives_up_on_work_that_stopped_moving(sandbox: object, tg_bot: Bot) -> None:
    chat_id = await _private_chat(sandbox, 5004)
    clock = VirtualClock(1_800_000_000.0)
    reporter = ProgressReporter(tg_bot, chat_id, clock, I18N, locale="ru", min_interval=60)
    work = Paced(clock, 1_000, 10.0, stop=979)  # 21 messages never get an outcome
    task = asyncio.create_task(track(reporter, "push", work.sample, poll=10.0, patience=300))
    await _drive(clock, task, 10.0)
    assert not task.result().finished
    stalled_at = work.start + 979 / 10.0
    assert clock.time() - stalled_at <= 300 + 20  # patience after the last progress
    messages = await sandbox.client.bot_messages(chat_id)  # type: ignore[attr-defined]
    assert messages[-1]["text"] == (
        "Рассылка завершена: доставлено 979.\nЕщё в очереди сообщений: 21 — они уйдут позже."
    )
