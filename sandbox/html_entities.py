"""Telegram's HTML parse mode: markup in, plain text plus MessageEntity list out.

A port of the rules of Telegram's own parser (tdlib ``parse_html``): the same tag set, the
same error reasons with byte offsets, entity offsets in UTF-16 code units. One deliberate
difference: in text, an ``&`` that does not start ``&lt; &gt; &amp; &quot;`` or a numeric
entity is refused instead of being kept literally, so unescaped output is caught early.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.textutil import Entity, utf16_len

UserResolver = Callable[[int], dict[str, Any] | None]

_SPECIAL = re.compile(r"[<&]")
_PLAIN_OPEN = re.compile(r"<([a-zA-Z-]+)>")
_PLAIN_CLOSE = re.compile(r"</([a-zA-Z-]+)>")
_WHITESPACE = re.compile(r"\s")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = frozenset(" \t\r\n\v")
_NAME_TOKEN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
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
_USER_LINK = re.compile(r"tg://user\?id=(\d{1,19})$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?([/?#]\S*)?$")


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
    """Parse Telegram HTML into ``(text, entities)``; raises HtmlParseError on bad markup."""
    if "<" not in source and "&" not in source:
        return source, []
    return _Parser(source, resolve_user).run()


def _decode_entity(src: str, pos: int, strict: bool) -> tuple[str, int] | None:
    """Decode the HTML entity at ``src[pos] == '&'``: (character, next position)."""
    end = pos + 1
    if src.startswith("#", end):
        end += 1
        hexadecimal = src[end : end + 1] in ("x", "X")
        end += hexadecimal
        start = end
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while end < len(src) and src[end] in digits:
            end += 1
        code = int(src[start:end], 16 if hexadecimal else 10) if end > start else 0
        char = chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None
    else:
        while end < len(src) and src[end].isascii() and src[end].isalpha():
            end += 1
        char = _NAMED.get(src[pos + 1 : end])
    if char is None:
        if strict:
            fragment = src[pos : end + 1 if src.startswith(";", end) else end]
            raise HtmlParseError(
                f'Unsupported HTML entity "{fragment}" at byte offset {_bytes(src, pos)}'
                if end > pos + 1
                else f'Character "&" must be escaped as "&amp;" at byte offset {_bytes(src, pos)}'
            )
        return None
    return char, end + 1 if src.startswith(";", end) else end


def _bytes(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8"))


class _Parser:
    """One pass over the markup, keeping a stack of open tags."""

    def __init__(self, source: str, resolve_user: UserResolver | None) -> None:
        self.src = source
        self.n = len(source)
        self.resolve_user = resolve_user
        self.out: list[str] = []
        self.u16 = 0
        self.stack: list[_Open] = []
        self.entities: list[Entity] = []

    def run(self) -> tuple[str, list[Entity]]:
        """Parse the whole source: ``(text, entities sorted by offset)``."""
        src, pos = self.src, 0
        while pos < self.n:
            match = _SPECIAL.search(src, pos)
            end = match.start() if match else self.n
            if end > pos:
                self._emit(src[pos:end])
            if match is None:
                break
            if src[end] == "&":
                char, pos = _decode_entity(src, end, strict=True) or ("&", end + 1)
                self._emit(char)
            else:
                pos = self._plain_tag(end) or (
                    self._end_tag(end) if src.startswith("/", end + 1) else self._start_tag(end)
                )
        if self.stack:
            tag = self.stack[-1].tag
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def _plain_tag(self, begin: int) -> int:
        """Fast path for ``<b>`` and ``</b>`` without attributes; 0 when it does not apply."""
        match = _PLAIN_OPEN.match(self.src, begin)
        if match is not None:
            tag = match.group(1).lower()
            if tag not in _SUPPORTED or tag == "span":
                return 0
            self.stack.append(_Open(tag, "", False, self.u16, len(self.out)))
            return match.end()
        match = _PLAIN_CLOSE.match(self.src, begin)
        if match is None or not self.stack or match.group(1).lower() != self.stack[-1].tag:
            return 0
        opened = self.stack.pop()
        if self.u16 > opened.offset:
            self._close(opened)
        return match.end()

    def _emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.u16 += utf16_len(chunk)

    def _fail(self, reason: str, at: int) -> HtmlParseError:
        return HtmlParseError(f"{reason} at byte offset {_bytes(self.src, at)}")

    def _skip_spaces(self, i: int) -> int:
        while i < self.n and self.src[i] in _SPACES:
            i += 1
        return i

    def _start_tag(self, begin: int) -> int:
        src, i = self.src, begin + 1
        while i < self.n and src[i] not in _SPACES and src[i] != ">":
            i += 1
        if i >= self.n:
            raise self._fail("Unclosed start tag", begin)
        tag = src[begin + 1 : i].lower()
        if tag not in _SUPPORTED:
            raise self._fail(f'Unsupported start tag "{tag}"', begin)
        argument, expandable, i = self._attributes(tag, begin, i)
        if tag == "span" and argument != "spoiler":
            raise self._fail('Tag "span" must have class "tg-spoiler"', begin)
        self.stack.append(_Open(tag, argument, expandable, self.u16, len(self.out)))
        return i + 1

    def _attributes(self, tag: str, begin: int, i: int) -> tuple[str, bool, int]:
        """Read attributes up to ``>``: (argument, expandable, index of ``>``)."""
        src, argument, expandable = self.src, "", False
        while True:
            i = self._skip_spaces(i)
            if i < self.n and src[i] == ">":
                return argument, expandable, i
            name_begin = i
            while i < self.n and src[i] not in _SPACES and src[i] != "=" and src[i] != ">":
                i += 1
            name = src[name_begin:i].lower()
            if not name:
                raise self._fail(f'Empty attribute name in the tag "{tag}"', begin)
            i = self._skip_spaces(i)
            if i >= self.n or src[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    expandable = True
                    continue
                raise self._fail(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}"', begin
                )
            value, i = self._attribute_value(tag, begin, self._skip_spaces(i + 1))
            argument = _argument(tag, name, value, argument)

    def _attribute_value(self, tag: str, begin: int, i: int) -> tuple[str, int]:
        src = self.src
        if i >= self.n:
            raise self._fail(f'Unclosed start tag "{tag}"', begin)
        if src[i] not in "'\"":
            token_begin = i
            while i < self.n and src[i] in _NAME_TOKEN:
                i += 1
            if i < self.n and src[i] not in _SPACES and src[i] != ">":
                raise self._fail("Unexpected end of name token", token_begin)
            value = src[token_begin:i].lower()
        else:
            value, i = self._quoted(i)
        if i >= self.n:
            raise self._fail("Unclosed start tag", begin)
        return value, i

    def _quoted(self, i: int) -> tuple[str, int]:
        src, quote, parts = self.src, self.src[i], []
        i += 1
        while i < self.n and src[i] != quote:
            decoded = _decode_entity(src, i, strict=False) if src[i] == "&" else None
            if decoded is not None:
                parts.append(decoded[0])
                i = decoded[1]
            else:
                parts.append(src[i])
                i += 1
        return "".join(parts), i + 1 if i < self.n else i

    def _end_tag(self, begin: int) -> int:
        src = self.src
        if not self.stack:
            raise self._fail("Unexpected end tag", begin)
        i = begin + 2
        while i < self.n and src[i] not in _SPACES and src[i] != ">":
            i += 1
        name = src[begin + 2 : i].lower()
        i = self._skip_spaces(i)
        if i >= self.n or src[i] != ">":
            raise self._fail("Unclosed end tag", begin)
        opened = self.stack[-1]
        if name and name != opened.tag:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {_bytes(src, begin)}, "
                f'expected "</{opened.tag}>", found "</{name}>"'
            )
        self.stack.pop()
        if self.u16 > opened.offset:
            self._close(opened)
        return i + 1

    def _close(self, opened: _Open) -> None:
        offset, length = opened.offset, self.u16 - opened.offset
        tag = opened.tag
        if tag in _SIMPLE:
            self._add({"type": _SIMPLE[tag], "offset": offset, "length": length})
        elif tag == "a":
            self._link(opened, offset, length)
        elif tag == "pre":
            self._pre(offset, length)
        elif tag == "code":
            self._code(opened, offset, length)
        elif tag == "blockquote":
            kind = "expandable_blockquote" if opened.expandable else "blockquote"
            self._add({"type": kind, "offset": offset, "length": length})
        else:
            self._custom_emoji(opened, offset, length)

    def _add(self, entity: Entity) -> None:
        self.entities.append(entity)

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
            self._add({"type": "pre", "offset": offset, "length": length})

    def _code(self, opened: _Open, offset: int, length: int) -> None:
        outer = self._last_is("pre", offset, length)
        if outer is not None and opened.argument:
            outer["language"] = opened.argument
            return
        entity: Entity = {"type": "code", "offset": offset, "length": length}
        if opened.argument:
            entity["language"] = opened.argument
        self._add(entity)

    def _custom_emoji(self, opened: _Open, offset: int, length: int) -> None:
        if not opened.argument.isdigit() or int(opened.argument) == 0:
            raise HtmlParseError("Invalid custom emoji identifier specified")
        self._add(
            {
                "type": "custom_emoji",
                "offset": offset,
                "length": length,
                "custom_emoji_id": opened.argument,
            }
        )

    def _link(self, opened: _Open, offset: int, length: int) -> None:
        url = opened.argument or "".join(self.out[opened.out_index :])
        user = _USER_LINK.match(url)
        if user is not None:
            found = self.resolve_user(int(user.group(1))) if self.resolve_user else None
            if found is not None:
                self._add(
                    {"type": "text_mention", "offset": offset, "length": length, "user": found}
                )
            return
        checked = _check_link(url)
        if checked is not None:
            self._add({"type": "text_link", "offset": offset, "length": length, "url": checked})


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


def _check_link(url: str) -> str | None:
    """A usable link target, or ``None`` (Telegram then silently drops the link)."""
    url = url.strip()
    if not url or _WHITESPACE.search(url):
        return None
    if _SCHEME.match(url):
        return url
    if _HOST.match(url):
        return "http://" + url
    return None
