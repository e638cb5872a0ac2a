"""Russian news typography: quotes, dashes, non-breaking spaces, numbers, punctuation.

`typograph(text)` runs on every article's headline, lead, credit and body before the text is
escaped for Telegram, so it is pure, idempotent and fast: a fixed sequence of precompiled
regular expressions, each group skipped when a cheap check shows it cannot apply, and no
per-character Python loops. The rules and their order follow Typograf, the reference Russian
typographer (its `ru` rule set); docs/typography.md lists every rule and every deliberate
difference.

URLs, e-mail addresses, domains, @mentions, #hashtags, phone numbers, inline code, HTML tags
and entities, identifiers with numbers (`Су-27`) and quotations in English are swapped for
private-use placeholder characters first and restored at the end, so no rule touches them.
"""

from __future__ import annotations

import re

from bot.formatting.typograph_dashes import dashes, hyphens
from bot.formatting.typograph_nbsp import nbsp_words, particles
from bot.formatting.typograph_numbers import dates, group_digits, numbers, symbols
from bot.formatting.typograph_protect import MAX_TOKENS, protect, restore
from bot.formatting.typograph_quotes import quotes
from bot.formatting.typograph_spaces import (
    after_punctuation,
    clean_spaces,
    keyboard_layout,
    punctuation,
    spaces,
)
from bot.formatting.typograph_units import nbsp_numbers, tie_units

__all__ = ["typograph"]

_LEADING = re.compile(r"\A[\s\ufeff]++")


def typograph(text: str) -> str:
    """Apply Russian news typography to plain text; protected fragments stay byte-for-byte.

    `typograph(typograph(x)) == typograph(x)` for any input. A leading byte order mark is
    dropped, line ends become `\\n`, and the text and its lines are trimmed. Text with more
    protected fragments than there are placeholder characters (over 65,000) is returned as it
    is.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text[:1].isspace() or text[:1] == "\ufeff":  # a byte order mark from a Windows editor
        text = _LEADING.sub("", text)
    if not text:
        return text
    tokens: list[str] = []
    work = protect(text, tokens)
    if len(tokens) > MAX_TOKENS:
        return text
    work = _apply_rules(work, bool(tokens))
    return restore(work, tokens) if tokens else work


def _apply_rules(text: str, protected: bool) -> str:
    """The rule groups in Typograf's order: symbols, spaces, numbers, dashes,
    punctuation and quotes, digit groups, no-break spaces, dates. The keyboard layout fix
    (Typograf's last rule) runs first: it changes letters that other rules look at."""
    text = symbols(clean_spaces(keyboard_layout(text)))
    text = spaces(text)
    has_digit = _has_digit(text)
    if has_digit:
        text = numbers(text)
    has_roman = "I" in text or "V" in text or "X" in text or "L" in text
    if "-" in text or "–" in text or "—" in text or "‒" in text:
        text = dashes(text, has_digit, has_roman)
    text = hyphens(text)
    text = punctuation(text)
    text = quotes(text)
    text = after_punctuation(text)
    if has_digit:
        text = group_digits(tie_units(text))
    text = nbsp_words(text, has_digit)
    text = nbsp_numbers(text, has_digit, has_roman, protected)
    text = particles(text)
    if has_digit:
        text = dates(text)
    return text


def _has_digit(text: str) -> bool:
    """Whether `text` has an ASCII digit (ten substring searches beat one `\\d` scan)."""
    return (
        "0" in text
        or "1" in text
        or "2" in text
        or "3" in text
        or "4" in text
        or "5" in text
        or "6" in text
        or "7" in text
        or "8" in text
        or "9" in text
    )
