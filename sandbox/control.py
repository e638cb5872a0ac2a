"""Control API for chats: create and list them, move the bot, write as users, read history."""

from __future__ import annotations

from aiohttp import web

from sandbox import chat_actions, user_actions
from sandbox.control_common import body_of, chat_of, control, int_arg, reply, state_of
from sandbox.views import chat_view, message_view


@control
async def list_chats(request: web.Request) -> web.Response:
    """``GET /sandbox/chats``: every chat."""
    state = state_of(request)
    return reply([chat_view(state, chat) for chat in state.chats.values()])


@control
async def create_chat(request: web.Request) -> web.Response:
    """``POST /sandbox/chats``: a new private chat, group, supergroup or channel."""
    state = state_of(request)
    chat = chat_actions.create_chat(state, await body_of(request))
    return reply(chat_view(state, chat), 201)


@control
async def get_chat(request: web.Request) -> web.Response:
    """``GET /sandbox/chats/{chat_id}``: one chat."""
    return reply(chat_view(state_of(request), chat_of(request)))


@control
async def set_bot(request: web.Request) -> web.Response:
    """``POST /sandbox/chats/{chat_id}/bot``: the bot joins, is promoted, leaves, is kicked."""
    state, chat = state_of(request), chat_of(request)
    chat_actions.set_bot_status(state, chat, await body_of(request))
    return reply(chat_view(state, chat))


@control
async def add_admin(request: web.Request) -> web.Response:
    """``POST /sandbox/chats/{chat_id}/admins``: make a user creator or administrator."""
    state, chat = state_of(request), chat_of(request)
    chat_actions.add_admin(state, chat, await body_of(request))
    return reply(chat_view(state, chat))


@control
async def remove_admin(request: web.Request) -> web.Response:
    """``DELETE /sandbox/chats/{chat_id}/admins/{user_id}``."""
    state, chat = state_of(request), chat_of(request)
    chat_actions.remove_admin(state, chat, int_arg(request, "user_id"))
    return reply(chat_view(state, chat))


@control
async def block(request: web.Request) -> web.Response:
    """``POST /sandbox/chats/{chat_id}/block``: the user blocks or unblocks the bot."""
    state, chat = state_of(request), chat_of(request)
    chat_actions.block(state, chat, await body_of(request))
    return reply(chat_view(state, chat))


@control
async def migrate(request: web.Request) -> web.Response:
    """``POST /sandbox/chats/{chat_id}/migrate``: group to supergroup; returns the new chat."""
    state = state_of(request)
    new = chat_actions.migrate(state, chat_of(request))
    return reply(chat_view(state, new))


@control
async def list_messages(request: web.Request) -> web.Response:
    """``GET /sandbox/chats/{chat_id}/messages``: the whole history, deleted ones marked."""
    return reply([message_view(message) for message in chat_of(request).messages])


@control
async def post_message(request: web.Request) -> web.Response:
    """``POST /sandbox/chats/{chat_id}/messages``: a user writes, or presses a button."""
    state, chat = state_of(request), chat_of(request)
    body = await body_of(request)
    if "callback_data" in body:
        record = user_actions.press_button(state, chat, body)
        return reply({"callback_query_id": record.id, "bot_id": record.bot_id}, 201)
    message, delivered = user_actions.user_message(state, chat, body)
    return reply({**message_view(message), "delivered_to": delivered}, 201)


def add_routes(app: web.Application) -> None:
    """Register the chat routes of the control API."""
    router = app.router
    router.add_get("/sandbox/chats", list_chats)
    router.add_post("/sandbox/chats", create_chat)
    router.add_get("/sandbox/chats/{chat_id}", get_chat)
    router.add_post("/sandbox/chats/{chat_id}/bot", set_bot)
    router.add_post("/sandbox/chats/{chat_id}/admins", add_admin)
    router.add_delete("/sandbox/chats/{chat_id}/admins/{user_id}", remove_admin)
    router.add_post("/sandbox/chats/{chat_id}/block", block)
    router.add_post("/sandbox/chats/{chat_id}/migrate", migrate)
    router.add_get("/sandbox/chats/{chat_id}/messages", list_messages)
    router.add_post("/sandbox/chats/{chat_id}/messages", post_message)
