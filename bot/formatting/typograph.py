"""Russian news typography: «» quotes, em and en dashes, non-breaking spaces, the ellipsis.

`typograph(text)` runs on every article's headline, lead, credit and body before the text is
escaped for Telegram, so it is pure, idempotent and fast: a fixed sequence of precompiled
regular expressions (see `typograph_rules`), each group skipped when a cheap check shows it
cannot apply, and no per-character Python loops.

URLs, e-mail addresses, domains, phone numbers, inline code, HTML tags and entities are swapped
for private-use placeholder characters first and restored at the end, so no rule touches them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.formatting import typograph_rules as r

__all__ = ["typograph"]

# A URL runs to the first space or quotation mark; a pair of straight quotes right after `=` or
# `/` (`?x="y"`) is part of it. It does not end in punctuation that belongs to the sentence.
_URL_CHAR = r"[^\s<>\"«»„“”‟]"
_URL_TAIL = rf"(?:{_URL_CHAR}|(?<=[=/])\"{_URL_CHAR}*\")+(?<![.,;:!?…)\]}}'’])"
# Protected fragments, each behind a cheap necessary condition (see `_protect_pattern`).
_CODE = (r"```[\s\S]*?```", r"`[^`\n]+`")
_TAGS = (r"<!--[\s\S]*?-->", r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_ENTITY = (r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});",)
_URL = (rf"(?i:(?:https?|ftp|tg)://|www\.){_URL_TAIL}",)
_EMAIL = (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",)
_DOMAIN = (
    r"(?i:[a-z0-9](?<![\w@.\-][a-z0-9])(?:[a-z0-9-]{0,61}[a-z0-9])?\."
    rf"(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)*[a-z]{{2,24}})(?:/{_URL_TAIL})?(?![\w@\-])",
)
_PHONE = (
    r"\+(?<![\w+]\+)\d{1,3}[ \u00a0-]?(?:\(\d{1,5}\)|\d{1,5})(?:[ \u00a0-]?\d{1,4}){2,4}(?!\w)",
    r"8(?<![\w+]8)[ \u00a0-]?\(\d{3,5}\)[ \u00a0-]?\d{1,3}(?:[ \u00a0-]?\d{2,4}){1,3}(?!\w)",
    r"\d(?<![\w\-]\d)\d\d-\d\d-\d\d(?![\w\-])",
)
_OWN_PLACEHOLDERS = (f"[{r.PH_CLASS}]",)
_BRANCHES = (_CODE, _TAGS, _ENTITY, _URL, _EMAIL, _DOMAIN, _PHONE, _OWN_PLACEHOLDERS)

_PLACEHOLDER = re.compile(f"[{r.PH_CLASS}]")
# The hints start with a rare literal (`.`, `+`, `(`, `-`), which `re` finds with a fast
# substring search, and look behind for the rest: far cheaper than a leading character class.
_DOMAIN_HINT = re.compile(r"\.(?<=[a-zA-Z0-9]\.)[a-zA-Z]")
_WWW_HINT = re.compile(r"\.(?<=[wW][wW][wW]\.)")
_PLUS_DIGIT = re.compile(r"\+\d")
_PAREN_DIGIT = re.compile(r"\(\d")
_DIGITS_DASHED = re.compile(r"-(?<=\d-)\d\d-\d")
_QUOTE_HINT = re.compile(f"[{r.QUOTES}]")
_DASH_HINT = re.compile(r"[-‒–—]")
_MAX_TOKENS = r.PH_LAST - r.PH_FIRST + 1


def typograph(text: str) -> str:
    """Apply Russian news typography to plain text; protected fragments stay byte-for-byte.

    `typograph(typograph(x)) == typograph(x)` for any input. A leading byte order mark is
    dropped. Text with more protected fragments than there are placeholder characters (over
    65,000) is returned unchanged.
    """
    text = text.lstrip("\ufeff")  # a byte order mark left by a Windows editor
    if not text:
        return text
    tokens: list[str] = []
    pattern = _protect_pattern(_needed_branches(text))
    work = _protect(pattern, text, tokens) if pattern else text
    if len(tokens) > _MAX_TOKENS:
        return text
    work = _apply_rules(work)
    return _restore(work, tokens) if tokens else work


def _needed_branches(text: str) -> int:
    """A bit mask of the protection branches whose trigger characters occur in `text`.

    The bits follow `_BRANCHES`: code, tags, entities, URLs, e-mails, domains, phones and
    placeholder characters already in the input.
    """
    mask = 0
    if "`" in text:
        mask |= 1
    if "<" in text:
        mask |= 2
    if "&" in text:
        mask |= 4
    if "://" in text or _WWW_HINT.search(text):
        mask |= 8
    if "@" in text:
        mask |= 16
    if _DOMAIN_HINT.search(text):
        mask |= 32
    if (
        ("+" in text and _PLUS_DIGIT.search(text))
        or ("(" in text and _PAREN_DIGIT.search(text))
        or _DIGITS_DASHED.search(text)
    ):
        mask |= 64
    if _PLACEHOLDER.search(text):
        mask |= 128
    return mask


@lru_cache(maxsize=256)
def _protect_pattern(mask: int) -> re.Pattern[str] | None:
    """One alternation of the needed branches, compiled on first use and cached."""
    parts = [p for i, branch in enumerate(_BRANCHES) if mask >> i & 1 for p in branch]
    return re.compile("|".join(parts)) if parts else None


def _protect(pattern: re.Pattern[str], text: str, tokens: list[str]) -> str:
    """Replace each protected fragment with one placeholder character, remembering it."""

    def stash(match: re.Match[str]) -> str:
        tokens.append(match.group())
        return chr(r.PH_FIRST + min(len(tokens) - 1, _MAX_TOKENS - 1))

    return pattern.sub(stash, text)


def _restore(text: str, tokens: list[str]) -> str:
    """Put the protected fragments back in place of their placeholders."""
    return _PLACEHOLDER.sub(lambda m: tokens[ord(m.group()) - r.PH_FIRST], text)


def _apply_rules(text: str) -> str:
    """The rule pipeline, in a fixed order: ellipsis, quotes, dashes, non-breaking spaces."""
    if "..." in text:
        text = r.ELLIPSIS.sub("…", text)
    if _QUOTE_HINT.search(text):
        text = _quotes(text)
    has_digit = r.DIGIT_HINT.search(text) is not None
    has_roman = r.ROMAN_HINT.search(text) is not None
    if _DASH_HINT.search(text):
        text = _dashes(text, has_digit, has_roman)
    return _spaces(text, has_digit, has_roman)


def _quotes(text: str) -> str:
    """Straight and English quotes become «», nested ones „“.

    Inner quotes left unclassified count as outer ones for nesting, so a second run sees
    exactly what the first one saw (idempotence). Lone quote marks (the common case) are
    replaced with a fixed string; only runs of marks (`""`) need the counting callback.
    """
    runs = r.QUOTE_RUN.search(text) is not None
    text = r.QUOTE_LEFT_ONE.sub("«", text)
    if runs:
        text = r.QUOTE_LEFT.sub(r.left_quotes, text)
    text = r.QUOTE_RIGHT_ONE.sub("»", text)
    if runs:
        text = r.QUOTE_RIGHT.sub(r.right_quotes, text)
    if "„" in text or "“" in text:
        text = text.replace("„", "«").replace("“", "»")
    if r.NESTED_HINT.search(text) is None:
        return text  # no « inside another: nothing to nest
    return "\n".join(r.nest_line(line) for line in text.split("\n"))


def _dashes(text: str, has_digit: bool, has_roman: bool) -> str:
    """En dashes in ranges, em dashes between words and in dialogue."""
    if has_digit and r.RANGE_HINT.search(text):
        text = _run(text, r.RANGE_RULES)
    if has_roman:
        text = r.CENTURIES.sub(rf"\1{r.EN}\2", text)
    spaced = r.SPACED_DASH_HINT.search(text) is not None
    if spaced:  # `слово - слово`, `», - заявил`
        text = r.DASH_MAIN.sub(r.NBSP + r.EM, text)
        text = r.DASH_SPEECH.sub(rf"\1{r.NBSP}{r.EM} ", text)
    if "\n" in text or r.LINE_DASH_HINT.match(text):  # `- Привет`
        text = r.DASH_LINE_START.sub(rf"\1{r.EM}{r.NBSP}", text)
    if spaced:  # `ушёл. - Куда?`
        text = r.DASH_AFTER_SENTENCE.sub(r.new_remark, text)
    return text


def _spaces(text: str, has_digit: bool, has_roman: bool) -> str:
    """Non-breaking spaces: №, abbreviations, initials, short words, particles, numbers.

    Rules that insert a space where there was none (`5млн`, `т.е.`) run first, before the
    rules whose lookbehinds look at that spot, so a second run sees the same context.
    """
    text = _inserting_spaces(text, has_digit)
    text = r.SHORT_WORD_SPACE.sub(r.NBSP, text)
    if r.PARTICLE_HINT.search(text):
        text = _run(text, r.PARTICLE_RULES)
    if has_digit:
        text = _run(text, r.NUMBER_RULES)
    if r.has_multiplier_abbreviation(text):
        text = r.MULTIPLIER_CURRENCY.sub(rf"\1{r.NBSP}\2", text)
    if has_roman:
        text = r.CENTURY_WORD.sub(rf"\1{r.NBSP}\2", text)
    return text


def _inserting_spaces(text: str, has_digit: bool) -> str:
    """The rules that may add a (no-break) space: `5млн`, `№5`, `т.е.`, `А.С.Пушкин`, `ул.Абая`."""
    if has_digit and r.has_multiplier(text):
        text = r.NUMBER_MULTIPLIER.sub(rf"\1{r.NBSP}\2", text)
    if "№" in text:
        text = r.NUMBER_SIGN.sub("№" + r.NNBSP, text)
    if r.ABBR_HINT.search(text):
        text = r.ABBR.sub(r.abbreviation, text)
    if r.INITIAL_HINT.search(text):
        text = _run(text, r.INITIAL_RULES)
    if r.ADDRESS_HINT.search(text):
        text = _run(text, r.ADDRESS_RULES)
    return text


def _run(text: str, rules: tuple[r.Rule, ...]) -> str:
    for pattern, repl in rules:
        text = pattern.sub(repl, text)
    return text
