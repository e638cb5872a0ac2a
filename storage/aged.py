"""Deleting what a sorted-set index says is older than a cutoff, page by page.

Retention of drafts, file_ids and learned usernames works the same way: an index scores each
entry by its last change, a script deletes a page of candidates after checking each one again
(a change in between keeps it), and the loop ends when a page yields nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from redis.asyncio import Redis

PAGE = 500


async def purge_by_index(
    redis: Redis,
    index: str,
    cutoff: float,
    delete: Callable[[Sequence[str]], Awaitable[int]],
) -> int:
    """Hand `delete` each page of members scored before `cutoff`; how many it deleted."""
    removed = 0
    while True:
        members = await redis.zrangebyscore(index, "-inf", f"({cutoff!r}", start=0, num=PAGE)
        if not members:
            return removed
        gone = await delete([str(member) for member in members])
        removed += gone
        if not gone:  # only entries changed meanwhile: the next sweep looks again
            return removed
