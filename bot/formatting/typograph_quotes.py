"""Quotation marks: straight and English quotes become «», quotes inside quotes „“.

Like Typograf's `common/punctuation/quote`: a mark is an opening one after the start, a space,
a bracket, a colon, a semicolon, a comma or a protected fragment and before something that can
start a quotation; a closing one after a non-space and before a space, punctuation or the end.
A run of marks (`""`) is as many marks. Nesting is a level counter over each line's guillemets
(Typograf's `setInner`): the outermost level gets «», every deeper one „“, a straight quote
that could not be classified resets the count, and a line whose marks do not pair stays flat.
"""

from __future__ import annotations

import re

from bot.formatting.typograph_rules import PH_FIRST, PH_LAST, QUOTES

__all__ = ["quotes"]

_LEFT_BEFORE = frozenset("([{:;,")
_NOT_LEFT_AFTER = frozenset(".,;:!?)]}-–—")
_RIGHT_AFTER = frozenset("!?.:;#*,…)]}/-–—")
_FIRST_PH, _LAST_PH = chr(PH_FIRST), chr(PH_LAST)
_PH = f"{_FIRST_PH}-{_LAST_PH}"
# A lone straight quote: closing after a non-space before a space, punctuation or the end;
# opening after a space, bracket, `:;,` or the start before what can start a quotation.
_RIGHT_STRAIGHT = re.compile(rf'"(?<=[^\s{QUOTES}]")(?=[\s!?.:;#*,…)\]}}/\-–—{_PH}]|$)')
_LEFT_STRAIGHT = re.compile(rf'"(?<![^\s(\[{{:;,{_PH}]")(?=[^\s.,;:!?)\]}}\-–—{QUOTES}])')
# A run of up to three marks is classified as one: `""` after a word closes twice.
_MARKS = re.compile(f"[{QUOTES}]{{1,3}}")
_GUILLEMETS = re.compile('[«»"]')
# A « opened after another on the same line: only then nesting has work to do.
_NESTED_HINT = re.compile("«[^»\n«]*+«")


def quotes(text: str) -> str:
    """«» for straight and English quotes, „“ for quotes inside quotes."""
    straight, others = '"' in text, _other_marks(text)
    if straight and not others and '""' not in text:
        text = _RIGHT_STRAIGHT.sub("»", text)  # the common case: only lone straight quotes
        text = _LEFT_STRAIGHT.sub("«", text)
    elif straight or others:
        text = _MARKS.sub(_classify, text)
    else:
        return text
    if "„" in text or "“" in text:  # marks nesting gave a previous run: nested afresh below
        text = text.replace("„", "«").replace("“", "»")
    if _NESTED_HINT.search(text) is None:
        return text
    return "\n".join(_nest_line(line) for line in text.split("\n"))


def _other_marks(text: str) -> bool:
    """Whether `text` has a quotation mark other than the straight one."""
    return (
        "«" in text
        or "»" in text
        or "“" in text
        or "”" in text
        or "„" in text
        or "‟" in text
        or "‹" in text
        or "›" in text
    )


def _classify(match: re.Match[str]) -> str:
    """Closing (after a non-space, before a space, punctuation or the end), else opening
    (after a space, bracket, `:;,` or the start, before what can start a quotation), else kept.

    The neighbours of a run are never marks themselves, so one pass sees what two would.
    """
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if after in _QUOTE_CHARS:
        return match.group()  # a run longer than three marks: left as typed
    closes = not after or after.isspace() or after in _RIGHT_AFTER or _FIRST_PH <= after <= _LAST_PH
    if before and not before.isspace() and before not in _QUOTE_CHARS and closes:
        return "»" * (end - start)
    if (
        not before or before.isspace() or before in _LEFT_BEFORE or _FIRST_PH <= before <= _LAST_PH
    ) and (after and not after.isspace() and after not in _NOT_LEFT_AFTER):
        return "«" * (end - start)
    return match.group()


_QUOTE_CHARS = frozenset(QUOTES)


def _nest_line(line: str) -> str:
    """`«Компания «Рога»»` -> `«Компания „Рога“»`; a line whose « and » do not pair is left."""
    if line.count("«") != line.count("»") or "«" not in line:
        return line
    level = -1
    parts: list[str] = []
    last = 0
    for match in _GUILLEMETS.finditer(line):
        char = match.group()
        if char == '"':
            level = -1
            continue
        if char == "«":
            level += 1
            mark = "«" if level == 0 else "„"
        else:
            level = max(level, 0)
            mark = "»" if level == 0 else "“"
            level -= 1
        parts.append(line[last : match.start()])
        parts.append(mark)
        last = match.end()
    parts.append(line[last:])
    return "".join(parts)
