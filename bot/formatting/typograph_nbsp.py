"""Non-breaking spaces: short words, abbreviations, initials, legal forms, №, §, addresses.

Typograf's `common/nbsp` and `ru/nbsp` rules for words; the rules for numbers (units, months,
years, centuries) are in `typograph_units`. Rules that insert a space where there was none
(`т.е.`, `А.С.Пушкин`, `ул.Абая`) run before the rules whose lookbehinds look at that spot, so
a second run sees the same context (the typograph is idempotent).
"""

from __future__ import annotations

import re

from bot.formatting.typograph_rules import (
    LETTER,
    NBSP,
    NNBSP,
    PH_CLASS,
    QUOTES,
    SP,
    UPPER,
    words,
)

__all__ = ["nbsp_words"]

# --- short words ------------------------------------------------------------------------------

_SHORT_DELIMITERS = rf"\s(\[{QUOTES}{PH_CLASS}"


def _after(word: str) -> str:
    """A space right after `word` (a fixed-width pattern) that follows a delimiter or the start."""
    return rf"(?<={word} )(?<![^{_SHORT_DELIMITERS}]{word} )"


# The space after a one- or two-letter word or a short conjunction or preposition (Typograf's
# afterShortWord and afterShortWordByList). The pattern starts with the
# space and looks behind for the word: much faster than a leading lookbehind, and one pass ties
# a run of short words.
_SHORT_WORD_SPACE = re.compile(
    # Five letters right before the space: no short word can end there (most spaces).
    f" (?<![{LETTER}]{{5}} )(?:"
    + "|".join(
        (
            _after(f"[{LETTER}]"),
            _after(f"[{LETTER}][{LETTER}]"),
            _after(words("без", "для", "под", "при", "про", "обо", "как", "или")),
            _after(words("если")),
        )
    )
    + ")"
)
# A number of one or two digits (`глава 5.`) or a word of up to three letters (`так ли.`) at the
# end of a sentence stays with the word before it.
_SHORT_LAST_NUMBER = re.compile(
    r" (?<=[а-яёА-ЯЁ] )(?=\d{1,2}[-+−%'\"»)]?(?:[.!?…](?: [А-ЯЁ]|$)|$))", re.M
)
_SHORT_LAST_WORD = re.compile(r" (?<=[а-яё\d] )(?=[а-яёА-ЯЁ]{1,3}[.!?…](?: [А-ЯЁ]|\Z))")
_SHORT_LAST_NUMBER_HINT = re.compile(r"\.(?= [А-ЯЁ]|$)(?:(?<=\d\.)|(?<=\d[-+−%'\"»)]\.))", re.M)
_NUMBER_MARKS = "-+−%'\"»)"
# A necessary condition, anchored on the full stop: a word of up to three letters before it.
_SHORT_LAST_HINT = re.compile(
    r"\.(?= [А-ЯЁ]|\Z)(?:(?<= [а-яёА-ЯЁ]\.)|(?<= [а-яёА-ЯЁ]{2}\.)|(?<= [а-яёА-ЯЁ]{3}\.))"
)


# Particles stick to the word before them (Typograf's ru/nbsp/beforeParticle).
_PARTICLE_BEFORE_MARK = re.compile(r" (?<=[А-ЯЁа-яё] )(ли|ль|же|ж|бы|б)(?=[,;:?!\"‘“»])")
_PARTICLE_MIDDLE = re.compile(
    r"[ \u00a0](?<=[А-ЯЁа-яё][ \u00a0])(ли|ль|же|ж|бы|б)[ \u00a0](?![!?:;,.…)\]])"
)
_PARTICLE_HINTS = (
    re.compile(r" (?<=[А-ЯЁа-яё] )(?:л[иь]|же?|бы?)(?![а-яё])"),
    re.compile("\u00a0(?<=[А-ЯЁа-яё]\u00a0)(?:л[иь]|же?|бы?)(?![а-яё])"),
)

# --- abbreviations, initials, addresses ---------------------------------------------------------

_DOMAIN_LIKE = frozenset({"рф", "ру", "рус", "орг", "укр", "бг", "срб"})
# `т. д.`, `т.е.`, `и. о.`, `н. э.` (Typograf ru/nbsp/abbr).
_ABBR = re.compile(rf"[а-яё](?<![^\s{PH_CLASS}][а-яё])[а-яё]{{0,2}}\.(?: ?[а-яё]{{1,3}}\.)+")
_ABBR_PART = re.compile(r"([а-яё]{1,3})\.")
_ABBR_HINT = re.compile(r"\.[ \u00a0]?[а-яё]{1,3}\.")
_INITIAL = rf"[{UPPER}A-Z]"
# `К. Токаев`, `К.-Ж. Токаев`, `А.С. Пушкин` -> initials tied to each other and the surname.
_INITIALS = re.compile(
    rf"({_INITIAL})(?<![\w.\-]{_INITIAL})(?<!\.\u00a0{_INITIAL})"
    rf"(?!(?<=P)\.[ \u00a0]?(?:P\.[ \u00a0]?)?S\.)\."
    rf"(?:-({_INITIAL})\.)?(?:{SP}?({_INITIAL})\.)?{SP}?"
    rf"(?=[{UPPER}A-Z][а-яёa-z])"
)
# `Пушкин А. С.` -> `Пушкин\u00a0А.\u00a0С.`
_SURNAME_INITIALS = re.compile(
    rf"([{UPPER}][а-яё]+){SP}({_INITIAL})\.{SP}?({_INITIAL})\.(?!\w|{SP}?[{UPPER}][а-яё])"
)
_INITIAL_HINT = re.compile(rf"\.(?<={_INITIAL}\.)(?<![\w.\-]{_INITIAL}\.)")


