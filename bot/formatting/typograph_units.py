"""Numbers and what they count: units, months, years, centuries, thousands and millions.

A number is tied to the unit or abbreviation after it with a no-break space, inserted when the
unit is glued to the number (`15кг`, `2019г.`); `км2` becomes `км²`. Typograf ties only length
units (`ru/nbsp/m`), `тыс.`/`млн` (`ru/nbsp/mln`), `руб.`/`коп.`, `г.` after a year, months
after a day and `в.`/`вв.` after a century at the end of a clause; Vestnik ties every unit of
measurement and currency sign and every century, and normalises `в.в.` to `вв.`.
"""

from __future__ import annotations

import re

from bot.formatting.typograph_rules import LETTER, NBSP, PH_CLASS

__all__ = ["nbsp_numbers", "tie_units"]

# Units written with letters: tied to the number, a space inserted when they are glued to it.
_UNITS = (
    r"км/ч|м/с|км[23²³]?|мм[23²³]?|см[23²³]?|дм[23²³]?|м[23²³]?|кг|мг|г|т|ц|л|мл|га|ч|мин|сек|"
    r"кВт·ч|кВт|МВт|ГВт|Вт|Гц|кГц|МГц|ГГц|Кб|Мб|Гб|Тб|КБ|МБ|ГБ|ТБ|"
    r"(?i:тыс|млн|млрд|трлн)(?=\.|\s|$)"
)
# Abbreviated units: the full stop ends them, whatever follows.
_DOTTED = r"руб\.|коп\.|долл\."
# Signs: tied when typed with a space (`25 °C`, `100 ₸`); `5%` and `25°` stay glued.
_SIGNS = r"°C|°F|°|₸|₽|€|\$"
_UNIT_START = "[кмсдгтцлчМГКТВ°₸₽€$р]"
_NUMBER_UNIT = re.compile(
    rf"(\d)(?<![{LETTER}\d]\d)(\d*+)(?=[ \u00a0]?{_UNIT_START})"
    rf"(?:[ \u00a0]?(?=(?:{_UNITS})(?![{LETTER}\d])|{_DOTTED})"
    rf"|[ \u00a0](?=(?:{_SIGNS})(?![{LETTER}\d])))"
)
_DAY_MONTH = re.compile(r" (?<=\d )(?=(?i:янв|фев|мар|апр|ма[ейя]|июн|июл|авг|сен|окт|ноя|дек))")
_POWER = re.compile(r"м([23])(?![\w²³])(?:(?<=\d\u00a0м[23])|(?<=\d\u00a0[кмсд]м[23]))")
_SUPERSCRIPT = {"2": "²", "3": "³"}
_UNTIE_AFTER_UNIT = re.compile(
    f"\u00a0(?=[а-яё])(?:(?<=[\\d{PH_CLASS}]\u00a0[мгтлцч]\u00a0)|(?<=[\\d{PH_CLASS}]\u00a0м[²³]\u00a0)"
    f"|(?<=[\\d{PH_CLASS}]\u00a0(?:км|мм|см|дм|кг|мг|мл|га)\u00a0)|(?<=[\\d{PH_CLASS}]\u00a0(?:км|мм|см|дм)[²³]\u00a0))"
)
# `1941–1945 г.г.`, `1941–1945 г.` -> `1941–1945\u00a0гг.` (Typograf's ru/nbsp/years).
_YEARS_ABBREVIATION = re.compile(
    r"(\d(?<!\d\d)\d{3}[-‒–—]\d{4})[ \u00a0]?г\.?(?:[ \u00a0]?г\.)?(?=[,;:?!\"‘“»\s]|$)", re.M
)
_YEARS_HINT = re.compile(r"г(?:(?<=\d\d\d\dг)|(?<=\d\d\d\d[ \u00a0]г))")
# A century and its word: `XIX в.`, `XVIII–XIX вв.`, `XX века`; `в.в.` and `в. в.` become `вв.`
_CENTURY = re.compile(
    r"([IVXL](?<![\w\-][IVXL])[IVXL]*+(?:[-–][IVXL]++)?)[ \u00a0]?"
    rf"(в\.[ \u00a0]?в\.|вв\.|в\.|(?:вв?)(?=[,;:?!\"‘“»]|$)|век[а-я]*+)(?![{LETTER}])",
    re.M,
)


def tie_units(text: str) -> str:
    """`15 кг`, `15кг` -> `15\u00a0кг`: before the word rules, as it may insert a space."""
    return _NUMBER_UNIT.sub(rf"\1\2{NBSP}", text)


def nbsp_numbers(text: str, has_digit: bool, has_roman: bool, protected: bool) -> str:
    """Tie days to months, year ranges to `гг.`, centuries to their word; superscript km2.

    `protected`: the text has placeholders (a unit may follow a protected number).
    """
    if has_digit:
        if " " in text:
            text = _DAY_MONTH.sub(NBSP, text)
        if "г" in text and _YEARS_HINT.search(text):
            text = _YEARS_ABBREVIATION.sub(rf"\1{NBSP}гг.", text)
        if "м2" in text or "м3" in text:
            text = _POWER.sub(lambda m: "м" + _SUPERSCRIPT[m.group(1)], text)
    if (has_digit or protected) and NBSP in text:
        text = _UNTIE_AFTER_UNIT.sub(" ", text)
    if has_roman:
        text = _CENTURY.sub(_century, text)
    return text


def _century(match: re.Match[str]) -> str:
    """`XIX\u00a0в.`, `XVIII–XIX\u00a0вв.`, `XX\u00a0века`."""
    number, word = match.group(1), match.group(2)
    if not word.startswith("век"):
        word = "вв." if "-" in number or "–" in number else "в."
    return f"{number.replace('-', '–')}{NBSP}{word}"
