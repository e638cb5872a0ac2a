"""Bot API errors with Telegram's codes and wording."""

from __future__ import annotations

import math
from typing import Any

_PREFIX = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
}


class ApiError(Exception):
    """A failed Bot API call: becomes ``{"ok": false, "error_code", "description", ...}``."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON envelope Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body

    @property
    def retry_after(self) -> int | None:
        """Seconds to wait, for 429 answers."""
        if self.parameters is None:
            return None
        value = self.parameters.get("retry_after")
        return int(value) if value is not None else None


def bad_request(reason: str, parameters: dict[str, Any] | None = None) -> ApiError:
    """400 ``Bad Request: <reason>``."""
    return ApiError(400, f"Bad Request: {reason}", parameters)


def forbidden(reason: str) -> ApiError:
    """403 ``Forbidden: <reason>``."""
    return ApiError(403, f"Forbidden: {reason}")


def conflict(reason: str) -> ApiError:
    """409 ``Conflict: <reason>``."""
    return ApiError(409, f"Conflict: {reason}")


def not_found() -> ApiError:
    """404 for unknown methods, as Telegram answers it."""
    return ApiError(404, "Not Found")


def too_many_requests(wait_seconds: float) -> ApiError:
    """429 with ``retry_after`` rounded up to whole seconds (at least 1)."""
    retry_after = max(1, math.ceil(wait_seconds - 1e-9))
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def default_description(error_code: int) -> str:
    """The description an injected fault carries when none is given."""
    if error_code == 500:
        return "Internal Server Error"
    if error_code == 502:
        return "Bad Gateway"
    if error_code == 403:
        return "Forbidden: bot was blocked by the user"
    prefix = _PREFIX.get(error_code, "Error")
    return f"{prefix}: injected fault"


class ControlError(Exception):
    """A refused control-API request: ``{"ok": false, "error": message}`` with ``status``."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
