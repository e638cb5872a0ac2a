"""The send pipe: paced jobs wait for their tick together, and a stopping engine gives
back (at once, unsent) what no worker took yet instead of leaving it leased."""

from __future__ import annotations

import asyncio
import dataclasses

from aiogram import Bot
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.delivery.pipe import SendPipe
from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.ratelimit import RateLimits
from tests.delivery.engine_kit import FAST, make_kit
from tests.delivery.helpers import T0, job


async def test_jobs_of_one_tick_go_together_never_before_their_slot() -> None:
    clock = VirtualClock(T0)
    pipe = SendPipe(clock, tick=0.02)
    taken: list[tuple[float, str]] = []

    async def worker() -> None:
        while (ready := await pipe.get()) is not None:
            taken.append((clock.time() - T0, ready.article_id or ""))
            pipe.done()

    runner = asyncio.create_task(worker())
    for name, delay in (("now", 0.0), ("a", 0.001), ("b", 0.015), ("c", 0.021), ("d", 0.0199)):
        pipe.put(job(-1001, name), T0, delay)
    for _ in range(5):
        await clock.advance(0.01)
    pipe.close(1)
    await runner
    assert [name for _, name in taken] == ["now", "a", "b", "d", "c"]
    assert {round(at, 3) for at, name in taken if name in "abd"} == {0.02}  # one wake-up
    assert round(taken[-1][0], 3) == 0.04  # booked at 0.021: the next tick, not 0.02
    assert pipe.size == 0


async def test_stopping_gives_back_jobs_no_worker_took(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys
) -> None:
    clock = VirtualClock(T0)
    config = dataclasses.replace(FAST, stop_grace=0.3)
    kit = make_kit(redis, keys, tg_bot, limits=RateLimits(global_per_sec=10), config=config,
                   clock=clock)  # fmt: skip
    users = [int((await sandbox.client.create_private_chat(f"Читатель {i}"))["id"])
             for i in range(10)]  # fmt: skip
    for user in users:
        await kit.enqueue(job(user, "paced", kind="push", lane="push"))
    runner = asyncio.create_task(kit.engine.run())
    for _ in range(100):  # the first push goes at once; the others wait for virtual time
        if kit.engine.counters.sent:
            break
        await asyncio.sleep(0.01)
    await kit.engine.stop()
    await runner
    assert kit.engine.counters.sent == 1
    assert await kit.outbox.inflight_count() == 0  # nothing left leased to a stopped engine
    assert await kit.outbox.pending_count("push") == len(users) - 1
    delivered = [u for u in users if await sandbox.client.bot_messages(u)]
    assert len(delivered) == 1
