"""Natural Russian times for the editor's desk: «завтра в 9:00», «через 2 часа», «25 ноября 14:30».

`parse_when(text, now, tz)` turns what an editor types into an aware moment in the channel's
time zone. The rules, chosen so a post is never scheduled where the editor did not mean:

- relative times («через 2 часа», «через 2,5 часа») are added to the absolute instant, so
  they stay right across a daylight-saving change; «через N дней» moves the calendar date and
  keeps the hour;
- a bare time («9:00», also «9.00») already past today means tomorrow;
- a day and month without a year that passed within the last `RECENT_PAST_DAYS` («30 ноября»
  on 1 December) was meant as that date and is refused as past — the example shows how to
  say next year's; one further back («5 мая» in November) means its next occurrence;
- an explicit moment in the past («сегодня в 8:00» at noon, ISO in the past) is refused;
- impossible dates («31 ноября») and nonsense are refused with an example of what works.

`9.00` is a time when it cannot be a date (no month 0 or above 12), after «в» («в 9.10»), or
beside another day («завтра 9.10», «27.11 10.30»); otherwise `27.11` is a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

WhenErrorCode = Literal["unknown", "past", "invalid_date", "no_time"]

EXAMPLE = "завтра в 9:00"
RECENT_PAST_DAYS = 183  # a day-month that passed within this many days is "past"

_MONTHS = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}
_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "сред": 2,
    "четверг": 3,
    "пятниц": 4,
    "суббот": 5,
    "воскресень": 6,
}
_DAY_WORDS = {"сегодня": 0, "завтра": 1, "послезавтра": 2}
_GENITIVE_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip

_ISO = re.compile(
    r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:[t ](?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::[0-9]{2})?)?"
    r"(?P<off>z|[+-][0-9]{2}:?[0-9]{2})?$"
)
_TIME = re.compile(r"(?<![0-9.:])(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?![0-9:])")
_DOT_TIME = re.compile(r"(?<![0-9.:])(?P<H>[0-9]{1,2})\.(?P<M>[0-9]{2})(?![0-9.:])")
_DECIMAL_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9]+ ?(?:ч|мин|д|сут|нед))")
_HOUR_WORD = re.compile(r"\bв (?P<H>[0-9]{1,2})(?: час(?:а|ов)?)?(?= (?:утра|дня|вечера|ночи)\b|$)")
_PERIOD = re.compile(r"\b(?P<p>утра|дня|вечера|ночи)\b")
_NUM_DATE = re.compile(
    r"(?<![0-9:])(?P<d>[0-9]{1,2})\.(?P<m>[0-9]{1,2})(?:\.(?P<y>[0-9]{2,4}))?(?![0-9:])"
)
_WORD_DATE = re.compile(
    r"(?<![0-9])(?P<d>[0-9]{1,2}) (?P<mon>[а-я]+)(?: (?P<y>[0-9]{4})(?: г(?:ода?)?)?)?"
)
_RELATIVE = re.compile(r"^через (?P<rest>.+)$")
_REL_PART = re.compile(
    r"(?P<n>[0-9]+(?:[.,][0-9]+)?|пол|полтора|полторы)?\s*"
    r"(?P<u>минут[уы]?|мин|час(?:а|ов)?|ч|д(?:ень|ня|ней)|сут(?:ки|ок)|недел[юиь]|нед)\b"
)
_FILLER = re.compile(r"\b(?:в|во|на|к|г|года?|часов|часа|час)\b")


class WhenError(ValueError):
    """A time the desk cannot use; `code` picks the user message, `example` shows what works."""

    def __init__(self, code: WhenErrorCode, detail: str = "", example: str = EXAMPLE) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.example = example


@dataclass(frozen=True)
class _Day:
    """A day found in the text; `roll_days`: how far to move it when its time is already past.

    `passed`: a day-month without a year that was recently behind us (`day` is then its next
    occurrence, used only in the example of the refusal).
    """

    day: date
    roll_days: int = 0
    passed: bool = False


def parse_when(text: str, now: datetime, tz: tzinfo) -> datetime:
    """The future moment `text` names, as an aware datetime in `tz`.

    `now` must be aware. Raises `WhenError` (past, unknown, impossible date, missing time).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    norm = _normalize(text)
    if not norm:
        raise WhenError("unknown", text)
    local_now = now.astimezone(tz)
    iso = _ISO.match(norm)
    if iso:
        return _future(_from_iso(iso, tz), now)
    rel = _RELATIVE.match(norm)
    if rel:
        return _future(_relative(rel.group("rest"), now, tz), now)
    return _calendar(norm, local_now, tz)


