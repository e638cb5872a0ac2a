"""Spaces and punctuation: trimming, doubled spaces, spaces around punctuation, ellipses.

`spaces` is Typograf's `common/space` and `ru/space` group (it runs before the dashes),
`punctuation` its `common/punctuation` and `ru/punctuation` groups without the quotes (they
run after the dashes), and `after_punctuation` what Vestnik adds once the quotes are set: a
space after an ellipsis, `?..` or `!..` that runs into the next sentence, and after a
colon or comma glued to an opening «.
"""

from __future__ import annotations

import re

from bot.formatting.typograph_rules import (
    CYR,
    DASH,
    EM,
    LETTER,
    NBSP,
    PH_CLASS,
    QUOTES,
    RU_EN,
    SP,
    UPPER,
    Rule,
    run,
)

__all__ = ["after_punctuation", "clean_spaces", "keyboard_layout", "punctuation", "spaces"]

_NOT_AFTER_MARK = rf"[^).…!;?\s\[\]{PH_CLASS}{QUOTES}]"

_BLANKS_AT_LINE_END = re.compile(r"[ \t]*+\n[ \t]*+")
_REPEATED_NEWLINES = re.compile(r"\n{3,}+")
_REPEATED_SPACES = re.compile(r"[ \t](?<=[^\n \t][ \t])[ \t]++")
# Not before a quotation mark: whether it opens or closes is known only later (see
# `after_punctuation`).
_AFTER_COLON = re.compile(rf":(?<=[^\d²³½¼¾{PH_CLASS}]:)(?=[^)\",:.…?\s/\\{PH_CLASS}{QUOTES}‘])")
_AFTER_COMMA = re.compile(rf",(?<=.,)(?=[^)\",:.…?\s/\\{PH_CLASS}{QUOTES}‘])(?!(?<=[\d½¼¾²³],)\d)")
_AFTER_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("?", re.compile(rf"\?(?={_NOT_AFTER_MARK})")),
    ("!", re.compile(rf"!(?={_NOT_AFTER_MARK})")),
    (";", re.compile(rf";(?={_NOT_AFTER_MARK})")),
)
# After a Russian word or punctuation; a Latin word glued to a bracket is code (`alert(1)`)
# or English (`word(s)`), left as typed.
_BEFORE_BRACKET = re.compile(rf"\((?<=[{CYR}.!?,;…)]\()")
_INSIDE_BRACKETS: tuple[Rule, ...] = (
    (re.compile(r"\( ++"), "("),
    (re.compile(rf"(?<![{PH_CLASS} ]) ++\)"), ")"),
    (re.compile(r"\[ ++"), "["),
    (re.compile(r" ++\]"), "]"),
)
_BEFORE_DOT = re.compile(rf" (?<![!?:;,.…{PH_CLASS}] )(?=(?:\.|\.\.\.)(?:\s|$))")
_BEFORE_PERCENT = (re.compile(r" (?<=\d )(?=[%‰‱])"), re.compile("\u00a0(?<=\\d\u00a0)(?=[%‰‱])"))
_BEFORE_PUNCTUATION = re.compile(rf" (?<![!?:;,.…{PH_CLASS}] )(?=[!?:;,](?!\)))")
_BETWEEN_MARKS = re.compile(r" (?<=[!?] )(?=[!?])")
_DOUBLED: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (",", re.compile(r"(?<!,),,(?!,)"), ","),
    (":", re.compile(r"(?<!:)::(?!:)"), ":"),
    (".", re.compile(r"(?<![!?.])\.\.(?![.\w])"), "."),
    (";", re.compile(r"(?<!;);;(?!;)"), ";"),
    ("?", re.compile(r"(?<!\?)\?\?(?!\?)"), "?"),
)
_EXCLAMATIONS: tuple[Rule, ...] = (
    (re.compile(r"(?<!!)!!(?!!)"), "!"),
    (re.compile(r"(?<!!)!!!!(?!!)"), "!!!"),
)
_EXCLAMATION_QUESTION = re.compile(r"(?<!!)!\?(?![?!])")
_SPACE_HINT = re.compile(r" (?=[.!?:;,%)\]])")
# `2019год` -> `2019 год`.
_YEAR_WORD = re.compile(
    r"год(?:(?<=(?<![^ \u00a0.])\d\d\dгод)|(?<=(?<![^ \u00a0.])\d\d\d\dгод))"
    r"(?=(?:[ауе]|ом)?(?![а-яёa-z]))"
)


def clean_spaces(text: str) -> str:
    """Trim the text and every line, collapse doubled spaces and runs of blank lines."""
    if "\t" in text:
        text = text.replace("\t", " ")
    text = text.strip()
    if "\n" in text:
        text = _BLANKS_AT_LINE_END.sub("\n", text)
        if "\n\n\n" in text:
            text = _REPEATED_NEWLINES.sub("\n\n", text)
    if "  " in text:
        text = _REPEATED_SPACES.sub(" ", text)
    return text


def spaces(text: str) -> str:
    """Doubled marks, spaces after `,` `:` `;` `!` `?` and before `(`, none before `.` `,` `)`."""
    if ("!" in text or "?" in text) and ("! " in text or "? " in text):
        text = _BETWEEN_MARKS.sub("", text)
    text = _marks(text)
    if "." in text or "…" in text:  # before the rules that look beside a number or a quote
        text = _ellipses(text)
    if ":" in text:
        text = _AFTER_COLON.sub(": ", text)
    if "," in text:
        text = _AFTER_COMMA.sub(", ", text)
    for mark, pattern in _AFTER_MARKS:
        if mark in text:
            text = pattern.sub(mark + " ", text)
    if "(" in text:
        text = _BEFORE_BRACKET.sub(" (", text)
    if ("(" in text and "( " in text) or ("[" in text and "[ " in text) or _SPACE_HINT.search(text):
        text = _fix_spaces_before(text)
    if "…" in text or ".." in text:
        text = run(text, _SPACE_AFTER_HELLIP)
    if "год" in text:
        text = _YEAR_WORD.sub(" год", text)
    return text


