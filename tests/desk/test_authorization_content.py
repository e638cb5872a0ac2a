"""The authorization matrix by content: an article that matches one already out in a channel.

Channel «Вестник Б» (@vestnik_b) has an article published (its source is a post of the wire
channel @wire_kz) and another waiting in its queue. The editor of channel A tries to reach
them the three ways content can match — the same source, the same content (hash), the
file's `id:` — through every way an article enters the desk: a `.txt` upload, the `/new`
dialogue (its source step), a forwarded post. Each attempt is submitted «В ближайший слот».

The editor of A has no role in B: B's published message, B's articles and B's queue stay
exactly as they were, the source index keeps pointing at B's article, the attempt becomes an
article of its own queued in A, the editor is told so, and the audit log says `kept_apart`
for B. The editor of B (rights everywhere the article is) does the same and changes B's
article as before: that is what the rule keeps apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from storage.models.article import Article
from tests.desk.matrix import REFUSAL, denials_since, quiescent
from tests.desk.world import (
    ADMIN_A,
    EDITOR_A,
    EDITOR_B,
    STRANGER,
    DeskWorld,
    Message,
    Person,
    text_of,
)
from tests.harness import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")

WIRE_TEXT = "Сборная вышла в финал\nКоманда обыграла соперника со счётом 3:1."
QUEUED_HEADLINE = "Стадион откроют к весне"
QUEUED_LEAD = "Строители закончили трибуны."
OWN_HEADLINE = "Подменённый заголовок"
OWN_LEAD = "Подменённый лид."
APART = "Ваша сохранена отдельно, под №"


@dataclass
class Targets:
    """B's published article (and its message in B) and B's queued article."""

    published: str
    published_json: str
    message_id: int
    source: str
    wire: int
    wire_post: int
    queued: str
    queued_post: str


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def targets(world: DeskWorld) -> Targets:
    """A wire post, B's article from it (published in B), B's article waiting in its queue."""
    client, publisher = world.client, world.service("publisher")
    local = datetime.now(ZoneInfo("Asia/Almaty")) - timedelta(hours=1)
    for chat in (world.channel_a, world.channel_b):  # nothing goes out by itself
        await publisher.set_slots(chat, [f"{local:%H}:00"])
    wire = int((await client.create_channel("Wire KZ", username="wire_kz"))["id"])
    await client.add_admin(wire, ADMIN_A)
    post = await client.send_user_message(wire, WIRE_TEXT, from_id=ADMIN_A)
    source = f"https://t.me/wire_kz/{post['message_id']}"
    headline, lead = WIRE_TEXT.split("\n")
    published = await _stored(world, Article(rubric="Спорт", headline=headline, lead=lead,
                                              source_url=source))  # fmt: skip
    await publisher.queue_article(published, world.channel_b, "now")
    ledger = world.service("ledger")
    await eventually(lambda: ledger.has_published(published, world.channel_b))
    copies = await ledger.published_copies(published)
    queued = await _stored(world, Article(rubric="Спорт", headline=QUEUED_HEADLINE,
                                           lead=QUEUED_LEAD))  # fmt: skip
    [waiting] = await publisher.queue_article(queued, world.channel_b, "next_slot")
    await quiescent(world)
    return Targets(
        published=published,
        published_json=await _article_json(world, published),
        message_id=copies[world.channel_b],
        source=source,
        wire=wire,
        wire_post=int(post["message_id"]),
        queued=queued,
        queued_post=waiting.id,
    )


async def _stored(world: DeskWorld, article: Article) -> str:
    """Store without routing (the channel it goes to is chosen by the test)."""
    result = await world.service("articles").store(article.with_hash())
    return str(result.article_id)


async def _article_json(world: DeskWorld, article_id: str) -> str:
    return str(await world.redis.get(world.app.ctx.keys.article(article_id)))


# --- the attempts ------------------------------------------------------------------------

Attempt = Callable[[DeskWorld, Person, Targets], Awaitable[Message]]


def _file(rubric: str, headline: str, lead: str, front: str = "") -> bytes:
    return f"{front}{rubric}\n\n{headline}\n\n{lead}\n".encode()


async def _upload(person: Person, content: bytes) -> Message:
    replies = await person.send_file("article.txt", content, replies=3)
    assert "Предпросмотр" in text_of(replies[1]), [text_of(m) for m in replies]
    return replies[2]


async def upload_source(world: DeskWorld, person: Person, t: Targets) -> Message:
    front = f"---\nsource: {t.source}\n---\n"
    return await _upload(person, _file("Спорт", OWN_HEADLINE, OWN_LEAD, front))


async def upload_hash(world: DeskWorld, person: Person, t: Targets) -> Message:
    return await _upload(person, _file("Спорт", QUEUED_HEADLINE, QUEUED_LEAD))


async def upload_id(world: DeskWorld, person: Person, t: Targets) -> Message:
    front = f"---\nid: {t.published}\n---\n"
    return await _upload(person, _file("Спорт", OWN_HEADLINE, OWN_LEAD, front))


async def _compose(person: Person, headline: str, lead: str, source: str | None) -> Message:
    started = await person.say("/new", replies=3)
    await person.press(started[2], "Спорт")
    await person.say(headline)
    [photo] = await person.say(lead)
    [source_step] = await person.press(photo, "Без фото")
    if source is None:
        preview = await person.press(source_step, "Пропустить", replies=2)
    else:
        preview = await person.say(source, replies=2)
    return preview[1]


async def new_source(world: DeskWorld, person: Person, t: Targets) -> Message:
    return await _compose(person, OWN_HEADLINE, OWN_LEAD, t.source)


async def new_hash(world: DeskWorld, person: Person, t: Targets) -> Message:
    return await _compose(person, QUEUED_HEADLINE, QUEUED_LEAD, None)


async def _forward(
    world: DeskWorld, person: Person, text: str | None = None, **origin: Any
) -> Message:
    before = len(await person.bot_messages())
    await world.client.send_user_message(person.user_id, text, from_id=person.user_id, **origin)
    replies = await person.wait_new(before, 2)
    assert "сохранён как черновик" in text_of(replies[0]), [text_of(m) for m in replies]
    preview = await person.press(replies[1], "Спорт", replies=2)
    return preview[1]


async def forward_source(world: DeskWorld, person: Person, t: Targets) -> Message:
    """The wire post B's article came from, forwarded: its source is that post."""
    return await _forward(
        world, person, forward_from_chat_id=t.wire, forward_from_message_id=t.wire_post
    )


