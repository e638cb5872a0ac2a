"""The newsroom's plain-text article format, parsed into `storage.models.article.Article`.

    Политика                                  <- rubric (a short line)

    Токаев: Алматы становится ...             <- headline (may wrap over 2-3 lines)

    Фото: assembly.kz                         <- photo credit (optional)
    Во время обращения ...                    <- lead: the first paragraph

    Как пишет Akorda ...                      <- body paragraphs
    ...

    Фото Елена Беляева                        <- author photo credit (optional)
    Елена Беляева                             <- author (optional, last line)

An optional `---` front matter block before the rubric carries what the text cannot
(`source`, `photo`, `published`, `id`). The full description, with every tolerance, is in
`docs/article-format.md`. Text is kept raw (`<`, `>`, `&` included): escaping and typography
are the post builder's job.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import NamedTuple, NoReturn

from bot.article_format_errors import ArticleFormatError
from bot.article_format_input import FrontMatter, clean_lines, decode, split_front_matter
from bot.formatting.abbreviations import ends_abbreviation
from storage.models.article import Article
from storage.text import normalize_rubric_name

__all__ = ["HEADLINE_MAX", "RUBRIC_MAX", "ArticleFormatError", "parse_article"]

RUBRIC_MAX = 40
HEADLINE_MAX = 300
CREDIT_MAX = 150
HEADLINE_MAX_LINES = 3

_CREDIT = re.compile(
    r"^(?:источник\s+фото|фото|photo|foto)(?=$|[\s:.–—-])\s*([:.–—-]?)[\s:.–—-]*(.*)$",
    re.IGNORECASE,
)
_AUTHOR_PREFIX = re.compile(r"^(?:автор|author|текст)\s*[:–—-]\s*(\S.{0,79})$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")
_INITIAL = re.compile(r"^[^\W\d_]{1,2}\.(?:-?[^\W\d_]{1,2}\.)?$")
_RUBRIC_BAD = frozenset(':;!?«»"„“”()[]')
_CLOSERS = "\"'»”“’)]"
_PARAGRAPH_STARTS = frozenset('"«„“—–-•*(')


class _Line(NamedTuple):
    """A non-blank line: its 1-based number, its text, whether a blank line preceded it."""

    number: int
    text: str
    blank_before: bool


def parse_article(
    text: str | bytes, *, source: str = "<text>", tz: tzinfo | None = None
) -> Article:
    """Parse one article file (str or raw bytes) into an `Article` with its `content_hash`.

    `source` names the file in errors; `tz` is the zone for a front-matter `published`
    written without a UTC offset (without `tz` such a date is an error).
    Raises `ArticleFormatError` (with a line number where one applies) on bad input.
    """
    lines = clean_lines(decode(text, source))
    front, start = split_front_matter(lines, source, tz)
    content = _content_lines(lines, start)
    if not content:
        raise ArticleFormatError(
            None, "the file holds no article text", code="empty", source=source
        )
    return _Parser(content, source).article(front).with_hash()


def _content_lines(lines: list[str], start: int) -> list[_Line]:
    """Non-blank lines with their 1-based numbers and whether a blank line preceded them."""
    out: list[_Line] = []
    blank = True
    for index in range(start, len(lines)):
        line = lines[index]
        if line:
            out.append(_Line(index + 1, line, blank))
            blank = False
        else:
            blank = True
    return out


class _Parser:
    """Walks the content lines top-down (rubric, headline, credit) and bottom-up (byline)."""

    def __init__(self, lines: list[_Line], source: str) -> None:
        self.lines = lines
        self.source = source

    def fail(self, line: int | None, message: str, code: str, **params: object) -> NoReturn:
        raise ArticleFormatError(line, message, code=code, params=params, source=self.source)

    def article(self, front: FrontMatter) -> Article:
        rubric = self.rubric(self.lines[0])
        headline, used = self.headline(rubric)
        rest = self.lines[1 + used :]
        credit = None
        if rest and (found := _credit(rest[0].text)) is not None:
            credit, rest = found or None, rest[1:]
        rest, author, author_photo = _split_byline(rest)
        paragraphs = _paragraphs(rest)
        return Article(
            id=front.id,
            rubric=rubric,
            headline=headline,
            lead=paragraphs[0] if paragraphs else "",
            body=paragraphs[1:],
            photo_url=front.photo,
            photo_credit=credit,
            author=author,
            author_photo_credit=author_photo,
            source_url=front.source,
            published_at=front.published,
        )

    def rubric(self, line: _Line) -> str:
        name = normalize_rubric_name(line.text.rstrip("."))
        if not _looks_like_rubric(name):
            self.fail(
                line.number,
                f"the first line must be the rubric (a short line such as 'Политика'), "
                f"found {line.text[:60]!r}",
                "no_rubric",
                found=line.text[:60],
            )
        return name

    def headline(self, rubric: str) -> tuple[str, int]:
        """The headline (its wrapped lines joined) and how many lines it takes."""
        if len(self.lines) < 2:
            self.fail(
                self.lines[0].number,
                f"only the rubric {rubric!r}: no headline and no text",
                "only_rubric",
                rubric=rubric,
            )
        line = self.lines[1]
        if _credit(line.text) is not None:
            self.fail(line.number, "expected the headline, found a photo credit", "no_headline")
        if len(line.text) > HEADLINE_MAX:
            self.fail(
                line.number,
                f"the headline is {len(line.text)} characters (limit {HEADLINE_MAX}); "
                "is the blank line after it missing?",
                "headline_too_long",
                length=len(line.text),
                limit=HEADLINE_MAX,
            )
        used = _headline_span(self.lines, 1)
        headline = " ".join(line.text for line in self.lines[1 : 1 + used])
        if _closes_with_full_stop(headline):
            self.fail(
                line.number,
                "the headline ends with a full stop, so this reads as the lead: is the "
                "headline line missing? (a headline has no full stop)",
                "headline_full_stop",
            )
        return headline, used


def _headline_span(lines: list[_Line], start: int) -> int:
    """How many lines from `start` the headline takes: 1 unless the newsroom wrapped it.

    The lines up to the first blank line or credit line are one wrapped headline when that
    block is short, ends before a blank line or the credit (not at the end of the file), and
    has no line ending in `.` or `…` (headlines have no full stop; a lead has). Otherwise only
    lines that plainly continue it (starting in lower case after a line that does not end a
    sentence) join it, and the rest is the lead: `Заголовок\nЛид.` stays two parts.
    """
    end = start + 1
    while end < len(lines) and not lines[end].blank_before and _credit(lines[end].text) is None:
        end += 1
    block = lines[start:end]
    if len(block) == 1:
        return 1
    if (
        end < len(lines)
        and len(block) <= HEADLINE_MAX_LINES
        and not any(_ends_with_full_stop(line.text) for line in block)
        and sum(len(line.text) + 1 for line in block) <= HEADLINE_MAX + 1
    ):
        return len(block)
    used, length = 1, len(block[0].text)
    while used < len(block) and _continues(block[used - 1].text, block[used].text):
        length += 1 + len(block[used].text)
        if length > HEADLINE_MAX:
            break
        used += 1
    return used


def _ends_with_full_stop(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in (".", "…")


def _closes_with_full_stop(text: str) -> bool:
    """A sentence's full stop at the end (not `…`, `...` nor an abbreviation such as `гг.`)."""
    text = text.rstrip(_CLOSERS)
    dot = len(text) - 1
    return text.endswith(".") and not text.endswith("..") and not ends_abbreviation(text, dot)


