"""The offline demo: sandbox + embedded Redis + the bot, with a demo channel and article.

A newcomer runs `make run` without a token and, within a minute, reads a formatted post in
«Вестник: Политика» and chats with the bot in the sandbox's web view.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.app import SANDBOX_TOKEN
from bot.config import Settings
from bot.redis_conn import open_redis
from bot.runtime import Application, build_application

log = logging.getLogger("vestnik.demo")

DEMO_CHANNEL_ID = -1001000000001
DEMO_CHANNEL_TITLE = "Вестник: Политика"
DEMO_EDITOR_ID = 100001
DEMO_READER_ID = 100002
SAMPLE = Path(__file__).parent / "data" / "politika-tokayev-almaty-hub.txt"


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot listen where SANDBOX_HOST/SANDBOX_PORT say; the message says what
    to change (the CLI prints it as one line)."""


async def run_offline(
    settings: Settings, *, seed: bool, until: Callable[[], Awaitable[None]]
) -> None:
    """Run sandbox, Redis and bot in this process until `until()` returns.

    Raises `SandboxUnavailable` when the sandbox's port is taken (or its host unusable).
    """
    settings = settings.model_copy(
        update={"admin_ids": sorted({*settings.admin_ids, DEMO_EDITOR_ID})}
    )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    async with AsyncExitStack() as stack:
        sb = await _start_sandbox(stack, settings)
        redis = await stack.enter_async_context(open_redis(settings, exclusive=True))
        app = build_application(settings, redis, token=SANDBOX_TOKEN, api_url=sb.base_url)
        await app.start()
        try:
            if seed:
                await seed_demo(app, sb.client)
            _banner(sb.base_url)
            await until()
        finally:
            await app.stop()


async def _start_sandbox(stack: AsyncExitStack, settings: Settings) -> Any:
    """The running sandbox, or `SandboxUnavailable` naming the port and the setting."""
    from sandbox.testing import running_sandbox

    where = f"{settings.sandbox_host}:{settings.sandbox_port}"
    sandbox = running_sandbox(
        limits=True,
        host=settings.sandbox_host,
        port=settings.sandbox_port,
        bot_token=SANDBOX_TOKEN,
        state_file=settings.data_dir / "sandbox-state.json",
    )
    try:
        return await stack.enter_async_context(sandbox)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SandboxUnavailable(
                f"the sandbox cannot listen on {where}: port {settings.sandbox_port} is taken "
                "by another program; set SANDBOX_PORT to a free port in .env "
                "(e.g. SANDBOX_PORT=8082), or stop that program"
            ) from None
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise SandboxUnavailable(
            f"the sandbox cannot listen on {where}: {reason}; check SANDBOX_HOST and "
            "SANDBOX_PORT in .env"
        ) from None


async def seed_demo(app: Application, client: Any) -> None:
    """Create the demo people and channel, add the bot as admin, publish the sample.

    Does nothing when the sandbox already has the demo channel (restored from its state file).
    """
    if any(chat["id"] == DEMO_CHANNEL_ID for chat in await client.chats()):
        return
    await client.create_chat(
        type="private",
        first_name="Айгуль",
        id=DEMO_EDITOR_ID,
        username="aigul_editor",
        language_code="ru",
    )
    await client.create_chat(
        type="private", first_name="Читатель", id=DEMO_READER_ID, language_code="ru"
    )
    await client.create_chat(
        type="channel", title=DEMO_CHANNEL_TITLE, id=DEMO_CHANNEL_ID, username="vestnik_politika"
    )
    await client.add_admin(DEMO_CHANNEL_ID, DEMO_EDITOR_ID, status="creator")
    await client.set_bot_status(
        DEMO_CHANNEL_ID, status="administrator", can_post_messages=True, from_id=DEMO_EDITOR_ID
    )
    await _wait_channel_registered(app)
    await _publish_sample(app)


async def _publish_sample(app: Application) -> None:
    from bot.publishing.errors import PublishingError

    service = app.services["article_service"]
    result = await service.import_text(SAMPLE.read_text(encoding="utf-8"), source=SAMPLE.name)
    try:
        await app.services["publisher"].queue_article(
            result.article_id, DEMO_CHANNEL_ID, mode="now"
        )
    except PublishingError as exc:
        log.info("demo article not queued again: %s", exc)


async def _wait_channel_registered(app: Application, timeout: float = 10.0) -> None:
    channels = app.services["channels"]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await channels.get(DEMO_CHANNEL_ID) is None:
        if loop.time() > deadline:
            log.warning("the demo channel was not registered in %.0f s", timeout)
            return
        await asyncio.sleep(0.1)


def _banner(base_url: str) -> None:
    line = "─" * 64
    base_url = _reachable(base_url)
    print(
        f"\n{line}\n  Vestnik is running offline (no BOT_TOKEN).\n"
        f"  Open {base_url}/ to read «{DEMO_CHANNEL_TITLE}» and chat with the bot.\n"
        f"  Write as «Айгуль» (an editor) or «Читатель» (a reader); try /start.\n"
        f"  Stop with Ctrl+C.\n{line}\n",
        flush=True,
    )


def _reachable(base_url: str) -> str:
    """The URL a person opens: a server bound to every interface is reached via localhost."""
    parts = urlsplit(base_url)
    if parts.hostname in {"0.0.0.0", "::"}:
        return parts._replace(netloc=f"localhost:{parts.port}").geturl()
    return base_url
