"""Shared fixtures: a real redis-server process for the whole session, flushed per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from storage.keys import Keys

pytest_plugins = ["tests.fixtures_sandbox"]

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServerProcess]:
    """One real redis-server on a free port in a temp dir, for the whole test session."""
    server = RedisServerProcess(tmp_path_factory.mktemp("redis"), persistent=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def redis(redis_server: RedisServerProcess) -> AsyncIterator[Redis]:
    """A client of the session's Redis, flushed before each test."""
    client = Redis.from_url(redis_server.url, decode_responses=True)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
def keys() -> Keys:
    """The key builder with the default prefix."""
    return Keys("vestnik")


@pytest.fixture
def sample_text() -> str:
    """The newsroom's real sample article."""
    return (DATA / "politika-tokayev-almaty-hub.txt").read_text(encoding="utf-8")
