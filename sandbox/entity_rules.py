"""How Telegram normalises a message's entities (TDLib ``fix_entities``).

Whatever markup or ``entities`` list a bot sends, Telegram stores entities that obey these rules:

- bold, italic, underline, strikethrough and spoiler ("splittable") may nest in anything; the
  same type nested in or touching itself is merged into one entity;
- code and pre hold nothing: splittable entities are cut out of them (and split around them);
- links, mentions, custom emoji and code/pre ("continuous") never nest in or overlap each other:
  of two, the one sorting first is kept (the longer, else the one of lower priority: code and
  pre before links);
- blockquotes do not nest (the inner one is dropped); a continuous entity that sticks out of a
  blockquote is dropped, one inside it stays.

Entities are dicts in Bot API form; the order is Telegram's: by offset, longer first, then by
type priority.
"""

from __future__ import annotations

from collections.abc import Iterable

from sandbox.textutil import Entity, utf16_len

SPLITTABLE = ("bold", "italic", "underline", "strikethrough", "spoiler")
_SPLIT_INDEX = {kind: index for index, kind in enumerate(SPLITTABLE)}
_BLOCKQUOTES = frozenset({"blockquote", "expandable_blockquote"})
_PRE = frozenset({"pre", "code"})
_PRIORITY = {
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "blockquote": 0,
    "expandable_blockquote": 0,
}
# Every other type (mention, hashtag, url, bot_command, cashtag, email, phone...) has 50.
_FAR = 2**31 - 1


def _key(entity: Entity) -> tuple[int, int, int]:
    """Telegram's order: offset, longer first, then type priority (a pre with a language: 10)."""
    kind = entity["type"]
    priority = 10 if kind == "pre" and entity.get("language") else _PRIORITY.get(kind, 50)
    return entity["offset"], -entity["length"], priority


def sort_entities(entities: list[Entity]) -> None:
    """Sort in place in Telegram's order: offset, longer first, type priority."""
    entities.sort(key=_key)


def _kind(entity: Entity) -> str:
    """The type as TDLib tells them apart (a pre with a language is its own type)."""
    kind: str = entity["type"]
    return "pre_code" if kind == "pre" and entity.get("language") else kind


def _is_pre(kind: str) -> bool:
    return kind in _PRE or kind == "pre_code"


def _is_continuous(kind: str) -> bool:
    return kind not in _SPLIT_INDEX and kind not in _BLOCKQUOTES and not _is_pre(kind)


def _end(entity: Entity) -> int:
    return int(entity["offset"] + entity["length"])


def _nesting_ok(kind: str, parent: str, outer: list[str]) -> bool:
    """Whether an entity of ``kind`` may sit inside ``outer`` (innermost: ``parent``)."""
    if kind in outer or _is_pre(parent):
        return False
    if _is_pre(kind) and any(k not in _BLOCKQUOTES for k in outer):
        return False
    if (_is_continuous(kind) or kind in _BLOCKQUOTES) and any(map(_is_continuous, outer)):
        return False
    if kind in _BLOCKQUOTES and any(k in _BLOCKQUOTES for k in outer):
        return False
    return not any(k in _SPLIT_INDEX for k in outer)


def _already_fixed(entities: list[Entity]) -> bool:
    """TDLib's fast path: sorted entities that already obey every rule."""
    split_end = [-1] * len(SPLITTABLE)
    stack: list[Entity] = []
    for entity in entities:
        offset, kind = entity["offset"], _kind(entity)
        while stack and offset >= _end(stack[-1]):
            stack.pop()
        if stack:
            if _end(entity) > _end(stack[-1]):
                return False
            if not _nesting_ok(kind, _kind(stack[-1]), [_kind(e) for e in stack]):
                return False
        index = _SPLIT_INDEX.get(kind)
        if index is not None:
            if split_end[index] >= offset:
                return False
            split_end[index] = _end(entity)
        stack.append(entity)
    return True


def _drop_nested_and_overlapping(entities: list[Entity]) -> list[Entity]:
    """Keep each entity that starts at or after the end of the last one kept."""
    kept: list[Entity] = []
    last_end = 0
    for entity in entities:
        if entity["offset"] >= last_end:
            kept.append(entity)
            last_end = _end(entity)
    return kept


def _drop_crossing_blockquotes(entities: list[Entity], quotes: list[Entity]) -> list[Entity]:
    """Drop continuous entities that stick out of (or into) a blockquote."""
    kept: list[Entity] = []
    position = 0
    for entity in entities:
        start, end = entity["offset"], _end(entity)
        while position < len(quotes) and _end(quotes[position]) <= start:
            position += 1
        if position < len(quotes):
            quote = quotes[position]
            if _end(quote) < end or start < quote["offset"] < end:
                continue
        kept.append(entity)
    return kept


