"""The one JSON codec of the sandbox (compact, UTF-8, shared by every response)."""

from __future__ import annotations

import json
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact JSON text; non-ASCII stays readable (Telegram answers the same way)."""
    return _ENCODER.encode(value)


loads = json.loads
