"""Fixtures of the desk's end-to-end modules: one running app per module, and its seeds.

A module that needs other settings (`test_audit_log`: the default refusal limits) or other
state defines its own `world`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from tests.desk.matrix import Seeds, make_seeds
from tests.desk.world import DeskWorld, desk_world


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(redis_server: Any) -> AsyncIterator[DeskWorld]:
    """The sandbox and the app with channels A and B and people in every role."""
    async with desk_world(redis_server.url) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def seeds(world: DeskWorld) -> Seeds:
    """Two queued posts in A (its only slot a day away) and one draft for A per person."""
    return await make_seeds(world)


@pytest_asyncio.fixture(loop_scope="module")
async def clean(world: DeskWorld) -> AsyncIterator[DeskWorld]:
    """The world, put back as it was after the test."""
    saved = await world.snapshot()
    yield world
    await world.restore(saved)