class _Splitter:
    """TDLib ``split_entities``: merge splittable entities, cut them around code and pre."""

    def __init__(self, splittable: list[Entity]) -> None:
        self.pending = splittable
        self.next = 0
        self.begin = [0] * len(SPLITTABLE)
        self.end = [0] * len(SPLITTABLE)
        self.result: list[Entity] = []

    def _flush(self, offset: int) -> None:
        for index, kind in enumerate(SPLITTABLE):
            begin, end = self.begin[index], self.end[index]
            if end == 0 or begin >= offset:
                continue
            if end <= offset:
                self.result.append({"type": kind, "offset": begin, "length": end - begin})
                self.begin[index] = self.end[index] = 0
            else:
                self.result.append({"type": kind, "offset": begin, "length": offset - begin})
                self.begin[index] = offset

    def add_until(self, end_offset: int) -> None:
        """Take in the splittable entities starting before ``end_offset``, flush up to it."""
        pending = self.pending
        while self.next < len(pending) and pending[self.next]["offset"] < end_offset:
            entity = pending[self.next]
            index = _SPLIT_INDEX[entity["type"]]
            offset, end = entity["offset"], _end(entity)
            if self.end[index] != 0 and offset <= self.end[index]:
                self.end[index] = max(self.end[index], end)
            else:
                self._flush(offset)
                self.begin[index], self.end[index] = offset, end
            self.next += 1
        self._flush(end_offset)


def _split(splittable: list[Entity], others: list[Entity]) -> list[Entity]:
    splitter = _Splitter(splittable)
    stack: list[Entity] = []

    def advance(offset: int) -> None:
        while stack and offset >= _end(stack[-1]):
            before = len(splitter.result)
            splitter.add_until(_end(stack[-1]))
            if _is_pre(_kind(stack[-1])):
                del splitter.result[before:]  # nothing is formatted inside code or pre
            stack.pop()
        splitter.add_until(offset)

    for other in others:
        advance(other["offset"])
        stack.append(other)
    advance(_FAR)
    return splitter.result


def _partition(entities: Iterable[Entity]) -> tuple[list[Entity], list[Entity], list[Entity]]:
    splittable: list[Entity] = []
    quotes: list[Entity] = []
    continuous: list[Entity] = []
    for entity in entities:
        kind = entity["type"]
        if kind in _SPLIT_INDEX:
            splittable.append(entity)
        elif kind in _BLOCKQUOTES:
            quotes.append(entity)
        else:
            continuous.append(entity)
    return splittable, quotes, continuous


def _empty(entity: Entity) -> bool:
    """TDLib ``remove_empty_entities``: no length, or a link/mention/emoji without its target."""
    if entity["length"] <= 0:
        return True
    kind = entity["type"]
    if kind == "text_link":
        return not entity.get("url")
    if kind == "text_mention":
        return not entity.get("user")
    return kind == "custom_emoji" and not entity.get("custom_emoji_id")


def fix_entities(entities: list[Entity], *, presorted: bool = False) -> list[Entity]:
    """The entities Telegram keeps for these (sorted, merged, split, de-nested).

    ``presorted``: ``entities`` are in Telegram's order already (as ``parse_html`` returns).
    """
    kept = [e for e in entities if not _empty(e)]
    entities = kept if presorted else sorted(kept, key=_key)
    if _already_fixed(entities):
        return entities
    splittable, quotes, continuous = _partition(entities)
    continuous = _drop_nested_and_overlapping(continuous)
    if quotes:
        quotes = _drop_nested_and_overlapping(quotes)
        continuous = sorted(_drop_crossing_blockquotes(continuous, quotes) + quotes, key=_key)
    if not splittable:
        return continuous
    return sorted(_split(splittable, continuous) + continuous, key=_key)


_TRIMMED = " \t\n\r"  # Telegram trims spaces and newlines; tabs and \r count as spaces


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Trim whitespace like Telegram: all of it at the end (entities are clipped), at the
    start only up to the first entity (an entity keeps the spaces it begins with).

    ``entities`` must be sorted (see :func:`fix_entities`); ``text`` is ``""`` when blank.
    """
    kept = text.rstrip(_TRIMMED)
    if not kept:
        return "", []
    if len(kept) < len(text):
        entities = _clip(entities, utf16_len(kept))
    first = entities[0]["offset"] if entities else len(kept)
    lead = 0
    while lead < first and kept[lead] in _TRIMMED:
        lead += 1
    if lead:
        kept = kept[lead:]
        entities = [{**e, "offset": e["offset"] - lead} for e in entities]
    return kept, entities


def _clip(entities: list[Entity], limit: int) -> list[Entity]:
    clipped: list[Entity] = []
    for entity in entities:
        if entity["offset"] >= limit:
            continue
        if _end(entity) > limit:
            entity = {**entity, "length": limit - entity["offset"]}
        clipped.append(entity)
    return sorted(clipped, key=_key)
