"""CPU-heavy work off the event loop: a large input goes to a worker thread, a small one runs
inline (a thread hop costs more than parsing a normal article).

Parsing a 2 MB upload takes a fraction of a second and typographing it seconds; run inline,
that would stall every chat the bot serves. In a worker thread the loop keeps answering:
the work is Python code and short regular expressions, so the interpreter hands the loop its
turn every few milliseconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

__all__ = ["INLINE_LIMIT", "off_loop"]

T = TypeVar("T")

# Inputs up to this many characters (or bytes) are handled on the loop itself.
INLINE_LIMIT = 32 * 1024


async def off_loop(size: int, work: Callable[[], T]) -> T:
    """`work()`, in a worker thread when `size` (of its input) is over `INLINE_LIMIT`."""
    if size <= INLINE_LIMIT:
        return work()
    return await asyncio.to_thread(work)
