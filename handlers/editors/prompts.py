"""A dialogue step's prompt keeps its buttons («« Назад», «Отмена», the pickers) only while
it is the step being answered: once the editor moves on, the buttons go, so an old prompt
cannot be pressed and the chat shows which step is current.

The id of the prompt with live buttons lives in the dialogue's FSM data.
"""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest

from handlers.editors.common import Env

PROMPT = "prompt_id"


async def remember_prompt(env: Env, message_id: int | None) -> None:
    """`message_id` is the prompt whose buttons answer the current step."""
    if env.state is not None and message_id is not None:
        await env.state.update_data({PROMPT: message_id})


async def retire_prompt(env: Env) -> None:
    """The current prompt's step is done: take its buttons away (the text stays)."""
    if env.state is None:
        return
    prompt = (await env.state.get_data()).get(PROMPT)
    if prompt is None:
        return
    await env.state.update_data({PROMPT: None})
    with contextlib.suppress(TelegramBadRequest):  # already gone or already without buttons
        await env.bot.edit_message_reply_markup(
            chat_id=env.chat_id, message_id=int(prompt), reply_markup=None
        )
