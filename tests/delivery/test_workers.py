"""Two delivery processes on one Redis: nothing sent twice, nothing lost, kill -9 survived,
one pace for both."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.outbox import OutboxRepo
from tests.delivery.helpers import job
from tests.harness import eventually

ROOT = Path(__file__).resolve().parents[2]
POSTS = 200
CHANNELS = 20
LIMITED_MESSAGES = 30


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
    """Start a worker and wait for its `ready` line (rate limits off unless `extra` has
    `--limits`)."""
    options = [a for a in extra if a != "--limits"]
    if "--limits" not in extra:
        options.append("--no-limits")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.delivery.worker", "--redis-url", redis_url,
        "--api-url", api_url, "--token", token, "--worker-id", worker_id,
        "--idle-poll", "0.2", *options,
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


@dataclass
class KillSnapshot:
    """Read right after the killed worker died, before its leases expired: the jobs it held,
    those of them the sandbox had already answered, and the sends the sandbox had started
    and not answered (the victim's cut-off ones and the survivor's in flight)."""

    orphaned: set[str]
    answered: set[str]
    published_at_kill: set[str]
    unanswered: int


async def snapshot_after_kill(
    redis: Redis, keys: Keys, sandbox: RunningSandbox, channels: list[int], victim: str
) -> KillSnapshot:
    unanswered = unanswered_sends(await sandbox.client.stats())
    owners = {str(k): str(v) for k, v in (await redis.hgetall(keys.outbox_owners())).items()}
    orphaned = {job_id for job_id, owner in owners.items() if owner == victim}
    texts = await sent_texts(sandbox, channels)
    answered = {job_id for job_id in orphaned if f"Пост {post_number(job_id)}" in texts}
    ledger = LedgerRepo(redis, keys)
    published = {
        job_id for job_id in orphaned if await ledger.published_copies(f"art{post_number(job_id)}")
    }
    return KillSnapshot(orphaned, answered, published, unanswered)


def post_number(job_id: str) -> str:
    """`post-17` -> `17` (the article is `art17`, its text `Пост 17`)."""
    return job_id.removeprefix("post-")


def unanswered_sends(stats: dict[str, Any]) -> int:
    """Sends the sandbox started and has not answered (in flight, or cut off by a hang-up)."""
    send = stats["methods"]["sendMessage"]
    return int(send["calls"]) - int(send["ok"]) - sum(int(n) for n in send["errors"].values())


async def test_kill_9_of_one_worker_the_other_finishes_its_claims(
    redis_server: RedisServerProcess,
    sandbox: RunningSandbox,
    bot_token: str,
    redis: Redis,
    keys: Keys,
) -> None:
    channels = await make_channels(sandbox)
    # slow sends: whenever it dies, the victim has `concurrency` requests in flight and
    # more claimed jobs waiting for their turn
    await sandbox.client.add_latency(250, "sendMessage")
    ledger = LedgerRepo(redis, keys)
    concurrency = 8
    async with workers(redis_server, sandbox, bot_token, "--lease", "1", "--batch", "16",
                       "--concurrency", str(concurrency)) as (victim, survivor):  # fmt: skip
        await enqueue_posts(redis, keys, channels)
        await wait_published(ledger, POSTS // 4, timeout=40)
        victim.kill()
        await victim.proc.wait()
        left = await snapshot_after_kill(redis, keys, sandbox, channels, victim.worker_id)
        await wait_published(ledger, POSTS, timeout=40)
        survived = await survivor.stop()
    texts = await sent_texts(sandbox, channels)
    assert sorted(set(texts)) == sorted(f"Пост {i}" for i in range(POSTS))  # none lost
    assert await OutboxRepo(redis, keys).is_empty()

    assert left.orphaned, "the killed worker held no claims: takeover not exercised"
    assert not left.published_at_kill  # held, not settled...
    for job_id in left.orphaned:  # ...and the survivor published every one of them
        assert await ledger.published_copies(f"art{post_number(job_id)}")
    assert int(survived["sent"]) >= len(left.orphaned)

    # requests out when it died (sandbox side, both workers) plus answers it never recorded
    in_flight_at_kill = left.unanswered + len(left.answered)
    duplicates = sum(count - 1 for count in texts.values())
    # at the end only the victim's requests are unanswered: the ones the sandbox dropped;
    # the others it completed became duplicates
    victims_requests = unanswered_sends(await sandbox.client.stats()) + duplicates
    print(
        f"\nkill -9: the killed worker held {len(left.orphaned)} claimed job(s) and had "
        f"{victims_requests} request(s) out ({len(left.answered)} answered, unrecorded); "
        f"{duplicates} message(s) sent twice"
    )
    assert victims_requests > 0  # it died with requests in flight
    assert victims_requests <= concurrency + len(left.answered)
    assert duplicates <= in_flight_at_kill


async def test_two_processes_with_limits_on_share_one_pace(
    redis_server: RedisServerProcess,
    sandbox_limited: RunningSandbox,
    bot_token: str,
    redis: Redis,
    keys: Keys,
) -> None:
    sandbox = sandbox_limited
    pace = 5  # messages per second, overall: small, so the run stays short
    await sandbox.client.set_limits(global_per_sec=pace)
    users = [int((await sandbox.client.create_private_chat(f"Читатель {i}"))["id"])
             for i in range(LIMITED_MESSAGES)]  # fmt: skip
    outbox = OutboxRepo(redis, keys)
    ledger = LedgerRepo(redis, keys)
    async with workers(redis_server, sandbox, bot_token, "--limits", "--global-per-sec",
                       str(pace), "--batch", "2") as (a, b):  # fmt: skip
        for i, user in enumerate(users):
            await outbox.enqueue(job(user, "paced", kind="push", lane="push", text=f"Пуш {i}"))
        await eventually(
            lambda: _all_published(ledger, "paced", LIMITED_MESSAGES), timeout=30, what="pushes"
        )
        counters = [await a.stop(), await b.stop()]
    assert all(int(c["sent"]) > 0 for c in counters), counters  # both processes sent
    stats = (await sandbox.client.stats())["methods"]["sendMessage"]
    assert stats["rate_limited"] == 0 and "429" not in stats["errors"]
    assert stats["ok"] == LIMITED_MESSAGES
    dates: Counter[int] = Counter()
    for user in users:
        dates.update(m["date"] for m in await sandbox.client.bot_messages(user))
    # the sandbox stamps whole seconds: any one second holds at most `pace` slots (+1 late)
    assert max(dates.values()) <= pace + 1, dates
    assert max(dates) - min(dates) >= LIMITED_MESSAGES / pace - 2, dates


async def _all_published(ledger: LedgerRepo, article_id: str, count: int) -> bool:
    return len(await ledger.published_copies(article_id)) == count
