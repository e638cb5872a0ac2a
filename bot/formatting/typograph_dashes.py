"""Dashes: the em dash between words and in dialogue, en dashes in ranges, hyphens, the minus.

Typograf's `ru/dash` group in its order: a spaced hyphen becomes an em dash tied to the word
before it, then direct speech, then ranges (years, centuries, decades, days, times, months,
weekdays) get an en dash without spaces, and particles get their hyphen (`кто-то`, `из-за`).
Vestnik adds en dashes in plain numeric ranges (`5-7 человек`, `в 2014-2016`) and the minus
sign (`до -15 °C`), and keeps the dash with the remark before lower-case author's words.
"""

from __future__ import annotations

import re

from bot.formatting.abbreviations import ends_abbreviation
from bot.formatting.typograph_rules import (
    CYR,
    DASH,
    EM,
    EN,
    LETTER,
    LOWER,
    MINUS,
    MONTHS_NOM,
    MONTHS_PRE,
    NBSP,
    PH_CLASS,
    SP,
    WEEKDAYS,
)

__all__ = ["dashes", "hyphens"]

# A dash with a space after it; what it becomes depends on what is before it (`_spaced_dashes`).
_DASH_BEFORE_SPACE = re.compile(r"(?:--?|[‒–—])(?=[ \u00a0\n])")
_SPEECH_MARKS = frozenset('»“”‟›‘",')
_SENTENCE_ENDS = frozenset(".…?!")
_LOWER_CHARS = re.compile(f"[{LOWER}]")
# A dialogue line: `- Привет` -> `—\u00a0Привет`.
_LINE_START = re.compile(rf"^([{PH_CLASS}]*){DASH}{SP}", re.M)
_LINE_DASH_HINT = re.compile(rf"[{PH_CLASS}]*[-‒–—]")
_RANGE_HINT = re.compile(r"-(?:(?<=\d-)|(?<=\d[ \u00a0]-))")
_OTHER_RANGE_HINT = re.compile(r"[‒–—](?:(?<=\d[‒–—])|(?<=\d[ \u00a0][‒–—]))")

_YEARS = re.compile(
    rf"(\d(?<![\w.\-/№]\d)(?<!№[ \u00a0\u202f]\d)\d{{3}})({SP}?{DASH}{SP}?)(\d{{4}})"
    rf"(?=({SP}?г)|(?![\w\-–/]|[.,]\d))"
)
_DAYS = re.compile(
    rf"(\d(?<![\w.,\-–]\d)\d?){SP}?{DASH}{SP}?(\d\d?){SP}(января|февраля|марта|апреля|мая|июня|"
    rf"июля|августа|сентября|октября|ноября|декабря)(?![{LETTER}])"
)
_TIMES = re.compile(rf"(\d(?<![\w:]\d)\d?:[0-5]\d){SP}?{DASH}{SP}?(\d?\d:[0-5]\d)(?![\w:])")
_DECADES = re.compile(
    rf"(\d(?<![\w\-–.]\d)\d{{0,2}}0)-(\d{{1,3}}0)(?=-(?:е|х|ые|ых|м|ми)(?![{LETTER}]))"
)
# `5-7 человек`, `на 5-10%`: a range of plain numbers before a word or a percent sign.
_NUMBERS = re.compile(
    rf"(\d(?<![\w.,\-–−/:№]\d)(?<!№ \d)(?<!№\u00a0\d)(?<!№\u202f\d)\d{{0,3}})-(\d{{1,4}})"
    rf"(?=[ \u00a0]?[%‰{LOWER}])"
)
_CENTURIES = re.compile(rf"([IVXL](?<![\w\-][IVXL])[IVXL]*){SP}?{DASH}{SP}?([IVXL]+)(?![\w\-])")
_ROMAN_HINT = re.compile(r"[IVXL](?<![\w\-][IVXL])[IVXL]*[ \u00a0]?[-‒–—]")
# A minus before a number: after a space, a bracket or the start, not inside a word.
_MINUS = re.compile(r"-(?<![^\s(\[]-)(?=\d)")

