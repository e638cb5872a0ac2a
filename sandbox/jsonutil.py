"""The one JSON codec of the sandbox (compact, UTF-8, shared by every response)."""

from __future__ import annotations

import json
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact JSON text; non-ASCII stays readable (Telegram answers the same way)."""
    return _ENCODER.encode(value)


loads = json.loads


class InvalidText(ValueError):
    """JSON that parses but holds no valid text: a lone UTF-16 surrogate (`"\\ud800"`)."""


def loads_text(raw: str | bytes) -> Any:
    """Parse JSON whose every string is valid Unicode text.

    JSON may escape a lone surrogate (`"\\ud800"`), which Python decodes into a string no
    UTF-8 encoder accepts: stored in the sandbox's state it would make every later answer
    that includes it fail (a chat's updates, its message list, the saved state). Such input is
    refused here, before anything is stored (`InvalidText`); other bad JSON is a ValueError.
    """
    value = json.loads(raw)
    try:
        dumps(value).encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(exc.object[exc.start])
        raise InvalidText(f"a lone surrogate \\u{code:04x} is not a character") from None
    return value
