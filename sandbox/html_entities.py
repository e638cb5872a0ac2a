"""Telegram's HTML parse mode: markup in, plain text plus MessageEntity list out.

A port of Telegram's own parser (TDLib ``parse_html`` in ``td/telegram/MessageEntity.cpp``):
the same tag set and attribute rules, the same error reasons with UTF-8 byte offsets, entity
offsets in UTF-16 code units. As in TDLib, an ``&`` that starts no known entity (``&nbsp;``,
``AT&T``, ``&#X41;`` with a capital X) stays in the text literally. The entities come out as
``parse_html`` leaves them; :func:`sandbox.entity_rules.fix_entities` then applies the nesting
rules Telegram enforces on every message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.entity_rules import sort_entities
from sandbox.links import checked_link, link_user_id
from sandbox.textutil import Entity

UserResolver = Callable[[int], dict[str, Any] | None]

# What the main loop stops at: a plain tag (<b>, </b>, </>), a plain link, else any < or &.
_TOKEN = re.compile(r'<(/?)([a-zA-Z-]*)>|<a href="([^"&]*)">|[<&]')
_TAG_NAME = re.compile(r"[^ \t\r\n\v\0>]*")
_ATTRIBUTE_NAME = re.compile(r"[^ \t\r\n\v\0=>/\"']*")
_NAME_TOKEN = re.compile(r"[a-zA-Z0-9.-]*")
_DECIMAL = re.compile(r"[0-9]*")
_HEXADECIMAL = re.compile(r"[0-9a-fA-F]*")
_LETTERS = re.compile(r"[a-zA-Z]*")
_ASTRAL = re.compile(r"[\U00010000-\U0010FFFF]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_INT64 = re.compile(r"-?[1-9][0-9]{0,18}")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = frozenset(" \t\r\n\v\0")
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_SUPPORTED = frozenset({*_SIMPLE, "a", "code", "pre", "blockquote", "tg-emoji"})
_SURROGATE_ERROR = (
    "Text contains invalid Unicode characters after decoding HTML entities, "
    "check for unmatched surrogate code units"
)


class HtmlParseError(ValueError):
    """Markup Telegram would refuse; ``str(error)`` is Telegram's reason."""


@dataclass(slots=True)
class _Open:
    tag: str
    argument: str
    expandable: bool
    offset: int
    out_index: int


