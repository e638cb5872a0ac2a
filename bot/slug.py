"""Rubric slugs and hashtags for the bot side (the helpers live in `storage.text`).

`storage/` must not import `bot/`, so the pure functions are defined there and re-exported
here: `slugify("Политика") == "politika"`, `hashtag("В мире") == "#ВМире"`.
"""

from __future__ import annotations

from storage.text import hashtag, normalize_rubric_name, slugify, transliterate

__all__ = ["hashtag", "normalize_rubric_name", "slugify", "transliterate"]
