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

from bot.formatting.typograph_rules import PH_CLASS, QUOTES

__all__ = ["quotes"]

_LEFT_BEFORE = rf"\s(\[{{:;,{PH_CLASS}"
_LEFT_AFTER = r"[^\s.,;:!?)\]}\-–—"
_RIGHT_AFTER = rf"[\s!?.:;#*,…)\]}}/\-–—{PH_CLASS}]"

_LEFT = re.compile(
    rf"([{QUOTES}](?<![^{_LEFT_BEFORE}][{QUOTES}])[{QUOTES}]{{0,2}})(?={_LEFT_AFTER}])"
)
_RIGHT = re.compile(rf"([{QUOTES}](?<=[^\s][{QUOTES}])[{QUOTES}]{{0,2}})(?={_RIGHT_AFTER}|$)")
# The same two rules for a lone mark (no mark beside it), with a fixed replacement: they run
# first, and the general ones only when the text has a run of marks.
_LEFT_ONE = re.compile(
    rf"[{QUOTES}](?<![^{_LEFT_BEFORE}][{QUOTES}])(?={_LEFT_AFTER}{QUOTES}])"
)
_RIGHT_ONE = re.compile(rf"[{QUOTES}](?<=[^\s{QUOTES}][{QUOTES}])(?={_RIGHT_AFTER}|$)")
_RUN = re.compile(f"[{QUOTES}]{{2}}")
_HINT = re.compile(f"[{QUOTES}]")
_GUILLEMETS = re.compile('[«»"]')
# A « opened after another on the same line: only then nesting has work to do.
_NESTED_HINT = re.compile("«[^»\n«]*+«")


def quotes(text: str) -> str:
    """«» for straight and English quotes, „“ for quotes inside quotes."""
    if _HINT.search(text) is None:
        return text
    runs = _RUN.search(text) is not None
    text = _LEFT_ONE.sub("«", text)
    if runs:
        text = _LEFT.sub(lambda m: "«" * len(m.group(1)), text)
    text = _RIGHT_ONE.sub("»", text)
    if runs:
        text = _RIGHT.sub(lambda m: "»" * len(m.group(1)), text)
    if "„" in text or "“" in text:
        text = text.replace("„", "«").replace("“", "»")
    if _NESTED_HINT.search(text) is None:
        return text
    return "\n".join(_nest_line(line) for line in text.split("\n"))


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
