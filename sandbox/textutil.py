"""Text measures Telegram uses: UTF-16 offsets, entities found in user text."""

from __future__ import annotations

import re
from typing import Any

Entity = dict[str, Any]

_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_URL = re.compile(r"https?://[^\s<>\"']+")
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (astral characters count twice)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) >> 1


def utf16_index(text: str) -> list[int] | None:
    """Map from UTF-16 offset to index in ``text``; ``None`` when they coincide."""
    if text.isascii() or utf16_len(text) == len(text):
        return None
    mapping: list[int] = []
    for index, char in enumerate(text):
        mapping.append(index)
        if ord(char) > 0xFFFF:
            mapping.append(index)
    mapping.append(len(text))
    return mapping


def detect_entities(text: str) -> list[Entity]:
    """Entities Telegram's clients mark in plain user text: commands, links, tags, mentions."""
    found: list[tuple[int, int, str]] = []
    for pattern, kind in (
        (_COMMAND, "bot_command"),
        (_URL, "url"),
        (_HASHTAG, "hashtag"),
        (_MENTION, "mention"),
    ):
        found.extend((m.start(), m.end(), kind) for m in pattern.finditer(text))
    found.sort()
    entities: list[Entity] = []
    last_end = -1
    for start, end, kind in found:
        if start < last_end:
            continue
        offset = utf16_len(text[:start])
        entities.append({"type": kind, "offset": offset, "length": utf16_len(text[start:end])})
        last_end = end
    return entities


def clean_entities(raw: Any, text: str) -> list[Entity]:
    """Entities passed by the caller, reduced to valid ones inside the text."""
    if not isinstance(raw, list):
        return []
    limit = utf16_len(text)
    entities: list[Entity] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(item.get("type"), str) or not isinstance(offset, int):
            continue
        if not isinstance(length, int) or length <= 0 or offset < 0 or offset + length > limit:
            continue
        entities.append(dict(item))
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return entities
