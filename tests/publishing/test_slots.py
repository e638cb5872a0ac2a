"""Slot math against APScheduler's CronTrigger, quiet hours, DST, parsing."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.publishing.slots import (
    SlotError,
    in_quiet,
    next_slot,
    normalize_slots,
    parse_quiet,
    parse_time,
    slots_between,
    upcoming,
)
from storage.models.channel import QuietHours

ALMATY = ZoneInfo("Asia/Almaty")
BERLIN = ZoneInfo("Europe/Berlin")


def cron_times(slots: list[str], tz: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    fires: list[datetime] = []
    for slot in slots:
        t = parse_time(slot)
        trigger = CronTrigger(hour=t.hour, minute=t.minute, second=t.second, timezone=tz)
        moment = trigger.get_next_fire_time(None, start)
        while moment is not None and moment <= end:
            if moment > start:
                fires.append(moment.astimezone(UTC))
            moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return sorted(fires)


@pytest.mark.parametrize(
    ("tz", "month"),
    # APScheduler's own next-fire math is unreliable right at DST changes (it can skip or
    # loop), which is why a safety tick backs the triggers up; compare away from them.
    [(ALMATY, 3), (ALMATY, 10), (BERLIN, 5), (BERLIN, 11)],
)
def test_slots_between_matches_cron_trigger_over_three_weeks(tz: ZoneInfo, month: int) -> None:
    slots = ["00:30", "02:30", "09:00", "12:00:30", "18:00"]
    start = datetime(2026, month, 1, 5, 0, tzinfo=UTC)
    end = start + timedelta(days=21)
    assert slots_between(slots, tz, start, end) == cron_times(slots, tz, start, end)


def test_dst_gap_shifts_a_slot_and_a_fold_serves_it_once() -> None:
    start = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    due = slots_between(["02:30"], BERLIN, start, start + timedelta(days=2))
    assert [d.astimezone(BERLIN).strftime("%d %H:%M") for d in due] == ["29 03:30", "30 02:30"]
    start = datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN)
    due = slots_between(["02:30"], BERLIN, start, start + timedelta(days=1))
    assert due == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]  # 02:30 CEST, not 02:30 CET


def test_next_slot_and_upcoming_skip_quiet_hours_across_midnight() -> None:
    quiet = parse_quiet("22:00–08:00")
    slots = ["06:00", "09:00", "23:00"]
    after = datetime(2026, 11, 25, 22, 30, tzinfo=ALMATY)
    assert next_slot(slots, ALMATY, after, quiet) == datetime(2026, 11, 26, 9, tzinfo=ALMATY)
    assert upcoming(slots, ALMATY, after, 2, quiet) == [
        datetime(2026, 11, 26, 9, tzinfo=ALMATY),
        datetime(2026, 11, 27, 9, tzinfo=ALMATY),
    ]
    assert next_slot(["23:00"], ALMATY, after, quiet) is None  # every slot is quiet


@pytest.mark.parametrize(
    ("moment", "quiet", "expected"),
    [
        (time(23, 0), QuietHours(start="22:00", end="07:00"), True),
        (time(6, 59), QuietHours(start="22:00", end="07:00"), True),
        (time(7, 0), QuietHours(start="22:00", end="07:00"), False),
        (time(13, 0), QuietHours(start="12:00", end="14:00"), True),
        (time(14, 0), QuietHours(start="12:00", end="14:00"), False),
        (time(3, 0), QuietHours(start="05:00", end="05:00"), False),
        (time(3, 0), None, False),
    ],
)
def test_in_quiet(moment: time, quiet: QuietHours | None, expected: bool) -> None:
    assert in_quiet(moment, quiet) is expected


def test_parsing_and_normalising_slot_times() -> None:
    assert normalize_slots(["18:00", "9:00", "09:00", "12.30", "07:00:15"]) == [
        "07:00:15",
        "09:00",
        "12:30",
        "18:00",
    ]
    for bad in ("24:00", "9", "09:60", "утро", ""):
        with pytest.raises(SlotError):
            parse_time(bad)
    with pytest.raises(SlotError):
        parse_quiet("23:00")
