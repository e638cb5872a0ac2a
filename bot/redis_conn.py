"""Connecting to Redis: an external server from REDIS_URL, or the embedded one."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from bot.config import Settings
from bot.redis_server import RedisServerProcess

log = logging.getLogger(__name__)


def redis_from_url(url: str) -> Redis:
    """A client for redis://, rediss:// or unix:// URLs (hiredis parser when installed)."""
    return Redis.from_url(url, decode_responses=True, health_check_interval=30)


@asynccontextmanager
async def open_redis(settings: Settings) -> AsyncIterator[Redis]:
    """Yield a connected client; without REDIS_URL run an embedded server with AOF in DATA_DIR."""
    server: RedisServerProcess | None = None
    url = settings.redis_url
    if not url:
        server = RedisServerProcess(settings.data_dir / "redis", persistent=True)
        await server.astart()
        url = server.url
        log.info("embedded Redis started on port %s, data in %s", server.port, server.directory)
    client = redis_from_url(url)
    try:
        await client.ping()
        yield client
    finally:
        await client.aclose()
        if server is not None:
            await server.astop()
            log.info("embedded Redis stopped")
