"""Telegram's HTML parse mode: escaping, the length Telegram counts, and a strict validator.

Telegram limits a message to 4096 and a caption to 1024 characters *after entity parsing*:
tags do not count, `&amp;` counts as one character, and characters are Unicode code points.
Entity offsets, on the other hand, are in UTF-16 code units (an emoji counts twice).
`check_html` accepts only what Telegram's HTML parser accepts, so a post that passes it is
never rejected with "can't parse entities".

Character references are read by Telegram's own rules (TDLib's `decode_html_entity`), so the
length is the one Telegram counts: `&lt; &gt; &amp; &quot;` (the `;` may be left out), `&#65;`
and `&#x41;` (lower-case `x` only) for a character below U+10FFFF written in under 10
characters. Anything else starting with `&` stays in the text as typed: `&#x10FFFF;` is 10
characters, `&#X41;` is 6. `plain_text` and `telegram_length` count them as Telegram shows
them; `literal_references` lists them, so a signature holding one can be refused (its author
surely meant a character).
"""

from __future__ import annotations

import re

__all__ = [
    "TelegramHTMLError",
    "check_html",
    "escape_attr",
    "escape_html",
    "literal_references",
    "plain_text",
    "telegram_length",
    "utf16_length",
]

_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG = re.compile(r"<[^>]*>")
# A character reference as TDLib scans one: `&`, then `#x` + hex digits, `#` + decimal digits
# or letters, then an optional `;`. Whether it decodes is decided by `_reference`.
_REFERENCE = re.compile(r"&(?:#(?:x([0-9a-fA-F]*)|([0-9]*))|([a-zA-Z]*));?")
# What `check_html` accepts after `&`: the four names, or a numeric reference of a character.
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_LAST_CODE_POINT = 0x10FFFF  # TDLib decodes only code points below it
_REFERENCE_MAX = 10  # `&` up to the last digit: 10 characters or more stay literal
_TOKEN = re.compile(r"<[^<>]*>|&[^&<>;\s]*;|[<>&]")
_TAG_PARTS = re.compile(r"<(/?)([a-z][a-z0-9-]*)((?:\s+[a-z][a-z-]*(?:=\"[^\"]*\")?)*)\s*>\Z")
_ATTR = re.compile(r"\s+([a-z][a-z-]*)(?:=\"([^\"]*)\")?")
_URL_OK = re.compile(r"(?:https?://|tg://|mailto:)\S+\Z", re.I)

_SIMPLE = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler"})
# Allowed attributes per tag: name -> required?
_ATTRS: dict[str, dict[str, bool]] = {
    **{tag: {} for tag in _SIMPLE},
    "a": {"href": True},
    "code": {"class": False},
    "pre": {},
    "blockquote": {"expandable": False},
    "tg-emoji": {"emoji-id": True},
    "span": {"class": True},
}


class TelegramHTMLError(ValueError):
    """The text is not valid Telegram HTML (unknown tag, bad nesting, stray `<`/`&`...)."""


