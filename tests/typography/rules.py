"""Helpers for the rule tables: `·` stands for a no-break space, `⁏` for a narrow one.

A table row is (what a reporter types, what the typograph makes of it); an unchanged row is a
text already typographed (or one the rule must leave alone) that must come out the same.
"""

from __future__ import annotations

from bot.formatting.typograph import typograph

Table = dict[str, tuple[list[tuple[str, str]], list[str]]]


def spelled(text: str) -> str:
    """`в·доме` -> `в\\u00a0доме`, `№⁏5` -> `№\\u202f5`."""
    return text.replace("·", "\u00a0").replace("⁏", "\u202f")


def changed_cases(table: Table) -> list[tuple[str, str, str]]:
    """(rule, input, expected) for every changed row."""
    return [(rule, text, spelled(out)) for rule, (rows, _) in table.items() for text, out in rows]


def unchanged_cases(table: Table) -> list[tuple[str, str]]:
    """(rule, text) for every row that must stay as it is."""
    return [(rule, spelled(text)) for rule, (_, same) in table.items() for text in same]


def check_changed(rule: str, text: str, expected: str) -> None:
    assert typograph(text) == expected, rule


def check_unchanged(rule: str, text: str) -> None:
    assert typograph(text) == text, rule