def parse_html(source: str, resolve_user: UserResolver | None = None) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into ``(text, entities)``; raises HtmlParseError on bad markup.

    ``resolve_user`` turns the id of a ``tg://user?id=`` link into a Bot API ``User`` (a link
    to an unknown user makes no entity).
    """
    if "<" not in source and "&" not in source:
        return source, []
    return _Parser(source, resolve_user).run()


def _decode_entity(src: str, pos: int) -> tuple[str, int] | None:
    """TDLib ``decode_html_entity`` at ``src[pos] == '&'``: (character, next position).

    ``None`` when there is no entity: the ``&`` is then kept as it is.
    """
    end = pos + 1
    if src.startswith("#", end):
        end += 1
        hexadecimal = src.startswith("x", end)  # lower-case x only, as in TDLib
        end += hexadecimal
        digits = (_HEXADECIMAL if hexadecimal else _DECIMAL).match(src, end)
        assert digits is not None
        end = digits.end()
        code = int(digits.group(), 16 if hexadecimal else 10) if digits.group() else 0
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
        char = chr(code)
    else:
        name = _LETTERS.match(src, end)
        assert name is not None
        end = name.end()
        found = _NAMED.get(name.group())
        if found is None:
            return None
        char = found
    return char, end + 1 if src.startswith(";", end) else end


def _ascii_lower(text: str) -> str:
    if text.isascii():
        return text.lower()
    return "".join(char.lower() if char.isascii() else char for char in text)


def _bytes(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8", "surrogatepass"))


def _utf16(text: str, entities: list[Entity]) -> None:
    """Turn code-point offsets into UTF-16 ones (astral characters count twice)."""
    if text.isascii() or _ASTRAL.search(text) is None:
        return
    units = [0]
    for char in text:
        units.append(units[-1] + (2 if char > "\uffff" else 1))
    for entity in entities:
        start, end = entity["offset"], entity["offset"] + entity["length"]
        entity["offset"], entity["length"] = units[start], units[end] - units[start]


class _Parser:
    """One pass over the markup, keeping a stack of open tags (offsets in code points)."""

    def __init__(self, source: str, resolve_user: UserResolver | None) -> None:
        self.src = source
        self.n = len(source)
        self.resolve_user = resolve_user
        self.out: list[str] = []
        self.length = 0
        self.stack: list[_Open] = []
        self.entities: list[Entity] = []

    def run(self) -> tuple[str, list[Entity]]:
        """Parse the whole source: ``(text, entities in Telegram's order)``."""
        src, n, out, pos = self.src, self.n, self.out, 0
        while pos < n:
            match = _TOKEN.search(src, pos)
            if match is None:
                out.append(src[pos:])
                self.length += n - pos
                break
            start = match.start()
            if start > pos:
                out.append(src[pos:start])
                self.length += start - pos
            pos = self._token(match, start)
        if self.stack:
            tag = self.stack[-1].tag
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        text = "".join(out)
        if _SURROGATE.search(text) is not None:
            raise HtmlParseError(_SURROGATE_ERROR)
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)  # a language only counts on a pre
        _utf16(text, self.entities)
        sort_entities(self.entities)
        return text, self.entities

    def _token(self, match: re.Match[str], start: int) -> int:
        """Handle what the main loop stopped at; the position after it."""
        closing, tag, href = match.groups()
        if tag is not None:  # <tag> or </tag> without attributes: the fast path
            tag = tag.lower()
            if not closing and tag in _SUPPORTED and tag != "span":
                self.stack.append(_Open(tag, "", False, self.length, len(self.out)))
                return match.end()
            if closing and self.stack and (not tag or tag == self.stack[-1].tag):
                self._pop()
                return match.end()
        elif href is not None:  # <a href="..."> with nothing to decode in the URL
            self.stack.append(_Open("a", href, False, self.length, len(self.out)))
            return match.end()
        if self.src[start] == "&":
            char, pos = _decode_entity(self.src, start) or ("&", start + 1)
            self.out.append(char)
            self.length += 1
            return pos
        if self.src.startswith("/", start + 1):
            return self._end_tag(start)
        return self._start_tag(start)

    def _fail(self, reason: str, at: int) -> HtmlParseError:
        return HtmlParseError(f"{reason} at byte offset {_bytes(self.src, at)}")

    def _skip_spaces(self, i: int) -> int:
        while i < self.n and self.src[i] in _SPACES:
            i += 1
        return i

    def _start_tag(self, begin: int) -> int:
        name = _TAG_NAME.match(self.src, begin + 1)
        assert name is not None
        i = name.end()
        if i >= self.n:
            raise self._fail("Unclosed start tag", begin)
        tag = _ascii_lower(name.group())
        if tag not in _SUPPORTED:
            raise self._fail(f'Unsupported start tag "{tag}"', begin)
        argument, expandable, i = self._attributes(tag, begin, i)
        if tag == "span" and argument != "spoiler":
            raise self._fail('Tag "span" must have class "tg-spoiler"', begin)
        self.stack.append(_Open(tag, argument, expandable, self.length, len(self.out)))
        return i + 1

    def _attributes(self, tag: str, begin: int, i: int) -> tuple[str, bool, int]:
        """Read attributes up to ``>``: (argument, expandable, index of ``>``).

        Attribute names are case-sensitive; one without a value is allowed (``expandable``).
        """
        src, argument, expandable = self.src, "", False
        while True:
            i = self._skip_spaces(i)
            if i < self.n and src[i] == ">":
                return argument, expandable, i
            match = _ATTRIBUTE_NAME.match(src, i)
            assert match is not None
            name, i = match.group(), match.end()
            if not name:
                raise self._fail(f'Empty attribute name in the tag "{tag}"', begin)
            i = self._skip_spaces(i)
            if i >= self.n:
                raise self._fail(f'Unclosed start tag "{tag}"', begin)
            if src[i] != "=":
                expandable = expandable or (tag == "blockquote" and name == "expandable")
                continue
            i = self._skip_spaces(i + 1)
            if i >= self.n:
                raise self._fail(f'Unclosed start tag "{tag}"', begin)
            value, i = self._attribute_value(i)
            if i >= self.n:
                raise self._fail("Unclosed start tag", begin)
            if tag == "blockquote" and name == "expandable":
                expandable = True
            argument = _argument(tag, name, value, argument)

    def _attribute_value(self, i: int) -> tuple[str, int]:
        src = self.src
        if src[i] in "'\"":
            return self._quoted(i)
        token = _NAME_TOKEN.match(src, i)
        assert token is not None
        end = token.end()
        if end < self.n and src[end] not in _SPACES and src[end] != ">":
            raise self._fail("Unexpected end of name token", i)
        return token.group().lower(), end

    def _quoted(self, i: int) -> tuple[str, int]:
        src, quote, parts = self.src, self.src[i], []
        i += 1
        end = src.find(quote, i)
        if end >= 0 and src.find("&", i, end) < 0:
            return src[i:end], end + 1  # nothing to decode
        while i < self.n and src[i] != quote:
            decoded = _decode_entity(src, i) if src[i] == "&" else None
            if decoded is not None:
                parts.append(decoded[0])
                i = decoded[1]
            else:
                parts.append(src[i])
                i += 1
        return "".join(parts), i + 1 if i < self.n else i

    def _end_tag(self, begin: int) -> int:
        if not self.stack:
            raise self._fail("Unexpected end tag", begin)
        match = _TAG_NAME.match(self.src, begin + 2)
        assert match is not None
        i = self._skip_spaces(match.end())
        if i >= self.n or self.src[i] != ">":
            raise self._fail("Unclosed end tag", begin)
        name = _ascii_lower(match.group())
        expected = self.stack[-1].tag
        if name and name != expected:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {_bytes(self.src, begin)}, "
                f'expected "</{expected}>", found "</{name}>"'
            )
        self._pop()
        return i + 1

    def _pop(self) -> None:
        opened = self.stack.pop()
        if self.length > opened.offset:
            self._close(opened, opened.offset, self.length - opened.offset)

    def _close(self, opened: _Open, offset: int, length: int) -> None:
        tag = opened.tag
        if tag in _SIMPLE:
            self.entities.append({"type": _SIMPLE[tag], "offset": offset, "length": length})
        elif tag == "a":
            self._link(opened, offset, length)
        elif tag == "pre":
            self._pre(offset, length)
        elif tag == "code":
            self._code(opened, offset, length)
        elif tag == "blockquote":
            kind = "expandable_blockquote" if opened.expandable else "blockquote"
            self.entities.append({"type": kind, "offset": offset, "length": length})
        else:
            self._custom_emoji(opened, offset, length)

    def _last_is(self, kind: str, offset: int, length: int) -> Entity | None:
        if not self.entities:
            return None
        last = self.entities[-1]
        same = last["offset"] == offset and last["length"] == length
        return last if same and last["type"] == kind else None

    def _pre(self, offset: int, length: int) -> None:
        inner = self._last_is("code", offset, length)
        if inner is not None and inner.get("language"):
            inner["type"] = "pre"
        else:
            self.entities.append({"type": "pre", "offset": offset, "length": length})

    def _code(self, opened: _Open, offset: int, length: int) -> None:
        outer = self._last_is("pre", offset, length)
        if outer is not None and opened.argument:
            outer["language"] = opened.argument
            return
        entity: Entity = {"type": "code", "offset": offset, "length": length}
        if opened.argument:
            entity["language"] = opened.argument  # kept only if a pre closes around it
        self.entities.append(entity)

    def _custom_emoji(self, opened: _Open, offset: int, length: int) -> None:
        argument = opened.argument
        if not _INT64.fullmatch(argument) or not -(2**63) <= int(argument) < 2**63:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        self.entities.append(
            {
                "type": "custom_emoji",
                "offset": offset,
                "length": length,
                "custom_emoji_id": argument,
            }
        )

    def _link(self, opened: _Open, offset: int, length: int) -> None:
        url = opened.argument or "".join(self.out[opened.out_index :])
        user_id = link_user_id(url)
        if user_id is not None:
            found = self.resolve_user(user_id) if self.resolve_user else None
            if found is not None:
                self.entities.append(
                    {"type": "text_mention", "offset": offset, "length": length, "user": found}
                )
            return
        checked = checked_link(url)
        if checked is not None:
            self.entities.append(
                {"type": "text_link", "offset": offset, "length": length, "url": checked}
            )


def _argument(tag: str, name: str, value: str, current: str) -> str:
    """The one attribute each tag cares about (href, class, emoji-id); others are ignored."""
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    return current
