"""Cutting plain text to a length in code points: at a sentence, else a word, with `…`.

The post builder cuts *plain* (typographed, not yet escaped) text, so a cut can never fall
inside a tag or an entity such as `&amp;`; escaping afterwards does not change the length
Telegram counts. Open «» and „“ quotes left by a cut are closed after the ellipsis.

A sentence ends at `.`, `!`, `?` or `…` (and closing quotes or brackets) followed by a plain
space or a line break; a non-breaking space (`К.\u00a0Токаев`, `2024\u00a0г.`) never ends one,
nor does the full stop of an initial or an abbreviation (`К. Токаев`, `в 2024 г. и`). Every cut
shows that text is missing, the Russian way: a final `.` becomes `…`, a final `?` or `!` gets
`..` (`?..`, `!..`), a final `…` stays; inside closing quotes (`«Да.»` -> `«Да…»`).
"""

from __future__ import annotations

import re
import unicodedata

from bot.formatting.abbreviations import ends_abbreviation

__all__ = ["cut_text", "cut_words"]

ELLIPSIS = "…"
# A run of end marks is matched from its first mark only (the lookbehind), so a long run of
# dots costs one scan, not one scan per dot.
_SENTENCE_END = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*+[»“\")\]]*+(?=[ \n])")
_CUT_END = re.compile(r"([.!?…](?<![.!?…][.!?…])[.!?…]*+)([»“\")\]]*+)\Z")
_TRAILING_JUNK = " \t\n,;:—–-(«„"
# A sentence cut must keep at least this share of the room, else a word cut uses it better.
_MIN_SENTENCE_SHARE = 0.5


def cut_text(text: str, limit: int) -> str:
    """`text` if it fits `limit` code points, else its longest sentence-boundary prefix that
    fills at least half the room, else a word-boundary cut; `…` marks the cut."""
    if len(text) <= limit:
        return text
    sentence = _sentence_cut(text, limit)
    return sentence if sentence is not None else cut_words(text, limit)


def cut_words(text: str, limit: int) -> str:
    """Cut at the last regular space (never at a non-breaking one) and add `…`.

    Falls back to a hard cut (not splitting a combining mark or emoji sequence) when the text
    has no usable space. Returns "" when `limit` < 1.
    """
    if len(text) <= limit:
        return text
    if limit < 1:
        return ""
    result = _word_cut(text, limit - 1)
    closers = _closing_quotes(result)
    if closers and len(result) + len(closers) > limit:
        result = _word_cut(text, max(0, limit - 1 - len(closers)))
        closers = _closing_quotes(result)[: max(0, limit - len(result))]
    return result + closers


def _word_cut(text: str, room: int) -> str:
    """At most `room` characters of `text` cut at a word, plus `…` (room + 1 in all)."""
    head = text[:room]
    space = max(head.rfind(" "), head.rfind("\n"))
    head = head[:space] if space >= room // 2 and space > 0 else _safe_hard_cut(text, room)
    return head.rstrip(_TRAILING_JUNK + "\u00a0") + ELLIPSIS


def _safe_hard_cut(text: str, room: int) -> str:
    """`text[:room]` moved back so it does not end inside a grapheme (ZWJ emoji, accents)."""
    cut = room
    while 0 < cut < len(text) and (
        unicodedata.combining(text[cut])
        or text[cut] in "\u200d\ufe0f\ufe0e"
        or text[cut - 1] == "\u200d"
        or 0x1F3FB <= ord(text[cut]) <= 0x1F3FF
    ):
        cut -= 1
    return text[:cut]


def _sentence_cut(text: str, limit: int) -> str | None:
    """Whole sentences within `limit`; a final `.` after a word becomes `…`."""
    best: str | None = None
    for match in _SENTENCE_END.finditer(text, 0, limit + 1):
        if match.group().startswith(".") and ends_abbreviation(text, match.start()):
            continue  # `К. Токаев`, `в 2024 г. и`: an initial or abbreviation, no sentence end
        candidate = _mark_cut(text[: match.end()])
        candidate += _closing_quotes(candidate)
        if len(candidate) <= limit:
            best = candidate
    if best is None or len(best) < limit * _MIN_SENTENCE_SHARE:
        return None
    return best


def _mark_cut(sentences: str) -> str:
    """Make the cut visible: `.` -> `…`, `?` -> `?..`, `!` -> `!..` (before closing quotes)."""
    match = _CUT_END.search(sentences)
    if match is None:
        return sentences
    marks, closers = match.groups()
    if marks.endswith(("…", "..")):
        return sentences
    marks = marks[:-1] + ELLIPSIS if marks.endswith(".") else marks + ".."
    return sentences[: match.start()] + marks + closers


def _closing_quotes(text: str) -> str:
    """The quotes needed to close what `text` left open: inner „“ first, then outer «»."""
    inner = text.count("„") - text.count("“")
    outer = text.count("«") - text.count("»")
    return "“" * max(0, inner) + "»" * max(0, outer)
