"""What editors and admins read when their input cannot be taken: one Russian answer, no
traceback in the log, nothing left behind. One app serves the whole module."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from storage.models.channel import Channel
from tests.desk.world import ADMIN_A, EDITOR_A, DeskWorld, desk_world, text_of

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


async def _answer(world: DeskWorld, text: str, user: int = ADMIN_A) -> str:
    return "\n".join(text_of(m) for m in await world.person(user).say(text))


async def _channel_a(world: DeskWorld) -> Channel:
    found: Channel = await world.service("channels").get(world.channel_a)
    return found


async def test_the_desk_help_has_no_english_words(world: DeskWorld) -> None:
    help_text = await _answer(world, "/desk")
    assert "/stats [день | неделя | месяц]" in help_text
    assert "/silent [вкл | выкл]" in help_text
    # Latin words outside commands, @names and file extensions are English ones.
    words = set(re.findall(r"(?<![/@.\w])[A-Za-z]+(?![\w/])", help_text))
    assert words <= {"HTML"}, words


@pytest.mark.parametrize("slots", ["25:00", "утром", "٠٩:٠٠", "9-18"])
async def test_a_bad_slot_is_explained_with_a_slot_example(world: DeskWorld, slots: str) -> None:
    before = (await _channel_a(world)).slots
    answer = await _answer(world, f"/slots {slots}")
    assert answer.startswith("Слоты не приняты. Слот — время суток, когда канал публикует")
    assert "/slots 09:00 13:00 18:30" in answer
    assert "23:00-07:00" not in answer  # the range example is /quiet's
    assert (await _channel_a(world)).slots == before


async def test_bad_quiet_hours_get_the_range_example(world: DeskWorld) -> None:
    answer = await _answer(world, "/quiet 25:00-07:00")
    assert answer.startswith("Тихие часы не приняты.")
    assert "/quiet 23:00-07:00" in answer
    assert (await _channel_a(world)).quiet is None


@pytest.mark.parametrize("zone", ["localtime", "Factory"])
async def test_a_channel_takes_only_real_iana_zones(world: DeskWorld, zone: str) -> None:
    answer = await _answer(world, f"/timezone {zone}")
    assert answer.startswith(f"Часовой пояс «{zone}» не найден.")
    assert (await _channel_a(world)).timezone == "Asia/Almaty"


async def test_a_signature_reference_telegram_shows_as_typed_is_refused(
    world: DeskWorld,
) -> None:
    answer = await _answer(world, "/signature <b>Вестник</b> &#x10FFFF;")
    assert answer.startswith(
        "Подпись не принята: «&#x10FFFF;» Telegram покажет как есть, а не символом."
    )
    assert (await _channel_a(world)).template.signature is None
    too_long = "Вестник " * 30
    answer = await _answer(world, f"/signature <i>{too_long}</i>")
    assert answer.startswith("Подпись не принята: длина подписи — 240, а можно не больше 200")
    assert (await _channel_a(world)).template.signature is None
