"""Russian abbreviations that end in a full stop without ending a sentence.

Shared by the typograph (a dialogue dash after `г.` is no new remark) and the lead cutter
(`в 2024 г. и …` is no sentence boundary): after a single letter (`К.`, `г.`, `т. д.`) or one
of these words, a `.` is part of the abbreviation.
"""

from __future__ import annotations

__all__ = ["ABBREVIATIONS", "ends_abbreviation"]

# fmt: off
ABBREVIATIONS = frozenset({
    "гг", "вв", "др", "пр", "см", "ср", "ул", "пл", "пер", "просп", "наб", "мкр", "мкрн",
    "обл", "корп", "стр", "пос", "руб", "коп", "долл", "тыс", "млн", "млрд", "трлн", "ед",
    "чел", "экз", "им", "св", "рис", "гл", "изд", "табл", "прим",
})
# fmt: on
_LONGEST = max(map(len, ABBREVIATIONS))


def ends_abbreviation(text: str, dot: int) -> bool:
    """Whether the `.` at index `dot` of `text` closes an initial or an abbreviation."""
    start = dot
    floor = max(0, dot - _LONGEST - 1)
    while start > floor and text[start - 1].isalpha():
        start -= 1
    word = text[start:dot]
    if not word or (start > 0 and text[start - 1].isalpha()):
        return False
    return len(word) == 1 or word.lower() in ABBREVIATIONS