def _normalize(text: str) -> str:
    low = text.strip().lower().replace("ё", "е").replace("\u00a0", " ")
    low = _DECIMAL_COMMA.sub(".", low)  # «2,5 часа»: a decimal comma, not a separator
    low = re.sub(r"[,;!]+", " ", low)
    return re.sub(r"\s+", " ", low).strip().rstrip(".")


def _future(moment: datetime, now: datetime) -> datetime:
    if moment <= now:
        raise WhenError("past", moment.isoformat())
    return moment


def _localize(naive: datetime, tz: tzinfo) -> datetime:
    """Attach `tz`; a wall time inside a DST gap moves forward by the gap."""
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz)


def _from_iso(match: re.Match[str], tz: tzinfo) -> datetime:
    if match.group("H") is None:
        raise WhenError("no_time", match.group(0))
    try:
        naive = datetime(
            int(match.group("y")),
            int(match.group("m")),
            int(match.group("d")),
            int(match.group("H")),
            int(match.group("M")),
        )
    except ValueError as exc:
        raise WhenError("invalid_date", match.group(0)) from exc
    offset = match.group("off")
    if offset is None:
        return _localize(naive, tz)
    aware = datetime.fromisoformat(naive.isoformat() + _iso_offset(offset))
    return aware.astimezone(tz)


def _iso_offset(offset: str) -> str:
    if offset == "z":
        return "+00:00"
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def _relative(rest: str, now: datetime, tz: tzinfo) -> datetime:
    """«через 2 часа», «через 30 минут», «через полчаса», «через 1 час 30 минут», «через 3 дня»."""
    absolute = timedelta()
    days = 0
    pos = 0
    rest = rest.strip()
    for match in _REL_PART.finditer(rest):
        if rest[pos : match.start()].strip():
            raise WhenError("unknown", rest)
        amount = _amount(match.group("n"), match.group("u"))
        unit = match.group("u")
        if unit.startswith(("д", "сут", "нед")):
            days += int(amount * (7 if unit.startswith("нед") else 1))
        elif unit.startswith(("мин",)):
            absolute += timedelta(minutes=amount)
        else:
            absolute += timedelta(hours=amount)
        pos = match.end()
    if pos == 0 or rest[pos:].strip():
        raise WhenError("unknown", rest)
    moment = now.astimezone(UTC) + absolute  # in UTC: wall-clock arithmetic breaks on DST
    if days:
        local = moment.astimezone(tz)
        moment = _localize(local.replace(tzinfo=None) + timedelta(days=days), tz)
    return moment.astimezone(tz)


def _amount(number: str | None, unit: str) -> float:
    if number is None:
        return 1.0
    if number == "пол":
        return 0.5
    if number in ("полтора", "полторы"):
        return 1.5
    value = float(number.replace(",", "."))
    if value <= 0 or value > 10_000:
        raise WhenError("unknown", f"{number} {unit}")
    return value


def _calendar(norm: str, local_now: datetime, tz: tzinfo) -> datetime:
    rest, clock = _take_time(norm)
    rest, day = _take_day(rest, local_now.date())
    if _FILLER.sub(" ", rest).strip():
        raise WhenError("unknown", norm)
    if clock is None:
        raise WhenError("no_time" if day is not None else "unknown", norm)
    return _resolve(day or _Day(local_now.date(), roll_days=1), clock, local_now, tz)


def _resolve(day: _Day, clock: time, local_now: datetime, tz: tzinfo) -> datetime:
    """Combine day and time; a bare time or weekday already past rolls to its next occurrence."""
    if day.passed:
        raise WhenError("past", day.day.isoformat(), example=_example(day.day, clock))
    now_utc = local_now.astimezone(UTC)
    moment = _localize(datetime.combine(day.day, clock), tz)
    if moment <= now_utc and day.roll_days:
        moment = _localize(datetime.combine(day.day + timedelta(days=day.roll_days), clock), tz)
    return _future(moment, now_utc)


def _example(day: date, clock: time) -> str:
    """«25 ноября 2027 14:30»: the date said with its year (what to type for next year's)."""
    return f"{day.day} {_GENITIVE_MONTHS[day.month - 1]} {day.year} {clock:%H:%M}"


def _take_time(norm: str) -> tuple[str, time | None]:
    """Remove the time of day (`9:00`, `9.00`, `в 9 вечера`) from the text."""
    match = _TIME.search(norm) or _dot_time(norm)
    hour: int
    minute = 0
    if match:
        hour, minute = int(match.group("H")), int(match.group("M"))
        rest = norm[: match.start()] + " " + norm[match.end() :]
    else:
        word = _HOUR_WORD.search(norm)
        if not word:
            return norm, None
        hour = int(word.group("H"))
        rest = norm[: word.start()] + " " + norm[word.end() :]
    rest, hour = _apply_period(rest, hour)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise WhenError("unknown", norm)
    return rest, time(hour, minute)


