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

# A dash between spaces: `слово - слово` -> `слово\u00a0— слово`.
_MAIN = re.compile(rf"{SP}{DASH}(?=[ \u00a0\n])")
# After a closing quote or a comma: `», – заявил` -> `»,\u00a0— заявил`.
_SPEECH = re.compile(rf"([»“”‟›‘\",]){SP}?{DASH}{SP}")
# A dialogue line: `- Привет` -> `—\u00a0Привет`.
_LINE_START = re.compile(rf"^([{PH_CLASS}]*){DASH}{SP}", re.M)
_LINE_DASH_HINT = re.compile(rf"[{PH_CLASS}]*[-‒–—]")
# A new remark after a sentence: `ушёл. - Куда?` -> `ушёл. —\u00a0Куда?`. Not before a lower-case
# word (`Куда? - спросил он`: the author's words, the dash stays with the remark) and not after
# an abbreviation or an initial (`в 2024 г. - рекорд`), see `_new_remark`.
_AFTER_SENTENCE = re.compile(rf"([.…?!]){SP}{DASH}{SP}(?![{LOWER}])")
_SPACED_HINT = re.compile(r"[-‒–—][ \u00a0\n]")
_RANGE_HINT = re.compile(r"[-‒–—](?:(?<=\d[-‒–—])|(?<=\d[ \u00a0][-‒–—]))")

_YEARS = re.compile(
    rf"(\d(?<![\w.\-/]\d)\d{{3}})({SP}?{DASH}{SP}?)(\d{{4}})(?=({SP}?г)|(?![\w\-–/]|[.,]\d))"
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
    rf"(\d(?<![\w.,\-–/:№]\d)(?<!№ \d)(?<!№\u00a0\d)(?<!№\u202f\d)\d{{0,3}})-(\d{{1,4}})"
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
_TAKI = re.compile(
    r"(?<![а-яёА-ЯЁ])(верно|довольно|опять|прямо|так|вс[её]|действительно|неужели)\sтаки"
    + _DASH_AFTER
)
_TO = re.compile(rf"(?: -|- | )(то|либо|нибудь){_DASH_AFTER}")
_TO_WORDS = frozenset(
    "откуда куда где когда зачем почему как какой какое каком какая какие каким каких какими "
    "какую что чего чей чем чьи чьим кто кого кому кем".split()
)
_WORD_END = re.compile(rf"(?<![{CYR}\w])[{CYR}]+\Z")
_WORD_START = re.compile(rf" ?([{CYR}]+)(?![{CYR}\w])")
# Months (nominative, prepositional) and weekdays joined by a dash: `июнь-июль`, `в мае-июне`.
_WORD_DASH = re.compile(rf"(?:--?|[‒–—])(?= ?[{CYR}])")
_RANGE_WORDS = (
    frozenset(MONTHS_NOM.split("|")),
    frozenset(MONTHS_PRE.split("|")),
    frozenset(WEEKDAYS.split("|")),
)


def dashes(text: str, has_digit: bool, has_roman: bool) -> str:
    """Em dashes between words and in dialogue, en dashes in ranges, hyphens, the minus."""
    spaced = _SPACED_HINT.search(text) is not None
    if spaced:  # `слово - слово`, `», - заявил`
        text = _MAIN.sub(NBSP + EM, text)
        text = _SPEECH.sub(rf"\1{NBSP}{EM} ", text)
    if "\n" in text or _LINE_DASH_HINT.match(text):  # `- Привет`
        text = _LINE_START.sub(rf"\1{EM}{NBSP}", text)
    if spaced:  # `ушёл. - Куда?`
        text = _AFTER_SENTENCE.sub(_new_remark, text)
    if has_roman and _ROMAN_HINT.search(text):
        text = _CENTURIES.sub(rf"\1{EN}\2", text)
    if has_digit and _RANGE_HINT.search(text):
        text = _numeric_ranges(text)
    text = _word_ranges(text)
    if has_digit and "-" in text:
        text = _MINUS.sub(MINUS, text)
    return text


def _new_remark(match: re.Match[str]) -> str:
    """`ушёл. - Куда?` -> `ушёл. —\u00a0Куда?`, but `2024 г.\u00a0— Рекорд` stays."""
    if match.group(1) == "." and ends_abbreviation(match.string, match.start(1)):
        return match.group(0)
    return f"{match.group(1)} {EM}{NBSP}"


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
    if "-" not in text and "–" not in text and "—" not in text and "‒" not in text:
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
    if "з за" in text or "з под" in text:
        text = _IZZA.sub(r"\1з-\2", text)
    if " ка" in text:
        text = _KA.sub("-ка", text)
    if "ое " in text or "ой " in text:
        text = _KOE.sub(r"\1-", text)
    if "таки" in text:
        text = _TAKI.sub(r"\1-таки", text)
    if "то" in text or "либо" in text or "нибудь" in text:
        text = _TO.sub(_to, text)
    return text


def _to(match: re.Match[str]) -> str:
    """`кто то` -> `кто-то` after a question word (`_TO_WORDS`), else as it was."""
    before = _WORD_END.search(match.string, max(0, match.start() - 9), match.start())
    if before is None or before.group().lower() not in _TO_WORDS:
        return match.group(0)
    return "-" + match.group(1)
