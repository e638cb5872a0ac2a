"""Per-method call counters for ``/sandbox/stats``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class MethodStats:
    """Counters of one Bot API method."""

    calls: int = 0
    ok: int = 0
    errors: Counter[int] = field(default_factory=Counter)
    rate_limited: int = 0
    faults: int = 0

    def view(self) -> dict[str, Any]:
        """JSON for the control API (error codes as string keys)."""
        return {
            "calls": self.calls,
            "ok": self.ok,
            "errors": {str(code): count for code, count in sorted(self.errors.items())},
            "rate_limited": self.rate_limited,
            "faults": self.faults,
        }


class Stats:
    """Counters of every method called since start or the last reset."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Back to zero."""
        self.methods: dict[str, MethodStats] = {}
        self.updates_emitted = 0
        self.webhook_deliveries = 0
        self.webhook_failures = 0

    def method(self, name: str) -> MethodStats:
        """The counters of ``name`` (created on first use)."""
        found = self.methods.get(name)
        if found is None:
            found = self.methods[name] = MethodStats()
        return found

    def view(self) -> dict[str, Any]:
        """JSON for the control API (without per-chat counts, added by the caller)."""
        return {
            "methods": {name: s.view() for name, s in sorted(self.methods.items())},
            "updates_emitted": self.updates_emitted,
            "webhook_deliveries": self.webhook_deliveries,
            "webhook_failures": self.webhook_failures,
        }
