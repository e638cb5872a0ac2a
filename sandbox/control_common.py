"""Plumbing shared by the control-API handlers: JSON in and out, errors, lookups."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sandbox import jsonutil
from sandbox.botapi import STATE_KEY
from sandbox.errors import ControlError
from sandbox.models import Chat
from sandbox.state import SandboxState

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def reply(data: Any, status: int = 200) -> web.Response:
    """A JSON answer."""
    return web.Response(
        body=jsonutil.dumps(data).encode(), status=status, content_type="application/json"
    )


def control(handler: Handler) -> Handler:
    """Turn ControlError into ``{"ok": false, "error": ...}`` with its HTTP status."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except ControlError as exc:
            return reply({"ok": False, "error": exc.message}, exc.status)

    return wrapper


def state_of(request: web.Request) -> SandboxState:
    """The sandbox behind this app."""
    return request.app[STATE_KEY]


async def body_of(request: web.Request) -> dict[str, Any]:
    """The request's JSON object (an empty body reads as ``{}``)."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = jsonutil.loads_text(raw)
    except jsonutil.InvalidText as exc:
        raise ControlError(f"the body holds invalid text: {exc}") from None
    except ValueError:
        raise ControlError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    return body


def int_arg(request: web.Request, name: str) -> int:
    """An integer path parameter."""
    try:
        return int(request.match_info[name])
    except ValueError:
        raise ControlError(f"{name} must be an integer") from None


def chat_of(request: web.Request) -> Chat:
    """The chat named in the path (id or @username), or 404."""
    raw = request.match_info["chat_id"]
    ref: int | str = raw if raw.startswith("@") else int_arg(request, "chat_id")
    chat = state_of(request).find_chat(ref)
    if chat is None:
        raise ControlError(f"chat {raw} not found", 404)
    return chat
