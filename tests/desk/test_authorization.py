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

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.desk.keyboards import (
    AdminPick,
    Confirm,
    DraftAction,
    PickChannel,
    QueueAction,
    SubmitDraft,
)
from storage.models.article import Article
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
AUDIENCES = {
    "admin": frozenset({"owner", "admin_a"}),  # admin of channel A
    "editor": frozenset({"owner", "admin_a", "editor_a"}),  # may edit channel A
    "admins": frozenset({"owner", "admin_a", "admin_b"}),  # admin of some channel
    "members": frozenset({"owner", "admin_a", "editor_a", "editor_b", "admin_b"}),
    "author": frozenset({"editor_a"}),  # the person whose draft it is
}
DESK_MEMBERS = AUDIENCES["members"]

REFUSAL = "нет прав"
UNVERIFIED = "Не удалось проверить права в Telegram — попробуйте позже"
FALLTHROUGH = "Команды {command} нет"
STALE_BUTTON = "Эта кнопка устарела"
DRAFT_GONE = "Черновик не найден"


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
    "Статистика «Вестник А» за сегодня:\n"
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
    Case("/slots @vestnik_a", "admin", "Слоты «Вестник А»"),
    Case("/route @vestnik_a Экономика", "admin", "публикует рубрики: Экономика", check="route"),
    Case("/pause @vestnik_a", "admin", "на паузе", check="paused"),
    Case("/resume @vestnik_a", "admin", "возобновлены", setup="pause", check="resumed"),
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
    Case("/hashtag @vestnik_a начало", "admin", "над заголовком", check="hashtag_top"),
    Case("/hashtag @vestnik_a", "admin", "в постах канала «Вестник А» стоит в конце"),
    Case("/breaking @vestnik_a закреплять нет", "admin", "не будут", check="unpinned"),
    Case("/breaking @vestnik_a ⚡️", "admin", "начинаться так:\n⚡️ ", check="marker"),
    Case("/breaking @vestnik_a", "admin", "Срочные посты канала «Вестник А»"),
    Case("/preview @vestnik_a выкл", "admin", "— выключено", check="preview_off"),
    Case("/preview @vestnik_a", "admin", "постах канала «Вестник А»: под текстом"),
    Case("/stats @vestnik_a", "admin", STATS_A, exact=True),
    Case("/stats @vestnik_a week", "admin", "Статистика «Вестник А» за неделю"),
    Case(
        "/editors @vestnik_a",
        "admin",
        f"У «Вестник А» 1 редактор:\n• Ерлан (@erlan_editor, {EDITOR_A})",
        exact=True,
    ),
    Case(f"/grant @vestnik_a {NEWCOMER}", "admin", "редактор «Вестник А»", check="granted"),
    Case("/grant @vestnik_a", "admin", "?start=inv_", check="invited"),
    Case(f"/revoke @vestnik_a {EDITOR_A}", "admin", "больше не редактор", check="revoked"),
    Case("/audit @vestnik_a", "admin", "Журнал «Вестник А», последн"),
    Case("/queue @vestnik_a", "editor", "В очереди «Вестник А» 2 поста:", replies=3),
    Case("/new @vestnik_a", "editor", "Рубрика", replies=3, check="draft"),
    Case("/edit {article}", "editor", "Новый заголовок"),
    Case("/retract {article}", "editor", "Снять статью"),
]


@dataclass
class Seeds:
    """What the module's buttons act on: queued posts in A and everyone's own draft for A."""

    posts: list[str]
    drafts: dict[str, str]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(redis_server: Any) -> AsyncIterator[DeskWorld]:
    async with desk_world(redis_server.url) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def seeds(world: DeskWorld) -> Seeds:
    """Two queued posts in A (its only slot a day away) and one draft for A per person."""
    publisher = world.service("publisher")
    local = datetime.now(ZoneInfo("Asia/Almaty")) - timedelta(hours=1)
    await publisher.set_slots(world.channel_a, [f"{local:%H}:00"])  # nothing goes out by itself
    service = world.service("article_service")
    for headline in ("Первый в очереди", "Второй в очереди"):
        await service.import_article(Article(rubric="Общество", headline=headline))
    posts = [p.id for p in await publisher.list_queue(world.channel_a)]
    assert len(posts) == 2
    drafts = world.service("desk").drafts
    made = {}
    for role, user_id in ROLES.items():
        draft = await drafts.start(user_id, chat_id=world.channel_a)
        draft = await drafts.update(draft, rubric="ekonomika", headline=f"Черновик {role}")
        made[role] = draft.id
    return Seeds(posts=posts, drafts=made)


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


