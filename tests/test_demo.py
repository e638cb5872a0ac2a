"""The offline demo: a newcomer sees the sample as a formatted post in the demo channel."""

from __future__ import annotations

from typing import Any

from bot.demo import DEMO_CHANNEL_ID, DEMO_EDITOR_ID, seed_demo
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
