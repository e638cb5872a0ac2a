"""The authorization matrix: every admin and editor command, and every desk button, against
every kind of person.

Channel «Вестник А» (@vestnik_a) is the channel each command and button names. Allowed: the
command answers with its success text and changes what it should. Denied: a member of the
desk (an editor or admin of some channel) gets a polite refusal naming the channel; anyone
else falls through to the subscribers («Команды … нет» for a command, «Эта кнопка устарела»
for a button). In both cases the whole Redis state (a SCAN+DUMP of every key but the audit
log and caches) is byte-for-byte unchanged, and the audit log holds the denial with the
channel it was about. `/timezone` is also the subscribers' own command: outside the
channel's admins it answers as theirs and is not a denial. One app serves the whole module.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.desk.matrix import (
    AUDIENCES,
    DESK_MEMBERS,
    FALLTHROUGH,
    REFUSAL,
    ROLES,
    Seeds,
)
from tests.desk.world import (
    EDITOR_A,
    NEWCOMER,
    DeskWorld,
    text_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


@dataclass(frozen=True)
class Case:
    """One command: who may run it, what success says, and how success changes state."""

    command: str
    audience: str  # a key of AUDIENCES
    success: str
    replies: int = 1
    check: str | None = None  # name of a state check after success
    setup: str | None = None  # name of a preparation before the command
    exact: bool = False  # `success` is the whole answer
    # Also a subscribers' command: outside the channel's admins it is theirs (no audit entry).
    subscribers_answer: str | None = None
    denied_in: str = "a"  # channel of the denial entries: a | own (the member's) | none

    @property
    def name(self) -> str:
        return self.command.split()[0]


STATS_A = (
    "Статистика канала «Вестник А» за сегодня:\n"
    "Опубликован 1 пост\n"
    "В очереди канала — 2 поста\n"
    "Сбоев доставки в канал нет.\n"
    "\n"
    "По всему боту, не только в этом канале:\n"
    "Отправлено уведомлений подписчикам: 1\n"
    "Подписчики рубрик, которые публикует канал:\n"
    "• Политика — 1"
)

CASES = [
    Case("/channels", "admins", "", check="channels", denied_in="own"),
    Case("/drafts", "members", "", check="drafts", denied_in="none"),
    Case("/slots @vestnik_a 08:00 20:00", "admin", "«Вестник А» — 08:00, 20:00", check="slots"),
    Case("/slots @vestnik_a", "admin", "Слоты канала «Вестник А»"),
    Case("/route @vestnik_a Экономика", "admin", "публикует рубрики: Экономика", check="route"),
    Case("/pause @vestnik_a", "admin", "на паузе", check="paused"),
    Case("/resume @vestnik_a", "admin", "возобновлены", setup="pause", check="resumed"),
    Case("/quiet @vestnik_a 23:00-07:00", "admin", "23:00–07:00", check="quiet"),
    Case("/interval @vestnik_a 30", "admin", "«Вестник А» — 30 минут", check="interval"),
    Case("/interval @vestnik_a", "admin", "промежуток между постами в канале «Вестник А»: нет"),
    Case("/catchup @vestnik_a пропустить 6", "admin", "старше 6 часов", check="catchup"),
    Case("/catchup @vestnik_a", "admin", "Канал «Вестник А» после простоя: распределить"),
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
        "Часовой пояс канала «Вестник А»: Asia/Almaty",
        subscribers_answer="Не знаю часового пояса «@vestnik_a»",
    ),
    Case(
        "/signature @vestnik_a <b>Вестник</b>",
        "admin",
        "подпись под постами канала «Вестник А»:\nВестник",
        check="signature",
    ),
    Case("/signature @vestnik_a", "admin", "У постов канала «Вестник А» нет подписи"),
    Case("/silent @vestnik_a off", "admin", "будут уходить со звуком", check="loud"),
    Case("/silent @vestnik_a", "admin", "«Вестник А» по расписанию уходят без звука"),
    Case("/hashtag @vestnik_a начало", "admin", "над заголовком", check="hashtag_top"),
    Case("/hashtag @vestnik_a", "admin", "в постах канала «Вестник А» стоит в конце"),
    Case("/breaking @vestnik_a закреплять нет", "admin", "не будут", check="unpinned"),
    Case("/breaking @vestnik_a ⚡️", "admin", "начинаться так:\n⚡️ ", check="marker"),
    Case("/breaking @vestnik_a", "admin", "Срочные посты канала «Вестник А»"),
    Case("/preview @vestnik_a выкл", "admin", "— выключено", check="preview_off"),
    Case("/preview @vestnik_a", "admin", "постах канала «Вестник А»: под текстом"),
    Case("/stats @vestnik_a", "admin", STATS_A, exact=True),
    Case("/stats @vestnik_a week", "admin", "Статистика канала «Вестник А» за неделю"),
    Case(
        "/editors @vestnik_a",
        "admin",
        f"У канала «Вестник А» 1 редактор:\n• Ерлан (@erlan_editor, {EDITOR_A})",
        exact=True,
    ),
    Case(f"/grant @vestnik_a {NEWCOMER}", "admin", "редактор канала «Вестник А»", check="granted"),
    Case("/grant @vestnik_a", "admin", "?start=inv_", check="invited"),
    Case(f"/revoke @vestnik_a {EDITOR_A}", "admin", "больше не редактор", check="revoked"),
    Case("/audit @vestnik_a", "admin", "Журнал канала «Вестник А», последн"),
    Case("/queue @vestnik_a", "editor", "В очереди канала «Вестник А» 2 поста:", replies=3),
    Case("/new @vestnik_a", "editor", "Рубрика", replies=3, check="draft"),
    Case("/edit {article}", "editor", "Новый заголовок"),
    Case("/retract {article}", "editor", "Снять статью"),
]


def handled_by_desk(case: Case, role: str) -> bool:
    """Whether a denied person reaches the desk's routers (else: the subscribers answer)."""
    if case.subscribers_answer is not None:
        return role in AUDIENCES["admins"]
    return role in DESK_MEMBERS