def _dot_time(norm: str) -> re.Match[str] | None:
    """A `9.00` that is a time, not a date (see the module's rules); None if there is none."""
    found = [
        m for m in _DOT_TIME.finditer(norm) if int(m.group("H")) <= 23 and int(m.group("M")) <= 59
    ]
    for match in found:
        if not 1 <= int(match.group("M")) <= 12 or norm[: match.start()].endswith("в "):
            return match
    if found and (len(found) > 1 or _mentions_day(_cut(norm, found[-1]))):
        return found[-1]
    return None


def _mentions_day(text: str) -> bool:
    """Whether the text names a day (a day word, a weekday or a word date)."""
    if any(re.search(rf"\b{word}\b", text) for word in _DAY_WORDS):
        return True
    if any(re.search(rf"\b{stem}[а-я]*\b", text) for stem in _WEEKDAYS):
        return True
    match = _WORD_DATE.search(text)
    return match is not None and _month(match.group("mon")) is not None


def _apply_period(rest: str, hour: int) -> tuple[str, int]:
    period = _PERIOD.search(rest)
    if not period:
        return rest, hour
    word = period.group("p")
    if word in ("дня", "вечера") and 1 <= hour < 12:
        hour += 12
    elif word == "ночи" and hour == 12:
        hour = 0
    return rest[: period.start()] + " " + rest[period.end() :], hour


def _take_day(rest: str, today: date) -> tuple[str, _Day | None]:
    """Remove the day (`завтра`, `в понедельник`, `25 ноября`, `25.11`) from the text."""
    for take in (_take_day_word, _take_weekday, _take_word_date, _take_numeric_date):
        found = take(rest, today)
        if found is not None:
            return found
    return rest, None


def _cut(rest: str, match: re.Match[str]) -> str:
    return rest[: match.start()] + " " + rest[match.end() :]


def _take_day_word(rest: str, today: date) -> tuple[str, _Day] | None:
    for word, shift in _DAY_WORDS.items():
        match = re.search(rf"\b{word}\b", rest)
        if match:
            return _cut(rest, match), _Day(today + timedelta(days=shift))
    return None


def _take_weekday(rest: str, today: date) -> tuple[str, _Day] | None:
    for stem, weekday in _WEEKDAYS.items():
        match = re.search(rf"\b{stem}[а-я]*\b", rest)
        if match:
            ahead = (weekday - today.weekday()) % 7
            return _cut(rest, match), _Day(today + timedelta(days=ahead), roll_days=7)
    return None


def _take_word_date(rest: str, today: date) -> tuple[str, _Day] | None:
    match = _WORD_DATE.search(rest)
    if not match:
        return None
    month = _month(match.group("mon"))
    if month is None:
        return None
    return _cut(rest, match), _make_day(today, int(match.group("d")), month, match.group("y"))


def _take_numeric_date(rest: str, today: date) -> tuple[str, _Day] | None:
    match = _NUM_DATE.search(rest)
    if not match:
        return None
    year_text = match.group("y")
    if year_text is not None and len(year_text) == 2:
        year_text = f"20{year_text}"
    day = _make_day(today, int(match.group("d")), int(match.group("m")), year_text)
    return _cut(rest, match), day


def _month(word: str) -> int | None:
    if word in ("мая", "май"):
        return 5
    for stem, number in _MONTHS.items():
        if word.startswith(stem):
            return number
    return None


def _make_day(today: date, day: int, month: int, year_text: str | None) -> _Day:
    """The date; without a year, its next occurrence — `passed` if it was only just behind us."""
    if year_text is not None:
        try:
            return _Day(date(int(year_text), month, day))
        except ValueError as exc:
            raise WhenError("invalid_date", f"{day}.{month}.{year_text}") from exc
    recent = _recent_past(today, day, month)
    for year in range(today.year, today.year + 5):  # 29 февраля waits for a leap year
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return _Day(candidate, passed=recent)
    raise WhenError("invalid_date", f"{day}.{month}")


def _recent_past(today: date, day: int, month: int) -> bool:
    """Whether this day-month fell within the last `RECENT_PAST_DAYS` days (before today)."""
    for year in (today.year, today.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate < today:
            return (today - candidate).days <= RECENT_PAST_DAYS
    return False
