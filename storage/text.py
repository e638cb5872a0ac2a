"""Pure text helpers the storage layer needs: rubric names, slugs and hashtags.

They live here (not in `bot/`) because `storage/` never imports `bot/`; `bot.slug`
re-exports them for the rest of the application.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Russian (plus the Kazakh letters a Kazakhstani newsroom uses) to Latin, as in URL slugs
# of Russian news sites: ж -> zh, х -> kh, ц -> ts, щ -> shch, ю -> yu, я -> ya.
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip
_TABLE = str.maketrans(_TRANSLIT)
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")
_HASHTAG_DROP = re.compile(r"[^\w]+")


def normalize_rubric_name(name: str) -> str:
    """`  политика ` -> `Политика`: trimmed, single-spaced, no leading `#`, first letter up."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip().lstrip("#").strip()
    return text[:1].upper() + text[1:]


def transliterate(text: str) -> str:
    """Lower-cased Latin transliteration of Russian/Kazakh text (other characters kept)."""
    return unicodedata.normalize("NFC", text).lower().translate(_TABLE)


def slugify(name: str) -> str:
    """A URL- and Redis-key-safe slug: `Политика` -> `politika`, `В мире` -> `v-mire`.

    A name with no transliterable letter (e.g. only emoji) gets a stable digest slug.
    """
    ascii_text = unicodedata.normalize("NFKD", transliterate(name))
    slug = _NON_SLUG.sub("-", ascii_text.encode("ascii", "ignore").decode()).strip("-")
    if slug:
        return slug
    return "r-" + hashlib.sha1(name.strip().encode("utf-8")).hexdigest()[:8]


def hashtag(name: str) -> str:
    """`#` plus the name's words, capitalised and joined: `В мире` -> `#ВМире`."""
    words = _HASHTAG_DROP.sub(" ", name.replace("_", " ")).split()
    if not words:
        return "#" + slugify(name).replace("-", "_")
    return "#" + "".join(w[:1].upper() + w[1:] for w in words)
