"""kill -9 of a delivery process mid-run: what the survivor takes over, and the duplicate window.

Redis and the sandbox run in their own processes, with two `python -m bot.delivery.worker`
processes (limits off, sends slowed by the sandbox so requests are in flight). Once a quarter
of the posts are out, one worker is killed with SIGKILL; the other takes its claims over when
their leases expire. Per round, summed over the rounds:

- `jobs_claimed_by_killed`: jobs the killed process held (claimed, not settled);
- `requests_in_flight_at_kill`: its requests that reached the sandbox and whose outcome
  it never recorded: those the sandbox dropped when the connection went (started, never
  answered) plus those it completed anyway (they became duplicates). Telegram completes a
  request whose client hung up, so with Telegram this whole count is the worst case;
- `duplicates`: posts the sandbox received twice;
- `lost`: posts never delivered (must be 0);
- `takeover_s`: from the kill until every post is in the ledger.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from sandbox.client import SandboxClient
from sandbox.testing import sandbox_process
from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.models.delivery import DeliveryJob
from storage.models.post import Post
from storage.outbox import OutboxRepo

TOKEN = "777001:BENCH-crash"
ROUNDS = 3
POSTS = 600
CHANNELS = 30
LATENCY_MS = 100
CONCURRENCY = 16
LEASE_S = 2.0
ROUND_TIMEOUT_S = 60.0
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Round:
    """What one kill left behind and what came of it."""

    claimed: int = 0
    in_flight: int = 0
    duplicates: int = 0
    lost: int = 0
    takeover_s: float = 0.0


async def start_worker(
    redis_url: str, api_url: str, prefix: str, name: str
) -> asyncio.subprocess.Process:
    """A delivery-only worker process; returns once it printed `ready`."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.delivery.worker", "--redis-url", redis_url, "--api-url",
        api_url, "--token", TOKEN, "--prefix", prefix, "--worker-id", name, "--no-limits",
        "--lease", str(LEASE_S), "--concurrency", str(CONCURRENCY), "--batch", "32",
        "--idle-poll", "0.2",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), 30)
    if not line.startswith(b"ready"):
        raise RuntimeError(f"worker {name} did not start: {line!r}")
    return proc


async def sandbox_texts(client: SandboxClient, channels: list[int]) -> Counter[str]:
    """How many times the sandbox received each post text."""
    texts: Counter[str] = Counter()
    for chat in channels:
        texts.update(str(m["text"]) for m in await client.bot_messages(chat))
    return texts