def _marks(text: str) -> str:
    """`!!` -> `!`, `!!!!` -> `!!!`, `!?` -> `?!`, `,,` `::` `..` `;;` `??` -> one mark.

    Repeated until nothing changes (`!?!?` -> `!??!` -> `!?!`), so a second run has nothing
    to do: each step only shortens the text or turns `!?` into `?!`, so it ends.
    """
    while True:
        before = text
        if "!" in text and "!!" in text:
            text = run(text, _EXCLAMATIONS)
        for mark, pattern, single in _DOUBLED:
            if mark in text and mark + mark in text:
                text = pattern.sub(single, text)
        if "!" in text and "!?" in text:
            text = _EXCLAMATION_QUESTION.sub("?!", text)
        if text == before:
            return text


def _fix_spaces_before(text: str) -> str:
    """No space inside brackets or before `.`, `,`, `!`, `?`, `:`, `;`, `%`."""
    text = run(text, _INSIDE_BRACKETS)
    text = _BEFORE_DOT.sub("", text)
    if "%" in text or "‰" in text or "‱" in text:
        text = _BEFORE_PERCENT[0].sub("", text)
        if NBSP in text:
            text = _BEFORE_PERCENT[1].sub("", text)
    text = _BEFORE_PUNCTUATION.sub("", text)
    return _BETWEEN_MARKS.sub("", text)


# --- punctuation ------------------------------------------------------------------------------

_APOSTROPHE = re.compile(rf"'(?<=[{RU_EN}]')(?=[{RU_EN}])")
_HELLIP = re.compile(r"(?<!\.)\.{3,4}+(?!\.)")
_HELLIP_COMMA = re.compile(r"…,(?<!\.…,)")
_MARK_HELLIP = re.compile(r"…(?<=[!?]…)(?!\.)")
# A comma before «а» and «но» (Typograf's `ru/punctuation/ano`).
_ANO = re.compile(rf"[ \n](?<=[^«„\[(!?,:;\-‒–—\s{PH_CLASS}][ \n])(?=(?:а|но)[ \u00a0\n])")
_ANO_HINTS = (
    re.compile(r"а(?<=[ \n]а)(?=[ \u00a0\n])"),
    re.compile(r"но(?<=[ \n]но)(?=[ \u00a0\n])"),
)


def _ellipses(text: str) -> str:
    """`...` -> `…`, `…,` -> `…`, `?...` -> `?..`, `!...` -> `!..`."""
    if "..." in text:
        text = _HELLIP.sub("…", text)
    if "…" in text:
        if "…," in text:
            text = _HELLIP_COMMA.sub("…", text)
        if "!…" in text or "?…" in text:
            text = _MARK_HELLIP.sub("..", text)
    return text


def punctuation(text: str) -> str:
    """Apostrophes: `д'Артаньян` -> `д’Артаньян`."""
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)
    return text


# --- after the quotes -------------------------------------------------------------------------

# An ellipsis, `?..` or `!..` glued to the next sentence (or the quotation opening it).
_SPACE_AFTER_HELLIP: tuple[Rule, ...] = (
    (re.compile(rf"…(?<=[{LETTER}\d{QUOTES})]…)(?=[{UPPER}A-Z]|[{QUOTES}][{LETTER}])"), "… "),
    (re.compile(rf"\.\.(?<=[?!]\.\.)(?=[{LETTER}]|[{QUOTES}][{LETTER}])"), ".. "),
)
_GLUED_QUOTE = re.compile(r"[«„](?<=[^\d²³][:,][«„])")
# A closing quote now known before a dash: `»- сказал` -> `»\u00a0— сказал` (as after `"`).
_QUOTE_DASH = re.compile(rf"»{SP}?{DASH}(?={SP})")


def after_punctuation(text: str) -> str:
    """Once the quotes are set: a space in `:«` and `,«`, a speech dash after a closing quote,
    and a comma before «а» and «но» (`«Да» но` -> `«Да», но`)."""
    if (" а" in text or " но" in text or "\nа" in text or "\nно" in text) and any(
        hint.search(text) for hint in _ANO_HINTS
    ):
        text = _ANO.sub(lambda m: "," + m.group(), text)
    if ("«" in text or "„" in text) and (
        ":«" in text or ",«" in text or ":„" in text or ",„" in text
    ):
        text = _GLUED_QUOTE.sub(lambda m: " " + m.group(), text)
    if "»" in text:
        text = _QUOTE_DASH.sub(f"»{NBSP}{EM}", text)
    return text


# --- keyboard layout --------------------------------------------------------------------------

_LATIN_TO_CYRILLIC = str.maketrans("ABEKMHOPCTXaeopcyx", "АВЕКМНОРСТХаеорсух")
# Latin letters that look Cyrillic, typed inside a Russian word (Typograf's
# ru/typo/switchingKeyboardLayout): `Kазахстан` with a Latin K.
_LOOKALIKE = "ABEKMHOPCTXaeopcyx"
_LAYOUT = re.compile(
    f"[{_LOOKALIKE}](?<![{_LOOKALIKE}][{_LOOKALIKE}])[{_LOOKALIKE}]*+(?=[А-ЯЁа-яё])"
)


def keyboard_layout(text: str) -> str:
    """Latin look-alikes glued to Cyrillic letters become the Cyrillic letters."""
    return _LAYOUT.sub(lambda m: m.group().translate(_LATIN_TO_CYRILLIC), text)
