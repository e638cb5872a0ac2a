"""Connecting to Redis: an external server from REDIS_URL, or the embedded one.

Whatever goes wrong while connecting (nothing listens, a wrong password, a DATA_DIR the
embedded server cannot use, another bot owning it) becomes one `RedisUnavailable` with a
message an operator can act on; the CLI prints it as one line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.config import Settings
from bot.redis_server import DirectoryBusy, RedisServerProcess, answers_ping

log = logging.getLogger(__name__)

ATTACH_TIMEOUT = 15.0


class RedisUnavailable(RuntimeError):
    """Redis cannot be reached or started; the message says what to do."""


def redis_from_url(url: str) -> Redis:
    """A client for redis://, rediss:// or unix:// URLs (hiredis parser when installed)."""
    return Redis.from_url(url, decode_responses=True, health_check_interval=30)


def redact_url(url: str) -> str:
    """The URL with its password replaced by `***`, fit for a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


def embedded_dir(settings: Settings) -> Path:
    """Where the embedded redis-server keeps its data: DATA_DIR/redis."""
    return settings.data_dir / "redis"


@asynccontextmanager
async def open_redis(settings: Settings, *, exclusive: bool = False) -> AsyncIterator[Redis]:
    """Yield a connected client; without REDIS_URL use the embedded server of DATA_DIR.

    The embedded server is started (and stopped on exit) unless another live process
    already owns the one for DATA_DIR: then it is shared, or, with `exclusive` (the bot
    itself), refused. Raises `RedisUnavailable` when no usable Redis can be had.
    """
    server: RedisServerProcess | None = None
    url = settings.redis_url
    if not url:
        server, url = await _embedded(embedded_dir(settings), exclusive=exclusive)
    client = redis_from_url(url)
    try:
        await _ping(client, url)
        yield client
    finally:
        await client.aclose()
        if server is not None:
            await server.astop()
            log.info("embedded Redis stopped")


async def _ping(client: Redis, url: str) -> None:
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        raise RedisUnavailable(
            f"Redis at {redact_url(url)} does not answer: {_reason(exc)}"
        ) from None


async def _embedded(directory: Path, *, exclusive: bool) -> tuple[RedisServerProcess | None, str]:
    """Start the directory's server, or the URL of the one a live process already owns."""
    deadline = time.monotonic() + ATTACH_TIMEOUT
    while True:
        server = RedisServerProcess(directory, persistent=True)
        try:
            await server.astart()
        except DirectoryBusy as busy:
            owner = busy.owner
            if exclusive:
                raise RedisUnavailable(
                    f"another Vestnik process ({_who(busy)}) already runs the embedded Redis "
                    f"in {directory}; stop it, or set REDIS_URL so both share one Redis"
                ) from None
            if owner is not None and await asyncio.to_thread(answers_ping, owner.port):
                log.info("using the embedded Redis of process %s at %s", owner.pid, owner.url)
                return None, owner.url
        except (OSError, RuntimeError) as exc:
            raise RedisUnavailable(
                f"cannot start the embedded Redis in {directory}: {_reason(exc)}"
            ) from None
        else:
            log.info("embedded Redis started on port %s, data in %s", server.port, directory)
            return server, server.url
        if time.monotonic() > deadline:  # the owner holds the lock but never came up
            raise RedisUnavailable(f"the embedded Redis in {directory} does not come up")
        await asyncio.sleep(0.05)


def _who(busy: DirectoryBusy) -> str:
    return f"pid {busy.owner.pid}" if busy.owner else "starting"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return " ".join(str(exc).split()) or type(exc).__name__