# --- buttons ------------------------------------------------------------------------------

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


async def _queue_of_a(world: DeskWorld) -> list[str]:
    return [p.id for p in await world.service("publisher").list_queue(world.channel_a)]


async def _first_post_out(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    post = await world.service("publisher").post(seeds.posts[0])
    ledger = world.service("ledger")
    await eventually(lambda: ledger.has_published(post.article_id, world.channel_a))


async def _moved(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    assert await _queue_of_a(world) == [seeds.posts[1], seeds.posts[0]]


async def _first_cancelled(world: DeskWorld, seeds: Seeds, role: str, text: str) -> None:
    assert await _queue_of_a(world) == [seeds.posts[1]]


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
    Button("submit now", _submit("now"), "editor", "отправлена в «Вестник А»", "/new:now",
           settled=_published),
    Button("submit next slot", _submit("next_slot"), "editor", "в очереди «Вестник А»",
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
           "editor", "В очереди «Вестник А» 2 поста:", "/queue", replies=3),
    Button("pick channel for /pause",
           lambda w, s, r: AdminPick(purpose="pause", chat_id=w.channel_a).pack(),
           "admin", "на паузе", "/pause", settled=_paused),
    Button("pick channel for /slots",
           lambda w, s, r: AdminPick(purpose="slots", chat_id=w.channel_a).pack(),
           "admin", "Слоты «Вестник А»", "/slots"),
    Button("delete another's draft",
           lambda w, s, r: DraftAction(action="delete", draft_id=s.drafts["editor_a"]).pack(),
           "author", "удалён", "/drafts:delete", settled=_draft_deleted,
           denial=DRAFT_GONE, denial_is_toast=True, outsiders_name_a=False),
]  # fmt: skip


async def quiescent(world: DeskWorld) -> None:
    """Wait until background work (delivery, its follow-ups) stops changing Redis."""
    last = await world.snapshot()
    calm = 0
    for _ in range(100):
        await asyncio.sleep(0.05)
        now = await world.snapshot()
        calm = calm + 1 if now == last else 0
        if calm >= 3:
            return
        last = now
    raise AssertionError("Redis never settled")


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
            for e in await eventually(lambda: _denials(world, audit_before, user_id))
            if e.action == button.action
        ]
        assert denials, "the refusal is not in the audit log"
        names_a = button.denied_in_a if member else button.outsiders_name_a
        assert {e.chat_id for e in denials} == ({world.channel_a} if names_a else {None})
    finally:
        await world.restore(saved)


async def _denials(world: DeskWorld, audit_before: int, user_id: int) -> list[Any]:
    return [
        e for e in await world.audit_since(audit_before) if e.user_id == user_id and not e.allowed
    ]


# --- fresh checks, stale caches and refusals by name --------------------------------------


async def test_editor_asking_for_an_admin_command_is_refused_naming_the_channel(
    world: DeskWorld,
) -> None:
    saved = await world.snapshot()
    audit_before = await world.audit_count()
    [answer] = await world.person(EDITOR_A).say("/slots 08:00")  # no channel named
    assert text_of(answer) == (
        "Извините, у вас нет прав на это в канале «Вестник А». Ничего не изменено."
    )
    assert await world.snapshot() == saved
    entries = await world.audit_since(audit_before)
    assert [(e.user_id, e.action, e.chat_id, e.allowed, e.username) for e in entries] == [
        (EDITOR_A, "/slots", world.channel_a, False, "erlan_editor")
    ]


