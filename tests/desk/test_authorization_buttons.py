"""The authorization matrix for desk buttons: every button, as it could sit in anyone's chat
(old, forwarded or forged), pressed by every kind of person.

Allowed: the button does its work. Denied: a member of the desk gets a polite refusal naming
the channel (or a toast), anyone else «Эта кнопка устарела»; the whole Redis state is
byte-for-byte unchanged and the audit log holds the denial with its channel.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.desk.keyboards import (
    AdminPick,
    Confirm,
    DraftAction,
    PickChannel,
    QueueAction,
    SubmitDraft,
)
from tests.desk.matrix import (
    AUDIENCES,
    DESK_MEMBERS,
    DRAFT_GONE,
    REFUSAL,
    ROLES,
    STALE_BUTTON,
    Seeds,
    denials_since,
    queue_of_a,
    quiescent,
)
from tests.desk.world import (
    EDITOR_A,
    DeskWorld,
    callback_answers,
    text_of,
)
from tests.harness import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")


DataOf = Callable[[DeskWorld, Seeds, str], str]
Settled = Callable[[DeskWorld, Seeds, str, str], Awaitable[Any]]


@dataclass(frozen=True)
class Button:
    """One desk button as it could sit in anyone's chat (old, forwarded or forged)."""

    name: str
    data: DataOf
    audience: str
    success: str
    action: str  # the audit entry's action
    replies: int = 1
    settled: Settled | None = None  # after success: wait for background work, check state
    denial: str = REFUSAL  # what a member of the desk is told (a message, or a toast)
    denial_is_toast: bool = False
    denied_in_a: bool = True  # whether a member's denial entry names channel A
    outsiders_name_a: bool = True  # whether an outsider's denial entry names channel A


