"""Formatting of posts: Russian typography, Telegram HTML and the post builder.

- `typograph(text)`: quotes, dashes, non-breaking spaces for Russian news copy;
- `telegram_html`: escaping, the length Telegram counts, a strict HTML validator;
- `post`: `build_post` / `build_full_post` turn an `Article` into a ready `Post`.
"""
