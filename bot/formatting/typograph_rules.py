"""Shared pieces of the Russian news typograph: characters, classes and the rule runner.

The rules themselves live in `typograph_symbols`, `typograph_spaces`, `typograph_dashes`,
`typograph_quotes`, `typograph_numbers` and `typograph_nbsp`; `typograph` runs them in a fixed
order (the order of the Typograf project's Russian set, `src/rules/ru/`, which is the reference:
see docs/typography.md). Every pattern is a module constant compiled once at import (no
connection, no state) and is written so that it cannot backtrack badly: each quantified run is
either bounded or followed by something it cannot contain, and a pattern that may start inside
a run looks behind first so that it only starts at the run's beginning.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: after № and §, between digit groups
THIN = "\u2009"
EM = "\u2014"
EN = "\u2013"
MINUS = "\u2212"
TIMES = "\u00d7"

# Placeholders: one character each from the supplementary private use area A.
PH_FIRST = 0xF0000
PH_LAST = 0xFFFFD
PH_CLASS = "\U000f0000-\U000ffffd"

LOWER = "а-яёәғқңөұүһі"
UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
CYR = LOWER + UPPER
LETTER = CYR + "a-zA-Z"
# Typograf's letter class for Russian text with English words (`ru` + `en-US` locales).
RU_EN = "а-яёa-zА-ЯЁA-Z"
DASH = "(?:--?|‒|–|—)"
DASH_CHARS = "-‒–—"
SP = "[ \u00a0]"
# Every quotation mark the typograph rewrites (Typograf's `common/quote`).
QUOTES = '"«»„“”‟‹›'
MONTHS_GEN = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
MONTHS_NOM = "январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь"
MONTHS_PRE = "январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре"
WEEKDAYS = "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье"
# What may follow a hyphenated particle (Typograf's `ru/dashAfter`).
DASH_AFTER = r"(?=[\u00a0 ,.?:!]|$)"

Repl = str | Callable[[re.Match[str]], str]
Rule = tuple[re.Pattern[str], Repl]


def run(text: str, rules: tuple[Rule, ...]) -> str:
    """Apply `rules` in order."""
    for pattern, repl in rules:
        text = pattern.sub(repl, text)
    return text


def words(*alternatives: str) -> str:
    """`(?:a|b|c)` for a group of alternatives written in lower case, also capitalised."""
    out: list[str] = []
    for alternative in alternatives:
        out += [alternative, alternative[0].upper() + alternative[1:]]
    return "(?:" + "|".join(out) + ")"
