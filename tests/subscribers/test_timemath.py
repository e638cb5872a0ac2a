"""Digest and quiet-hours time arithmetic in the subscriber's time zone (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.subscribers.timemath import (
    format_hhmm,
    in_quiet_hours,
    next_daily,
    parse_hhmm,
    quiet_hours_end,
    zone,
)

ALMATY = ZoneInfo("Asia/Almaty")  # UTC+5, no DST
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("09:30", 570), ("9:30", 570), ("09.30", 570), (" 00:00 ", 0), ("23:59", 1439)],
)
def test_parse_hhmm(text: str, minutes: int) -> None:
    assert parse_hhmm(text) == minutes
    assert parse_hhmm(format_hhmm(minutes)) == minutes


@pytest.mark.parametrize("text", ["24:00", "12:60", "noon", "", "9", "-1:00", "12:5"])
def test_parse_hhmm_rejects(text: str) -> None:
    assert parse_hhmm(text) is None


def test_next_daily_later_today_and_tomorrow() -> None:
    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 08:00 in Almaty
    assert next_daily(now, 9 * 60, ALMATY) == datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
    assert next_daily(now, 8 * 60, ALMATY) == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    assert next_daily(now, 7 * 60, ALMATY) == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_next_daily_across_daylight_saving_change() -> None:
    before = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # Saturday; clocks go forward on Sunday
    nine = next_daily(before, 9 * 60, BERLIN)
    assert nine == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)  # 09:00 CEST = 07:00 UTC
    gap = next_daily(before, 2 * 60 + 30, BERLIN)  # 02:30 does not exist that night
    assert gap.astimezone(BERLIN).hour == 3


@pytest.mark.parametrize(
    ("minute", "quiet"),
    [(22 * 60, False), (23 * 60, True), (0, True), (7 * 60 + 59, True), (8 * 60, False)],
)
def test_quiet_hours_wrapping_midnight(minute: int, quiet: bool) -> None:
    assert in_quiet_hours(minute, 23 * 60, 8 * 60) is quiet


def test_quiet_hours_same_day_and_empty() -> None:
    assert in_quiet_hours(60, 0, 9 * 60)
    assert not in_quiet_hours(9 * 60, 0, 9 * 60)
    assert not in_quiet_hours(600, 600, 600)


def test_quiet_hours_end() -> None:
    night = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)  # 00:00 in Almaty
    end = quiet_hours_end(night, 23 * 60, 8 * 60, ALMATY)
    assert end == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 08:00 local
    day = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 12:00 local
    assert quiet_hours_end(day, 23 * 60, 8 * 60, ALMATY) is None


def test_zone_falls_back_to_default() -> None:
    assert zone("Nowhere/Atlantis", "Asia/Almaty") == ALMATY
    assert zone(None, "Asia/Almaty") == ALMATY
    assert zone("Europe/Berlin", "Asia/Almaty") == BERLIN
