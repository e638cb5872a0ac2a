"""Handlers for editors: the desk in the private chat (compose, upload, queue, edit, retract).

The package router lets in private chats of users who are an editor, admin or owner of at
least one channel (and invitees redeeming a code); everyone else falls through to the
subscribers. Each command still checks the role for the channel it acts on.
"""

from __future__ import annotations

from aiogram import Router

from bot.desk.access import DeskAudience, DeskGate
from bot.desk.keyboards import EDITOR_PREFIXES

EDITOR_COMMANDS = frozenset({"/new", "/drafts", "/queue", "/edit", "/retract"})


def create_router() -> Router:
    """The package router with its audience filter set once."""
    from handlers.editors import articles, compose, drafts, misc, preview, queue, upload
    from handlers.editors.errors import DraftErrors

    router = Router(name="editors")
    gate = DeskGate(EDITOR_COMMANDS, learn_usernames=True, buttons=EDITOR_PREFIXES)
    router.message.outer_middleware(gate)
    router.callback_query.outer_middleware(gate)
    router.message.filter(DeskAudience("editor"))
    router.callback_query.filter(DeskAudience("editor"))
    router.message.middleware(DraftErrors())
    router.callback_query.middleware(DraftErrors())
    for module in (misc, compose, preview, drafts, queue, articles, upload):
        module.register(router)
    misc.register_last(router)
    return router