# Hyphenated particles (Typograf's izza, izpod, ka, koe, taki, to, kakto).
_DASH_AFTER = r"(?=[\u00a0 .?:!]|$)"
_IZZA = re.compile(rf"([Ии])(?<![^ \n][Ии])з (за|под){_DASH_AFTER}")
_KA = re.compile(rf" ка(?=(?:сь)?(?:[\u00a0 ,.?:!]|$))(?<=[{LETTER}] ка)")
_KOE = re.compile(rf"([Кк](?<![^ \n][Кк])о[ей])\s(?=[а-яё]{{3,}}+{_DASH_AFTER})")
_KOE_HINT = re.compile(r"о[ей]\s(?<=(?<![^ \n])[Кк]о[ей]\s)")
_TAKI = re.compile(
    r"(?<![а-яёА-ЯЁ])(верно|довольно|опять|прямо|так|вс[её]|действительно|неужели)\sтаки"
    + _DASH_AFTER
)
_TO = re.compile(rf"(?: -|- | )(то|либо|нибудь){_DASH_AFTER}")
_TO_HINT = re.compile(rf"то{_DASH_AFTER}(?<=[ -]то)")
_TO_WORDS = frozenset(
    [
        "откуда",
        "куда",
        "где",
        "когда",
        "зачем",
        "почему",
        "как",
        "какой",
        "какое",
        "каком",
        "какая",
        "какие",
        "каким",
        "каких",
        "какими",
        "какую",
        "что",
        "чего",
        "чей",
        "чем",
        "чьи",
        "чьим",
        "кто",
        "кого",
        "кому",
        "кем",
    ]
)
_WORD_END = re.compile(rf"(?<![{CYR}\w])[{CYR}]+\Z")
_WORD_START = re.compile(rf" ?([{CYR}]+)(?![{CYR}\w])")
# Months (nominative, prepositional) and weekdays joined by a dash: `июнь-июль`, `в мае-июне`.
_RANGE_WORD = "(?i:янв|фев|мар|апр|ма[йея]|июн|июл|авг|сен|окт|ноя|дек|пон|вто|сре|чет|пят|суб|вос)"
_WORD_DASH = re.compile(rf"(?:--?|[‒–—])(?= ?{_RANGE_WORD})")
_WORD_DASH_HINTS = tuple(
    (
        dash,
        re.compile(rf"{dash}(?:(?<=[а-яёА-ЯЁ]{dash})|(?<=[а-яёА-ЯЁ] {dash}))(?= ?{_RANGE_WORD})"),
    )
    for dash in "-–—‒"
)
_RANGE_WORDS = (
    frozenset(MONTHS_NOM.split("|")),
    frozenset(MONTHS_PRE.split("|")),
    frozenset(WEEKDAYS.split("|")),
)


def dashes(text: str, has_digit: bool, has_roman: bool) -> str:
    """Em dashes between words and in dialogue, en dashes in ranges, hyphens, the minus."""
    if _spaced_dash(text):  # `слово - слово`, `», - заявил`, `ушёл. - Куда?`
        text = _spaced_dashes(text)
    if "\n" in text or _LINE_DASH_HINT.match(text):  # `- Привет`
        text = _LINE_START.sub(rf"\1{EM}{NBSP}", text)
    if has_roman and _ROMAN_HINT.search(text):
        text = _CENTURIES.sub(rf"\1{EN}\2", text)
    if has_digit and (
        _RANGE_HINT.search(text)
        or (("–" in text or "—" in text or "‒" in text) and _OTHER_RANGE_HINT.search(text))
    ):
        text = _numeric_ranges(text)
    text = _word_ranges(text)
    if has_digit and "-" in text:
        text = _MINUS.sub(MINUS, text)
    return text


def _spaced_dash(text: str) -> bool:
    """Whether some dash has a space (or a line end) after it."""
    return (
        "—" in text
        or "‒" in text
        or ("-" in text and ("- " in text or "-\u00a0" in text or "-\n" in text))
        or ("–" in text and ("– " in text or "–\u00a0" in text or "–\n" in text))
    )


