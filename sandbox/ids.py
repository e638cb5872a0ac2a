"""Id sequences whose position can be read and restored (so a restored sandbox continues)."""

from __future__ import annotations


class IdSequence:
    """Increasing integers from ``start``; ``next(seq)`` works like ``itertools.count``."""

    __slots__ = ("next_value",)

    def __init__(self, start: int) -> None:
        self.next_value = start

    def __iter__(self) -> IdSequence:
        return self

    def __next__(self) -> int:
        value = self.next_value
        self.next_value += 1
        return value

    def advance_to(self, value: int) -> None:
        """Continue at ``value`` at the earliest; a sequence never goes back (no reused ids)."""
        self.next_value = max(self.next_value, value)
