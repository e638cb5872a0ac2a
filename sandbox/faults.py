"""Injected failures and latency for Bot API calls (``/sandbox/faults``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.errors import ApiError, default_description, too_many_requests

ALLOWED_CODES = frozenset({400, 401, 403, 404, 409, 429, 500, 502, 503})


@dataclass(slots=True)
class FaultRule:
    """The next ``count`` calls of ``method`` (``*`` = any) wait and/or fail."""

    method: str
    count: int | None
    error_code: int | None
    description: str | None
    retry_after: int | None
    latency_ms: float

    def error(self) -> ApiError | None:
        """The error this rule answers with, if it injects one."""
        if self.error_code is None:
            return None
        if self.error_code == 429:
            error = too_many_requests(self.retry_after or 1)
            if self.description:
                error.description = self.description
            return error
        description = self.description or default_description(self.error_code)
        return ApiError(self.error_code, description)

    def view(self) -> dict[str, Any]:
        """JSON for the control API."""
        return {
            "method": self.method,
            "count": self.count,
            "error_code": self.error_code,
            "description": self.description,
            "retry_after": self.retry_after,
            "latency_ms": self.latency_ms,
        }


def rule_from_json(body: dict[str, Any]) -> FaultRule:
    """Validate a ``POST /sandbox/faults`` body; raises ValueError with a readable reason."""
    code = body.get("error_code")
    if code is not None and int(code) not in ALLOWED_CODES:
        raise ValueError(f"error_code must be one of {sorted(ALLOWED_CODES)}")
    latency = float(body.get("latency_ms") or 0)
    if code is None and latency <= 0:
        raise ValueError("give error_code, latency_ms or both")
    count = body.get("count")
    if count is None and code is not None:
        count = 1
    if count is not None and int(count) < 1:
        raise ValueError("count must be at least 1")
    retry_after = body.get("retry_after")
    return FaultRule(
        method=str(body.get("method") or "*").lower(),
        count=int(count) if count is not None else None,
        error_code=int(code) if code is not None else None,
        description=body.get("description"),
        retry_after=int(retry_after) if retry_after is not None else None,
        latency_ms=latency,
    )


class Faults:
    """The active rules, matched in the order they were added."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> None:
        """Append a rule."""
        self.rules.append(rule)

    def clear(self) -> None:
        """Drop every rule."""
        self.rules.clear()

    def take(self, method: str) -> tuple[float, ApiError | None]:
        """For a call of ``method`` (lower case): total latency in seconds and error to raise."""
        if not self.rules:
            return 0.0, None
        latency, error = 0.0, None
        for rule in list(self.rules):
            if rule.method not in ("*", method):
                continue
            if rule.error_code is not None and error is not None:
                continue
            latency += rule.latency_ms / 1000.0
            error = error or rule.error()
            if rule.count is not None:
                rule.count -= 1
                if rule.count <= 0:
                    self.rules.remove(rule)
        return latency, error
