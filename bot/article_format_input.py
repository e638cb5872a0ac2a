"""Reading an article file: bytes to clean lines, and the optional front matter block.

Kept apart from the structure parser (`bot.article_format`) so each file owns one idea:
this one turns whatever an editor's word processor produced into predictable text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.article_format_errors import ArticleFormatError
from storage.models.article import is_article_id

MAX_BYTES = 2 * 1024 * 1024
FRONT_MATTER_KEYS = ("source", "photo", "published", "id")

_BOMS_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_MAGIC = {b"PK\x03\x04": "word", b"\xd0\xcf\x11\xe0": "word", b"%PDF": "pdf"}
# Spaces of every kind become a plain space; invisible marks and stray controls vanish.
# (`in` + `replace` per rare character is ~20x faster than one regex pass over the text.)
_ODD_SPACES = tuple("\u00a0\u2007\u202f\u2009\u200a\u3000\t\x0b\x0c")
_BREAKS = tuple("\u2028\u2029\x85")
_INVISIBLE = tuple(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\x7f"
    + "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\x0b\x0c\r")
)
_SPACES = re.compile(r" {2,}")
_FM_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_URL = re.compile(r"^https?://[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class FrontMatter:
    """What the optional `---` block said (all optional)."""

    source: str | None = None
    photo: str | None = None
    published: datetime | None = None
    id: str | None = None


def decode(data: str | bytes, source: str) -> str:
    """Text of an uploaded file: UTF-8 (a BOM is dropped) or UTF-16 with a BOM; else an error."""
    if isinstance(data, str):
        if len(data) > MAX_BYTES:
            raise _too_large(len(data.encode("utf-8", "surrogatepass")), source)
        if "\x00" in data:
            raise _binary("binary", source)
        _check_encodable(data, source)
        return data.removeprefix("\ufeff")
    if len(data) > MAX_BYTES:
        raise _too_large(len(data), source)
    if data.startswith(_BOMS_UTF16):
        return _decode_utf16(data, source)
    kind = next((k for magic, k in _MAGIC.items() if data.startswith(magic)), None)
    if kind or b"\x00" in data[:8192]:
        raise _binary(kind or "binary", source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ArticleFormatError(
            line, "the file is not valid UTF-8", code="encoding", source=source
        ) from None


def _check_encodable(text: str, source: str) -> None:
    """Text that is not valid Unicode (a lone UTF-16 surrogate, e.g. from JSON's `\\ud800`)
    cannot be stored, hashed or sent: refuse it with the line it is on."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        code_point = f"U+{ord(text[exc.start]):04X}"
        raise ArticleFormatError(
            line,
            f"invalid character {code_point} (a lone surrogate: not valid text)",
            code="bad_character",
            params={"code_point": code_point},
            source=source,
        ) from None


def _decode_utf16(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-16").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise ArticleFormatError(
            None,
            "the file has a UTF-16 mark but is not valid UTF-16",
            code="encoding",
            source=source,
        ) from None


def _binary(kind: str, source: str) -> ArticleFormatError:
    what = {"word": "a Word document or a ZIP archive", "pdf": "a PDF"}.get(kind, "binary data")
    return ArticleFormatError(None, f"this is {what}, not a text file", code=kind, source=source)


def _too_large(size: int, source: str) -> ArticleFormatError:
    return ArticleFormatError(
        None,
        f"the file is {size // 1024} KB, the limit is {MAX_BYTES // 1024} KB",
        code="too_large",
        params={"size": size // 1024, "limit": MAX_BYTES // 1024},
        source=source,
    )


def clean_lines(text: str) -> list[str]:
    """Lines with CR/CRLF unified, NBSPs and tabs as spaces, runs of spaces collapsed, trimmed."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw = text.split("\n")
    # Every odd space, break and invisible mark is unprintable: lines that are all printable
    # (the usual case) have none, and the per-character replacements can be skipped.
    if not all(map(str.isprintable, raw)):
        text = _replace_each(
            _replace_each(_replace_each(text, _BREAKS, "\n"), _ODD_SPACES, " "), _INVISIBLE, ""
        )
        raw = text.split("\n")
    lines = [line.strip() for line in raw]
    if "  " in text:
        lines = [_SPACES.sub(" ", line) if "  " in line else line for line in lines]
    return lines


def _replace_each(text: str, chars: tuple[str, ...], by: str) -> str:
    for char in chars:
        if char in text:
            text = text.replace(char, by)
    return text


def split_front_matter(
    lines: list[str], source: str, tz: tzinfo | None = None
) -> tuple[FrontMatter, int]:
    """The front matter (if the first non-blank line is `---`) and the index where text starts."""
    start = next((i for i, line in enumerate(lines) if line), None)
    if start is None or lines[start] != "---":
        return FrontMatter(), 0
    end = next((i for i in range(start + 1, len(lines)) if lines[i] == "---"), None)
    if end is None:
        raise ArticleFormatError(
            start + 1,
            "the front matter opened here is never closed by '---'",
            code="fm_unclosed",
            source=source,
        )
    fields = _read_fields(lines, start + 1, end, source)
    return _front_matter(fields, source, tz), end + 1


def _read_fields(lines: list[str], first: int, end: int, source: str) -> dict[str, tuple[str, int]]:
    fields: dict[str, tuple[str, int]] = {}
    for index in range(first, end):
        line, number = lines[index], index + 1
        if not line or line.startswith("#"):
            continue
        match = _FM_LINE.match(line)
        if not match:
            raise ArticleFormatError(
                number,
                f"expected 'key: value' in the front matter, found {line[:60]!r}",
                code="fm_syntax",
                source=source,
            )
        key, value = match.group(1).lower(), match.group(2).strip()
        _check_key(key, value, number, fields, source)
        fields[key] = (value, number)
    return fields


def _check_key(
    key: str, value: str, number: int, seen: dict[str, tuple[str, int]], source: str
) -> None:
    if key not in FRONT_MATTER_KEYS:
        allowed = ", ".join(FRONT_MATTER_KEYS)
        raise ArticleFormatError(
            number,
            f"unknown front matter key {key!r} (allowed: {allowed})",
            code="fm_unknown_key",
            params={"key": key},
            source=source,
        )
    if key in seen:
        raise ArticleFormatError(
            number,
            f"front matter key {key!r} appears twice (first on line {seen[key][1]})",
            code="fm_duplicate_key",
            params={"key": key},
            source=source,
        )
    if not value:
        raise ArticleFormatError(
            number,
            f"front matter key {key!r} has no value",
            code="fm_empty_value",
            params={"key": key},
            source=source,
        )


def _front_matter(
    fields: dict[str, tuple[str, int]], source: str, tz: tzinfo | None
) -> FrontMatter:
    def url(key: str) -> str | None:
        if key not in fields:
            return None
        value, number = fields[key]
        if not _URL.match(value):
            raise ArticleFormatError(
                number,
                f"{key!r} must be an http(s) URL, found {value[:80]!r}",
                code="fm_bad_url",
                params={"key": key},
                source=source,
            )
        return value

    return FrontMatter(
        source=url("source"),
        photo=url("photo"),
        published=_published(fields.get("published"), source, tz),
        id=_stable_id(fields.get("id"), source),
    )


def _published(field: tuple[str, int] | None, source: str, tz: tzinfo | None) -> datetime | None:
    if field is None:
        return None
    value, number = field
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ArticleFormatError(
            number,
            f"'published' is not an ISO 8601 date-time: {value[:40]!r}",
            code="fm_bad_date",
            source=source,
        ) from None
    if moment.tzinfo is None:
        if tz is None:
            raise ArticleFormatError(
                number,
                "'published' needs a UTC offset, e.g. 2026-11-25T09:30:00+05:00",
                code="fm_naive_date",
                source=source,
            )
        moment = moment.replace(tzinfo=tz)
    return moment


def _stable_id(field: tuple[str, int] | None, source: str) -> str | None:
    if field is None:
        return None
    value, number = field
    if not is_article_id(value):
        raise ArticleFormatError(
            number,
            f"'id' must be 1-64 of [A-Za-z0-9_-], found {value[:80]!r}",
            code="fm_bad_id",
            source=source,
        )
    return value
