"""A forwarded post read through its formatting: what was bold, italic, a hashtag, a link.

A channel post (Vestnik's own or another newsroom's) marks its parts with Telegram entities:
the bold run is the headline (what precedes it on its line is a marker such as «⚡️ Срочно:»),
an italic `Фото: …` is the photo credit, a hashtag names the rubric and a link labelled on its
own line (`Читать полностью`) points at the source. The rest, paragraph by paragraph, is the
lead and the body. Without a bold run the first line
that is more than hashtags is the headline, as before. Offsets are Telegram's UTF-16 ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.article_format import credit_line

_HASHTAG = re.compile(r"#\w+")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_MAX_KICKER = 40  # characters before the headline on its line that are a marker


@dataclass(frozen=True)
class Entity:
    """One Telegram message entity: `kind` (bold, italic, hashtag, text_link…), its UTF-16
    `offset` and `length`, and the `url` of a text link."""

    kind: str
    offset: int
    length: int
    url: str | None = None


@dataclass(frozen=True)
class ForwardedPost:
    """The draft fields a forwarded post gives."""

    headline: str
    lead: str = ""
    body: list[str] = field(default_factory=list)
    photo_credit: str | None = None
    hashtag: str | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    url: str | None


def read_forward(text: str, entities: Sequence[Entity]) -> ForwardedPost:
    """Headline, lead, body, credit, rubric hashtag and source of a forwarded post."""
    spans = _spans(text, entities)
    cut: list[tuple[int, int]] = []
    headline = _first(text, spans, "bold", cut)
    _cut_kicker(text, cut)
    credit = _credit(text, spans, cut)
    source = _source(text, spans, cut)
    lines = _remaining_lines(text, cut)
    tags = [tag for line in lines if _only_hashtags(line) for tag in _HASHTAG.findall(line)]
    tags += [text[s.start : s.end] for s in spans if s.kind == "hashtag"]
    lines = [line for line in lines if not _only_hashtags(line)]
    if not headline:
        while lines and not lines[0]:
            lines = lines[1:]
        headline, lines = (lines[0], lines[1:]) if lines else ("", lines)
    paragraphs = _paragraphs(lines)
    return ForwardedPost(
        headline=" ".join(headline.split()),
        lead=paragraphs[0] if paragraphs else "",
        body=paragraphs[1:],
        photo_credit=credit,
        hashtag=tags[0] if tags else None,
        source_url=source,
    )


def _only_hashtags(line: str) -> bool:
    """A line of hashtags alone (`#Политика`, `#Политика #Казахстан`): the rubric's place."""
    return bool(line) and not _HASHTAG.sub("", line).strip()


def _spans(text: str, entities: Sequence[Entity]) -> list[_Span]:
    """Entities as Python string ranges, in text order."""
    index = _utf16_index(text)
    spans = []
    for entity in entities:
        start = index.get(entity.offset)
        end = index.get(entity.offset + entity.length)
        if start is not None and end is not None and end > start:
            spans.append(_Span(start, end, entity.kind, entity.url))
    return sorted(spans, key=lambda s: (s.start, -s.end))


def _utf16_index(text: str) -> dict[int, int]:
    """UTF-16 offset -> string index, at every character boundary."""
    index: dict[int, int] = {}
    units = 0
    for position, char in enumerate(text):
        index[units] = position
        units += 2 if ord(char) > 0xFFFF else 1
    index[units] = len(text)
    return index


def _first(text: str, spans: list[_Span], kind: str, cut: list[tuple[int, int]]) -> str:
    """The text of the first non-blank span of `kind` (cut out of the rest)."""
    for span in spans:
        if span.kind == kind and text[span.start : span.end].strip():
            cut.append((span.start, span.end))
            return text[span.start : span.end]
    return ""


def _cut_kicker(text: str, cut: list[tuple[int, int]]) -> None:
    """What stands before the bold headline on its line is a marker, not text: Vestnik's
    breaking marker (`⚡️ Срочно: <b>…</b>`) or another newsroom's kicker."""
    if not cut:
        return
    start = cut[0][0]
    line_start = text.rfind("\n", 0, start) + 1
    if line_start < start and len(text[line_start:start]) <= _MAX_KICKER:
        cut.append((line_start, start))


def _credit(text: str, spans: list[_Span], cut: list[tuple[int, int]]) -> str | None:
    """The credit of the first italic `Фото: …` run."""
    for span in spans:
        if span.kind != "italic":
            continue
        credit = credit_line(text[span.start : span.end])
        if credit:
            cut.append((span.start, span.end))
            return credit
    return None


def _source(text: str, spans: list[_Span], cut: list[tuple[int, int]]) -> str | None:
    """The first web link whose label stands on a line of its own (`Читать полностью`)."""
    for span in spans:
        if span.kind != "text_link" or not span.url or not _URL.match(span.url):
            continue
        line_start = text.rfind("\n", 0, span.start) + 1
        line_end = text.find("\n", span.end)
        line_end = len(text) if line_end < 0 else line_end
        if not (text[line_start : span.start] + text[span.end : line_end]).strip():
            cut.append((span.start, span.end))
            return span.url
    return None


def _remaining_lines(text: str, cut: list[tuple[int, int]]) -> list[str]:
    """The text without the cut ranges, as single-spaced lines (blank lines kept as '' to
    separate paragraphs)."""
    kept = list(text)
    for start, end in cut:
        kept[start:end] = [""] * (end - start)
    return [" ".join(line.split()) for line in "".join(kept).splitlines()]


def _paragraphs(lines: list[str]) -> list[str]:
    """Blocks of lines separated by blank ones, each joined into one paragraph; what is
    left of a line without a letter or digit (an emoji before the headline) is dropped."""
    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if any(c.isalnum() for c in line):
            block.append(line)
        elif block and not line:
            paragraphs.append("\n".join(block))
            block = []
    return paragraphs
