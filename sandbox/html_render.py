"""Entities back to Telegram HTML, so a viewer can show a message's formatting."""

from __future__ import annotations

import html
from dataclasses import dataclass

from sandbox.textutil import Entity, utf16_index

_SIMPLE_TAGS = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "spoiler": "tg-spoiler",
    "code": "code",
    "blockquote": "blockquote",
}


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    open: str
    close: str


def render_html(text: str, entities: list[Entity]) -> str:
    """Escaped ``text`` with each entity turned into its tag (overlaps are split cleanly)."""
    spans = _spans(text, entities)
    if not spans:
        return html.escape(text, quote=False)
    spans.sort(key=lambda s: (s.start, -s.end))
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    stack: list[_Span] = []
    pending = list(reversed(spans))
    for index, cut in enumerate(cuts):
        _close_at(cut, stack, out)
        while pending and pending[-1].start == cut:
            span = pending.pop()
            out.append(span.open)
            stack.append(span)
        if index + 1 < len(cuts):
            out.append(html.escape(text[cut : cuts[index + 1]], quote=False))
    return "".join(out)


def _close_at(cut: int, stack: list[_Span], out: list[str]) -> None:
    """Close spans ending at ``cut``, reopening any inner span that goes on past it."""
    if not any(span.end == cut for span in stack):
        return
    reopen: list[_Span] = []
    while any(span.end == cut for span in stack):
        span = stack.pop()
        out.append(span.close)
        if span.end != cut:
            reopen.append(span)
    for span in reversed(reopen):
        out.append(span.open)
        stack.append(span)


def _spans(text: str, entities: list[Entity]) -> list[_Span]:
    index = utf16_index(text)
    spans: list[_Span] = []
    for entity in entities:
        tags = _tags(entity, text, index)
        if tags is None:
            continue
        start, end = (
            _position(entity["offset"], index),
            _position(entity["offset"] + entity["length"], index),
        )
        if end > start:
            spans.append(_Span(start, end, tags[0], tags[1]))
    return spans


def _position(offset: int, index: list[int] | None) -> int:
    if index is None:
        return offset
    return index[min(offset, len(index) - 1)]


def _tags(entity: Entity, text: str, index: list[int] | None) -> tuple[str, str] | None:
    kind = entity.get("type")
    if kind in _SIMPLE_TAGS:
        tag = _SIMPLE_TAGS[kind]
        return f"<{tag}>", f"</{tag}>"
    if kind == "pre":
        language = entity.get("language")
        if language:
            return f'<pre><code class="language-{html.escape(language)}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind == "expandable_blockquote":
        return "<blockquote expandable>", "</blockquote>"
    if kind in ("text_link", "url", "text_mention"):
        return f'<a href="{html.escape(_href(entity, text, index))}">', "</a>"
    if kind == "custom_emoji":
        return f'<tg-emoji emoji-id="{html.escape(str(entity.get("custom_emoji_id")))}">', (
            "</tg-emoji>"
        )
    return None


def _href(entity: Entity, text: str, index: list[int] | None) -> str:
    if entity["type"] == "text_link":
        return str(entity.get("url", ""))
    if entity["type"] == "text_mention":
        user = entity.get("user") or {}
        return f"tg://user?id={user.get('id', '')}"
    start = _position(entity["offset"], index)
    return text[start : _position(entity["offset"] + entity["length"], index)]
