"""Dialogue states of the desk (aiogram FSM, stored in Redis)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Compose(StatesGroup):
    """The steps of composing a post with `/new` (and of a reopened or uploaded draft)."""

    channel = State()
    rubric = State()
    headline = State()
    lead = State()
    photo = State()
    credit = State()
    source = State()
    preview = State()
    when = State()


class QueueEdit(StatesGroup):
    """Waiting for a new time for a queued post."""

    when = State()


class EditArticle(StatesGroup):
    """`/edit <id>`: the new headline, then the new lead."""

    headline = State()
    lead = State()
