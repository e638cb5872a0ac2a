"""The offline demo: a newcomer sees the sample as a formatted post in the demo channel."""

from __future__ import annotations

from typing import Any

import pytest

from bot.demo import DEMO_CHANNEL_ID, DEMO_EDITOR_ID, _reachable, seed_demo
from bot.redis_server import RedisServerProcess
from tests.harness import running_app


async def test_demo_channel_shows_the_formatted_sample(
    redis_server: RedisServerProcess, redis: Any, sandbox: Any
) -> None:
    async with running_app(redis_server.url, sandbox, admin_ids=[DEMO_EDITOR_ID]) as app:
        await seed_demo(app.app, sandbox.client)
        post = await app.wait_for(DEMO_CHANNEL_ID, lambda m: bool(m.get("photo") or m.get("text")))
        html = post["html"]
        assert "#Политика" in html
        assert "<b>Токаев: Алматы становится международным хабом" in html
        assert "<i>Фото: assembly.kz</i>" in html
        notice = await app.wait_for_text(DEMO_EDITOR_ID, "Вестник: Политика", timeout=10)
        assert notice["from"]["is_bot"]


@pytest.mark.parametrize(
    ("bound", "shown"),
    [
        ("http://0.0.0.0:8081", "http://localhost:8081"),
        ("http://[::]:8081", "http://localhost:8081"),
        ("http://127.0.0.1:40123", "http://127.0.0.1:40123"),
    ],
)
def test_the_banner_shows_an_address_a_browser_can_open(bound: str, shown: str) -> None:
    assert _reachable(bound) == shown