async def forward_hash(world: DeskWorld, person: Person, t: Targets) -> Message:
    """Someone's message with the text of B's queued article (no source: a person's chat)."""
    text = f"{QUEUED_HEADLINE}\n{QUEUED_LEAD}"
    return await _forward(world, person, text=text, forward_from_chat_id=STRANGER)


@dataclass(frozen=True)
class Path:
    """One content match through one entry way."""

    name: str
    attempt: Attempt
    target: str  # "published" (same source or id) or "queued" (same content)


PATHS = [
    Path("upload, same source", upload_source, "published"),
    Path("upload, same content", upload_hash, "queued"),
    Path("upload, front matter id", upload_id, "published"),
    Path("/new, source step", new_source, "published"),
    Path("/new, same content", new_hash, "queued"),
    Path("forward, same source", forward_source, "published"),
    Path("forward, same content", forward_hash, "queued"),
]


# --- what B looks like -------------------------------------------------------------------


@dataclass(frozen=True)
class BState:
    """Everything of channel B an attempt could change."""

    messages: list[tuple[int, str, bool, bool]]
    articles: tuple[str, str]
    queue: list[tuple[str, str, str]]
    source_owner: str | None


async def b_state(world: DeskWorld, t: Targets) -> BState:
    messages = await world.client.bot_messages(world.channel_b, include_deleted=True)
    queue = await world.service("publisher").list_queue(world.channel_b)
    found = await world.service("articles").find_by_source(t.source)
    return BState(
        messages=[(m["message_id"], text_of(m), m["edited"], m["deleted"]) for m in messages],
        articles=(
            await _article_json(world, t.published),
            await _article_json(world, t.queued),
        ),
        queue=[(p.id, p.article_id, p.state) for p in queue],
        source_owner=found.id if found is not None else None,
    )


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
async def test_an_editor_of_a_cannot_touch_what_b_holds(
    world: DeskWorld, targets: Targets, path: Path
) -> None:
    person = world.person(EDITOR_A)
    saved = await world.snapshot()
    before = await b_state(world, targets)
    assert before.queue == [(targets.queued_post, targets.queued, "queued")]
    audit_before = await world.audit_count()
    try:
        preview = await path.attempt(world, person, targets)
        answers = await person.press(preview, "В ближайший слот", replies=2)
        text = "\n".join(text_of(m) for m in answers)
        assert APART in text, text
        assert "в очереди канала «Вестник А»" in text, text
        own = text.split(APART)[1].split(".")[0]
        assert own not in (targets.published, targets.queued)
        await quiescent(world)
        assert await b_state(world, targets) == before, "channel B changed"
        queue_a = await world.service("publisher").list_queue(world.channel_a)
        assert [p.article_id for p in queue_a] == [own]
        kept = [
            e
            for e in await world.audit_since(audit_before)
            if e.user_id == EDITOR_A and e.result == "kept_apart"
        ]
        assert [(e.action, e.chat_id) for e in kept] == [("/new:next_slot", world.channel_b)]
        assert kept[0].detail == f"no_role: {getattr(targets, path.target)}→{own}"
    finally:
        await quiescent(world)
        await world.restore(saved)


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
async def test_the_editor_of_b_changes_b_as_before(
    world: DeskWorld, targets: Targets, path: Path
) -> None:
    """The same attempts by someone with rights in B reach B's article: the rule is rights."""
    person = world.person(EDITOR_B)
    saved = await world.snapshot()
    count = await world.service("articles").count()
    try:
        preview = await path.attempt(world, person, targets)
        [answer] = await person.press(preview, "В ближайший слот")
        assert APART not in text_of(answer), text_of(answer)
        assert await world.service("articles").count() == count  # no article of its own
        if path.attempt is forward_source:  # B's own text again: the very same article
            assert (
                text_of(answer)
                == "Эта статья уже опубликована в канале — второй раз она не выйдет."
            )
            return
        assert f"№{getattr(targets, path.target)}" in text_of(answer), text_of(answer)
        if path.target == "queued":
            queue = await world.service("publisher").list_queue(world.channel_b)
            assert [p.article_id for p in queue] == [targets.queued]
        else:
            article = await world.service("articles").get(targets.published)
            assert article.headline == OWN_HEADLINE

            async def edited_in_b() -> bool:
                for m in await world.client.bot_messages(world.channel_b):
                    if m["message_id"] == targets.message_id and OWN_HEADLINE in text_of(m):
                        return True
                return False

            await eventually(edited_in_b, what="B's message edited")
    finally:
        await quiescent(world)
        await world.restore(saved)


