"""Inline keyboards and callback data of the editor's desk and the admin commands.

Every button carries a `CallbackData` factory (one prefix per purpose, all starting with
`d`), so a forged or stale button never parses into something else: handlers re-check the
role for the channel a button names, and unparseable desk data gets a polite answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import I18n
from bot.inline_keyboards import callback_button, in_rows
from storage.models.article import Rubric
from storage.models.channel import Channel
from storage.models.draft import Draft
from storage.models.queue import QueuedPost

EDITOR_PREFIXES = ("dch", "drb", "dnav", "dsub", "dq", "ddr", "dcf")
ADMIN_PREFIXES = ("dap",)


class PickChannel(CallbackData, prefix="dch"):
    """A channel chosen for a command (`purpose`: new, slots, pause, ...)."""

    purpose: str
    chat_id: int


class PickRubric(CallbackData, prefix="drb"):
    """The rubric of the draft being composed."""

    draft_id: str
    slug: str


class Nav(CallbackData, prefix="dnav"):
    """Dialogue navigation: back, cancel, skip (a step), nophoto."""

    action: str
    draft_id: str = ""


class SubmitDraft(CallbackData, prefix="dsub"):
    """What to do with a previewed draft: now, next_slot, at, breaking, cancel."""

    draft_id: str
    mode: str


class QueueAction(CallbackData, prefix="dq"):
    """A button under a queued post: now, up, down, resched, edit, cancel."""

    action: str
    post_id: str


class DraftAction(CallbackData, prefix="ddr"):
    """A button in `/drafts`: open or delete."""

    action: str
    draft_id: str


class Confirm(CallbackData, prefix="dcf"):
    """Yes/no for a destructive action (`action`: retract, revoke) on `target`."""

    action: str
    target: str
    chat_id: int = 0
    yes: bool = False


class AdminPick(CallbackData, prefix="dap"):
    """A channel chosen for an admin command (`purpose`: slots, pause, grant, ...)."""

    purpose: str
    chat_id: int


def channel_picker(
    channels: Sequence[Channel], purpose: str, *, admin: bool = False
) -> InlineKeyboardMarkup:
    """One button per channel, for a command that needs to know which one."""
    factory = AdminPick if admin else PickChannel
    buttons = [
        callback_button(
            c.title or (f"@{c.username}" if c.username else str(c.id)),
            factory(purpose=purpose, chat_id=c.id),
        )
        for c in channels
    ]
    return InlineKeyboardMarkup(inline_keyboard=in_rows(buttons, 1))


def with_cancel(
    markup: InlineKeyboardMarkup, i18n: I18n, locale: str, draft_id: str
) -> InlineKeyboardMarkup:
    """The keyboard with an «Отмена» row under it (the first step has nothing to go back to)."""
    cancel = callback_button(
        i18n("desk.btn.cancel", locale), Nav(action="cancel", draft_id=draft_id)
    )
    return InlineKeyboardMarkup(inline_keyboard=[*markup.inline_keyboard, [cancel]])


def nav_row(
    i18n: I18n, locale: str, draft_id: str, *, skip: str | None = None
) -> list[InlineKeyboardButton]:
    """«Назад» and «Отмена» (and an optional skip-like button) under a dialogue step."""
    row = [
        callback_button(i18n("desk.btn.back", locale), Nav(action="back", draft_id=draft_id)),
        callback_button(i18n("desk.btn.cancel", locale), Nav(action="cancel", draft_id=draft_id)),
    ]
    if skip:
        row.insert(
            0,
            callback_button(i18n(f"desk.btn.{skip}", locale), Nav(action=skip, draft_id=draft_id)),
        )
    return row


def step_keyboard(
    i18n: I18n, locale: str, draft_id: str, *, skip: str | None = None
) -> InlineKeyboardMarkup:
    """The navigation keyboard of one dialogue step."""
    return InlineKeyboardMarkup(inline_keyboard=[nav_row(i18n, locale, draft_id, skip=skip)])


def rubric_picker(
    rubrics: Sequence[Rubric], draft_id: str, i18n: I18n, locale: str
) -> InlineKeyboardMarkup:
    """The rubrics the channel publishes, two per row, then «Назад» / «Отмена»."""
    buttons = [callback_button(r.name, PickRubric(draft_id=draft_id, slug=r.slug)) for r in rubrics]
    return InlineKeyboardMarkup(
        inline_keyboard=[*in_rows(buttons, 2), nav_row(i18n, locale, draft_id)]
    )


def submit_keyboard(draft_id: str, i18n: I18n, locale: str) -> InlineKeyboardMarkup:
    """Under the preview: publish now, next slot, at a time, breaking, cancel, back."""

    def button(mode: str) -> InlineKeyboardButton:
        return callback_button(
            i18n(f"desk.submit.{mode}", locale), SubmitDraft(draft_id=draft_id, mode=mode)
        )

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button("now"), button("next_slot")],
            [button("at"), button("breaking")],
            nav_row(i18n, locale, draft_id),
        ]
    )


def queue_keyboard(post: QueuedPost, i18n: I18n, locale: str) -> InlineKeyboardMarkup:
    """Buttons under one queued post."""

    def button(action: str) -> InlineKeyboardButton:
        return callback_button(
            i18n(f"desk.queue.btn.{action}", locale), QueueAction(action=action, post_id=post.id)
        )

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button("now"), button("up"), button("down")],
            [button("resched"), button("edit"), button("cancel")],
        ]
    )


def drafts_keyboard(drafts: Sequence[Draft], i18n: I18n, locale: str) -> InlineKeyboardMarkup:
    """«Открыть №N» / «Удалить №N» per draft."""
    rows = [
        [
            callback_button(
                i18n("desk.drafts.open", locale, id=d.id), DraftAction(action="open", draft_id=d.id)
            ),
            callback_button(
                i18n("desk.drafts.delete", locale, id=d.id),
                DraftAction(action="delete", draft_id=d.id),
            ),
        ]
        for d in drafts
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_keyboard(
    action: str, target: str, chat_id: int, i18n: I18n, locale: str
) -> InlineKeyboardMarkup:
    """«Да, …» / «Нет» for a destructive action."""

    def answer(text_key: str, yes: bool) -> InlineKeyboardButton:
        data = Confirm(action=action, target=target, chat_id=chat_id, yes=yes)
        return callback_button(i18n(text_key, locale), data)

    return InlineKeyboardMarkup(
        inline_keyboard=[[answer(f"desk.confirm.{action}", True), answer("desk.confirm.no", False)]]
    )
