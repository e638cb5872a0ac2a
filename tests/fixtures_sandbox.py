"""Pytest fixtures for the Telegram Bot API sandbox (a real HTTP server in the test's loop).

- ``sandbox``: limits off; ``sandbox_limited``: limits on with the real clock;
  ``sandbox_fake_clock``: limits on, time moves only via ``sandbox.clock.advance(seconds)``.
- ``bot_token``: the token the sandbox knows as its default bot.
- ``tg_bot``: an aiogram ``Bot`` talking to ``sandbox`` over HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from sandbox.testing import FakeClock, RunningSandbox, running_sandbox

BOT_TOKEN = "123456:TEST-sandbox-token"


@pytest.fixture
def bot_token() -> str:
    """The bot's token; the sandbox registers it, so control calls act for this bot."""
    return BOT_TOKEN


@pytest.fixture
async def sandbox(bot_token: str) -> AsyncIterator[RunningSandbox]:
    """A fresh sandbox without rate limits, on a free port, for one test."""
    async with running_sandbox(limits=False, bot_token=bot_token) as running:
        yield running


@pytest.fixture
async def sandbox_limited(bot_token: str) -> AsyncIterator[RunningSandbox]:
    """A fresh sandbox with Telegram's rate limits on (real monotonic clock)."""
    async with running_sandbox(limits=True, bot_token=bot_token) as running:
        yield running


@pytest.fixture
async def sandbox_fake_clock(bot_token: str) -> AsyncIterator[RunningSandbox]:
    """Limits on, with a FakeClock: ``sandbox_fake_clock.clock.advance(1.0)`` refills."""
    async with running_sandbox(limits=True, clock=FakeClock(), bot_token=bot_token) as running:
        yield running


def sandbox_bot(base_url: str, token: str = BOT_TOKEN) -> Bot:
    """An aiogram Bot whose session talks to the sandbox at ``base_url`` (close it!)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(base_url))
    return Bot(token, session=session)


@pytest.fixture
async def tg_bot(sandbox: RunningSandbox, bot_token: str) -> AsyncIterator[Bot]:
    """An aiogram Bot pointed at ``sandbox``, closed after the test."""
    bot = sandbox_bot(sandbox.base_url, bot_token)
    try:
        yield bot
    finally:
        await bot.session.close()