async def test_the_article_kept_apart_is_its_authors_own(
    world: DeskWorld, targets: Targets
) -> None:
    """The separate article can be edited by its author; B's source stays B's."""
    person = world.person(EDITOR_A)
    saved = await world.snapshot()
    try:
        preview = await upload_source(world, person, targets)
        answers = await person.press(preview, "В ближайший слот", replies=2)
        own = "\n".join(text_of(m) for m in answers).split(APART)[1].split(".")[0]
        await person.say(f"/edit {own}")
        await person.say("Мой заголовок")
        [done] = await person.say(".")
        assert f"Статья №{own} исправлена" in text_of(done), text_of(done)
        assert (await world.service("articles").get(own)).headline == "Мой заголовок"
        found = await world.service("articles").find_by_source(targets.source)
        assert found is not None and found.id == targets.published
        assert await _article_json(world, targets.published) == targets.published_json
    finally:
        await quiescent(world)
        await world.restore(saved)


async def test_edit_and_retract_need_rights_in_every_channel_of_the_article(
    world: DeskWorld, targets: Targets
) -> None:
    """An article out in A and B: A's editor may neither edit nor retract it (B refuses)."""
    saved = await world.snapshot()
    publisher, ledger = world.service("publisher"), world.service("ledger")
    try:
        await publisher.queue_article(targets.published, world.channel_a, "now")
        await eventually(lambda: ledger.has_published(targets.published, world.channel_a))
        await quiescent(world)
        before = await world.snapshot()
        audit_before = await world.audit_count()
        person = world.person(EDITOR_A)
        for command in (f"/edit {targets.published}", f"/retract {targets.published}"):
            [answer] = await person.say(command)
            assert REFUSAL in text_of(answer) and "«Вестник Б»" in text_of(answer)
        assert await world.snapshot() == before
        denials = await denials_since(world, audit_before, EDITOR_A)
        assert [(e.action, e.chat_id) for e in reversed(denials)] == [
            ("/edit", world.channel_b),
            ("/retract", world.channel_b),
        ]
    finally:
        await quiescent(world)
        await world.restore(saved)
