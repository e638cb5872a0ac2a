"""Symbols and numbers: ©, arrows, °C, ½, ≠, ×, the decimal comma, ordinals, digit groups, dates.

`symbols` runs first (Typograf's `common/symbols`), `numbers` once the spaces are fixed
(`common/number`, `ru/number`), `group_digits` after the punctuation (Typograf's
`common/number/digitGrouping`), `dates` last (`ru/date`). Identifiers never reach these
rules: a number joined to letters (`Су-27`) is protected, a digit glued to a letter (`COP29`)
is left alone by every pattern, and `group_digits` leaves codes alone (a leading zero, `ИИН`,
`индекс`, `№`).
"""

from __future__ import annotations

import re

from bot.formatting.typograph_rules import (
    LETTER,
    MONTHS_GEN,
    NBSP,
    NNBSP,
    PH_CLASS,
    THIN,
    TIMES,
    WEEKDAYS,
    Rule,
    run,
)

__all__ = ["dates", "group_digits", "numbers", "symbols"]

# --- symbols ----------------------------------------------------------------------------------

_COPY_HINT = re.compile(r"\((?i:r|c|с|tm)\)")
_COPY: tuple[Rule, ...] = (
    (re.compile(r"\((?i:r)\)"), "®"),
    (re.compile(r"(?i:copyright )?\((?i:c|с)\)"), "©"),
    (re.compile(r"\((?i:tm)\)"), "™"),
)
_NUMERO_RUN = re.compile("№№++")
_ARROW_RIGHT = re.compile(r"(?<!-)->(?!>)")
_ARROW_LEFT = re.compile(r"(?<!<)<-(?!-)")
# `25 C` -> `25 °C` (tied with a no-break space, where Typograf puts a breakable thin one).
_DEGREES = re.compile(r"(?<![^\s(\[+≈±−—–\-.])(\d++(?:[.,]\d++)?)[ \u00a0\u2009]?([CF])(?!\w)")

# --- numbers ----------------------------------------------------------------------------------

_FRACTIONS: tuple[Rule, ...] = (
    (re.compile(r"(?<![\w/@])(?<![\d½¼¾²³][.,])1/2(?![\d/])"), "½"),
    (re.compile(r"(?<![\w/@])(?<![\d½¼¾²³][.,])1/4(?![\d/])"), "¼"),
    (re.compile(r"(?<![\w/@])(?<![\d½¼¾²³][.,])3/4(?![\d/])"), "¾"),
)
_MATH: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("!=", re.compile("!="), "≠"),
    ("<=", re.compile("<="), "≤"),
    (">=", re.compile("(?<!=)>="), "≥"),
    ("~=", re.compile("~="), "≅"),
    ("+-", re.compile(r"(?<!\+)\+-"), "±"),
)
_TIMES = re.compile(r"(\d)[ \u00a0]?[xх][ \u00a0]?(?=\d)")
_TIMES_HINTS = tuple(
    re.compile(rf"{x}(?:(?<=\d{x})|(?<=\d[ \u00a0]{x}))(?=[ \u00a0]?\d)") for x in "xх"
)
_DEGREES_HINTS = tuple(
    re.compile(rf"{c}(?:(?<=\d{c})|(?<=\d[ \u00a0\u2009]{c}))(?!\w)") for c in "CF"
)
# `3.5%` -> `3,5%`: the Russian decimal comma before a percent, degree or times sign.
_DECIMAL = re.compile(r"(?<![\w.,])(\d++)\.(?=\d++[ \u00a0\u2009\u202f]*+[%‰°×x])")
_DECIMAL_HINT = re.compile(r"\.(?<=\d\.)(?=\d++[ \u00a0\u2009\u202f]*+[%‰°×x])")
_ORDINAL_ENDINGS = {
    "ый": "й", "ой": "й", "ая": "я", "ое": "е", "ые": "е", "ым": "м", "ом": "м", "ых": "х",
    "ого": "го", "ому": "му", "ыми": "ми",
}  # fmt: skip
_ORDINAL = re.compile(
    r"-(?:(?<=\d-)|(?<=\d[%‰]-))(ый|ой|ая|ое|ые|ым|ом|ых|ого|ому|ыми)(?![а-яёa-z])"
)


def symbols(text: str) -> str:
    """©, ™, ®, ≠, ≤, ≥, ≅, ±, arrows and `№№` -> `№` (before the spaces are fixed)."""
    if "(" in text and _COPY_HINT.search(text):
        text = run(text, _COPY)
    if "=" in text or "+" in text:
        for needle, pattern, sign in _MATH:
            if needle in text:
                text = pattern.sub(sign, text)
    if ">" in text and "->" in text:
        text = _ARROW_RIGHT.sub("→", text)
    if "<" in text and "<-" in text:
        text = _ARROW_LEFT.sub("←", text)
    if "№" in text and "№№" in text:
        text = _NUMERO_RUN.sub("№", text)
    return text


