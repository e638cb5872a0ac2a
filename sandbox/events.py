"""A change feed for viewers: ``GET /sandbox/events?since=N`` long-polls it."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any


class EventLog:
    """Numbered events (``seq`` grows from 1), the most recent ``capacity`` kept."""

    def __init__(self, capacity: int) -> None:
        self._events: deque[dict[str, Any]] = deque(maxlen=capacity)
        self.last_seq = 0
        self._waiters = 0
        self._wakeup = asyncio.Event()

    def add(self, kind: str, **details: Any) -> None:
        """Record a change (``kind`` like ``message``, ``edit``, ``chat``)."""
        self.last_seq += 1
        self._events.append({"seq": self.last_seq, "type": kind, **details})
        if self._waiters:
            self._wakeup.set()

    @property
    def waiting(self) -> int:
        """How many viewers are long-polling right now."""
        return self._waiters

    def since(self, seq: int) -> list[dict[str, Any]]:
        """Events newer than ``seq``."""
        if seq >= self.last_seq:
            return []
        return [event for event in self._events if event["seq"] > seq]

    async def wait(self, seq: int, timeout: float) -> list[dict[str, Any]]:
        """Events newer than ``seq``, waiting up to ``timeout`` seconds for one."""
        found = self.since(seq)
        if found or timeout <= 0:
            return found
        self._waiters += 1
        try:
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout)
        finally:
            self._waiters -= 1
        return self.since(seq)
