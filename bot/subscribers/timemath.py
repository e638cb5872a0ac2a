"""Pure time arithmetic for digests and quiet hours, in the subscriber's own time zone.

Times of day are minutes after local midnight (`09:30` -> 570). Every function takes the
current moment explicitly, so it is tested without a clock.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.timezones import find_zone

__all__ = ["find_zone"]  # re-exported: the subscribers' zone lookup is the shared one

_HHMM = re.compile(r"^\s*([0-9]{1,2})[:.]([0-9]{2})\s*$")
DAY_MINUTES = 24 * 60


def parse_hhmm(text: str) -> int | None:
    """`9:30`, `09:30` or `09.30` -> 570; None when it is not a valid time of day."""
    match = _HHMM.match(text)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def format_hhmm(minutes: int) -> str:
    """570 -> `09:30`."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def zone(name: str | None, default: str) -> ZoneInfo:
    """The named time zone, or `default` when the name is empty or unknown."""
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def local_minutes(moment: datetime, tz: ZoneInfo) -> int:
    """Minutes after local midnight of an aware moment."""
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute


def in_quiet_hours(minute: int, start: int, end: int) -> bool:
    """Whether a local time falls in [start, end); the interval may wrap midnight."""
    if start == end:
        return False
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def at_local(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """The UTC moment of a local wall-clock time on a local day (DST gaps move forward)."""
    wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)
    return wall.astimezone(UTC)


def next_daily(now: datetime, minutes: int, tz: ZoneInfo) -> datetime:
    """The first moment strictly after `now` when the local clock shows `minutes`."""
    today = now.astimezone(tz).date()
    for offset in range(3):
        candidate = at_local(today + timedelta(days=offset), minutes, tz)
        if candidate > now:
            return candidate
    raise AssertionError("unreachable: a daily time recurs within three days")


def quiet_hours_end(now: datetime, start: int, end: int, tz: ZoneInfo) -> datetime | None:
    """When the quiet hours `now` falls into end (UTC), or None when `now` is not quiet."""
    if not in_quiet_hours(local_minutes(now, tz), start, end):
        return None
    return next_daily(now, end, tz)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """The local calendar day of a moment."""
    return moment.astimezone(tz).date()


def utc_offset(tz: ZoneInfo, now: datetime) -> str:
    """The zone's offset at `now` as people write it: `UTC+5`, `UTC−3:30`, `UTC`."""
    delta = now.astimezone(tz).utcoffset() or timedelta(0)
    minutes = int(delta.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
