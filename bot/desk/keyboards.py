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


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def channel_picker(
    channels: Sequence[Channel], purpose: str, *, admin: bool = False
) -> InlineKeyboardMarkup:
    """One button per channel, for a command that needs to know which one."""
    factory = AdminPick if admin else PickChannel
    buttons = [
        InlineKeyboardButton(
            text=c.title or (f"@{c.username}" if c.username else str(c.id)),
            callback_data=factory(purpose=purpose, chat_id=c.id).pack(),
        )
        for c in channels
    ]
    return InlineKeyboardMarkup(inline_keyboard=_rows(buttons, 1))


def nav_row(
    i18n: I18n, locale: str, draft_id: str, *, skip: str | None = None
) -> list[InlineKeyboardButton]:
    """«Назад» and «Отмена» (and an optional skip-like button) under a dialogue step."""
    row = [
        InlineKeyboardButton(
            text=i18n("desk.btn.back", locale),
            callback_data=Nav(action="back", draft_id=draft_id).pack(),
        ),
        InlineKeyboardButton(
            text=i18n("desk.btn.cancel", locale),
            callback_data=Nav(action="cancel", draft_id=draft_id).pack(),
        ),
    ]
    if skip:
        row.insert(
            0,
            InlineKeyboardButton(
                text=i18n(f"desk.btn.{skip}", locale),
                callback_data=Nav(action=skip, draft_id=draft_id).pack(),
            ),
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
    buttons = [
        InlineKeyboardButton(
            text=r.name, callback_data=PickRubric(draft_id=draft_id, slug=r.slug).pack()
        )
        for r in rubrics
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[*_rows(buttons, 2), nav_row(i18n, locale, draft_id)]
    )


def submit_keyboard(draft_id: str, i18n: I18n, locale: str) -> InlineKeyboardMarkup:
    """Under the preview: publish now, next slot, at a time, breaking, cancel, back."""

    def button(mode: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=i18n(f"desk.submit.{mode}", locale),
            callback_data=SubmitDraft(draft_id=draft_id, mode=mode).pack(),
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
        return InlineKeyboardButton(
            text=i18n(f"desk.queue.btn.{action}", locale),
            callback_data=QueueAction(action=action, post_id=post.id).pack(),
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
            InlineKeyboardButton(
                text=i18n("desk.drafts.open", locale, id=d.id),
                callback_data=DraftAction(action="open", draft_id=d.id).pack(),
            ),
            InlineKeyboardButton(
                text=i18n("desk.drafts.delete", locale, id=d.id),
                callback_data=DraftAction(action="delete", draft_id=d.id).pack(),
            ),
        ]
        for d in drafts
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_keyboard(
    action: str, target: str, chat_id: int, i18n: I18n, locale: str
) -> InlineKeyboardMarkup:
    """«Да, …» / «Нет» for a destructive action."""
    yes = Confirm(action=action, target=target, chat_id=chat_id, yes=True).pack()
    no = Confirm(action=action, target=target, chat_id=chat_id, yes=False).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n(f"desk.confirm.{action}", locale), callback_data=yes
                ),
                InlineKeyboardButton(text=i18n("desk.confirm.no", locale), callback_data=no),
            ]
        ]
    )