async def prepare(world: DeskWorld, setup: str | None) -> None:
    if setup == "pause":
        await world.service("publisher").pause(world.channel_a)


async def check_state(world: DeskWorld, case: Case, role: str, text: str, seeds: Seeds) -> None:
    channels = world.service("channels")
    roles = world.service("roles")
    a = await channels.get(world.channel_a)
    check = case.check
    if check == "channels":
        a_line = "«Вестник А» (" in text
        b_line = "«Вестник Б» (" in text
        expected = {"owner": (True, True), "admin_a": (True, False), "admin_b": (False, True)}
        assert (a_line, b_line) == expected[role], text
        assert text.startswith("Ваши каналы (2):" if role == "owner" else "Ваш канал:\n"), text
    elif check == "drafts":
        draft_id = seeds.drafts[role]
        assert text == f"1 черновик:\n№{draft_id} — «Черновик {role}»", text
    elif check == "slots":
        assert a.slots == ["08:00", "20:00"]
    elif check == "route":
        assert a.routing == ["ekonomika"]
    elif check == "paused":
        assert a.paused
    elif check == "resumed":
        assert not a.paused
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
    elif check == "hashtag_top":
        assert a.template.hashtag_position == "top"
    elif check == "unpinned":
        assert not a.pin_breaking
    elif check == "marker":
        assert a.template.breaking_marker == "⚡️"
    elif check == "preview_off":
        assert a.template.link_preview == "off"
    elif check == "granted":
        assert NEWCOMER in await roles.repo.editors(world.channel_a)
    elif check == "revoked":
        assert EDITOR_A not in await roles.repo.editors(world.channel_a)
    elif check == "invited":
        keys = [k async for k in world.redis.scan_iter(match="*:invite:*")]
        assert len(keys) == 1
    elif check == "draft":
        assert len(await world.service("desk").drafts.drafts_of(ROLES[role])) == 2
    else:
        assert check is None, check


def expected_denial_chats(world: DeskWorld, case: Case, role: str) -> set[int | None]:
    if case.denied_in == "none" or (case.denied_in == "own" and role not in DESK_MEMBERS):
        return {None}
    if case.denied_in == "own":
        return {world.channel_b if role in ("editor_b", "admin_b") else world.channel_a}
    if "{article}" in case.command and role not in DESK_MEMBERS:
        return {None}  # an article id names no channel for someone outside the desk
    return {world.channel_a}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", CASES, ids=[c.command.split("{")[0].strip() for c in CASES])
async def test_matrix(world: DeskWorld, seeds: Seeds, case: Case, role: str) -> None:
    user_id = ROLES[role]
    command = case.command.format(article=world.article_id)
    saved = await world.snapshot()
    await prepare(world, case.setup)
    before = await world.snapshot()
    audit_before = await world.audit_count()
    allowed = role in AUDIENCES[case.audience]
    replies = await world.person(user_id).say(command, replies=case.replies if allowed else 1)
    text = "\n".join(text_of(m) for m in replies)
    try:
        if allowed:
            if case.exact:
                assert text == case.success
            else:
                assert case.success in text, text
            await check_state(world, case, role, text, seeds)
            return
        if handled_by_desk(case, role):
            assert REFUSAL in text, text
            if case.denied_in == "a":
                assert "«Вестник А»" in text, text  # the refusal names the channel
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
        assert {e.chat_id for e in denials} == expected_denial_chats(world, case, role)
    finally:
        await world.restore(saved)
