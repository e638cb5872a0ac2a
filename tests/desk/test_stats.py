"""`/stats` per channel, end to end: two channels, every number the admin is shown.

Channel «Вестник А» publishes «Политика» (one article, pushed to one subscriber, published by
the world's setup); «Вестник Б» publishes «Спорт»: one article out, one refused by Telegram.
Each admin sees their channel's own published, queued and failed counts, and the bot-wide
pushes and subscribers (for the rubrics their channel publishes), labelled as bot-wide.
One app serves the whole module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from storage.models.article import Article
from tests.desk.world import ADMIN_A, ADMIN_B, STRANGER, DeskWorld, Person, desk_world, text_of
from tests.harness import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(redis_server: Any) -> AsyncIterator[DeskWorld]:
    async with desk_world(redis_server.url) as running:
        await running.service("publisher").set_routing(running.channel_a, ["Политика"])
        await _publish_in_b(running, "Сборная вышла в финал")
        await _publish_in_b(running, "Отказанный пост", refused=True)
        await running.person(STRANGER).say("/subscribe Спорт")  # after both: no push
        yield running


async def _publish_in_b(world: DeskWorld, headline: str, *, refused: bool = False) -> None:
    """A «Спорт» article in channel B only (now); `refused`: Telegram answers 400 to it."""
    service = world.service("article_service")
    result = await service.import_article(Article(rubric="Спорт", headline=headline))
    ledger = world.service("ledger")
    if refused:
        await world.client.add_fault(
            "sendMessage", count=1, error_code=400, description="Bad Request: chat not found"
        )
    try:
        await world.service("publisher").queue_article(result.article_id, world.channel_b, "now")

        async def settled() -> bool:
            entry = await ledger.get(result.article_id, world.channel_b)
            return entry is not None and entry.status == ("failed" if refused else "published")

        await eventually(settled, what=f"{headline!r} settled in channel B")
    finally:
        await world.client.clear_faults()


async def stats(world: DeskWorld, user: int, command: str) -> str:
    [answer] = await Person(world, user).say(command)
    return text_of(answer)


async def test_channel_a_counts_only_its_own_posts(world: DeskWorld) -> None:
    assert await stats(world, ADMIN_A, "/stats @vestnik_a") == (
        "Статистика канала «Вестник А» за сегодня:\n"
        "Опубликован 1 пост\n"
        "В очереди канала — 0 постов\n"
        "Сбоев доставки в канал нет.\n"
        "\n"
        "По всему боту, не только в этом канале:\n"
        "Отправлено уведомлений подписчикам: 1\n"
        "Подписчики рубрик, которые публикует канал:\n"
        "• Политика — 1"
    )


async def test_channel_b_counts_its_posts_and_failures_by_reason(world: DeskWorld) -> None:
    assert await stats(world, ADMIN_B, "/stats @vestnik_b week") == (
        "Статистика канала «Вестник Б» за неделю:\n"
        "Опубликован 1 пост\n"
        "В очереди канала — 0 постов\n"
        "Не доставлено в канал: 1 (чат не найден — 1)\n"
        "\n"
        "По всему боту, не только в этом канале:\n"
        "Отправлено уведомлений подписчикам: 1\n"
        "Подписчики рубрик, которые публикует канал:\n"
        "• Спорт — 1"
    )


async def test_stats_in_english(world: DeskWorld) -> None:
    await world.client.create_private_chat("Jane", id=7_200_002, language_code="en")
    await world.client.add_admin(world.channel_b, 7_200_002)
    await world.service("roles").repo.forget_admins(world.channel_b)
    try:
        text = await stats(world, 7_200_002, "/stats @vestnik_b month")
    finally:
        await world.client.remove_admin(world.channel_b, 7_200_002)
        await world.service("roles").repo.forget_admins(world.channel_b)
    assert text == (
        "Statistics of “Вестник Б”, this month:\n"
        "1 post published\n"
        "0 posts waiting in the queue\n"
        "Not delivered to the channel: 1 (chat not found — 1)\n"
        "\n"
        "Across the whole bot, not only this channel:\n"
        "Pushes sent to subscribers: 1\n"
        "Subscribers of the rubrics the channel publishes:\n"
        "• Спорт — 1"
    )
