"""A channel admin's chat with the bot, for the desk's settings tests: say, read, refusals."""

from __future__ import annotations

from storage.models.channel import Channel
from tests.desk.world import ADMIN_A, DeskWorld, text_of


async def say(world: DeskWorld, text: str, user: int = ADMIN_A) -> str:
    """Send `text` as `user` (channel A's admin by default); the bot's answer, joined."""
    return "\n".join(text_of(m) for m in await world.person(user).say(text))


async def channel_a(world: DeskWorld) -> Channel:
    """Channel A as stored now."""
    found: Channel = await world.service("channels").get(world.channel_a)
    return found


async def refused_politely(world: DeskWorld, command: str, expected: str) -> None:
    """The bad command gets `expected` in its answer and changes no tracked key."""
    before = await world.snapshot()
    answer = await say(world, command)
    assert expected in answer, answer
    assert "Ничего не изменено" in answer, answer
    assert await world.snapshot() == before