def _continues(previous: str, line: str) -> bool:
    """A hard-wrapped line: it starts in lower case and the previous one ends no sentence."""
    return line[0].islower() and previous.rstrip(_CLOSERS)[-1:] not in (".", "!", "?", "…")


def _looks_like_rubric(name: str) -> bool:
    return (
        0 < len(name) <= RUBRIC_MAX
        and len(name.split()) <= 4
        and not any(ch in _RUBRIC_BAD for ch in name)
        and any(ch.isalpha() for ch in name)
        and _credit(name) is None
    )


def _credit(text: str) -> str | None:
    """The credit of a `Фото: …` line ('' when empty), or None when the line is no credit.

    With a colon or dash anything short is a credit; without one (`Фото assembly.kz`) the
    rest must look like a name or a site, so a lead starting «Фото с места…» is no credit.
    """
    if len(text) > CREDIT_MAX:
        return None
    match = _CREDIT.match(text)
    if match is None:
        return None
    separator, value = match.group(1), match.group(2).strip()
    if separator or not value:
        return value
    return value if _looks_like_credit(value) else None


def _looks_like_credit(value: str) -> bool:
    words = value.split()
    if len(words) > 5 or value.rstrip(_CLOSERS)[-1:] in ".!?…":
        return False
    return value[0].isupper() or any("." in w or "@" in w for w in words)


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 4 or len(text) > 60:
        return False
    if not all(w[0].isupper() and (_NAME_WORD.match(w) or _INITIAL.match(w)) for w in words):
        return False
    return any(_NAME_WORD.match(w) for w in words)


def _split_byline(lines: list[_Line]) -> tuple[list[_Line], str | None, str | None]:
    """Take the closing byline off the end: `[Фото <credit>]` then `<author>` as the last line."""
    author: str | None = None
    if lines:
        author = _author(lines)
        if author is not None:
            lines = lines[:-1]
    photo: str | None = None
    if lines and (found := _credit(lines[-1].text)) is not None and (author or len(lines) > 1):
        photo, lines = found or None, lines[:-1]
    return lines, author, photo


def _author(lines: list[_Line]) -> str | None:
    """The author on the last line; a credit-looking line (`Фото Елена Беляева`) is none."""
    last = lines[-1]
    prefixed = _AUTHOR_PREFIX.match(last.text)
    if prefixed:
        return prefixed.group(1).strip()
    if _credit(last.text) is not None or not _looks_like_name(last.text):
        return None
    after_photo = len(lines) > 1 and _credit(lines[-2].text) is not None
    if after_photo or len(last.text.split()) >= 2 or last.blank_before:
        return last.text
    return None


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Blank lines separate paragraphs; within a block a line ending a sentence and followed
    by one starting like a paragraph starts a new one, anything else is a wrapped line."""
    paragraphs: list[list[str]] = []
    ended = True
    for line in lines:
        text = line.text
        if not paragraphs or line.blank_before or (ended and _starts_paragraph(text)):
            paragraphs.append([text])
        else:
            paragraphs[-1].append(text)
        ended = text.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…", ":", ";")
    return [" ".join(parts) for parts in paragraphs]


def _starts_paragraph(text: str) -> bool:
    first = text[0]
    return first.isupper() or first.isdigit() or first in _PARAGRAPH_STARTS


def credit_line(text: str) -> str | None:
    """The photo credit a `Фото: …` line names ('' when empty), or None when it is no credit
    line; the rule of the article format, for texts that are not article files (posts)."""
    return _credit(" ".join(text.split()))
