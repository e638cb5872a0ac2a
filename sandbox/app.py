"""The aiohttp application: Bot API, control API, web view."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from aiohttp import web

from sandbox import autosave, botapi, control, control_ops
from sandbox.botapi import STATE_KEY
from sandbox.bots import BotState
from sandbox.config import SandboxConfig
from sandbox.models import JsonDict
from sandbox.origin import OwnHosts, origin_guard
from sandbox.state import SandboxState

MAX_UPLOAD = 50 * 1024 * 1024
_PLACEHOLDER = (
    "<!doctype html><meta charset=utf-8><title>Telegram sandbox</title>"
    "<p>The sandbox is running. Control API: <code>/sandbox/chats</code>.</p>"
)


def create_app(config: SandboxConfig | None = None) -> web.Application:
    """A fresh sandbox: its own in-memory state, limits from ``config`` (defaults: on).

    With ``config.state_file`` the state is loaded on startup and saved while it runs.
    Requests from a foreign page (``Origin``) or by a foreign name (``Host``) are refused.
    """
    config = config or SandboxConfig()
    state = SandboxState(config)
    own = OwnHosts(config.host, config.allowed_hosts)
    app = web.Application(client_max_size=MAX_UPLOAD, middlewares=[origin_guard(own)])
    app[STATE_KEY] = state
    botapi.add_routes(app)
    control.add_routes(app)
    control_ops.add_routes(app)
    app.router.add_get("/", _index)
    app.router.add_get("/web/{path:.+}", _static)
    app.on_startup.append(_startup)
    app.on_cleanup.append(_cleanup)
    if config.state_file is not None:
        autosave.enable(app, state, config.state_file, config.state_save_interval)
    return app


def state_of(app: web.Application) -> SandboxState:
    """The state of an app made by :func:`create_app` (for in-process tests and tools)."""
    return app[STATE_KEY]


async def _startup(app: web.Application) -> None:
    state = app[STATE_KEY]

    async def reply(bot: BotState, call: JsonDict) -> None:
        await botapi.webhook_reply(state, bot, call)

    state.webhooks.on_reply = reply


async def _cleanup(app: web.Application) -> None:
    await app[STATE_KEY].webhooks.close()


def _web_dir(request: web.Request) -> Path:
    return request.app[STATE_KEY].config.web_dir


async def _index(request: web.Request) -> web.StreamResponse:
    """``GET /``: the web view's page."""
    index = _web_dir(request) / "index.html"
    if not index.is_file():
        return web.Response(text=_PLACEHOLDER, content_type="text/html")
    return web.FileResponse(index, headers={"Cache-Control": "no-cache"})


async def _static(request: web.Request) -> web.StreamResponse:
    """``GET /web/{path}``: the web view's static files (no escaping the folder)."""
    root = _web_dir(request).resolve()
    target = (root / request.match_info["path"]).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise web.HTTPNotFound()
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return web.FileResponse(
        target, headers={"Content-Type": content_type, "Cache-Control": "no-cache"}
    )
