"""What editors and admins read when their input cannot be taken: one Russian answer, no
traceback in the log, nothing left behind. One app serves the whole module."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from tests.desk.world import EDITOR_A, DeskWorld, desk_world, text_of

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(redis_server: Any) -> AsyncIterator[DeskWorld]:
    async with desk_world(redis_server.url) as running:
        yield running


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_txt_whose_lead_is_too_long_is_answered_and_leaves_no_draft(
    world: DeskWorld, caplog: pytest.LogCaptureFixture
) -> None:
    editor = world.person(EDITOR_A)
    [none] = await editor.say("/drafts")
    assert text_of(none) == "Черновиков нет. Новый пост — /new."
    lead = "Президент выступил на сессии ООН и рассказал о планах " * 60  # ~3,200 characters
    text = f"Политика\n\nТокаев: Алматы становится хабом\n\n{lead.strip()}.\n\nТело статьи.\n"
    [answer] = await editor.send_file("long-lead.txt", text.encode())
    assert text_of(answer) == (
        "Файл не разобран. Лид слишком длинный — не больше 3000 знаков. Пришлите короче."
    )
    [still_none] = await editor.say("/drafts")
    assert text_of(still_none) == "Черновиков нет. Новый пост — /new."
    assert _tracebacks(caplog) == []