def _dotted(before: str, *abbreviations: str) -> str:
    """A `.` right after one of `abbreviations` (any case) that follows `before` or the start.

    Written as lookbehinds from the full stop, so the pattern starts with a literal `.`.
    """
    by_length: dict[int, list[str]] = {}
    for word in abbreviations:
        by_length.setdefault(len(word), []).append(word)
    checks = (rf"(?<=(?<![^{before}])(?i:{'|'.join(group)})\.)" for group in by_length.values())
    return r"\.(?:" + "|".join(checks) + ")"


# Typograf's ru/nbsp/addr, ru/nbsp/page and ru/nbsp/see.
_ADDRESS = re.compile(
    _dotted(
        r" \t\n",
        *[
            "обл",
            "кр",
            "ст",
            "пос",
            "с",
            "д",
            "ул",
            "пер",
            "пр",
            "пр-т",
            "просп",
            "пл",
            "бул",
            "б-р",
            "наб",
            "ш",
            "туп",
            "оф",
            "ком",
            "комн",
            "уч",
            "вл",
            "влад",
            "стр",
            "кор",
            "корп",
        ],
    )
    + r" *+(?=(?i:[а-яёa-z\d]))"
)
_BEFORE_NUMBER: tuple[tuple[str, re.Pattern[str]], ...] = (
    (".", re.compile(_dotted(r" \t\n", "кв", "под") + r" *+(?=\d)")),
    (
        ".",
        re.compile(
            _dotted(rf") \t\n{PH_CLASS}", "стр", "гл", "рис", "ил", "илл", "ст", "п", "c")
            + r" *+(?=\d++(?:[\s.,?!;:]|$))"
        ),
    ),
    ("эт.", re.compile(_dotted(r" \t\n", "эт") + r" *+(?=-?\d)")),
)
_DOT_DIGIT = re.compile(r"\. *+\d")
_HOUSE = re.compile(r"(?<![^\s])((?i:дом|п-д)) *+(?=\d)")
_HOUSE_HINTS = (re.compile(r"ом *+(?=\d)"), re.compile(r"-д *+(?=\d)"))
_SEE_HINT = re.compile(r"м\.(?<=[сСиИ]м\.)")
_DISTRICT_HINT = re.compile(r"к(?=р|-н)(?<=[мМ]к)")
_DISTRICT = re.compile(r"(?<![^\s])((?i:мкр-н|мк-н|мкр\.|мкрн))\s")
_TOWN = re.compile(r"г\.(?<=(?<![^ \n])г\.)(?<!\d[ \u00a0]г\.) ?(?=[А-ЯЁ])")
_SEE = re.compile(
    rf"([ \t\n{PH_CLASS}(]|^)((?i:см|им))\.[ \u00a0]?(?=(?i:[а-яё0-9a-z])++(?:[\s.,?!]|$))"
)
_NUMBER_SIGN = re.compile(r"№[ \u00a0\u2009\u202f]?(?=\d|п/п)")
_SECTION_SIGN = re.compile(r"§[ \u00a0\u2009\u202f]?(?=[\dIVX])")
_PARAGRAPH_SIGN = re.compile(r"¶ ?(?=\d)")
_PS = re.compile(rf"(?<![^\s{PH_CLASS}])[pPзЗ]\.[ \u00a0]?([pPзЗ]\.[ \u00a0]?)?[sSыЫ]\.:? ")
_PS_HINT = re.compile(r"\.(?<=[pPзЗ]\.)[ \u00a0]?(?:[pPзЗ]\.[ \u00a0]?)?[sSыЫ]\.")
# Legal forms before a name: `ООО «Ромашка»`, `ТОО «Самрук»`.
_LEGAL = re.compile(
    "([ОИПУЛ]) (?:(?<=(?<![а-яёА-ЯЁa-zA-Z])(?:ООО|ОАО|ЗАО|НИИ|ТОО|ПАО|НАО|РГП|КГП|ГКП|КГУ|РГУ) )"
    "|(?<=(?<![а-яёА-ЯЁa-zA-Z])РГКП )|(?<=(?<![а-яёА-ЯЁa-zA-Z])ПБОЮЛ ))"
)