async def test_channels_lists_only_the_admins_channels(world: DeskWorld) -> None:
    owner = "\n".join(text_of(m) for m in await world.person(OWNER).say("/channels"))
    assert "«Вестник А»" in owner and "«Вестник Б»" in owner
    admin_a = "\n".join(text_of(m) for m in await world.person(ADMIN_A).say("/channels"))
    assert "«Вестник А»" in admin_a and "«Вестник Б»" not in admin_a
    editor = "\n".join(text_of(m) for m in await world.person(EDITOR_A).say("/channels"))
    assert editor == "Извините, у вас нет прав на это в канале «Вестник А». Ничего не изменено."


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


async def _cached_admin_of_a(world: DeskWorld, user_id: int) -> None:
    """Make `user_id` a Telegram admin of A, cached, then remove them in Telegram only."""
    roles = world.service("roles")
    await world.client.add_admin(world.channel_a, user_id)
    await roles.repo.forget_admins(world.channel_a)
    assert await roles.role_in(user_id, world.channel_a) == "admin"
    await world.client.remove_admin(world.channel_a, user_id)
    assert await roles.role_in(user_id, world.channel_a) == "admin"  # the cache still says so


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


async def test_cancel_rechecks_telegram_admins_bypassing_the_cache(
    world: DeskWorld, seeds: Seeds
) -> None:
    """Removed as admin of A in Telegram, still cached: «Отменить» is refused and audited."""
    person = world.person(ADMIN_B)
    saved = await world.snapshot()
    await world.client.add_admin(world.channel_a, ADMIN_B)
    await world.service("roles").repo.forget_admins(world.channel_a)
    try:
        listing = await person.say("/queue @vestnik_a", replies=3)
        await world.client.remove_admin(world.channel_a, ADMIN_B)
        assert await world.service("roles").role_in(ADMIN_B, world.channel_a) == "admin"
        before = await world.snapshot()
        audit_before = await world.audit_count()
        [answer] = await person.press(listing[1], "Отменить")
        assert text_of(answer) == (
            "Извините, у вас нет прав на это в канале «Вестник А». Ничего не изменено."
        )
        assert await world.snapshot() == before
        assert await _queue_of_a(world) == seeds.posts
        denials = await _denials(world, audit_before, ADMIN_B)
        assert [(e.action, e.chat_id, e.detail) for e in denials] == [
            ("/queue:cancel", world.channel_a, "no_role")
        ]
    finally:
        await world.restore(saved)
        await world.service("roles").repo.forget_admins(world.channel_a)


async def test_telegram_down_refuses_destructive_actions_politely(
    world: DeskWorld, seeds: Seeds
) -> None:
    """Telegram cannot list A's admins: A's admin may read, but not pause, change or cancel."""
    person = world.person(ADMIN_A)
    saved = await world.snapshot()
    listing = await person.say("/queue @vestnik_a", replies=3)
    await world.client.add_fault("getChatAdministrators", count=1000, error_code=502)
    try:
        before = await world.snapshot()
        audit_before = await world.audit_count()
        for command in ("/pause @vestnik_a", "/slots @vestnik_a 07:00"):
            [answer] = await person.say(command)
            assert UNVERIFIED in text_of(answer), text_of(answer)
        [answer] = await person.press(listing[1], "Отменить")
        assert UNVERIFIED in text_of(answer)
        assert await world.snapshot() == before
        denials = await _denials(world, audit_before, ADMIN_A)
        assert [(e.action, e.chat_id, e.detail) for e in reversed(denials)] == [
            ("/pause", world.channel_a, "unverified"),
            ("/slots", world.channel_a, "unverified"),
            ("/queue:cancel", world.channel_a, "unverified"),
        ]
        [shown] = await person.say("/slots @vestnik_a")  # reading still works
        assert text_of(shown).startswith("Слоты «Вестник А»")
    finally:
        await world.client.clear_faults()
        await world.restore(saved)


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