def _spaced_dashes(text: str) -> str:
    """Each dash with a space after it, by what stands before it (Typograf's ru/dash/main and
    ru/dash/directSpeech in one pass):

    - after a closing quote or a comma: `», - заявил` -> `»,\u00a0— заявил`;
    - after a sentence, before a new remark: `ушёл. - Куда?` -> `ушёл. —\u00a0Куда?`, but not
      before lower-case author's words (`Куда? - спросил он`: the dash stays with the remark)
      nor after an abbreviation or an initial (`в 2024 г. - рекорд`);
    - after a space: `слово - слово` -> `слово\u00a0— слово`.
    """
    out: list[str] = []
    last = 0
    for match in _DASH_BEFORE_SPACE.finditer(text):
        start, end = match.start(), match.end()
        if start < last:
            continue
        spaced = start > 0 and text[start - 1] in " \u00a0"
        mark = text[start - 2] if spaced and start > 1 else text[start - 1 : start]
        after = text[end]
        if mark in _SPEECH_MARKS and after != "\n":
            out += [text[last : start - 1 if spaced else start], NBSP, EM]
            last = end
        elif spaced and mark in _SENTENCE_ENDS and after != "\n" and _new_remark(text, start, end):
            out += [text[last : start - 1], " ", EM, NBSP]
            last = end + 1
        elif spaced:
            out += [text[last : start - 1], NBSP, EM]
            last = end
    return "".join(out) + text[last:] if out else text


def _new_remark(text: str, start: int, end: int) -> bool:
    """Whether the dash at `start` opens a new remark: no lower-case word after it, and the
    full stop before it closes no abbreviation (`2024 г.\u00a0— рекорд` stays)."""
    if _LOWER_CHARS.match(text, end + 1):
        return False
    return not (text[start - 2] == "." and ends_abbreviation(text, start - 2))


def _numeric_ranges(text: str) -> str:
    """Years, days of a month, decades, times of day and plain numbers."""
    text = _DAYS.sub(rf"\1{EN}\2{NBSP}\3", text)
    if "-" in text:
        text = _DECADES.sub(rf"\1{EN}\2", text)
    if ":" in text:
        text = _TIMES.sub(rf"\1{EN}\2", text)
    text = _YEARS.sub(_year_range, text)
    if "-" in text:
        text = _NUMBERS.sub(_number_range, text)
    return text


def _year_range(match: re.Match[str]) -> str:
    """`1941-1945 гг.` and `в 2014-2016`: an en dash when the second year is later."""
    start, joint, end = match.group(1), match.group(2), match.group(3)
    if int(start) >= int(end):
        return match.group(0)
    if match.group(4) is None and (joint != "-" or not 1800 <= int(start) <= 2100):
        return match.group(0)  # no «г.» after it: only an unspaced range of real years
    return f"{start}{EN}{end}"


def _number_range(match: re.Match[str]) -> str:
    start, end = match.group(1), match.group(2)
    return f"{start}{EN}{end}" if int(start) < int(end) else match.group(0)


def _word_ranges(text: str) -> str:
    """`июнь-июль`, `в мае -июне`, `понедельник-пятница` -> an en dash without spaces."""
    if not any(dash in text and hint.search(text) for dash, hint in _WORD_DASH_HINTS):
        return text
    out: list[str] = []
    last = 0
    for match in _WORD_DASH.finditer(text):
        start = match.start() - (1 if text[match.start() - 1 : match.start()] == " " else 0)
        before = _WORD_END.search(text, max(last, start - 16), start)
        after = _WORD_START.match(text, match.end())
        if before is None or after is None:
            continue
        first, second = before.group().lower(), after.group(1).lower()
        if any(first in kind and second in kind for kind in _RANGE_WORDS):
            out += [text[last:start], EN]
            last = after.start(1)
    return "".join(out) + text[last:] if out else text


def hyphens(text: str) -> str:
    """`из за` -> `из-за`, `скажи ка`, `кое кто`, `так таки`, `кто то`, `как то`."""
    if "з " in text and ("з за" in text or "з под" in text):
        text = _IZZA.sub(r"\1з-\2", text)
    if " ка" in text:
        text = _KA.sub("-ка", text)
    if ("ое" in text or "ой" in text) and _KOE_HINT.search(text):
        text = _KOE.sub(r"\1-", text)
    if "таки" in text:
        text = _TAKI.sub(r"\1-таки", text)
    if _TO_HINT.search(text) or "либо" in text or "нибудь" in text:
        text = _TO.sub(_to, text)
    return text


def _to(match: re.Match[str]) -> str:
    """`кто то` -> `кто-то` after a question word (`_TO_WORDS`), else as it was."""
    before = _WORD_END.search(match.string, max(0, match.start() - 9), match.start())
    if before is None or before.group().lower() not in _TO_WORDS:
        return match.group(0)
    return "-" + match.group(1)
