"""The virtual clock wakes sleepers in order; keys reject separators and share one hash tag."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.clock import SystemClock, VirtualClock
from storage.keys import InvalidKeyPart, Keys


async def test_virtual_clock_wakes_sleepers_at_their_deadlines() -> None:
    clock = VirtualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append((name, clock.time()))

    start = clock.time()
    tasks = [asyncio.create_task(sleeper("late", 60)), asyncio.create_task(sleeper("early", 5))]
    await asyncio.sleep(0)
    await clock.advance(30)
    assert woke == [("early", start + 5)]
    await clock.advance(30)
    assert woke == [("early", start + 5), ("late", start + 60)]
    assert clock.now() == datetime(2026, 11, 25, 9, 1, tzinfo=UTC)
    await asyncio.gather(*tasks)


async def test_virtual_clock_never_goes_backwards() -> None:
    clock = VirtualClock(1000.0)
    await clock.set(datetime.fromtimestamp(500, UTC))
    assert clock.time() == 1000.0


def test_system_clock_is_aware_utc() -> None:
    assert SystemClock().now().tzinfo is UTC


def test_keys_share_one_hash_tag() -> None:
    keys = Keys("news")
    names = [
        keys.article("42"),
        keys.channel_queue(-1001),
        keys.ledger("42"),
        keys.outbox_inflight(),
    ]
    assert all(name.startswith("{news}:") for name in names)
    assert keys.channel(-100123) == "{news}:channel:-100123"


@pytest.mark.parametrize("bad", ["a:b", "a b", "{x}", "", "x\n"])
def test_keys_reject_separators_inside_values(bad: str) -> None:
    with pytest.raises(InvalidKeyPart):
        Keys().article(bad)