def escape_html(text: str) -> str:
    """Escape plain text for Telegram HTML: only `&`, `<` and `>` need it outside tags."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text: str) -> str:
    """Escape a value for a double-quoted attribute (`href="..."`): also `"`."""
    return escape_html(text).replace('"', "&quot;")


def _reference(match: re.Match[str]) -> str | None:
    """The character a reference stands for in Telegram, or None when it stays as typed."""
    hexa, decimal, name = match.groups()
    if name is not None:
        return _NAMED.get(name)
    digits = hexa if hexa is not None else decimal
    code = int(digits, 16 if hexa is not None else 10) if digits else 0
    scanned = match.end() - match.start() - match.group().endswith(";")
    if code == 0 or code >= _LAST_CODE_POINT or scanned >= _REFERENCE_MAX:
        return None
    return chr(code)


def _decode(match: re.Match[str]) -> str:
    char = _reference(match)
    return match.group() if char is None else char


def plain_text(html: str) -> str:
    """The text Telegram shows for well-formed HTML: tags removed, references decoded as
    Telegram decodes them (see the module's docstring)."""
    text = _TAG.sub("", html) if "<" in html else html
    return _REFERENCE.sub(_decode, text) if "&" in text else text


def telegram_length(html: str) -> int:
    """The message length Telegram checks against its limits, in Unicode code points."""
    return len(plain_text(html))


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets and lengths."""
    return len(text.encode("utf-16-le")) // 2


def check_html(html: str) -> None:
    """Raise `TelegramHTMLError` unless Telegram's HTML parser would accept `html`.

    Only Telegram's tags, a closing tag for every opening one in the right order, `a` with an
    http(s)/tg/mailto href, and the entities `&lt; &gt; &amp; &quot;` or numeric ones.
    """
    stack: list[str] = []
    for match in _TOKEN.finditer(html):
        token = match.group()
        if token.startswith("<") and len(token) > 1:
            _check_tag(token, stack, match.start())
        elif token.startswith("&") and len(token) > 1:
            _check_entity(token, match.start())
        else:
            raise TelegramHTMLError(f"unescaped {token!r} at {match.start()}")
    if stack:
        raise TelegramHTMLError(f"unclosed <{stack[-1]}>")


def literal_references(html: str) -> list[str]:
    """The numeric references in `html` that Telegram shows as typed instead of decoding
    (`&#x10FFFF;`, `&#X41;`, `&#00000065;`): valid for Telegram, but surely not meant."""
    found = []
    for match in _ENTITY.finditer(html):
        token = match.group()
        if match.group(1) is None:  # numeric
            read = _REFERENCE.match(token)
            if read is None or read.end() < len(token) or _reference(read) is None:
                found.append(token)
    return found


def _check_entity(token: str, pos: int) -> None:
    match = _ENTITY.fullmatch(token)
    if match is None:
        raise TelegramHTMLError(f"unsupported entity {token!r} at {pos}")
    if not match.group(1):
        code = int(match.group(2) or match.group(3), 16 if match.group(3) else 10)
        if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise TelegramHTMLError(f"invalid character reference {token!r} at {pos}")


def _check_tag(token: str, stack: list[str], pos: int) -> None:
    match = _TAG_PARTS.match(token)
    if match is None:
        raise TelegramHTMLError(f"malformed tag {token!r} at {pos}")
    closing, name, attrs = match.groups()
    if name not in _ATTRS:
        raise TelegramHTMLError(f"unsupported tag <{name}> at {pos}")
    if closing:
        _close(name, attrs, stack, pos)
        return
    _check_attrs(name, attrs, stack, pos)
    _check_nesting(name, stack, pos)
    stack.append(name)


def _close(name: str, attrs: str, stack: list[str], pos: int) -> None:
    if attrs.strip():
        raise TelegramHTMLError(f"attributes in closing tag </{name}> at {pos}")
    if not stack or stack[-1] != name:
        expected = f"</{stack[-1]}>" if stack else "no closing tag"
        raise TelegramHTMLError(f"</{name}> at {pos} but expected {expected}")
    stack.pop()


def _check_attrs(name: str, attrs: str, stack: list[str], pos: int) -> None:
    allowed = _ATTRS[name]
    found: dict[str, str | None] = {}
    for attr, value in _ATTR.findall(attrs):
        if attr not in allowed or attr in found:
            raise TelegramHTMLError(f"unsupported or repeated attribute {attr!r} on <{name}>")
        if value:
            _check_attr_value(value, pos)
        found[attr] = value
    missing = [attr for attr, required in allowed.items() if required and not found.get(attr)]
    if missing:
        raise TelegramHTMLError(f"<{name}> at {pos} needs {', '.join(missing)}")
    _check_special_attrs(name, found, stack, pos)


def _check_attr_value(value: str, pos: int) -> None:
    for match in _TOKEN.finditer(value):
        token = match.group()
        if token.startswith("&") and len(token) > 1:
            _check_entity(token, pos)
        else:
            raise TelegramHTMLError(f"unescaped {token!r} in an attribute at {pos}")


def _check_special_attrs(
    name: str, found: dict[str, str | None], stack: list[str], pos: int
) -> None:
    if name == "a" and not _URL_OK.match(plain_text(found["href"] or "")):
        raise TelegramHTMLError(f"<a> at {pos} needs an http(s), tg or mailto URL")
    if name == "span" and found.get("class") != "tg-spoiler":
        raise TelegramHTMLError(f'<span> at {pos} must be class="tg-spoiler"')
    if name == "code" and found.get("class") is not None:
        _check_code_class(found["class"] or "", stack, pos)
    emoji_id = found.get("emoji-id") or ""
    if name == "tg-emoji" and not (emoji_id.isascii() and emoji_id.isdigit()):
        raise TelegramHTMLError(f"<tg-emoji> at {pos} needs a numeric emoji-id")


def _check_code_class(value: str, stack: list[str], pos: int) -> None:
    if not (stack and stack[-1] == "pre") or not value.startswith("language-"):
        raise TelegramHTMLError(f'<code class=...> at {pos} must be "language-*" inside <pre>')


def _check_nesting(name: str, stack: list[str], pos: int) -> None:
    if stack and stack[-1] == "code":
        raise TelegramHTMLError(f"<{name}> at {pos} inside <code>")
    if stack and stack[-1] == "pre" and name != "code":
        raise TelegramHTMLError(f"<{name}> at {pos} inside <pre>")
    if name in stack and name in {"a", "blockquote", "pre", "code"}:
        raise TelegramHTMLError(f"<{name}> at {pos} nested in another <{name}>")
    if name == "blockquote" and "pre" in stack:
        raise TelegramHTMLError(f"<blockquote> at {pos} inside <pre>")
