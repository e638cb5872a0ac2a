"""End to end in virtual time: what a reader changes while a push waits for quiet hours to end.

A push deferred by quiet hours is sent only if its reader still wants it when it is due; after
/stop nothing about the reader is left in Redis and nothing reaches them.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.redis_server import RedisServerProcess
from storage.ledger import LedgerRepo
from tests.harness import RunningApp, eventually, running_app
from tests.subscribers.e2e import Reader, body, button

MORNING = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 08:00 in Almaty, inside 00:00–09:00
QUIET = "00:00–09:00"
HEADLINE = "Токаев: Алматы становится"
LEAVER_ID = 7_391_284_650  # distinctive, so a search for it finds nothing by accident


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(MORNING)


@pytest.fixture
async def app(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object, clock: VirtualClock
) -> AsyncIterator[RunningApp]:
    async with running_app(redis_server.url, sandbox, clock=clock) as running:
        yield running


async def _quiet_reader(app: RunningApp, name: str, **fields: object) -> Reader:
    """A reader of «Политика» with quiet hours 00:00–09:00, chosen with the /settings button."""
    chat = await app.client.create_private_chat(name, **fields)
    reader = Reader(app, int(chat["id"]))
    await reader.say("/subscribe Политика")
    settings = await reader.say("/settings")
    await reader.press(settings, button(settings, QUIET))
    await reader.edited(settings["message_id"], f"Тихие часы — {QUIET}")
    return reader


async def _mentions(redis: Redis, user_id: int) -> list[str]:
    """Every key whose name or content mentions the id as a whole number (SCAN, all types)."""
    pattern = re.compile(rf"(?<!\d){user_id}(?!\d)")
    found: list[str] = []
    async for key in redis.scan_iter(count=1000):
        if pattern.search(key):
            found.append(key)
            continue
        kind = await redis.type(key)
        values: list[object] = []
        if kind == "string":
            values = [await redis.get(key)]
        elif kind == "hash":
            values = [item for pair in (await redis.hgetall(key)).items() for item in pair]
        elif kind == "set":
            values = list(await redis.smembers(key))
        elif kind == "zset":
            values = list(await redis.zrange(key, 0, -1))
        elif kind == "list":
            values = list(await redis.lrange(key, 0, -1))
        if any(pattern.search(str(value)) for value in values):
            found.append(key)
    return sorted(found)


async def _after_quiet_hours(clock: VirtualClock, arrived: object, what: str) -> None:
    """Move the virtual clock past 09:00, then on in small steps until `arrived()` holds."""
    await clock.set(datetime(2026, 11, 25, 4, 0, 1, tzinfo=UTC))

    async def check() -> object:
        found = await arrived()  # type: ignore[operator]
        if not found:
            await clock.advance(0.5)  # the rate limiter paces sends in virtual time
            await asyncio.sleep(0.01)
        return found

    await eventually(check, timeout=10.0, what=what)


def _got_headline(messages: list[dict[str, object]]) -> bool:
    """Whether a push of the article arrived (a digest that lists it is not a push)."""
    return any(HEADLINE in body(m) and not body(m).startswith("Дайджест") for m in messages)


async def test_stop_leaves_nothing_behind_and_no_push_arrives(
    app: RunningApp, redis: Redis, clock: VirtualClock, sample_text: str
) -> None:
    keys = app.ctx.keys
    leaver = await _quiet_reader(app, "Ильяс", id=LEAVER_ID, username="Ilyas_Reads")
    control = await _quiet_reader(app, "Карина")
    await leaver.say("/digest 21:00")
    await leaver.say("/new")  # a desk command: refused, and the refusal is audited
    result = await app.services["article_service"].import_text(sample_text)
    outbox = app.services["outbox"]
    job_id = f"push-{result.article_id}-{LEAVER_ID}"
    assert await outbox.state(job_id) == "ready"  # deferred to the end of quiet hours
    before = await _mentions(redis, LEAVER_ID)
    for key in (
        keys.outbox_job(job_id),
        keys.outbox_ready("push"),
        keys.usernames(),
        keys.audit_refusals(),
        keys.digests(),
        keys.quiet_subscribers(),
    ):
        assert key in before, key  # the scan sees the reader everywhere they are

    ask = await leaver.say("/stop")
    await leaver.press(ask, button(ask, "Да, удалить"))
    await leaver.edited(ask["message_id"], "подписки и данные удалены")
    assert await _mentions(redis, LEAVER_ID) == []

    async def control_got_it() -> bool:
        return _got_headline(await control.bot_messages())

    await _after_quiet_hours(clock, control_got_it, "the push to the reader who stayed")
    assert await outbox.is_empty()
    assert not _got_headline(await leaver.bot_messages())
    assert await _mentions(redis, LEAVER_ID) == []


async def test_deferred_push_follows_later_changes(
    app: RunningApp, clock: VirtualClock, sample_text: str
) -> None:
    keeps = await _quiet_reader(app, "Асем")
    leaves_rubric = await _quiet_reader(app, "Даурен")
    digest_only = await _quiet_reader(app, "Мадина")
    comes_back = await _quiet_reader(app, "Ержан")
    result = await app.services["article_service"].import_text(sample_text)
    outbox = app.services["outbox"]
    for reader in (keeps, leaves_rubric, digest_only, comes_back):
        assert await outbox.state(f"push-{result.article_id}-{reader.chat_id}") == "ready"

    await leaves_rubric.say("/unsubscribe Политика")
    settings = await digest_only.say("/settings")
    await digest_only.press(settings, button(settings, "Только дайджест"))
    await digest_only.edited(settings["message_id"], "Новости — только дайджест")
    await comes_back.say("/unsubscribe Политика")
    await comes_back.say("/subscribe Политика")  # wants it again by the time it is due

    ledger: LedgerRepo = app.services["ledger"]

    async def all_settled() -> dict[int, tuple[str, str | None]] | None:
        entries: dict[int, tuple[str, str | None]] = {
            e.chat_id: (e.status, e.reason) for e in await ledger.entries(result.article_id)
        }
        return entries if len(entries) == 4 else None

    await _after_quiet_hours(clock, all_settled, "every deferred push to be settled")
    entries = await all_settled()
    assert entries == {
        keeps.chat_id: ("published", None),
        comes_back.chat_id: ("published", None),
        leaves_rubric.chat_id: ("skipped", "unsubscribed"),
        digest_only.chat_id: ("skipped", "digest_only"),
    }
    assert _got_headline(await keeps.bot_messages())
    assert _got_headline(await comes_back.bot_messages())
    assert not _got_headline(await leaves_rubric.bot_messages())
    assert not _got_headline(await digest_only.bot_messages())
