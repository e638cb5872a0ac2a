"""`/drafts`: the editor's unfinished drafts, to reopen or delete; `/cancel` leaves a dialogue."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.desk.keyboards import DraftAction, drafts_keyboard
from handlers.editors.common import Env, current_draft, own_draft
from handlers.editors.compose import ask, first_missing
from handlers.editors.prompts import retire_prompt
from storage.models.draft import Draft

LISTED = 10


def register(router: Router) -> None:
    """Attach `/drafts`, its buttons and `/cancel`."""
    router.message.register(list_drafts, Command("drafts"))
    router.callback_query.register(draft_button, DraftAction.filter())
    router.message.register(cancel_dialogue, Command("cancel"))


def describe(env: Env, draft: Draft) -> str:
    """`№12 · «Заголовок» · 26 ноября, 09:00`."""
    headline = draft.headline or env.t("desk.drafts.untitled")
    return env.t("desk.drafts.line", id=draft.id, headline=headline[:80])


async def list_drafts(message: Message, **data: Any) -> None:
    """The newest drafts with «Открыть» / «Удалить» buttons."""
    env = Env.of(message, data)
    drafts = await env.desk.drafts.drafts_of(env.user.id, LISTED)
    if not drafts:
        await env.say("desk.drafts.empty")
        return
    lines = [env.t("desk.drafts.title", n=len(drafts))]
    lines += [describe(env, d) for d in drafts]
    await env.send("\n".join(lines), drafts_keyboard(drafts, env.i18n, env.locale))


async def draft_button(query: CallbackQuery, callback_data: DraftAction, **data: Any) -> None:
    """Reopen a draft where it stopped, or delete it."""
    env = Env.of(query, data)
    draft = await own_draft(env, callback_data.draft_id, f"/drafts:{callback_data.action}")
    if draft is None:
        await env.ack("desk.draft.gone")
        return
    await env.ack()
    if callback_data.action == "delete":
        await env.desk.drafts.delete(draft)
        await env.say("desk.drafts.deleted", id=draft.id)
    elif callback_data.action == "open":
        await ask(env, draft, first_missing(draft))


async def cancel_dialogue(message: Message, **data: Any) -> None:
    """Leave whatever dialogue is open (a draft in progress is kept)."""
    env = Env.of(message, data)
    draft = await current_draft(env)
    await retire_prompt(env)
    if env.state is not None:
        await env.state.clear()
    if draft is not None:
        await env.say("desk.new.cancelled", id=draft.id)
    else:
        await env.say("desk.cancelled")
