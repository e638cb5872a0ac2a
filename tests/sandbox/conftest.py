"""Helpers for sandbox tests: raw Bot API calls over HTTP, without aiogram in between."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from sandbox.testing import RunningSandbox


@dataclass(slots=True)
class Answer:
    """One Bot API answer: HTTP status, JSON body, headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def description(self) -> str:
        return str(self.body.get("description"))


class BotApi:
    """Calls ``/bot<token>/<method>`` of a sandbox with JSON (or form) bodies."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str) -> None:
        self.session = session
        self.base_url = base_url
        self.token = token

    async def call(self, method: str, *, form: bool = False, **params: Any) -> Answer:
        """POST the call; ``form=True`` sends urlencoded fields like aiogram does."""
        url = f"{self.base_url}/bot{self.token}/{method}"
        kwargs: dict[str, Any] = {"data": params} if form else {"json": params}
        async with self.session.post(url, **kwargs) as resp:
            return Answer(resp.status, await resp.json(), dict(resp.headers))

    async def ok(self, method: str, **params: Any) -> Any:
        """The result of a call that must succeed."""
        answer = await self.call(method, **params)
        assert answer.status == 200, answer.body
        assert answer.body["ok"] is True
        return answer.body["result"]

    async def fail(self, method: str, status: int, **params: Any) -> Answer:
        """A call that must fail with ``status`` (checked against the envelope too)."""
        answer = await self.call(method, **params)
        assert answer.status == status, answer.body
        assert answer.body["ok"] is False
        assert answer.body["error_code"] == status
        return answer


@contextlib.asynccontextmanager
async def open_api(running: RunningSandbox, token: str) -> AsyncIterator[BotApi]:
    """Raw Bot API access to a running sandbox, with its own HTTP session."""
    async with aiohttp.ClientSession() as session:
        yield BotApi(session, running.base_url, token)


@pytest.fixture
async def api(sandbox: RunningSandbox, bot_token: str) -> AsyncIterator[BotApi]:
    """Raw Bot API access to ``sandbox`` as the default bot."""
    async with open_api(sandbox, bot_token) as client:
        yield client


@pytest.fixture
async def limited_api(sandbox_fake_clock: RunningSandbox, bot_token: str) -> AsyncIterator[BotApi]:
    """Raw Bot API access to ``sandbox_fake_clock`` (limits on, manual clock)."""
    async with open_api(sandbox_fake_clock, bot_token) as client:
        yield client


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Yield to the loop until ``condition()`` holds (bounded; no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.005)
