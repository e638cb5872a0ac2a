"""End-to-end harness: the whole application against the sandbox, over real HTTP and Redis."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from bot.clock import Clock
from bot.config import Settings
from bot.context import AppContext
from bot.runtime import Application, build_application

TEST_TOKEN = "123456:TEST-vestnik-e2e"
Message = dict[str, Any]


@dataclass
class RunningApp:
    """A started application plus shortcuts the tests use."""

    app: Application
    sandbox: Any
    redis: Redis

    @property
    def ctx(self) -> AppContext:
        """The application's context."""
        return self.app.ctx

    @property
    def dp(self) -> Any:
        """The Dispatcher."""
        return self.app.dispatcher

    @property
    def services(self) -> dict[str, Any]:
        """Merged workflow data of every feature."""
        return self.app.services

    @property
    def client(self) -> Any:
        """The sandbox control client."""
        return self.sandbox.client

    async def messages(self, chat_id: int) -> list[Message]:
        """Every message the chat holds in the sandbox."""
        return list(await self.client.messages(chat_id))

    async def wait_for(
        self,
        chat_id: int,
        predicate: Callable[[Message], bool],
        timeout: float = 5.0,
    ) -> Message:
        """The first message in the chat matching `predicate`, waiting for it to arrive."""
        try:
            found: Message = await self.client.wait_for_message(chat_id, predicate, timeout=timeout)
        except TimeoutError:
            seen = [_text(m) for m in await self.messages(chat_id)]
            raise AssertionError(
                f"no matching message in chat {chat_id}; it holds: {seen}"
            ) from None
        return found

    async def wait_for_text(self, chat_id: int, fragment: str, timeout: float = 5.0) -> Message:
        """The first bot message whose text or caption contains `fragment`."""
        return await self.wait_for(chat_id, lambda m: fragment in _text(m), timeout)


async def eventually(
    check: Callable[[], Awaitable[Any]], timeout: float = 8.0, what: str = "condition"
) -> Any:
    """Poll an async `check` until it returns something truthy (state settles asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.03)


def _text(message: Message) -> str:
    return str(message.get("text") or message.get("caption") or "")


def make_settings(redis_url: str, api_url: str, **overrides: Any) -> Settings:
    """Settings for a test app: no .env file, the sandbox as Telegram, fast delivery limits."""
    values: dict[str, Any] = {
        "bot_token": TEST_TOKEN,
        "telegram_api_url": api_url,
        "redis_url": redis_url,
        "admin_ids": [],
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@asynccontextmanager
async def running_app(
    redis_url: str,
    sandbox: Any,
    *,
    clock: Clock | None = None,
    polling: bool = True,
    **overrides: Any,
) -> AsyncIterator[RunningApp]:
    """Build and start the whole app against `sandbox`; stop it and close everything after."""
    settings = make_settings(redis_url, sandbox.base_url, **overrides)
    redis = Redis.from_url(redis_url, decode_responses=True)
    app = build_application(
        settings, redis, token=TEST_TOKEN, api_url=sandbox.base_url, clock=clock
    )
    try:
        await app.start(polling=polling)
        yield RunningApp(app=app, sandbox=sandbox, redis=redis)
    finally:
        try:
            await app.stop()
        finally:
            await redis.aclose()