def numbers(text: str) -> str:
    """°C, ½, ×, the decimal comma and short ordinals (once the spaces are fixed)."""
    if ("C" in text or "F" in text) and any(h.search(text) for h in _DEGREES_HINTS):
        text = _DEGREES.sub(rf"\1{NBSP}°\2", text)
    if ("x" in text or "х" in text) and any(h.search(text) for h in _TIMES_HINTS):
        text = _TIMES.sub(rf"\1{TIMES}", text)
    if "/" in text and ("1/2" in text or "1/4" in text or "3/4" in text):
        text = run(text, _FRACTIONS)
    if "." in text and _DECIMAL_HINT.search(text):
        text = _DECIMAL.sub(r"\1,", text)
    if "-" in text:
        text = _ORDINAL.sub(lambda m: "-" + _ORDINAL_ENDINGS[m.group(1)], text)
    return text


# --- digit groups -----------------------------------------------------------------------------

# A number typed with spaces between groups of three (`15 000 000`), after a space, a line
# start or a protected fragment (Typograf's first digitGrouping rule).
_SPACED_GROUPS = re.compile(
    rf"(?<![^ \n{PH_CLASS}])(?<![\d²³] )(\d{{1,3}}(?:[ \u00a0\u2009\u202f]\d{{3}})+)(?! ?[\d\-])"
)
# Five digits and more, not glued to a word, a code sign or another number.
_LONG = re.compile(r"(?<![\w\-–/#№])(?<!\d[.,])([1-9]\d{4,14}+)(?![\w\-])")
_FIVE_DIGITS = re.compile(r"\d\d\d\d\d")
_GROUP_HINTS = (
    re.compile(r" (?<=\d )(?=\d\d\d(?!\d))"),
    re.compile("[\u00a0\u2009](?<=\\d[\u00a0\u2009])(?=\\d\\d\\d(?!\\d))"),
)
_SPACES = re.compile(r"[ \u00a0\u2009]")
# A code, not a quantity: the number right after one of these words is left as typed.
_CODE_WORDS = re.compile(
    r"(?:ИИН|БИН|ИНН|ОГРН|КПП|БИК|ОКПО|СНИЛС|IBAN|ID|id|индекс|код|артикул|сч[её]т|"
    r"номер|тел\.|телефон|паспорт|№)[ \u00a0\u202f:]*+\Z"
)


def group_digits(text: str) -> str:
    """`1000000` and `1 000 000` -> `1 000 000` with narrow no-break spaces (five digits up)."""
    if _FIVE_DIGITS.search(text):
        text = _LONG.sub(lambda m: _grouped(m, text), text)
    if _GROUP_HINTS[0].search(text) or (
        (NBSP in text or THIN in text) and _GROUP_HINTS[1].search(text)
    ):
        text = _SPACED_GROUPS.sub(lambda m: _narrow(m, text), text)
    return text


def _is_code(text: str, start: int) -> bool:
    return _CODE_WORDS.search(text, max(0, start - 12), start) is not None


def _narrow(match: re.Match[str], text: str) -> str:
    if _is_code(text, match.start()):
        return match.group()
    return _SPACES.sub(NNBSP, match.group())


def _grouped(match: re.Match[str], text: str) -> str:
    if _is_code(text, match.start()):
        return match.group()
    digits = match.group(1)
    head = len(digits) % 3 or 3
    return digits[:head] + "".join(NNBSP + digits[i : i + 3] for i in range(head, len(digits), 3))


# --- dates ------------------------------------------------------------------------------------

_ISO_DATE = re.compile(
    r"(?<![\w\-–./])((?:19|20)\d\d)([-./])(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?![\w\-–/]|\.\d)"
)
_WEEKDAY_AFTER_DATE = re.compile(
    rf"(?<=\d)([ \u00a0])(?i:({MONTHS_GEN})),([ \u00a0])(?i:({WEEKDAYS}))(?![{LETTER}])"
)
_DATE_HINTS = tuple(re.compile(rf"\{sep}(?<=\d\d\{sep})\d\d\{sep}\d\d") for sep in "-./")
_WEEKDAY_HINT = re.compile(
    r",[ \u00a0](?i:понедельник|вторник|сред|четверг|пятниц|суббот|воскресень)"
)


def dates(text: str) -> str:
    """`2024-05-12` -> `12.05.2024`; `2 Мая, Понедельник` -> `2 мая, понедельник`."""
    if any(sep in text and hint.search(text) for sep, hint in zip("-./", _DATE_HINTS, strict=True)):
        text = _ISO_DATE.sub(r"\4.\3.\1", text)
    if _WEEKDAY_HINT.search(text):
        text = _WEEKDAY_AFTER_DATE.sub(
            lambda m: f"{m.group(1)}{m.group(2).lower()},{m.group(3)}{m.group(4).lower()}", text
        )
    return text
