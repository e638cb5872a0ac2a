"""Redis in every mode: embedded with AOF under DATA_DIR, external by URL, unix socket."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.redis_conn import RedisUnavailable, open_redis, redact_url, redis_from_url
from bot.redis_server import RedisServerProcess


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", **values)  # type: ignore[arg-type]


async def test_embedded_redis_keeps_data_across_restarts(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    async with open_redis(settings) as redis:
        await redis.set("vestnik-test", "сохранено")
    assert (tmp_path / "data" / "redis").is_dir()
    async with open_redis(settings) as redis:
        assert await redis.get("vestnik-test") == "сохранено"


async def test_external_redis_by_url(redis_server: RedisServerProcess, tmp_path: Path) -> None:
    settings = _settings(tmp_path, redis_url=redis_server.url)
    async with open_redis(settings) as redis:
        assert await redis.ping()
    assert not (tmp_path / "data").exists()


async def test_unix_socket_url(tmp_path: Path) -> None:
    server = RedisServerProcess(tmp_path / "sock", persistent=False, unix_socket=True)
    await server.astart()
    try:
        client = redis_from_url(f"unix://{server.socket_path}")
        await client.set("k", "v")
        assert await client.get("k") == "v"
        await client.aclose()
    finally:
        await server.astop()


async def test_unreachable_redis_is_one_clear_error_without_the_password(tmp_path: Path) -> None:
    settings = _settings(tmp_path, redis_url="redis://:hunter2@127.0.0.1:1/0")
    with pytest.raises(RedisUnavailable) as caught:
        async with open_redis(settings):
            pass
    message = str(caught.value)
    assert message.startswith("Redis at redis://:***@127.0.0.1:1/0 does not answer: ")
    assert "hunter2" not in message and "\n" not in message


def test_redact_url() -> None:
    assert redact_url("redis://user:pw@h:6379/0") == "redis://user:***@h:6379/0"
    assert redact_url("rediss://h:6380/1") == "rediss://h:6380/1"
    assert redact_url("unix:///run/redis.sock") == "unix:///run/redis.sock"


async def test_embedded_redis_that_cannot_start_is_one_clear_error(tmp_path: Path) -> None:
    """A DATA_DIR/redis that is a file (made after the settings were read)."""
    settings = _settings(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "redis").write_text("not a directory")
    with pytest.raises(RedisUnavailable, match=r"cannot start the embedded Redis in .*redis"):
        async with open_redis(settings):
            pass
