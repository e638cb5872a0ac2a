"""The polling lease: one holder at a time, renewals by the holder only, takeover on expiry."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from bot.clock import SystemClock
from bot.delivery.lease import PollingLease
from storage.keys import Keys


async def test_one_holder_at_a_time_and_only_the_holder_renews(redis: Redis, keys: Keys) -> None:
    a = PollingLease(redis, keys, SystemClock(), "a", ttl=5)
    b = PollingLease(redis, keys, SystemClock(), "b", ttl=5)
    assert await a.try_acquire()
    assert not await b.try_acquire()
    assert await a.renew()
    assert not await b.renew()
    await b.release()  # not b's: nothing happens
    assert await a.holder() == "a"
    await a.release()
    assert await b.try_acquire()


async def test_survivor_takes_over_when_the_poller_dies(redis: Redis, keys: Keys) -> None:
    clock = SystemClock()
    dead = PollingLease(redis, keys, clock, "dead", ttl=0.3)
    survivor = PollingLease(redis, keys, clock, "survivor", ttl=0.3)
    assert await dead.try_acquire()  # ...and never renews: the process was killed
    polling = asyncio.Event()

    async def start() -> None:
        polling.set()
        await asyncio.Event().wait()

    async def stop() -> None:
        return None

    runner = asyncio.create_task(survivor.run_while_leader(start, stop))
    await asyncio.wait_for(polling.wait(), 3)
    assert await survivor.holder() == "survivor"
    runner.cancel()
    await asyncio.gather(runner, return_exceptions=True)
    assert await survivor.holder() is None  # released on exit


async def test_leader_that_loses_its_lease_stops_polling(redis: Redis, keys: Keys) -> None:
    leader = PollingLease(redis, keys, SystemClock(), "leader", ttl=0.3)
    started, stopped = asyncio.Event(), asyncio.Event()

    async def start() -> None:
        started.set()
        await stopped.wait()

    async def stop() -> None:
        stopped.set()

    runner = asyncio.create_task(leader.run_while_leader(start, stop))
    await asyncio.wait_for(started.wait(), 3)
    await redis.set(keys.lease("poller"), "usurper", px=5000)  # someone else took it
    await asyncio.wait_for(stopped.wait(), 3)
    runner.cancel()
    await asyncio.gather(runner, return_exceptions=True)
    assert await leader.holder() == "usurper"  # never releases someone else's lease
