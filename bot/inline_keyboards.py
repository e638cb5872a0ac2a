"""Building blocks shared by the features' inline keyboards (desk and subscribers)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton


def callback_button(text: str, data: CallbackData) -> InlineKeyboardButton:
    """A button that sends `data` (packed) when pressed."""
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def in_rows(
    buttons: Sequence[InlineKeyboardButton], width: int
) -> list[list[InlineKeyboardButton]]:
    """`buttons` laid out `width` to a row (the last row may be shorter)."""
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]
