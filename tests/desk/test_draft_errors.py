"""Any `DraftError` a desk handler lets through reaches the editor as one message in their
language, through the editors' router's middleware; the log gets no traceback."""

from __future__ import annotations

import logging

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message

from bot.desk.drafts import DraftError
from bot.texts import build_i18n
from handlers.editors.errors import DraftErrors
from sandbox.testing import RunningSandbox


async def _deliver_one(sandbox: RunningSandbox, bot: Bot, dispatcher: Dispatcher) -> int:
    chat = await sandbox.client.create_private_chat("Ерлан", language_code="ru")
    await sandbox.client.send_user_message(chat["id"], "Черновой лид", from_id=chat["id"])
    [update] = await bot.get_updates(timeout=0)
    await dispatcher.feed_update(bot, update)
    return int(chat["id"])


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("bad_lead", "Лид слишком длинный — не больше 3000 знаков. Пришлите короче."),
        ("no_such_code", "Черновик это не принимает. Проверьте текст и пришлите ещё раз."),
    ],
)
async def test_an_escaped_draft_error_is_answered_in_russian(
    sandbox: RunningSandbox,
    tg_bot: Bot,
    caplog: pytest.LogCaptureFixture,
    code: str,
    expected: str,
) -> None:
    router = Router()
    router.message.middleware(DraftErrors())

    async def handler(message: Message) -> None:
        raise DraftError(code)

    router.message.register(handler)
    dispatcher = Dispatcher(i18n=build_i18n("ru"), roles=None, desk=None)
    dispatcher.include_router(router)
    chat_id = await _deliver_one(sandbox, tg_bot, dispatcher)
    [answer] = await sandbox.client.bot_messages(chat_id)
    assert answer["text"] == expected
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
