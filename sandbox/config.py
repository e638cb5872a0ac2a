"""Configuration of the sandbox: rate limits, time sources, the bots' names."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

Clock = Callable[[], float]

WEB_DIR = Path(__file__).parent / "web"


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """Telegram's flood limits as the sandbox enforces them (per bot)."""

    enabled: bool = True
    global_per_sec: float = 30.0
    private_per_sec: float = 1.0
    private_burst: int = 3
    group_per_min: float = 20.0
    paid_per_sec: float = 1000.0

    def updated(self, changes: dict[str, Any]) -> LimitsConfig:
        """A copy with the known keys of ``changes`` applied (unknown keys raise ValueError)."""
        names = {f.name for f in fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown limit settings: {', '.join(sorted(unknown))}")
        clean: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "enabled":
                clean[key] = bool(value)
            elif key == "private_burst":
                clean[key] = max(1, int(value))
            else:
                clean[key] = _positive(key, value)
        return replace(self, **clean)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view for the control API."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _positive(key: str, value: Any) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(f"{key} must be positive")
    return number


@dataclass(slots=True)
class SandboxConfig:
    """Everything that shapes one sandbox instance; all fields have working defaults.

    ``clock`` drives the rate limiter (inject a fake one in tests to avoid sleeping);
    ``wall_clock`` stamps messages and updates with Unix dates. With ``state_file`` the world
    (chats, messages, files, bots) is loaded from that JSON file at startup and saved back every
    ``state_save_interval`` seconds when it changed, and at a clean shutdown. ``host`` is the
    address the server is bound to and ``allowed_hosts`` further names it may be reached by:
    the control API and the web view refuse any other ``Host`` (see ``sandbox.origin``).
    """

    limits: LimitsConfig = field(default_factory=LimitsConfig)
    clock: Clock = time.monotonic
    wall_clock: Clock = time.time
    bot_username: str = "vestnik_sandbox_bot"
    bot_first_name: str = "Вестник (песочница)"
    webhook_retry_delay: float = 1.0
    webhook_timeout: float = 10.0
    web_dir: Path = WEB_DIR
    max_events: int = 5000
    state_file: Path | None = None
    state_save_interval: float = 5.0
    host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
