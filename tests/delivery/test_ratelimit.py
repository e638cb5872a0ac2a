"""Rate limiter math against a real Redis, with `now` passed explicitly (virtual time)."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from storage.keys import Keys
from storage.ratelimit import RateLimiter, RateLimits
from tests.delivery.helpers import T0


def delays(reservations: list) -> list[float]:  # type: ignore[type-arg]
    return [round(r.delay, 4) for r in reservations]


async def test_global_pace_spaces_messages_at_30_per_second(redis: Redis, keys: Keys) -> None:
    limiter = RateLimiter(redis, keys)
    got = await limiter.reserve(list(range(1, 31)), T0, horizon=10)
    assert delays(got) == [round(i / 30, 4) for i in range(30)]
    assert all(r.granted for r in got)


async def test_beyond_the_horizon_nothing_is_reserved(redis: Redis, keys: Keys) -> None:
    limiter = RateLimiter(redis, keys)
    got = await limiter.reserve(list(range(1, 101)), T0, horizon=1.0)
    granted = [r for r in got if r.granted]
    assert len(granted) == 31  # 0 .. 30/30 s
    refused = got[31:]
    assert all(not r.granted and r.delay == pytest.approx(31 / 30, abs=1e-5) for r in refused)
    # the refused ones did not consume the pace: the next reservation continues at 31/30
    [nxt] = await limiter.reserve([500], T0, horizon=10)
    assert nxt.delay == pytest.approx(31 / 30, abs=1e-5)


async def test_private_chat_gets_one_message_per_second(redis: Redis, keys: Keys) -> None:
    limiter = RateLimiter(redis, keys)
    got = await limiter.reserve([7, 7, 7, 8], T0, horizon=10)
    assert delays(got) == [0.0, 1.0, 2.0, round(1 / 30, 4)]


async def test_channel_gets_twenty_messages_per_minute(redis: Redis, keys: Keys) -> None:
    limiter = RateLimiter(redis, keys)
    got = await limiter.reserve([-1001, -1001, -1001], T0, horizon=10)
    assert delays(got) == [0.0, 3.0, 6.0]
    later = await limiter.acquire(-1001, T0 + 8)
    assert later == pytest.approx(1.0, abs=1e-5)  # the fourth may go at T0 + 9


async def test_limits_hold_across_limiter_instances(redis: Redis, keys: Keys) -> None:
    first, second = RateLimiter(redis, keys), RateLimiter(redis, keys)
    await first.reserve(list(range(1, 16)), T0, horizon=10)
    got = await second.reserve(list(range(16, 31)), T0, horizon=10)
    assert delays(got) == [round(i / 30, 4) for i in range(15, 30)]


async def test_time_moving_on_frees_the_pace(redis: Redis, keys: Keys) -> None:
    limiter = RateLimiter(redis, keys)
    await limiter.reserve(list(range(1, 31)), T0, horizon=10)
    assert await limiter.acquire(99, T0 + 5) == 0.0


async def test_paused_chat_waits_and_slow_down_halves_the_pace(redis: Redis, keys: Keys) -> None:
    limiter = RateLimiter(redis, keys)
    await limiter.pause_chat(-1001, 7, T0)
    await limiter.slow_down(2.0, 10, T0)
    got = await limiter.reserve([-1001, 1, 2], T0, horizon=10)
    assert delays(got) == [7.0, 0.0, round(2 / 30, 4)]
    after = await limiter.reserve([3, 4], T0 + 20, horizon=10)  # slow-down is over
    assert delays(after) == [0.0, round(1 / 30, 4)]


async def test_paid_broadcast_paces_at_1000_per_second(redis: Redis, keys: Keys) -> None:
    limiter = RateLimiter(redis, keys, RateLimits(paid=True))
    got = await limiter.reserve(list(range(1, 1001)), T0, horizon=10)
    assert got[-1].delay == pytest.approx(0.999, abs=1e-5)
    free = RateLimiter(redis, keys)  # the free pace is a separate scope
    assert await free.acquire(5000, T0) == 0.0


async def test_disabled_limiter_never_waits(redis: Redis, keys: Keys) -> None:
    limiter = RateLimiter(redis, keys, RateLimits(enabled=False))
    got = await limiter.reserve([1, 1, 1], T0)
    assert delays(got) == [0.0, 0.0, 0.0]
    assert await redis.dbsize() == 0


async def test_a_message_held_back_by_its_chat_does_not_stall_the_others(
    redis: Redis, keys: Keys
) -> None:
    limiter = RateLimiter(redis, keys)
    got = await limiter.reserve([-1001, -1001, 5, 6], T0, horizon=10)
    assert delays(got) == [0.0, 3.0, round(1 / 30, 4), round(2 / 30, 4)]
    # the slot booked at +3 s stays booked for later batches (and other processes)
    more = await limiter.reserve(list(range(10, 100)), T0, horizon=10)
    times = delays(more)
    assert 3.0 not in times
    assert times[-1] == round(93 / 30, 4)  # slots 3..89, then 91..93
    assert len(set(times)) == len(times)
