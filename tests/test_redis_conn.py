"""Redis in every mode: embedded with AOF under DATA_DIR, external by URL, unix socket."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.redis_conn import open_redis, redis_from_url
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
