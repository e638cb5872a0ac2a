"""Slot math: pure functions over local slot times, time zones and quiet hours.

Slots are local wall-clock times (`09:00`, `12:00:30`) in a channel's time zone. As with
APScheduler's CronTrigger (which fires them), a slot whose local time does not exist that
day (a DST gap) is served shifted by the gap (02:30 -> 03:30), and one that exists twice
(DST fold) is served once, at its first occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.models.channel import QuietHours

_TIME = re.compile(r"^\s*([0-9]{1,2})[:.]([0-9]{2})(?::([0-9]{2}))?\s*$")
_MAX_DAYS = 400


class SlotError(ValueError):
    """A time of day or a quiet-hours range could not be understood."""


def parse_time(text: str) -> time:
    """`9:00`, `09:00`, `9.00` or `09:00:30` as a time of day; SlotError otherwise."""
    match = _TIME.match(text)
    if not match:
        raise SlotError(f"not a time of day: {text!r} (expected HH:MM, e.g. 09:00)")
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise SlotError(f"not a time of day: {text!r} (hours 0-23, minutes 0-59)")
    return time(hour, minute, second)


def format_time(value: time) -> str:
    """`HH:MM`, or `HH:MM:SS` when the seconds matter."""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def normalize_slots(times: Iterable[str]) -> list[str]:
    """Validated, de-duplicated, sorted canonical slot strings."""
    return [format_time(t) for t in sorted({parse_time(s) for s in times})]


def parse_quiet(text: str) -> QuietHours:
    """`23:00-07:00` (also with an en dash) as quiet hours; SlotError otherwise."""
    parts = re.split(r"\s*[-–—]\s*", text.strip())
    if len(parts) != 2:
        raise SlotError(f"not a time range: {text!r} (expected e.g. 23:00-07:00)")
    start, end = (format_time(parse_time(p)) for p in parts)
    return QuietHours(start=start, end=end)


def in_quiet(local: time, quiet: QuietHours | None) -> bool:
    """Whether a local time of day falls inside quiet hours (start inclusive, end exclusive)."""
    if quiet is None:
        return False
    start, end = parse_time(quiet.start), parse_time(quiet.end)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_at(moment: datetime, tz: ZoneInfo, quiet: QuietHours | None) -> bool:
    """Whether an aware moment is inside the quiet hours of a channel in `tz`."""
    return in_quiet(moment.astimezone(tz).time().replace(tzinfo=None), quiet)


def _local_slot(day: date, slot: time, tz: ZoneInfo) -> datetime:
    """The UTC moment of a local slot on a day (fold 0: the first of two, a gap shifts it)."""
    return datetime.combine(day, slot, tzinfo=tz).astimezone(UTC)


def _iter_slots(
    slots: Sequence[str], tz: ZoneInfo, after: datetime, quiet: QuietHours | None
) -> Iterator[datetime]:
    """Slot moments strictly after `after`, in order, skipping quiet hours (bounded)."""
    times = sorted(parse_time(s) for s in slots)
    if not times:
        return
    first_day = after.astimezone(tz).date() - timedelta(days=1)
    for offset in range(_MAX_DAYS):
        day = first_day + timedelta(days=offset)
        for slot in times:
            moment = _local_slot(day, slot, tz)
            if moment <= after or in_quiet(slot, quiet):
                continue
            yield moment


def slots_between(
    slots: Sequence[str],
    tz: ZoneInfo,
    after: datetime,
    until: datetime,
    quiet: QuietHours | None = None,
) -> list[datetime]:
    """Slot moments (UTC) in `(after, until]`: the slots that came due in that span."""
    due: list[datetime] = []
    for moment in _iter_slots(slots, tz, after, quiet):
        if moment > until:
            break
        due.append(moment)
    return due


def next_slot(
    slots: Sequence[str], tz: ZoneInfo, after: datetime, quiet: QuietHours | None = None
) -> datetime | None:
    """The first slot moment strictly after `after` (None: no slots, or all in quiet hours)."""
    return next(_iter_slots(slots, tz, after, quiet), None)


def upcoming(
    slots: Sequence[str],
    tz: ZoneInfo,
    after: datetime,
    count: int,
    quiet: QuietHours | None = None,
) -> list[datetime]:
    """The next `count` slot moments after `after` (fewer if the schedule has none)."""
    found: list[datetime] = []
    for moment in _iter_slots(slots, tz, after, quiet):
        if len(found) >= count:
            break
        found.append(moment)
    return found
