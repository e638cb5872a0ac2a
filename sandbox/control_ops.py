"""Control API around the chats: users, bots, files, limits, faults, stats, reset, events."""

from __future__ import annotations

import time

from aiohttp import web

from sandbox.bots import BotState
from sandbox.chat_actions import pick_bot
from sandbox.control_common import body_of, control, int_arg, reply, state_of
from sandbox.errors import ControlError
from sandbox.faults import rule_from_json
from sandbox.models import JsonDict
from sandbox.views import user_view

MAX_EVENTS_WAIT = 30.0


@control
async def list_users(request: web.Request) -> web.Response:
    """``GET /sandbox/users``: every person (bots excluded)."""
    users = state_of(request).users.values()
    return reply([user_view(user) for user in users if not user.is_bot])


@control
async def create_user(request: web.Request) -> web.Response:
    """``POST /sandbox/users``: a person without a private chat yet."""
    body = await body_of(request)
    if not body.get("first_name"):
        raise ControlError("first_name is required")
    extra = {k: body[k] for k in ("last_name", "username", "language_code") if body.get(k)}
    user_id = int(body["id"]) if body.get("id") is not None else None
    user = state_of(request).add_user(str(body["first_name"]), user_id, **extra)
    return reply(user_view(user), 201)


def _bot_view(bot: BotState) -> JsonDict:
    return {
        **bot.user.brief(),
        "pending_updates": len(bot.updates),
        "webhook_url": bot.webhook.url if bot.webhook else None,
        "polling": bot.polling,
        "commands": [
            {"scope": scope, "language_code": language, "commands": commands}
            for (scope, language), commands in bot.commands.items()
        ],
    }


@control
async def list_bots(request: web.Request) -> web.Response:
    """``GET /sandbox/bots``: bots seen so far; the first is the default one."""
    return reply([_bot_view(bot) for bot in state_of(request).bots.values()])


@control
async def register_bot(request: web.Request) -> web.Response:
    """``POST /sandbox/bots`` ``{"token"|"bot_id"}``: know a bot before its first call."""
    body = await body_of(request)
    if not body.get("token") and body.get("bot_id") is None:
        raise ControlError("give token or bot_id")
    return reply(_bot_view(pick_bot(state_of(request), body)), 201)


@control
async def bot_updates(request: web.Request) -> web.Response:
    """``GET /sandbox/bots/{bot_id}/updates``: pending updates, without confirming them."""
    bot = state_of(request).bots.get(int_arg(request, "bot_id"))
    if bot is None:
        raise ControlError("bot not found", 404)
    return reply(list(bot.updates))


async def get_file(request: web.Request) -> web.StreamResponse:
    """``GET /sandbox/files/{file_id}``: uploaded bytes (URL files redirect to the URL)."""
    media = state_of(request).files.get(request.match_info["file_id"])
    if media is None:
        return reply({"ok": False, "error": "file not found"}, 404)
    if media.data is None:
        raise web.HTTPFound(media.url or "/")
    return web.Response(body=media.data, content_type=media.mime_type or "application/octet-stream")


@control
async def get_limits(request: web.Request) -> web.Response:
    """``GET /sandbox/limits``."""
    return reply(state_of(request).config.limits.as_dict())


@control
async def set_limits(request: web.Request) -> web.Response:
    """``POST /sandbox/limits``: change some limits (buckets start full)."""
    state = state_of(request)
    try:
        limits = state.config.limits.updated(await body_of(request))
    except (TypeError, ValueError) as exc:
        raise ControlError(str(exc)) from None
    state.config.limits = limits
    state.limiter.configure(limits)
    return reply(limits.as_dict())


@control
async def list_faults(request: web.Request) -> web.Response:
    """``GET /sandbox/faults``: rules still active."""
    return reply([rule.view() for rule in state_of(request).faults.rules])


@control
async def add_fault(request: web.Request) -> web.Response:
    """``POST /sandbox/faults``: the next N calls of a method fail and/or lag."""
    try:
        rule = rule_from_json(await body_of(request))
    except (TypeError, ValueError) as exc:
        raise ControlError(str(exc)) from None
    state_of(request).faults.add(rule)
    return reply(rule.view(), 201)


@control
async def clear_faults(request: web.Request) -> web.Response:
    """``DELETE /sandbox/faults``."""
    state_of(request).faults.clear()
    return reply({"ok": True})


@control
async def stats(request: web.Request) -> web.Response:
    """``GET /sandbox/stats``: per-method counters, messages per chat, the server's CPU time."""
    state = state_of(request)
    per_chat = {str(chat.id): len(chat.messages) for chat in state.chats.values()}
    cpu = round(time.process_time(), 4)
    return reply({**state.stats.view(), "messages_per_chat": per_chat, "process_cpu_seconds": cpu})


@control
async def reset(request: web.Request) -> web.Response:
    """``POST /sandbox/reset``: empty world, default limits, no faults."""
    state_of(request).reset()
    return reply({"ok": True})


@control
async def events(request: web.Request) -> web.Response:
    """``GET /sandbox/events?since=N&timeout=S``: changes after N, long-polling up to S."""
    try:
        since = int(request.query.get("since", "0"))
        timeout = min(float(request.query.get("timeout", "25")), MAX_EVENTS_WAIT)
    except ValueError:
        raise ControlError("since and timeout must be numbers") from None
    log = state_of(request).events
    found = await log.wait(since, timeout)
    return reply({"last": log.last_seq, "events": found})


def add_routes(app: web.Application) -> None:
    """Register the non-chat routes of the control API."""
    router = app.router
    router.add_get("/sandbox/users", list_users)
    router.add_post("/sandbox/users", create_user)
    router.add_get("/sandbox/bots", list_bots)
    router.add_post("/sandbox/bots", register_bot)
    router.add_get("/sandbox/bots/{bot_id}/updates", bot_updates)
    router.add_get("/sandbox/files/{file_id}", get_file)
    router.add_get("/sandbox/limits", get_limits)
    router.add_post("/sandbox/limits", set_limits)
    router.add_get("/sandbox/faults", list_faults)
    router.add_post("/sandbox/faults", add_fault)
    router.add_delete("/sandbox/faults", clear_faults)
    router.add_get("/sandbox/stats", stats)
    router.add_post("/sandbox/reset", reset)
    router.add_get("/sandbox/events", events)
