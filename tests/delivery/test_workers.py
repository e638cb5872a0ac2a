"""Two delivery processes on one Redis: nothing sent twice, nothing lost, kill -9 survived."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.outbox import OutboxRepo
from tests.delivery.helpers import job

ROOT = Path(__file__).resolve().parents[2]
POSTS = 200
CHANNELS = 20


class Worker:
    """One `python -m bot.delivery.worker` child process."""

    def __init__(self, proc: asyncio.subprocess.Process, worker_id: str) -> None:
        self.proc = proc
        self.worker_id = worker_id

    async def stop(self) -> dict[str, Any]:
        """SIGTERM, then the counters it prints on the way out."""
        self.proc.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(self.proc.communicate(), 20)
        return dict(json.loads(out.decode().strip().splitlines()[-1]))

    def kill(self) -> None:
        """kill -9: no cleanup, no settlement, leases left behind."""
        self.proc.send_signal(signal.SIGKILL)


async def start_worker(
    redis_url: str, api_url: str, token: str, worker_id: str, *extra: str
) -> Worker:
    """Start a worker and wait for its `ready` line."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.delivery.worker", "--redis-url", redis_url,
        "--api-url", api_url, "--token", token, "--worker-id", worker_id, "--no-limits",
        "--idle-poll", "0.2", *extra,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), 30)
    assert line.decode().startswith("ready"), line
    return Worker(proc, worker_id)


@asynccontextmanager
async def workers(
    redis_server: RedisServerProcess, sandbox: RunningSandbox, token: str, *extra: str
) -> AsyncIterator[list[Worker]]:
    """Two workers; whatever is still running at the end is killed."""
    started = [
        await start_worker(redis_server.url, sandbox.base_url, token, name, *extra)
        for name in ("worker-a", "worker-b")
    ]
    try:
        yield started
    finally:
        for worker in started:
            if worker.proc.returncode is None:
                worker.kill()
                await worker.proc.wait()


async def enqueue_posts(redis: Redis, keys: Keys, channels: list[int]) -> None:
    outbox = OutboxRepo(redis, keys)
    for i in range(POSTS):
        chat = channels[i % len(channels)]
        await outbox.enqueue(job(chat, f"art{i}", job_id=f"post-{i}", text=f"Пост {i}"))


async def published(ledger: LedgerRepo) -> int:
    total = 0
    for start in range(0, POSTS, 50):
        batch = [ledger.published_copies(f"art{i}") for i in range(start, start + 50)]
        total += sum(len(copies) for copies in await asyncio.gather(*batch))
    return total


async def wait_published(ledger: LedgerRepo, at_least: int, timeout: float) -> int:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (done := await published(ledger)) < at_least:
        assert loop.time() < deadline, f"only {done} of {at_least} published"
        await asyncio.sleep(0.05)
    return done


async def sent_texts(sandbox: RunningSandbox, channels: list[int]) -> Counter[str]:
    texts: Counter[str] = Counter()
    for chat in channels:
        texts.update(m["text"] for m in await sandbox.client.bot_messages(chat))
    return texts


async def make_channels(sandbox: RunningSandbox) -> list[int]:
    return [int((await sandbox.client.create_channel(f"Канал {i}"))["id"]) for i in range(CHANNELS)]


async def test_two_processes_deliver_each_post_exactly_once(
    redis_server: RedisServerProcess,
    sandbox: RunningSandbox,
    bot_token: str,
    redis: Redis,
    keys: Keys,
) -> None:
    channels = await make_channels(sandbox)
    await sandbox.client.add_latency(5, "sendMessage")
    ledger = LedgerRepo(redis, keys)
    async with workers(redis_server, sandbox, bot_token, "--batch", "10",
                       "--concurrency", "4") as (a, b):  # fmt: skip
        await enqueue_posts(redis, keys, channels)
        await wait_published(ledger, POSTS, timeout=40)
        counters = [await a.stop(), await b.stop()]
    texts = await sent_texts(sandbox, channels)
    assert sorted(texts) == sorted(f"Пост {i}" for i in range(POSTS))  # none lost
    assert set(texts.values()) == {1}  # none twice
    assert all(int(c["sent"]) > 0 for c in counters), counters  # both processes worked
    assert sum(int(c["sent"]) for c in counters) == POSTS
    assert await OutboxRepo(redis, keys).is_empty()


async def test_kill_9_of_one_worker_the_other_finishes_its_claims(
    redis_server: RedisServerProcess,
    sandbox: RunningSandbox,
    bot_token: str,
    redis: Redis,
    keys: Keys,
) -> None:
    channels = await make_channels(sandbox)
    await sandbox.client.add_latency(40, "sendMessage")
    ledger = LedgerRepo(redis, keys)
    concurrency = 8
    async with workers(redis_server, sandbox, bot_token, "--lease", "1", "--batch", "16",
                       "--concurrency", str(concurrency)) as (victim, survivor):  # fmt: skip
        await enqueue_posts(redis, keys, channels)
        await wait_published(ledger, POSTS // 4, timeout=40)
        victim.kill()
        await victim.proc.wait()
        in_flight = await redis.hgetall(keys.outbox_owners())
        orphaned = sum(1 for owner in in_flight.values() if owner == "worker-a")
        await wait_published(ledger, POSTS, timeout=40)
        await survivor.stop()
    texts = await sent_texts(sandbox, channels)
    assert sorted(set(texts)) == sorted(f"Пост {i}" for i in range(POSTS))  # none lost
    duplicates = sum(count - 1 for count in texts.values())
    print(
        f"\nkill -9 duplicate window: {duplicates} message(s) sent twice; the killed worker "
        f"held {orphaned} claimed job(s), at most {concurrency} requests in flight"
    )
    assert duplicates <= concurrency
    assert await OutboxRepo(redis, keys).is_empty()
