"""Numbers people type into commands: ASCII digits only.

`str.isdigit()` and regex `\\d` also accept other scripts' digits (`١٢`, `१२`) and even `²`,
and `int()` reads some of them (`int("١٢") == 12`): `/digest ١٢:٠٠` would quietly become
12:00. Every command parser checks digits with `is_digits` and writes `[0-9]` in patterns.
"""

from __future__ import annotations

__all__ = ["is_digits"]


def is_digits(text: str) -> bool:
    """Whether `text` is one or more ASCII digits `0`-`9`."""
    return text.isascii() and text.isdigit()
