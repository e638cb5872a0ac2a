"""Small reply helpers the subscriber handlers share (no business logic here)."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from storage.models.post import Post

log = logging.getLogger(__name__)


def command_args(command: Any) -> str:
    """The text after a command (`/subscribe В мире` -> `В мире`), empty when none."""
    return str(getattr(command, "args", None) or "").strip()


async def show(
    bot: Bot, callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Edit the message a button belongs to; send a new one when it can no longer be edited."""
    message = callback.message
    if message is None:
        return
    try:
        await bot.edit_message_text(
            text=text, chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup
        )
    except TelegramBadRequest as exc:
        if "message is not modified" in exc.message:
            return
        log.info("could not edit message %s (%s); sending a new one", message.message_id, exc)
        await bot.send_message(chat_id=message.chat.id, text=text, reply_markup=markup)


async def send_post(bot: Bot, chat_id: int, post: Post) -> None:
    """Send a formatted article (a photo with a caption, or a text message)."""
    if post.method == "sendPhoto" and post.photo:
        await bot.send_photo(
            chat_id=chat_id, photo=post.photo, caption=post.text, parse_mode=post.parse_mode
        )
        return
    await bot.send_message(chat_id=chat_id, text=post.text, parse_mode=post.parse_mode)


async def answer(callback: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button press; a press too old to answer (e.g. queued during a restart) is
    not an error worth more than an info line."""
    try:
        await callback.answer(text, show_alert=alert)
    except TelegramBadRequest as exc:
        log.info("could not answer callback %s: %s", callback.id, exc.message)
