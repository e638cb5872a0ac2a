"""The rule set of the Russian news typograph: compiled patterns and their replacements.

Each rule is a precompiled `re` pattern (module constants, built once at import: they hold no
connection or state) plus a replacement. `bot.formatting.typograph` runs them in order on text
whose URLs, tags, code and phone numbers have already been swapped for placeholder characters
(`PH_CLASS`). The rules follow the Typograf project's Russian set (`src/rules/ru/`) where it
fits news copy: quotes, dashes, en dashes in ranges, non-breaking spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.formatting.abbreviations import ends_abbreviation

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, after №
EM = "\u2014"
EN = "\u2013"

# Placeholders: one character each from the supplementary private use area A.
PH_FIRST = 0xF0000
PH_LAST = 0xFFFFD
PH_CLASS = "\U000f0000-\U000ffffd"

LOWER = "а-яёәғқңөұүһі"
UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LETTER = LOWER + UPPER + "a-zA-Z"
DASH = "(?:--?|‒|–|—)"
SP = "[ \u00a0]"
QUOTES = '"«»„“”‟'
MONTHS_GEN = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"

Repl = str | Callable[[re.Match[str]], str]
Rule = tuple[re.Pattern[str], Repl]

# --- ellipsis ---------------------------------------------------------------------------------

ELLIPSIS = re.compile(r"(?<!\.)\.{3}(?!\.)")

# --- quotes -----------------------------------------------------------------------------------

# An opening quote: after the start, a space, a bracket, a colon/semicolon/comma or a placeholder,
# and before something that can start a quotation (not a space, closing punctuation or a dash).
QUOTE_LEFT = re.compile(
    rf"([{QUOTES}](?<![^\s(\[{{:;,{PH_CLASS}][{QUOTES}])[{QUOTES}]{{0,2}})"
    rf"(?=[^\s.,;:!?)\]}}\-–—])"
)
# A closing quote: after a non-space, before the end, a space, punctuation or a placeholder.
QUOTE_RIGHT = re.compile(
    rf"([{QUOTES}](?<=[^\s][{QUOTES}])[{QUOTES}]{{0,2}})(?=[\s!?.:;#*,…)\]}}/\-–—{PH_CLASS}]|$)"
)
GUILLEMETS = re.compile('[«»"]')
# The same two rules for a lone quote mark (no mark right beside it), with a fixed
# replacement: `typograph._quotes` runs these first and the general ones only on runs.
QUOTE_LEFT_ONE = re.compile(
    rf"[{QUOTES}](?<![^\s(\[{{:;,{PH_CLASS}][{QUOTES}])(?=[^\s.,;:!?)\]}}\-–—{QUOTES}])"
)
QUOTE_RIGHT_ONE = re.compile(
    rf"[{QUOTES}](?<=[^\s{QUOTES}][{QUOTES}])(?=[\s!?.:;#*,…)\]}}/\-–—{PH_CLASS}]|$)"
)
QUOTE_RUN = re.compile(f"[{QUOTES}]{{2}}")
# A « opened inside another on the same line: only then `nest_line` has work to do.
NESTED_HINT = re.compile("«[^»\n]*«")


def left_quotes(match: re.Match[str]) -> str:
    """As many `«` as quote characters matched (nesting is fixed later)."""
    return "«" * len(match.group(1))


def right_quotes(match: re.Match[str]) -> str:
    """As many `»` as quote characters matched."""
    return "»" * len(match.group(1))


def nest_line(line: str) -> str:
    """Inner quotes become „“: `«Компания «Рога»»` -> `«Компания „Рога“»`.

    Like Typograf's `setInner`: a level counter over the line's guillemets; a straight quote
    that could not be classified resets it; if the line's « and » do not balance it is left flat.
    Only the outermost level gets «»; every deeper one gets „“ (Typograf's two marks, the
    inner one repeated for a third level), so the marks always pair up.
    """
    if line.count("«") != line.count("»") or "«" not in line:
        return line
    level = -1
    parts: list[str] = []
    last = 0
    for match in GUILLEMETS.finditer(line):
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


# --- dashes and ranges -------------------------------------------------------------------------


def _year_range(match: re.Match[str]) -> str:
    start, end = match.group(1), match.group(2)
    return f"{start}{EN}{end}" if int(start) < int(end) else match.group(0)


YEARS = re.compile(rf"(\d(?<!\d\d)\d{{3}}){SP}?{DASH}{SP}?(\d{{4}})(?={SP}?(?:гг?\.|год))")
DAYS = re.compile(
    rf"(\d(?<![\w.,\-–]\d)\d?){SP}?{DASH}{SP}?(\d\d?){SP}({MONTHS_GEN})(?![{LETTER}])"
)
TIMES = re.compile(rf"(\d(?<![\w:]\d)\d?:[0-5]\d){SP}?{DASH}{SP}?(\d?\d:[0-5]\d)(?![\w:])")
CENTURIES = re.compile(rf"([IVXL](?<![\w\-][IVXL])[IVXL]*){SP}?{DASH}{SP}?([IVXL]+)(?![\w\-])")
# A dash between spaces: `слово - слово` -> `слово\u00a0— слово`.
DASH_MAIN = re.compile(rf"{SP}{DASH}(?=[ \u00a0\n])")
# After a closing quote or a comma: `», – заявил` -> `»,\u00a0— заявил`.
DASH_SPEECH = re.compile(rf"([»“\",]){SP}?{DASH}{SP}")
# A dialogue line: `- Привет` -> `—\u00a0Привет`.
DASH_LINE_START = re.compile(rf"^([{PH_CLASS}]*){DASH}{SP}", re.M)
# A new remark after a sentence: `ушёл. - Куда?` -> `ушёл. —\u00a0Куда?`. Not before a lower-case
# word (`Куда? - спросил он`: the author's words, the dash stays with the remark) and not
# after an abbreviation or an initial (`в 2024 г. - рекорд`), see `_new_remark`.
DASH_AFTER_SENTENCE = re.compile(rf"([.…?!]){SP}{DASH}{SP}(?![{LOWER}])")
# Necessary conditions: a range needs a dash after a digit (and maybe a space); the other
# dash rules need a dash followed by a space; a dialogue line needs a dash at a line start.
RANGE_HINT = re.compile(r"[-‒–—](?:(?<=\d[-‒–—])|(?<=\d[ \u00a0][-‒–—]))")
SPACED_DASH_HINT = re.compile(r"[-‒–—][ \u00a0\n]")
LINE_DASH_HINT = re.compile(rf"[{PH_CLASS}]*[-‒–—]")


def new_remark(match: re.Match[str]) -> str:
    """`ушёл. - Куда?` -> `ушёл. —\u00a0Куда?`, but `2024 г.\u00a0— Рекорд` stays."""
    if match.group(1) == "." and ends_abbreviation(match.string, match.start(1)):
        return match.group(0)
    return f"{match.group(1)} {EM}{NBSP}"


RANGE_RULES: tuple[Rule, ...] = (
    (YEARS, _year_range),
    (DAYS, rf"\1{EN}\2{NBSP}\3"),
    (TIMES, rf"\1{EN}\2"),
)

# --- non-breaking spaces -----------------------------------------------------------------------

NUMBER_SIGN = re.compile(r"№[ \u00a0\u2009\u202f]?(?=\d)")

_DOMAIN_LIKE = frozenset({"рф", "ру", "рус", "орг", "укр", "бг", "срб"})


def abbreviation(match: re.Match[str]) -> str:
    """`т. д.` -> `т.\u00a0д.`, except for domain-like `сайт.рф` and the `дд.мм` date mask."""
    first, second = match.group(1), match.group(2)
    if second.lower() in _DOMAIN_LIKE or (first == "дд" and second == "мм"):
        return match.group(0)
    return f"{first}.{NBSP}{second}."


# `т. д.`, `т.е.`, `и. о.`, `н. э.` (Typograf ru/nbsp/abbr).
ABBR = re.compile(rf"(?<![\w.])(?<!\.\u00a0)([а-яё]{{1,3}})\.{SP}?([а-яё]{{1,3}})\.")


def _initials(match: re.Match[str]) -> str:
    first, hyphen, second = match.group(1), match.group(2), match.group(3)
    text = first + "."
    if hyphen:
        text += "-" + hyphen + "."
    if second:
        text += NBSP + second + "."
    return text + NBSP


_INITIAL = rf"[{UPPER}A-Z]"
# `К. Токаев`, `К.-Ж. Токаев`, `А.С. Пушкин` -> initials tied to each other and the surname.
INITIALS = re.compile(
    rf"({_INITIAL})(?<![\w.\-]{_INITIAL})(?<!\.\u00a0{_INITIAL})\."
    rf"(?:-({_INITIAL})\.)?(?:{SP}?({_INITIAL})\.)?{SP}?"
    rf"(?={_INITIAL}[{LOWER}a-z])"
)
# `Пушкин А. С.` -> `Пушкин\u00a0А.\u00a0С.`
SURNAME_INITIALS = re.compile(
    rf"([{UPPER}][{LOWER}]+){SP}({_INITIAL})\.{SP}?({_INITIAL})\.(?![\w])"
)

_SHORT_DELIMITERS = rf"\s(\[«„\"“{PH_CLASS}"


def _capitalized(words: str) -> str:
    return "|".join(w for word in words.split() for w in (word, word[0].upper() + word[1:]))


def _after(word: str) -> str:
    """A space right after `word` (a fixed-width pattern) that follows a delimiter or the start."""
    return rf"(?<={word} )(?<![^{_SHORT_DELIMITERS}]{word} )"


# The space after a one- or two-letter word or a short preposition (Typograf
# common/nbsp/afterShortWord). The pattern starts with the space itself and looks behind for
# the word: much faster than starting with a lookbehind, and one pass ties a run of short words.
# A short word is at most four letters after a delimiter (`из-за`, `из-под` have a hyphen).
SHORT_WORD_SPACE = re.compile(
    # Five letters right before the space: no short word can end there (most spaces).
    f" (?<![{LETTER}]{{5}} )(?:"
    + "|".join(
        (
            _after(f"[{LETTER}]"),
            _after(f"[{LETTER}][{LETTER}]"),
            _after(f"(?:{_capitalized('без для над под при про обо ото изо меж')})"),
            _after(f"(?:{_capitalized('безо подо')})"),
            _after("[иИ]з-за"),
            _after("[иИ]з-под"),
        )
    )
    + ")"
)


# Particles stick to the word before them (Typograf ru/nbsp/beforeParticle).
PARTICLE_BEFORE_PUNCT = re.compile(
    rf" (?<=[{LETTER}] )(ли|ль|же|ж|бы|б)(?=[,;:?!.…\"‘“»)]|$)", re.M
)
PARTICLE_MIDDLE = re.compile(rf"[ \u00a0](?<=[{LETTER}][ \u00a0])(ли|ль|же|ж|бы|б){SP}")

_MULTIPLIERS = (
    r"тыс\.|тысяч[аи]?|млн|млрд|трлн|миллион(?:а|ов)?|миллиард(?:а|ов)?|триллион(?:а|ов)?"
)
_UNITS_DOTTED = r"гг?\.|вв?\.|руб\.|коп\.|долл\.|ед\.|чел\.|экз\.|тыс\."
_UNITS = (
    r"км/ч|км²|км³|км|м²|м³|м|см|мм|кг|г|т|л|мл|га|ч|мин|сек|кВт|МВт|ГВт|°C|°|%|‰|"
    r"тенге|евро|рублей|рубля|рубль|долларов|доллара|доллар|₸|₽|\$|€"
)
NUMBER_MULTIPLIER = re.compile(rf"(\d){SP}?({_MULTIPLIERS})(?![{LETTER}])")
# A number tied to its unit, abbreviation, month or "год": one pattern, one scan.
NUMBER_WORD = re.compile(
    rf"(\d) (?=(?:{_UNITS_DOTTED})|(?:{_UNITS})(?![\w²³])"
    rf"|(?:{MONTHS_GEN}|год(?:а|у|ом|ах|ов|ы)?)(?![{LETTER}]))"
)
MULTIPLIER_CURRENCY = re.compile(
    rf"(?<![{LETTER}])(тыс\.|млн|млрд|трлн){SP}(тенге|руб\.|рубл[а-я]*|долл\.|доллар[а-я]*|евро)"
)
CENTURY_WORD = re.compile(rf"([IVXL](?<![\w\-][IVXL])[IVXL]*){SP}(вв?\.|век[а-я]*)")
ADDRESS = re.compile(
    r"(?<![\w.\-])(?<!\.\u00a0)(ул|просп|пр-т|пер|пл|наб|б-р|бул|мкр|мкрн|обл|кв|корп|стр|пос)\."
    rf"{SP}?(?=[\w])"
)
TOWN_HOUSE = re.compile(
    rf"([гдс])(?<![\d.]{SP}[гдс])(?<![\w.\-][гдс])(?<!\.\u00a0[гдс])\.{SP}?(?=[{UPPER}\d])"
)

# Necessary conditions for the rule groups below: a cheap search skips a group on most text.
ABBR_HINT = re.compile(r"\.[ \u00a0]?[а-яё]{1,3}\.")
INITIAL_HINT = re.compile(rf"\.(?<={_INITIAL}\.)(?<![\w.\-]{_INITIAL}\.)")
PARTICLE_HINT = re.compile(rf"[ \u00a0](?<=[{LETTER}][ \u00a0])(?:л[иь]|же?|бы?)(?![{LETTER}])")
DIGIT_HINT = re.compile(r"\d")
ROMAN_HINT = re.compile(r"[IVXL]")
_ADDRESS_WORDS = ("[гдс]", "ул|пл|кв", "пер|наб|бул|мкр|обл|стр|пос|б-р", "корп|мкрн|пр-т", "просп")
ADDRESS_HINT = re.compile(
    r"\.(?:" + "|".join(rf"(?<=(?:{w})\.)(?<![\w.\-](?:{w})\.)" for w in _ADDRESS_WORDS) + ")"
)

INITIAL_RULES: tuple[Rule, ...] = (
    (SURNAME_INITIALS, rf"\1{NBSP}\2.{NBSP}\3."),
    (INITIALS, _initials),
)
PARTICLE_RULES: tuple[Rule, ...] = (
    (PARTICLE_BEFORE_PUNCT, rf"{NBSP}\1"),
    (PARTICLE_MIDDLE, rf"{NBSP}\1 "),
)
NUMBER_RULES: tuple[Rule, ...] = ((NUMBER_WORD, rf"\1{NBSP}"),)
ADDRESS_RULES: tuple[Rule, ...] = (
    (ADDRESS, rf"\1.{NBSP}"),
    (TOWN_HOUSE, rf"\1.{NBSP}"),
)


def has_multiplier(text: str) -> bool:
    """Whether `text` may hold a word `NUMBER_MULTIPLIER` looks for (тыс., млн, миллиард…)."""
    return "тыс" in text or "мл" in text or "милли" in text or "трл" in text or "трилл" in text


def has_multiplier_abbreviation(text: str) -> bool:
    """Whether `text` holds тыс., млн, млрд or трлн (what `MULTIPLIER_CURRENCY` needs)."""
    return "тыс." in text or "млн" in text or "млрд" in text or "трлн" in text