async def _published(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    article_id = text.split("№")[1].split()[0]
    ledger = world.service("ledger")
    await eventually(lambda: ledger.has_published(article_id, world.channel_a))
    await _draft_submitted(world, seeds, role, text)


async def _draft_submitted(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    assert await world.service("desk").drafts.get(ROLES[role], seeds.drafts[role]) is None


async def _first_post_out(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    post = await world.service("publisher").post(seeds.posts[0])
    ledger = world.service("ledger")
    await eventually(lambda: ledger.has_published(post.article_id, world.channel_a))


async def _moved(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    assert await queue_of_a(world) == [seeds.posts[1], seeds.posts[0]]


async def _first_cancelled(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    assert await queue_of_a(world) == [seeds.posts[1]]


async def _retracted(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    ledger = world.service("ledger")

    async def done() -> bool:
        entry = await ledger.get(world.article_id, world.channel_a)
        return entry is not None and entry.status in ("retracted", "failed")

    await eventually(done, what="the retraction settled")


async def _paused(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    assert (await world.service("channels").get(world.channel_a)).paused


async def _draft_started(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    assert len(await world.service("desk").drafts.drafts_of(ROLES[role])) == 2


async def _draft_deleted(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    assert await world.service("desk").drafts.get(EDITOR_A, seeds.drafts["editor_a"]) is None


def _submit(mode: str) -> DataOf:
    return lambda w, s, role: SubmitDraft(draft_id=s.drafts[role], mode=mode).pack()


def _queue(action: str, index: int) -> DataOf:
    return lambda w, s, role: QueueAction(action=action, post_id=s.posts[index]).pack()


BUTTONS = [
    Button("submit now", _submit("now"), "editor", "отправлена в канал «Вестник А»", "/new:now",
           settled=_published),
    Button("submit next slot", _submit("next_slot"), "editor", "в очереди канала «Вестник А»",
           "/new:next_slot", settled=_draft_submitted),
    Button("submit at", _submit("at"), "editor", "Когда опубликовать?", "/new:at"),
    Button("submit breaking", _submit("breaking"), "editor", "Срочно: статья", "/new:breaking",
           settled=_published),
    Button("queue now", _queue("now", 0), "editor", "отправлен", "/queue:now",
           settled=_first_post_out),
    Button("queue up", _queue("up", 1), "editor", "поднят выше", "/queue:up", settled=_moved),
    Button("queue down", _queue("down", 0), "editor", "опущен ниже", "/queue:down",
           settled=_moved),
    Button("queue reschedule", _queue("resched", 0), "editor", "Новое время для поста",
           "/queue:resched"),
    Button("queue edit", _queue("edit", 0), "editor", "Новый заголовок", "/queue:edit"),
    Button("queue cancel", _queue("cancel", 0), "editor", "снят с очереди", "/queue:cancel",
           settled=_first_cancelled),
    Button("retract yes",
           lambda w, s, r: Confirm(action="retract", target=w.article_id, yes=True).pack(),
           "editor", "Снятие", "/retract", settled=_retracted, outsiders_name_a=False),
    Button("retract no",
           lambda w, s, r: Confirm(action="retract", target=w.article_id).pack(),
           "members", "остаётся", "/retract", outsiders_name_a=False),
    Button("pick channel for /new",
           lambda w, s, r: PickChannel(purpose="new", chat_id=w.channel_a).pack(),
           "editor", "Канал: «Вестник А».", "/new", replies=2, settled=_draft_started),
    Button("pick channel for /queue",
           lambda w, s, r: PickChannel(purpose="queue", chat_id=w.channel_a).pack(),
           "editor", "В очереди канала «Вестник А» 2 поста:", "/queue", replies=3),
    Button("pick channel for /pause",
           lambda w, s, r: AdminPick(purpose="pause", chat_id=w.channel_a).pack(),
           "admin", "на паузе", "/pause", settled=_paused),
    Button("pick channel for /slots",
           lambda w, s, r: AdminPick(purpose="slots", chat_id=w.channel_a).pack(),
           "admin", "Слоты канала «Вестник А»", "/slots"),
    Button("delete another's draft",
           lambda w, s, r: DraftAction(action="delete", draft_id=s.drafts["editor_a"]).pack(),
           "author", "удалён", "/drafts:delete", settled=_draft_deleted,
           denial=DRAFT_GONE, denial_is_toast=True, outsiders_name_a=False),
]  # fmt: skip


async def _toast(world: DeskWorld, user_id: int, message_id: int) -> str:
    answers = await eventually(lambda: callback_answers(world, user_id, message_id))
    return str(answers[-1].get("text") or "")


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("button", BUTTONS, ids=[b.name for b in BUTTONS])
async def test_buttons(world: DeskWorld, seeds: Seeds, button: Button, role: str) -> None:
    user_id = ROLES[role]
    person = world.person(user_id)
    saved = await world.snapshot()
    planted = await world.plant(user_id, button.data(world, seeds, role))
    before = await world.snapshot()
    audit_before = await world.audit_count()
    allowed = role in AUDIENCES[button.audience]
    member = role in DESK_MEMBERS
    quiet = not allowed and (not member or button.denial_is_toast)
    expected = button.replies if allowed else 0 if quiet else 1
    replies = await person.press(planted, "Кнопка", replies=expected)
    try:
        text = "\n".join(text_of(m) for m in replies)
        if allowed:
            assert button.success in text, text
            if button.settled is not None:
                await button.settled(world, seeds, role, text)
                await quiescent(world)
            return
        if member and button.denial_is_toast:
            assert button.denial in await _toast(world, user_id, planted["message_id"])
        elif member:
            assert button.denial in text, text
            if button.denied_in_a:
                assert "«Вестник А»" in text, text
        else:
            assert STALE_BUTTON in await _toast(world, user_id, planted["message_id"])
        assert await world.snapshot() == before, "a refused button changed the state"
        denials = [
            e
            for e in await eventually(lambda: denials_since(world, audit_before, user_id))
            if e.action == button.action
        ]
        assert denials, "the refusal is not in the audit log"
        names_a = button.denied_in_a if member else button.outsiders_name_a
        assert {e.chat_id for e in denials} == ({world.channel_a} if names_a else {None})
    finally:
        await world.restore(saved)
