"""What the typograph keeps verbatim, swapped for placeholder characters while the rules run.

URLs, e-mail addresses, domains, @mentions, #hashtags, phone numbers, inline code, HTML tags
and entities, identifiers with numbers in them (`Су-27`, `COVID-19`, `A1000-2000`) and the
inside of a quotation in English each become one private-use character (`PH_CLASS`); the
rules treat it as an opaque word and `restore` puts the fragment back.

Each pattern is linear: a run that could restart at every character looks behind first so
that it only starts where the run starts, runs are possessive (`*+`) where nothing after them
could be given back, and block comments stop at the next `<!--`.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

from bot.formatting.typograph_rules import PH_CLASS, PH_FIRST, PH_LAST, QUOTES

__all__ = ["MAX_TOKENS", "protect", "restore"]

MAX_TOKENS = PH_LAST - PH_FIRST + 1

# A URL runs to the first space or quotation mark; a pair of straight quotes right after `=` or
# `/` (`?x="y"`) is part of it. It does not end in punctuation that belongs to the sentence.
_URL_CHAR = r"[^\s<>\"«»„“”‟]"
_URL_TAIL = rf"(?:{_URL_CHAR}|(?<=[=/])\"{_URL_CHAR}*+\")+(?<![.,;:!?…)\]}}'’])"
_CODE = (r"```(?:[^`]|`(?!``))*+```", r"`[^`\n]++`")
_TAGS = (
    r"<!--(?:[^<-]|<(?!!--)|-(?!->))*+-->",
    r"</?[A-Za-z][A-Za-z0-9-]*+(?:\s[^<>]*+)?>",
)
_ENTITY = (r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});",)
_URL = (rf"(?i:(?:https?|ftp|tg)://|www\.){_URL_TAIL}",)
_EMAIL = (r"[\w.+-](?<![\w.+-][\w.+-])[\w.+-]*+@[\w-]++(?:\.[\w-]++)+",)
_DOMAIN = (
    r"(?i:[a-z0-9](?<![\w@\-][a-z0-9])(?<![^.]\.[a-z0-9])(?:[a-z0-9-]{0,61}[a-z0-9])?\."
    rf"(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)*[a-z]{{2,24}})(?:/{_URL_TAIL})?(?![\w@\-])",
)
_PHONE = (
    r"\+(?<![\w+]\+)\d{1,3}[ \u00a0-]?(?:\(\d{1,5}\)|\d{1,5})(?:[ \u00a0-]?\d{1,4}){2,4}(?!\w)",
    r"8(?<![\w+]8)[ \u00a0-]?\(\d{3,5}\)[ \u00a0-]?\d{1,3}(?:[ \u00a0-]?\d{2,4}){1,3}(?!\w)",
    r"\d(?<![\w\-]\d)\d\d-\d\d-\d\d(?![\w\-])",
)
# @username and #hashtag as Telegram links them.
_MENTION = (r"@(?<![\w@]@)[A-Za-z][A-Za-z0-9_]{0,31}(?![\w@])", r"#(?<![\w#&]#)\w++")
# A word joined to a number by a hyphen: `Су-27`, `COVID-19`, `KC-901`, `A1000-2000`, `Ил-76МД`.
# It starts with a capital or a Latin letter. One without a hyphen (`COP29`) needs no
# protection: no rule touches a digit glued to a letter.
_IDENTIFIER = (
    r"[A-Za-zА-ЯЁ](?<![\w\-/][A-Za-zА-ЯЁ])[A-Za-zА-ЯЁа-яё0-9]{0,11}-[0-9]"
    r"[0-9A-Za-zА-ЯЁа-яё\-/.]*(?<![.\-/])",
)
# The inside of a quotation in English (two words at least): `"We will not give up"`.
_ENGLISH = (
    rf"[A-Za-z](?<=[{QUOTES}][A-Za-z])[A-Za-z0-9'’&.\-]*+[ ,:;]{{1,2}}[A-Za-z]"
    r"[A-Za-z0-9 ,.!?'’:;&()\-–—…]*+(?<=[A-Za-z0-9.!?…)])"
    rf"(?=[{QUOTES}])",
)
_OWN_PLACEHOLDERS = (f"[{PH_CLASS}]",)
_BRANCHES = (
    _CODE, _TAGS, _ENTITY, _URL, _EMAIL, _DOMAIN, _PHONE, _OWN_PLACEHOLDERS, _MENTION,
    _IDENTIFIER, _ENGLISH,
)  # fmt: skip

PLACEHOLDER = re.compile(f"[{PH_CLASS}]")
# The hints start with a rare literal (`.`, `+`, `(`, `-`), which `re` finds with a fast
# substring search, and look behind for the rest: far cheaper than a leading character class.
_DOMAIN_HINT = re.compile(r"\.(?<=[a-zA-Z0-9]\.)[a-zA-Z]")
_WWW_HINT = re.compile(r"\.(?<=[wW][wW][wW]\.)")
_PLUS_DIGIT = re.compile(r"\+\d")
_PAREN_DIGIT = re.compile(r"\(\d")
_DIGITS_DASHED = re.compile(r"-(?<=\d-)\d\d-\d")
# An identifier worth protecting has a hyphen before a digit (`Су-27`, `A1000-2000`); one
# without (`COP29`) is safe anyway, as no rule touches a digit glued to a letter.
_IDENTIFIER_HINT = re.compile(r"-(?<=[A-Za-zА-ЯЁа-яё0-9]-)(?=[0-9])")
_ENGLISH_HINTS = tuple((mark, re.compile(f"{mark}(?=[A-Za-z])")) for mark in QUOTES)


def _needed_branches(text: str) -> int:
    """A bit mask of the branches (in `_BRANCHES` order) whose trigger characters occur."""
    mask = 0
    if "`" in text:
        mask |= 1
    if "<" in text:
        mask |= 2
    if "&" in text:
        mask |= 4
    if (":" in text and "://" in text) or (("w" in text or "W" in text) and _WWW_HINT.search(text)):
        mask |= 8
    if "@" in text:
        mask |= 16 | 256
    if "." in text and _DOMAIN_HINT.search(text):
        mask |= 32
    if (
        ("+" in text and _PLUS_DIGIT.search(text))
        or ("(" in text and _PAREN_DIGIT.search(text))
        or ("-" in text and _DIGITS_DASHED.search(text))
    ):
        mask |= 64
    if _beyond_bmp(text) and PLACEHOLDER.search(text):
        mask |= 128
    if "#" in text:
        mask |= 256
    if "-" in text and _IDENTIFIER_HINT.search(text):
        mask |= 512
    if _english_quotation(text):
        mask |= 1024
    return mask


def _beyond_bmp(text: str) -> bool:
    """Whether `text` may hold a character beyond U+FFFF (only such can be a placeholder).

    CPython stores a string with one at four bytes a character, so its size tells in O(1)
    what a scan would. Calibrated at import; where sizes do not behave so, always "maybe".
    """
    return _UCS2_BASE is None or sys.getsizeof(text) > _UCS2_BASE + 2 * len(text)


def _ucs2_base() -> int | None:
    """`getsizeof` of a 2-byte string minus two bytes a character, if that is how it grows."""
    one, two = sys.getsizeof("\u0436"), sys.getsizeof("\u0436\u0436")
    wide = sys.getsizeof("\u0436\U0001f600")
    return one - 2 if two - one == 2 and wide > two else None


_UCS2_BASE = _ucs2_base()


def _english_quotation(text: str) -> bool:
    """Whether a quotation mark is followed by a Latin letter."""
    common = '"' in text or "«" in text or "“" in text or "„" in text or "»" in text
    if not (common or "”" in text or "‟" in text or "‹" in text or "›" in text):
        return False
    return any(mark in text and hint.search(text) for mark, hint in _ENGLISH_HINTS)


@lru_cache(maxsize=512)
def _pattern(mask: int) -> re.Pattern[str] | None:
    """One alternation of the needed branches, compiled on first use and cached."""
    parts = [p for i, branch in enumerate(_BRANCHES) if mask >> i & 1 for p in branch]
    return re.compile("|".join(parts)) if parts else None


def protect(text: str, tokens: list[str]) -> str:
    """Replace each protected fragment with one placeholder character, remembering it."""
    pattern = _pattern(_needed_branches(text))
    if pattern is None:
        return text

    def stash(match: re.Match[str]) -> str:
        tokens.append(match.group())
        return chr(PH_FIRST + min(len(tokens) - 1, MAX_TOKENS - 1))

    return pattern.sub(stash, text)


def restore(text: str, tokens: list[str]) -> str:
    """Put the protected fragments back in place of their placeholders."""
    return PLACEHOLDER.sub(lambda m: tokens[ord(m.group()) - PH_FIRST], text)
