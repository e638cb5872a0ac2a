"""Time zones people may choose: real IANA zones only, found whatever their letter case.

The system's zone database also holds names that are no place's time: `localtime` (a link to
whatever zone the server runs in) and `Factory` (a placeholder whose abbreviation reads
"local time zone must be set"). `/timezone localtime` must not quietly take the server's zone,
so these are refused like any unknown name.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = ["NOT_ZONES", "find_zone", "iana_name"]

NOT_ZONES = frozenset({"factory", "localtime", "posixrules"})


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Every IANA zone name by its lower-case spelling (read once, on first use)."""
    return {
        name.lower(): name
        for name in available_timezones()
        if name.lower() not in NOT_ZONES and name.isascii()
    }


def iana_name(text: str) -> str | None:
    """The IANA spelling of `asia/almaty` or `Asia/Almaty`; None when no such zone exists."""
    return _zone_names().get(text.strip().lower())


def find_zone(text: str) -> ZoneInfo | None:
    """The IANA zone called `text` (any letter case), or None when there is none."""
    name = iana_name(text)
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
