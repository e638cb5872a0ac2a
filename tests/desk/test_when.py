"""The Russian time parser: a table of inputs with a fixed `now`, errors, month ends, DST."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.desk.when import WhenError, parse_when

ALMATY = ZoneInfo("Asia/Almaty")
BERLIN = ZoneInfo("Europe/Berlin")
# Thursday, 26 November 2026, 12:00 in Almaty.
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=ALMATY)


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY)


TABLE = [
    ("завтра в 9:00", local(2026, 11, 27, 9, 0)),
    ("Завтра в 9:00", local(2026, 11, 27, 9, 0)),
    ("завтра 09:00", local(2026, 11, 27, 9, 0)),
    ("в 10:00 завтра", local(2026, 11, 27, 10, 0)),
    ("через 2 часа", local(2026, 11, 26, 14, 0)),
    ("через 30 минут", local(2026, 11, 26, 12, 30)),
    ("через 1 минуту", local(2026, 11, 26, 12, 1)),
    ("через час", local(2026, 11, 26, 13, 0)),
    ("через полчаса", local(2026, 11, 26, 12, 30)),
    ("через полтора часа", local(2026, 11, 26, 13, 30)),
    ("через 1 час 30 минут", local(2026, 11, 26, 13, 30)),
    ("через 2,5 часа", local(2026, 11, 26, 14, 30)),  # a decimal comma
    ("через 2.5 часа", local(2026, 11, 26, 14, 30)),
    ("через 1,5 ч", local(2026, 11, 26, 13, 30)),
    ("через 0,5 часа", local(2026, 11, 26, 12, 30)),
    ("через 3 дня", local(2026, 11, 29, 12, 0)),
    ("через неделю", local(2026, 12, 3, 12, 0)),
    ("25 ноября 2027 14:30", local(2027, 11, 25, 14, 30)),  # next year's, said with the year
    ("27 ноября 14:30", local(2026, 11, 27, 14, 30)),
    ("27 ноября в 14:30", local(2026, 11, 27, 14, 30)),
    ("26 ноября 18:00", local(2026, 11, 26, 18, 0)),
    ("1 января 0:00", local(2027, 1, 1, 0, 0)),
    ("3 декабря 2026 10:00", local(2026, 12, 3, 10, 0)),
    ("5 мая 10:00", local(2027, 5, 5, 10, 0)),  # half a year and more behind -> next year
    ("8 марта 10:00", local(2027, 3, 8, 10, 0)),
    ("20 мая 10:00", local(2027, 5, 20, 10, 0)),  # 190 days ago: next year
    ("в понедельник 10:00", local(2026, 11, 30, 10, 0)),
    ("понедельник в 10:00", local(2026, 11, 30, 10, 0)),
    ("во вторник в 9:30", local(2026, 12, 1, 9, 30)),
    ("в среду 10:00", local(2026, 12, 2, 10, 0)),
    ("в пятницу 10:00", local(2026, 11, 27, 10, 0)),
    ("в субботу 10:00", local(2026, 11, 28, 10, 0)),
    ("в воскресенье 10:00", local(2026, 11, 29, 10, 0)),
    ("в четверг 13:00", local(2026, 11, 26, 13, 0)),  # today, still ahead
    ("в четверг 10:00", local(2026, 12, 3, 10, 0)),  # today, passed -> next week
    ("9:00", local(2026, 11, 27, 9, 0)),  # bare time already past -> tomorrow
    ("18:00", local(2026, 11, 26, 18, 0)),
    ("в 18:00", local(2026, 11, 26, 18, 0)),
    ("в 9 вечера", local(2026, 11, 26, 21, 0)),
    ("в 9 утра", local(2026, 11, 27, 9, 0)),
    ("9.00", local(2026, 11, 27, 9, 0)),  # a dotted time, not «day 9 of month 0»
    ("18.30", local(2026, 11, 26, 18, 30)),
    ("завтра в 9.00", local(2026, 11, 27, 9, 0)),
    ("завтра 10.12", local(2026, 11, 27, 10, 12)),  # beside a day: a time, not 10 December
    ("в 10.12", local(2026, 11, 27, 10, 12)),
    ("в 9.00 вечера", local(2026, 11, 26, 21, 0)),
    ("27.11 10.30", local(2026, 11, 27, 10, 30)),  # date first, then the dotted time
    ("в понедельник 9.30", local(2026, 11, 30, 9, 30)),
    ("сегодня в 18:00", local(2026, 11, 26, 18, 0)),
    ("сегодня в 23:59", local(2026, 11, 26, 23, 59)),
    ("послезавтра 8:15", local(2026, 11, 28, 8, 15)),
    ("27.11 10:00", local(2026, 11, 27, 10, 0)),
    ("01.12.2026 10:00", local(2026, 12, 1, 10, 0)),
    ("2026-11-26 15:00", local(2026, 11, 26, 15, 0)),
    ("2026-11-26T15:00", local(2026, 11, 26, 15, 0)),
    ("2026-11-26 15:00+03:00", local(2026, 11, 26, 17, 0)),
    ("2026-11-26T08:30Z", local(2026, 11, 26, 13, 30)),
    ("  завтра   в 9:00. ", local(2026, 11, 27, 9, 0)),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_table(text: str, expected: datetime) -> None:
    got = parse_when(text, NOW, ALMATY)
    assert got == expected
    assert got.utcoffset() == expected.utcoffset()


ERRORS = [
    ("31 ноября 10:00", "invalid_date"),
    ("30 февраля 10:00", "invalid_date"),
    ("2026-02-30 10:00", "invalid_date"),
    ("32.01 10:00", "invalid_date"),
    ("сегодня в 8:00", "past"),
    ("2026-11-26 09:00", "past"),
    ("2025-01-01 09:00", "past"),
    ("26 ноября 2026 11:00", "past"),
    ("вчера 10:00", "unknown"),
    ("абракадабра", "unknown"),
    ("", "unknown"),
    ("через", "unknown"),
    ("через много часов", "unknown"),
    ("25:00", "unknown"),
    ("12:61", "unknown"),
    ("завтра", "no_time"),
    ("25 ноября", "no_time"),
    ("2026-11-27", "no_time"),
    ("10.12", "no_time"),  # alone, a dotted pair is a date (10 December)
]


@pytest.mark.parametrize(("text", "code"), ERRORS, ids=[t or "<empty>" for t, _ in ERRORS])
def test_errors_carry_a_code_and_an_example(text: str, code: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW, ALMATY)
    assert caught.value.code == code
    assert caught.value.example == "завтра в 9:00"


# A day and month that passed recently was meant as that date: refused as past, with an
# example that says next year's explicitly (not silently moved a year ahead).
RECENT_PAST = [
    ("25 ноября 14:30", NOW, "25 ноября 2027 14:30"),  # yesterday
    ("25.11 14:30", NOW, "25 ноября 2027 14:30"),
    ("1 июня 10:00", NOW, "1 июня 2027 10:00"),  # 178 days ago: still «recent»
    ("30 ноября 10:00", datetime(2026, 12, 1, 12, 0, tzinfo=ALMATY), "30 ноября 2027 10:00"),
    ("31 декабря 10:00", datetime(2027, 1, 2, 12, 0, tzinfo=ALMATY), "31 декабря 2027 10:00"),
]


@pytest.mark.parametrize(
    ("text", "now", "example"), RECENT_PAST, ids=[t for t, _, _ in RECENT_PAST]
)
def test_a_date_just_passed_is_past_not_next_year(text: str, now: datetime, example: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, now, ALMATY)
    assert caught.value.code == "past"
    assert caught.value.example == example
    parse_when(example, now, ALMATY)  # and the example itself is accepted


def test_month_end_tomorrow_is_the_first() -> None:
    now = datetime(2026, 11, 30, 20, 0, tzinfo=ALMATY)
    assert parse_when("завтра в 9:00", now, ALMATY) == local(2026, 12, 1, 9, 0)


def test_year_end_tomorrow_is_next_year() -> None:
    now = datetime(2026, 12, 31, 23, 0, tzinfo=ALMATY)
    assert parse_when("завтра 10:00", now, ALMATY) == local(2027, 1, 1, 10, 0)
    assert parse_when("8:00", now, ALMATY) == local(2027, 1, 1, 8, 0)


def test_february_29_waits_for_a_leap_year() -> None:
    now = datetime(2027, 3, 1, 12, 0, tzinfo=ALMATY)
    assert parse_when("29 февраля 10:00", now, ALMATY) == local(2028, 2, 29, 10, 0)


def test_now_given_in_utc_is_read_in_the_channel_zone() -> None:
    utc_now = NOW.astimezone(ZoneInfo("UTC"))  # 07:00 UTC
    assert parse_when("9:00", utc_now, ALMATY) == local(2026, 11, 27, 9, 0)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("9:00", datetime(2026, 11, 26, 12, 0), ALMATY)


def test_berlin_spring_forward_relative_is_absolute() -> None:
    # 29 March 2026, 01:30 CET; at 02:00 clocks jump to 03:00 CEST.
    now = datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN)
    got = parse_when("через 2 часа", now, BERLIN)
    assert got.timestamp() - now.timestamp() == 7200
    assert (got.hour, got.minute) == (4, 30)
    assert got.utcoffset() == timedelta(hours=2)


def test_berlin_fall_back_relative_is_absolute() -> None:
    # 25 October 2026, 02:30 CEST (first pass); at 03:00 CEST clocks go back to 02:00 CET.
    now = datetime(2026, 10, 25, 0, 30, tzinfo=ZoneInfo("UTC")).astimezone(BERLIN)
    got = parse_when("через 2 часа", now, BERLIN)
    assert got.timestamp() - now.timestamp() == 7200
    assert (got.hour, got.minute) == (3, 30)
    assert got.utcoffset() == timedelta(hours=1)


def test_berlin_tomorrow_keeps_the_wall_clock_across_dst() -> None:
    now = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)  # CET
    got = parse_when("завтра в 9:00", now, BERLIN)
    assert (got.day, got.hour, got.minute) == (29, 9, 0)
    assert got.utcoffset() == timedelta(hours=2)  # CEST


def test_berlin_days_ahead_keep_the_wall_clock() -> None:
    now = datetime(2026, 3, 27, 12, 0, tzinfo=BERLIN)
    got = parse_when("через 3 дня", now, BERLIN)
    assert (got.day, got.hour) == (30, 12)
    assert got.timestamp() - now.timestamp() == 3 * 86400 - 3600


def test_berlin_time_inside_the_gap_moves_forward() -> None:
    now = datetime(2026, 3, 29, 0, 30, tzinfo=BERLIN)
    got = parse_when("в 2:30", now, BERLIN)
    assert (got.hour, got.minute) == (3, 30)
