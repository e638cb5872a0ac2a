"""The authorization matrix: every admin and editor command against every kind of person.

Channel «Вестник А» (@vestnik_a) is the channel each command names. Allowed: the command
answers with its success text. Denied: a member of the desk gets a polite refusal, anyone
else falls through to the subscribers' router; in both cases the tracked Redis state is
byte-for-byte unchanged and the audit log holds the denial. `/timezone` is also the
subscribers' own command: outside the desk it answers as theirs and is not a denial. One
app serves the whole module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from tests.desk.world import (
    ADMIN_A,
    ADMIN_B,
    EDITOR_A,
    EDITOR_B,
    NEWCOMER,
    OWNER,
    STRANGER,
    SUBSCRIBER,
    DeskWorld,
    callback_answers,
    desk_world,
    text_of,
)
from tests.harness import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")

ROLES = {
    "owner": OWNER,
    "admin_a": ADMIN_A,
    "editor_a": EDITOR_A,
    "editor_b": EDITOR_B,
    "admin_b": ADMIN_B,
    "subscriber": SUBSCRIBER,
    "stranger": STRANGER,
}
ADMIN_ALLOWED = {"owner", "admin_a"}
EDITOR_ALLOWED = {"owner", "admin_a", "editor_a"}
DESK_MEMBERS = {"owner", "admin_a", "editor_a", "editor_b", "admin_b"}
ADMINS_ANYWHERE = {"owner", "admin_a", "admin_b"}

REFUSAL = "нет прав"
FALLTHROUGH = "Команды {command} нет"


@dataclass(frozen=True)
class Case:
    """One command: who may run it, what success says, and how success changes state."""

    command: str
    audience: str  # admin | editor
    success: str
    replies: int = 1
    check: str | None = None  # name of a state check after success
    # Also a subscribers' command: outside the desk it is theirs (this answer, no audit entry).
    subscribers_answer: str | None = None

    @property
    def name(self) -> str:
        return self.command.split()[0]


CASES = [
    Case("/slots @vestnik_a 08:00 20:00", "admin", "«Вестник А» — 08:00, 20:00", check="slots"),
    Case("/slots @vestnik_a", "admin", "Слоты «Вестник А»"),
    Case("/route @vestnik_a Экономика", "admin", "публикует рубрики: Экономика", check="route"),
    Case("/pause @vestnik_a", "admin", "на паузе", check="paused"),
    Case("/resume @vestnik_a", "admin", "возобновлены"),
    Case("/quiet @vestnik_a 23:00-07:00", "admin", "23:00–07:00", check="quiet"),
    Case("/interval @vestnik_a 30", "admin", "«Вестник А» — 30 минут", check="interval"),
    Case("/interval @vestnik_a", "admin", "промежуток между постами в «Вестник А»: нет"),
    Case("/catchup @vestnik_a пропустить 6", "admin", "старше 6 часов", check="catchup"),
    Case("/catchup @vestnik_a", "admin", "После простоя «Вестник А»: распределить"),
    Case(
        "/timezone @vestnik_a Europe/Moscow",
        "admin",
        "— Europe/Moscow",
        check="timezone",
        subscribers_answer="Не знаю часового пояса «@vestnik_a Europe/Moscow»",
    ),
    Case(
        "/timezone @vestnik_a",
        "admin",
        "Часовой пояс «Вестник А»: Asia/Almaty",
        subscribers_answer="Не знаю часового пояса «@vestnik_a»",
    ),
    Case("/signature @vestnik_a <b>Вестник</b>", "admin", "<b>Вестник</b>", check="signature"),
    Case("/signature @vestnik_a", "admin", "У постов «Вестник А» нет подписи"),
    Case("/silent @vestnik_a off", "admin", "будут уходить со звуком", check="loud"),
    Case("/silent @vestnik_a", "admin", "«Вестник А» по расписанию уходят без звука"),
    Case("/stats @vestnik_a week", "admin", "Статистика «Вестник А» за неделю"),
    Case("/editors @vestnik_a", "admin", "редактор"),
    Case(f"/grant @vestnik_a {NEWCOMER}", "admin", "редактор «Вестник А»", check="granted"),
    Case("/grant @vestnik_a", "admin", "?start=inv_", check="invited"),
    Case(f"/revoke @vestnik_a {EDITOR_A}", "admin", "больше не редактор", check="revoked"),
    Case("/audit @vestnik_a", "admin", "Последн"),
    Case("/queue @vestnik_a", "editor", "«Вестник А»"),
    Case("/new @vestnik_a", "editor", "Рубрика", replies=3, check="draft"),
    Case("/edit {article}", "editor", "Новый заголовок"),
    Case("/retract {article}", "editor", "Снять статью"),
]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(redis_server: Any) -> AsyncIterator[DeskWorld]:
    async with desk_world(redis_server.url) as running:
        yield running


def expected_allowed(case: Case, role: str) -> bool:
    return role in (ADMIN_ALLOWED if case.audience == "admin" else EDITOR_ALLOWED)


def handled_by_desk(case: Case, role: str) -> bool:
    """Whether the person reaches the package router (else: the subscribers answer)."""
    return role in (ADMINS_ANYWHERE if case.audience == "admin" else DESK_MEMBERS)


async def check_state(world: DeskWorld, check: str | None) -> None:
    channels = world.service("channels")
    roles = world.service("roles")
    a = await channels.get(world.channel_a)
    if check == "slots":
        assert a.slots == ["08:00", "20:00"]
    elif check == "route":
        assert a.routing == ["ekonomika"]
    elif check == "paused":
        assert a.paused
    elif check == "quiet":
        assert (a.quiet.start, a.quiet.end) == ("23:00", "07:00")
    elif check == "interval":
        assert a.min_interval == 30 * 60
    elif check == "catchup":
        assert (a.catchup, a.catchup_max_age) == ("skip_older", 6 * 3600)
    elif check == "timezone":
        assert a.timezone == "Europe/Moscow"
    elif check == "signature":
        assert a.template.signature == "<b>Вестник</b>"
    elif check == "loud":
        assert not a.silent_slot_posts
    elif check == "granted":
        assert NEWCOMER in await roles.repo.editors(world.channel_a)
    elif check == "revoked":
        assert EDITOR_A not in await roles.repo.editors(world.channel_a)
    elif check == "invited":
        keys = [k async for k in world.redis.scan_iter(match="*:invite:*")]
        assert len(keys) == 1
    elif check == "draft":
        drafts = world.service("desk").drafts
        assert (
            len(await drafts.drafts_of(OWNER))
            + len(await drafts.drafts_of(ADMIN_A))
            + len(await drafts.drafts_of(EDITOR_A))
            == 1
        )


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", CASES, ids=[c.command.split("{")[0].strip() for c in CASES])
async def test_matrix(world: DeskWorld, case: Case, role: str) -> None:
    user_id = ROLES[role]
    command = case.command.format(article=world.article_id)
    before = await world.snapshot()
    audit_before = await world.audit_count()
    allowed = expected_allowed(case, role)
    replies = await world.person(user_id).say(command, replies=case.replies if allowed else 1)
    text = "\n".join(text_of(m) for m in replies)
    try:
        if allowed:
            assert case.success in text, text
            await check_state(world, case.check)
            return
        if handled_by_desk(case, role):
            assert REFUSAL in text, text
        elif case.subscribers_answer is not None:
            assert case.subscribers_answer in text, text
            assert await world.snapshot() == before, "the subscribers' command changed the state"
            assert not [e for e in await world.audit_since(audit_before) if e.user_id == user_id]
            return
        else:
            assert FALLTHROUGH.format(command=case.name) in text, text
        assert await world.snapshot() == before, "a refused command changed the state"
        denials = [
            e
            for e in await world.audit_since(audit_before)
            if e.user_id == user_id and not e.allowed and e.action == case.name
        ]
        assert denials, "the refusal is not in the audit log"
    finally:
        await world.restore(before)


async def test_channels_lists_only_the_admins_channels(world: DeskWorld) -> None:
    owner = "\n".join(text_of(m) for m in await world.person(OWNER).say("/channels"))
    assert "«Вестник А»" in owner and "«Вестник Б»" in owner
    admin_a = "\n".join(text_of(m) for m in await world.person(ADMIN_A).say("/channels"))
    assert "«Вестник А»" in admin_a and "«Вестник Б»" not in admin_a
    editor = "\n".join(text_of(m) for m in await world.person(EDITOR_A).say("/channels"))
    assert FALLTHROUGH.format(command="/channels") in editor


async def test_old_channel_button_after_revoke_is_refused(world: DeskWorld) -> None:
    """A picker shown while the editor had two channels, pressed after losing channel A."""
    roles = world.service("roles")
    person = world.person(EDITOR_B)
    saved = await world.snapshot()
    await roles.grant(world.channel_a, EDITOR_B)
    replies = await person.say("/new", replies=2)
    picker = replies[-1]
    assert "Вестник А" in str(picker["reply_markup"])
    await roles.revoke(world.channel_a, EDITOR_B)
    before = await world.snapshot()
    audit_before = await world.audit_count()
    answer = await person.press(picker, "Вестник А")
    assert REFUSAL in text_of(answer[-1])
    assert await world.snapshot() == before
    denials = await world.audit_since(audit_before)
    assert [(e.user_id, e.action, e.chat_id) for e in denials if not e.allowed] == [
        (EDITOR_B, "/new", world.channel_a)
    ]
    await world.restore(saved)


async def test_pause_rechecks_telegram_admins_bypassing_the_cache(world: DeskWorld) -> None:
    """Admin of B was also admin of A a moment ago (cached): /pause for A is still refused."""
    client = world.client
    person = world.person(ADMIN_B)
    saved = await world.snapshot()
    roles = world.service("roles")
    await client.add_admin(world.channel_a, ADMIN_B)
    await roles.repo.forget_admins(world.channel_a)
    replies = await person.say("/pause", replies=1)  # two channels: a picker
    picker = replies[-1]
    assert "Вестник А" in str(picker["reply_markup"])
    await client.remove_admin(world.channel_a, ADMIN_B)
    assert await roles.role_in(ADMIN_B, world.channel_a) == "admin"  # the cache still says so
    answer = await person.press(picker, "Вестник А")
    assert REFUSAL in text_of(answer[-1])
    assert not (await world.service("channels").get(world.channel_a)).paused
    await world.restore(saved)
    await roles.repo.forget_admins(world.channel_a)


async def test_stale_draft_button_is_answered_politely(world: DeskWorld) -> None:
    person = world.person(EDITOR_A)
    saved = await world.snapshot()
    await person.say("/new", replies=3)
    [listing] = await person.say("/drafts")
    await world.restore(saved)  # the draft is gone; its button stays in the chat
    before = await world.snapshot()
    await person.press(listing, "Открыть", replies=0)
    answers = await eventually(lambda: callback_answers(world, EDITOR_A, listing["message_id"]))
    assert "Черновик не найден" in answers[-1]["text"]
    assert await world.snapshot() == before
