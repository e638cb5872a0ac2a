"""Progress reports: the Russian status line and summary; ONE message edited every ~2 s at most."""

from __future__ import annotations

import asyncio

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


def test_summary_lists_failures_by_reason_with_plurals() -> None:
    text = format_summary(I18N, "ru", "push", 19990, {"forbidden": 8, "network": 2}, 0)
    assert text == (
        f"Рассылка завершена: доставлено 19{NBSP}990.\n"
        "Не доставлено 10 сообщений: forbidden — 8, network — 2."
    )
    one = format_summary(I18N, "ru", "push", 5, {"forbidden": 1}, 2)
    assert "Не доставлено 1 сообщение" in one
    assert "Ещё ждут 2 сообщения" in one


def test_summary_of_a_retraction() -> None:
    assert format_summary(I18N, "ru", "retract", 3, {}) == "Снятие завершено: удалено копий — 3."


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
        "Рассылка завершена: доставлено 3.\nНе доставлено 1 сообщение: forbidden — 1."
    )
