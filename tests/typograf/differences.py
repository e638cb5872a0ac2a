"""The deliberate differences between Vestnik's typograph and Typograf, one normaliser each.

Each class of difference is documented in docs/typography.md under its id (the reason ours is
right). A normaliser rewrites both outputs so that the documented difference disappears and
nothing else changes: a disagreement is explained when, with the normalisers applied, the two
outputs are equal. The oracle test requires every disagreement in the corpus to be explained
and every class used to be documented.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NB = "\u00a0"

Pair = tuple[str, str]
Normaliser = Callable[[str, str], Pair]

_LATIN_QUOTATION = re.compile(r"«[A-Za-z][^«»]*»")
_INITIAL_SPACE = re.compile(r"(?<![\w.])([А-ЯЁA-Z]\.)[ \u00a0](?=[А-ЯЁA-Z])")
_SPACE_INITIAL = re.compile(
    r"(?<=[а-яёА-ЯЁ])[ \u00a0](?=[А-ЯЁA-Z]\.(?:[ \u00a0]?[А-ЯЁA-Z]\.)?(?!\w))"
)
_RANGE = re.compile(r"(\d)(?:–|-|\u00a0— )(\d)")
_ROMAN_WORD = re.compile(r"([IVXL])[ \u00a0](вв\.|в\.|век)")
_DOUBLE_V = re.compile(r"(?<=[IVXL] )в\.[ \u00a0]в\.|(?<=[IVXL]\u00a0)в\.[ \u00a0]в\.")
_AUTHOR_DASH = re.compile(r"([?!…]|[?!]\.\.) —\u00a0(?=[а-яё])")
_LEGAL = re.compile(r"(ТОО|ПАО|НАО|РГП|КГП|ГКП|КГУ|РГУ|РГКП)\u00a0")
_UNIT = re.compile(
    r"(\d)[ \u00a0]?(кг|мг|т|ц|л|мл|га|ч|мин|сек|кВт|МВт|ГВт|°C|°)(?![а-яёА-ЯЁa-zA-Z\d])"
)
_HELLIP_SPACE = re.compile(r"([?!]\.\.) (?=[А-ЯЁA-Z])")
_CODE_GROUPS = re.compile(r"((?:ИИН|индекс) )([\d\u202f]+)")


def _both(fix: Callable[[str], str]) -> Normaliser:
    return lambda ours, ref: (fix(ours), fix(ref))


def _english(text: str) -> str:
    def plain(match: re.Match[str]) -> str:
        return match.group().replace(NB, " ").replace(" — ", " - ").replace("…", "...")

    return _LATIN_QUOTATION.sub(plain, text)


def _initials(text: str) -> str:
    return _SPACE_INITIAL.sub(" ", _INITIAL_SPACE.sub(r"\1 ", text))


def _ungrouped(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2).replace("\u202f", "")


def _centuries(text: str) -> str:
    text = _DOUBLE_V.sub("вв.", text)
    return _ROMAN_WORD.sub(r"\1 \2", text)


# id -> normaliser. The ids are the headings of docs/typography.md's list of differences.
DIFFERENCES: dict[str, Normaliser] = {
    "minus": lambda ours, ref: (ours.replace("\u2212", "-"), ref),
    "initials": _both(_initials),
    "ranges": _both(lambda t: _RANGE.sub(r"\1–\2", t)),
    "centuries": _both(_centuries),
    "author-dash": lambda ours, ref: (ours, _AUTHOR_DASH.sub(rf"\1{NB}— ", ref)),
    "legal-forms": lambda ours, ref: (_LEGAL.sub(r"\1 ", ours), ref),
    "units": _both(lambda t: _UNIT.sub(rf"\1{NB}\2", t.replace("\u2009°", f"{NB}°"))),
    "english": _both(_english),
    "ellipsis-space": lambda ours, ref: (_HELLIP_SPACE.sub(r"\1", ours), ref),
    "codes": lambda ours, ref: (ours, _CODE_GROUPS.sub(_ungrouped, ref)),
}


def explain(ours: str, ref: str) -> list[str] | None:
    """The ids of the differences that explain `ours != ref` (each one needed), or None."""
    if _equal_after(tuple(DIFFERENCES), ours, ref) is None:
        return None
    needed = list(DIFFERENCES)
    for name in DIFFERENCES:  # drop every class the explanation does without
        fewer = tuple(n for n in needed if n != name)
        if _equal_after(fewer, ours, ref) is not None:
            needed = list(fewer)
    return needed


def _equal_after(names: tuple[str, ...], ours: str, ref: str) -> tuple[str, ...] | None:
    for name in names:
        ours, ref = DIFFERENCES[name](ours, ref)
    return names if ours == ref else None
