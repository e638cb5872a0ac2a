"""Several bot processes on one Redis and one token: exactly one polls, a survivor takes over.

Telegram answers a second concurrent getUpdates with 409 Conflict; the sandbox does too and
counts it in its stats, so a process polling without the lease would show there.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from sandbox.testing import RunningSandbox
from storage.keys import Keys
from tests.harness import eventually

ROOT = Path(__file__).resolve().parents[2]
LEASE_TTL = 1.5


@asynccontextmanager
async def app_processes(
    count: int, redis_url: str, api_url: str, token: str
) -> AsyncIterator[dict[str, asyncio.subprocess.Process]]:
    """`count` whole-app processes, by instance id; killed at the end if still running."""
    running: dict[str, asyncio.subprocess.Process] = {}
    try:
        for _ in range(count):
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tests.delivery.app_process", "--redis-url", redis_url,
                "--api-url", api_url, "--token", token, "--lease-ttl", str(LEASE_TTL),
                cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip
            assert proc.stdout is not None
            line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            assert line.startswith("ready "), line
            running[line.split()[1]] = proc
        yield running
    finally:
        for proc in running.values():
            if proc.returncode is None:
                proc.send_signal(signal.SIGKILL)
                await proc.wait()


async def get_updates_stats(sandbox: RunningSandbox) -> dict[str, Any]:
    methods = (await sandbox.client.stats())["methods"]
    found: dict[str, Any] = methods.get("getUpdates", {"calls": 0, "errors": {}})
    return found


async def answered(sandbox: RunningSandbox, chat_id: int, count: int) -> bool:
    """The reader has at least `count` welcome messages from the bot."""
    replies = [m for m in await sandbox.client.bot_messages(chat_id) if "«Вестник»" in m["text"]]
    return len(replies) >= count


async def test_one_process_polls_and_a_survivor_takes_over_after_kill_9(
    redis_server: RedisServerProcess,
    sandbox: RunningSandbox,
    bot_token: str,
    redis: Redis,
    keys: Keys,
) -> None:
    reader = int((await sandbox.client.create_private_chat("Айгуль"))["id"])
    async with app_processes(2, redis_server.url, sandbox.base_url, bot_token) as apps:
        await sandbox.client.send_user_message(reader, "/start")
        await eventually(lambda: answered(sandbox, reader, 1), timeout=15, what="an answer")

        async def polled_a_while() -> bool:  # long polls of 1 s: two pollers would overlap
            return int((await get_updates_stats(sandbox))["calls"]) >= 4

        await eventually(polled_a_while, timeout=15, what="several getUpdates")
        assert "409" not in (await get_updates_stats(sandbox))["errors"]  # never two pollers
        leader = await redis.get(keys.lease("poller"))
        assert leader in apps

        apps[leader].send_signal(signal.SIGKILL)
        await apps[leader].wait()
        [survivor] = [instance for instance in apps if instance != leader]
        await sandbox.client.send_user_message(reader, "/start")
        await eventually(lambda: answered(sandbox, reader, 2), timeout=15, what="the survivor")
        assert await redis.get(keys.lease("poller")) == survivor
    assert "409" not in (await get_updates_stats(sandbox))["errors"]