def nbsp_words(text: str, has_digit: bool) -> str:
    """No-break spaces after short words, in abbreviations, with initials, legal forms, №, §."""
    dots = "." in text
    text = _addresses(text, dots, has_digit)
    text = _inserting(text, dots)
    text = _SHORT_WORD_SPACE.sub(NBSP, text)
    if "!" in text or "?" in text or "…" in text or (dots and _SHORT_LAST_HINT.search(text)):
        text = _SHORT_LAST_WORD.sub(NBSP, text)
    if has_digit and (
        "!" in text
        or "?" in text
        or "…" in text
        or "\n" in text
        or text[-1:].isdigit()
        or (text[-1:] in _NUMBER_MARKS and text[-2:-1].isdigit())
        or (dots and _SHORT_LAST_NUMBER_HINT.search(text))
    ):
        text = _SHORT_LAST_NUMBER.sub(NBSP, text)
    if "О " in text or "И " in text or "П " in text or "У " in text or "Л " in text:
        text = _LEGAL.sub(rf"\1{NBSP}", text)
    return text


def particles(text: str) -> str:
    """`Он бы сказал` -> `Он\u00a0бы сказал` (runs after the number rules, like Typograf's)."""
    if _PARTICLE_HINTS[0].search(text) or (NBSP in text and _PARTICLE_HINTS[1].search(text)):
        text = _PARTICLE_BEFORE_MARK.sub(rf"{NBSP}\1", text)
        text = _PARTICLE_MIDDLE.sub(rf"{NBSP}\1 ", text)
    return text


def _inserting(text: str, dots: bool) -> str:
    """The rules that may add a space: `№5`, `§5`, `т.е.`, `А.С.Пушкин`."""
    if "№" in text:
        text = _NUMBER_SIGN.sub("№" + NNBSP, text)
    if "§" in text:
        text = _SECTION_SIGN.sub("§" + NNBSP, text)
    if "¶" in text:
        text = _PARAGRAPH_SIGN.sub("¶" + NBSP, text)
    if not dots:
        return text
    if _ABBR_HINT.search(text):
        text = _ABBR.sub(_abbreviation, text)
    if _INITIAL_HINT.search(text):
        text = _SURNAME_INITIALS.sub(rf"\1{NBSP}\2.{NBSP}\3.", text)
        text = _INITIALS.sub(_initials, text)
    return text


def _addresses(text: str, dots: bool, has_digit: bool) -> str:
    """`ул. Абая`, `д. 5`, `г. Алматы`, `стр. 5`, `см. ниже`, `мкр. Самал`, `дом 5`, `P. S.`"""
    if dots:
        text = _dotted_addresses(text)
    if has_digit and any(hint.search(text) for hint in _HOUSE_HINTS):
        text = _HOUSE.sub(rf"\1{NBSP}", text)
    if "к" in text and _DISTRICT_HINT.search(text):
        text = _DISTRICT.sub(rf"\1{NBSP}", text)
    return text


def _dotted_addresses(text: str) -> str:
    text = _ADDRESS.sub(f".{NBSP}", text)
    if _DOT_DIGIT.search(text):
        for needle, pattern in _BEFORE_NUMBER:
            if needle in text:
                text = pattern.sub(f".{NBSP}", text)
    if "г." in text:
        text = _TOWN.sub(f"г.{NBSP}", text)
    if _SEE_HINT.search(text):
        text = _SEE.sub(_see, text)
    if _PS_HINT.search(text):
        text = _PS.sub(_ps, text)
    return text


def _abbreviation(match: re.Match[str]) -> str:
    """`т. д.`, `т.е.`, `а.е.м.` -> `т.\u00a0д.`, except domain-like `сайт.рф` and `дд.мм`."""
    parts = _ABBR_PART.findall(match.group())
    if any(p in _DOMAIN_LIKE for p in parts[1:]) or parts[:2] == ["дд", "мм"]:
        return match.group()
    return f".{NBSP}".join(parts) + "."


def _initials(match: re.Match[str]) -> str:
    first, hyphen, second = match.group(1), match.group(2), match.group(3)
    text = first + "."
    if hyphen:
        text += "-" + hyphen + "."
    if second:
        text += NBSP + second + "."
    return text + NBSP


def _ps(match: re.Match[str]) -> str:
    """`P.S.`, `p. s.`, `з.ы.` -> `P.\u00a0S.`; `P.P.S.` -> `P.\u00a0P.\u00a0S.`"""
    return f"P.{NBSP}P.{NBSP}S. " if match.group(1) else f"P.{NBSP}S. "


def _see(match: re.Match[str]) -> str:
    """`см. ниже` -> `см.\u00a0ниже`; a no-break space before `см.` becomes a plain one."""
    before = " " if match.group(1) == NBSP else match.group(1)
    return f"{before}{match.group(2)}.{NBSP}"
