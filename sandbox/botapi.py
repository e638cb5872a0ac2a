"""The Bot API endpoint: ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from sandbox import jsonutil
from sandbox.bots import BotState
from sandbox.errors import ApiError, not_found
from sandbox.methods import ASYNC, NAMES, SYNC, Call
from sandbox.models import JsonDict
from sandbox.params import Params, read_params
from sandbox.state import SandboxState

log = logging.getLogger(__name__)

STATE_KEY = web.AppKey("sandbox_state", SandboxState)
_UNAUTHORIZED = ApiError(401, "Unauthorized")


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=jsonutil.dumps(body).encode(),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def error_response(error: ApiError) -> web.Response:
    """Telegram's error envelope, with ``Retry-After`` on 429."""
    headers = None
    if error.retry_after is not None:
        headers = {"Retry-After": str(error.retry_after)}
    return _json(error.payload(), error.error_code, headers)


async def execute(state: SandboxState, bot: BotState, name: str, params: Params) -> Any:
    """Run one method (``name`` lower-case) with faults, stats; raises ApiError on failure."""
    canonical = NAMES.get(name)
    stats = state.stats.method(canonical or name)
    stats.calls += 1
    try:
        result = await _run(state, bot, name, canonical, params)
    except ApiError as error:
        stats.errors[error.error_code] += 1
        raise
    stats.ok += 1
    return result


async def _run(
    state: SandboxState, bot: BotState, name: str, canonical: str | None, params: Params
) -> Any:
    latency, fault = state.faults.take(name)
    if latency:
        await asyncio.sleep(latency)
    if fault is not None:
        state.stats.method(canonical or name).faults += 1
        raise fault
    if canonical is None:
        raise not_found()
    call = Call(state, bot, params, canonical)
    handler = SYNC.get(name)
    if handler is not None:
        return handler(call)
    return await ASYNC[name](call)


async def handle_method(request: web.Request) -> web.Response:
    """``GET``/``POST /bot<token>/<method>``: Telegram's ``{"ok": ...}`` envelope."""
    state = request.app[STATE_KEY]
    bot = state.bot_for_token(request.match_info["token"])
    if bot is None:
        return error_response(_UNAUTHORIZED)
    try:
        params = await read_params(request)
        result = await execute(state, bot, request.match_info["method"].lower(), params)
    except ApiError as error:
        return error_response(error)
    return web.Response(
        body=b'{"ok":true,"result":' + jsonutil.dumps(result).encode() + b"}",
        content_type="application/json",
    )


async def handle_file(request: web.Request) -> web.StreamResponse:
    """``GET /file/bot<token>/<file_path>``: bytes of a file from getFile."""
    state = request.app[STATE_KEY]
    if state.bot_for_token(request.match_info["token"]) is None:
        return error_response(_UNAUTHORIZED)
    media = state.files.by_path(request.match_info["path"])
    if media is None or media.data is None:
        return error_response(not_found())
    return web.Response(body=media.data, content_type=media.mime_type or "application/octet-stream")


async def webhook_reply(state: SandboxState, bot: BotState, call: JsonDict) -> None:
    """Run the method a webhook answered with; failures only reach the log, like Telegram."""
    values = {key: value for key, value in call.items() if key != "method"}
    try:
        await execute(state, bot, str(call["method"]).lower(), Params(values))
    except ApiError as error:
        log.info("webhook reply %s failed: %s", call["method"], error.description)


def add_routes(app: web.Application) -> None:
    """Register the Bot API routes."""
    # ``{method:[^/]*}``: ``/bot<token>/`` with no method answers Telegram's JSON 404 too.
    app.router.add_route("*", "/bot{token}/{method:[^/]*}", handle_method)
    app.router.add_get("/file/bot{token}/{path:.+}", handle_file)