def _send_stats(stats: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = stats["methods"].get("sendMessage", {"calls": 0, "ok": 0, "errors": {}})
    return found


def unanswered_sends(stats: dict[str, Any]) -> int:
    """sendMessage calls the sandbox started and never answered (the caller hung up)."""
    send = _send_stats(stats)
    errors = sum(int(n) for n in send["errors"].values())
    return int(send["calls"]) - int(send["ok"]) - errors


async def answered_sends(client: SandboxClient) -> int:
    """sendMessage calls the sandbox answered with success so far."""
    return int(_send_stats(await client.stats())["ok"])


async def published_count(ledger: LedgerRepo, prefix: str) -> int:
    """Posts of this round with a published copy in the ledger (50 reads at a time)."""
    total = 0
    for start in range(0, POSTS, 50):
        reads = [ledger.published_copies(f"{prefix}a{i}") for i in range(start, start + 50)]
        total += sum(1 for copies in await asyncio.gather(*reads) if copies)
    return total


async def enqueue_posts(outbox: OutboxRepo, prefix: str, number: int, channels: list[int]) -> None:
    """POSTS channel posts, round-robin over the channels."""
    for i in range(POSTS):
        post = Post(method="sendMessage", text=f"Пост {number}.{i}", length=12)
        job = DeliveryJob(id=f"{prefix}-{i}", kind="channel_post", post=post,
                          chat_id=channels[i % CHANNELS], article_id=f"{prefix}a{i}")  # fmt: skip
        await outbox.enqueue(job)


async def one_round(redis: Redis, redis_url: str, api_url: str, number: int) -> Round:
    """Enqueue POSTS posts, kill one of two workers a quarter of the way, wait for the rest."""
    prefix = f"crash{number}"
    keys = Keys(prefix)
    async with SandboxClient(api_url) as client:
        channels = await fresh_world(client)
        victim = await start_worker(redis_url, api_url, prefix, "victim")
        survivor = await start_worker(redis_url, api_url, prefix, "survivor")
        try:
            await enqueue_posts(OutboxRepo(redis, keys), prefix, number, channels)
            deadline = time.monotonic() + ROUND_TIMEOUT_S

            async def a_quarter_sent() -> bool:
                return await answered_sends(client) >= POSTS // 4

            await poll_until(a_quarter_sent, deadline, "a quarter of the posts sent", 0.02)
            victim.send_signal(signal.SIGKILL)
            await victim.wait()
            return await after_the_kill(redis, keys, client, channels, deadline)
        finally:
            for proc in (victim, survivor):
                if proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(proc.wait(), 30)


async def fresh_world(client: SandboxClient) -> list[int]:
    """An empty sandbox with CHANNELS channels and slow sends; the channels' ids."""
    await client.reset()
    await client.register_bot(TOKEN)
    channels = [int((await client.create_channel(f"Канал {i}"))["id"]) for i in range(CHANNELS)]
    await client.add_latency(LATENCY_MS, "sendMessage")
    return channels


async def poll_until(
    check: Callable[[], Awaitable[bool]], deadline: float, what: str, interval: float
) -> None:
    """Poll `check` until it holds; TimeoutError after `deadline` (monotonic)."""
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(interval)


async def after_the_kill(
    redis: Redis, keys: Keys, client: SandboxClient, channels: list[int], deadline: float
) -> Round:
    """Measure what the dead worker left, wait until the survivor published everything."""
    killed_at = time.monotonic()
    result = Round(claimed=await _claimed_by(redis, keys, "victim"))
    outbox, ledger = OutboxRepo(redis, keys), LedgerRepo(redis, keys)

    async def all_published() -> bool:
        return await published_count(ledger, keys.prefix) >= POSTS and await outbox.is_empty()

    await poll_until(all_published, deadline, "the survivor to finish", 0.1)
    result.takeover_s = time.monotonic() - killed_at
    texts = await sandbox_texts(client, channels)
    result.duplicates = sum(n - 1 for n in texts.values())
    # every request of the dead worker without a recorded outcome was either dropped by the
    # sandbox when the connection went (never answered) or completed anyway (a duplicate)
    result.in_flight = unanswered_sends(await client.stats()) + result.duplicates
    result.lost = POSTS - len(texts)
    return result


async def _claimed_by(redis: Redis, keys: Keys, worker: str) -> int:
    """Jobs `worker` holds: claimed and not settled (read before its leases expire)."""
    owners = await redis.hgetall(keys.outbox_owners())
    return sum(1 for owner in owners.values() if owner == worker)


async def _main(redis_url: str, api_url: str) -> dict[str, float]:
    redis = Redis.from_url(redis_url, decode_responses=True)
    try:
        rounds = [await one_round(redis, redis_url, api_url, n) for n in range(ROUNDS)]
    finally:
        await redis.aclose()
    return {
        "crash_rounds": ROUNDS,
        "crash_posts_per_round": POSTS,
        "crash_jobs_claimed_by_killed": sum(r.claimed for r in rounds),
        "crash_requests_in_flight_at_kill": sum(r.in_flight for r in rounds),
        "crash_max_in_flight_in_a_round": max(r.in_flight for r in rounds),
        "crash_duplicates": sum(r.duplicates for r in rounds),
        "crash_lost": sum(r.lost for r in rounds),
        "crash_takeover_s_max": max(r.takeover_s for r in rounds),
    }


def run() -> dict[str, float]:
    """ROUNDS kills, each with fresh keys; Redis and the sandbox in their own processes."""
    with tempfile.TemporaryDirectory() as tmp:
        server = RedisServerProcess(Path(tmp), persistent=False)
        server.start()
        try:
            with sandbox_process(limits=False) as api_url:
                return asyncio.run(_main(server.url, api_url))
        finally:
            server.stop()


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name:36} {value:12.2f}")
