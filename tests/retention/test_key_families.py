"""Every key family is bounded: after a retention sweep over old data, each key left in Redis
either expires on its own or is live state (channels, subscriptions, counters); nothing the
sweep is meant to remove stays (storage/key_retention.py says which is which)."""

from __future__ import annotations

import inspect
import re
from datetime import timedelta

from aiogram.fsm.storage.base import StorageKey
from redis.asyncio import Redis

from bot.app import create_bot, create_fsm_storage
from bot.config import Settings
from bot.context import AppContext
from bot.subscribers.digest import digest_ledger_id
from bot.texts import build_i18n
from storage.channels import ChannelRepo
from storage.key_retention import RETENTION, Policy
from storage.keys import Keys
from storage.leases import LeaseRepo
from storage.models.delivery import LedgerEntry
from storage.models.roles import Invite
from storage.models.subscriber import Subscriber
from storage.ratelimit import RateLimiter
from storage.search_index import SearchIndex
from storage.subscriptions import SubscriptionRepo
from tests.retention.conftest import DAY, Kit

A = -1001
READER, EDITOR = 5_000_000_001, 7


def key_methods() -> list[str]:
    """Every public `Keys` method: one key family each."""
    return [n for n, _ in inspect.getmembers(Keys, inspect.isfunction) if not n.startswith("_")]


def family_patterns(keys: Keys) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, family) for every family, the most specific first (`post:seq` before
    `post:<id>`); a part given as a parameter matches any key part."""
    found = []
    for name in key_methods():
        method = getattr(keys, name)
        params = len(inspect.signature(method).parameters)
        example = method(*(f"P{i}" for i in range(params)))
        pattern = re.sub(r"P\d", "[^:]+", re.escape(example))
        if name == "fsm_prefix":
            pattern += ":.+"
        found.append((params, -len(example), name, re.compile(pattern)))
    return [(pattern, name) for _, _, name, pattern in sorted(found)]


def family_of(key: str, patterns: list[tuple[re.Pattern[str], str]]) -> str | None:
    """The family a key belongs to."""
    return next((name for pattern, name in patterns if pattern.fullmatch(key)), None)


async def families(redis: Redis, keys: Keys) -> dict[str, list[str]]:
    """Family -> keys of it present now (the test's own look at Redis; the code never scans)."""
    patterns = family_patterns(keys)
    found: dict[str, list[str]] = {}
    async for key in redis.scan_iter(match="{vestnik}:*", count=1000):
        found.setdefault(family_of(key, patterns) or f"unknown: {key}", []).append(key)
    return found


async def old_data_of_every_kind(kit: Kit, redis: Redis, keys: Keys) -> None:
    """Every kind of record, written through the code that writes it in the bot."""
    w, now = kit.world, kit.clock.time()
    await w.rubrics.all()
    await w.channel(A, slots=["09:00"])
    await w.channels.add_admin(A, EDITOR)
    published = await w.article("Опубликовано", source_url="https://example.kz/1")
    waiting = await w.article("В очереди")
    timed = await w.article("По времени")
    await SearchIndex(redis, keys).index(published, ["токаев"], now)
    publisher = w.publisher()
    [posted] = await publisher.queue_article(published, A, "now")
    await publisher.queue_article(waiting, A)
    await publisher.queue_article(timed, A, "at", at=w.clock.now() + timedelta(days=2))
    job = await w.job(posted.id)
    assert job is not None and job.post is not None
    await w.outbox.enqueue_fanout(job.post, [(READER, 0.0)], kind="push", article_id=published)
    await kit.deliver_all()
    await w.ledger.record(LedgerEntry(article_id=digest_ledger_id(w.clock.now().date()),
                                      chat_id=READER, status="published", at=now))  # fmt: skip
    limiter = RateLimiter(redis, keys)
    await limiter.reserve([A, READER], now)
    await limiter.pause_chat(READER, 30, now)
    await kit.file_ids.put("https://example.kz/1.jpg", "file-1")
    await LeaseRepo(redis, keys).acquire("poller", "me", 60)
    subs = SubscriptionRepo(redis, keys)
    await subs.subscribe(READER, "politika")
    await subs.save(Subscriber(user_id=READER, digest_at=540, quiet_from=0, quiet_to=420),
                    digest_due=now + DAY)  # fmt: skip
    await subs.remember_stop_request(READER, 5, now)
    await kit.roles.grant_editor(A, EDITOR)
    await kit.roles.cache_admins(A, [EDITOR], now, 600)
    await kit.roles.save_invite(Invite(code="abc123", chat_id=A, created_by=EDITOR,
                                       created_at=now, expires_at=now + 600), 600)  # fmt: skip
    await kit.roles.remember_username("reader", READER, now)
    await kit.save_draft("Черновик")
    await kit.note_audit("/pause")
    await kit.note_audit("/grant", allowed=False)
    await dialogue_state(kit, redis, keys)


async def dialogue_state(kit: Kit, redis: Redis, keys: Keys) -> None:
    """An editor's dialogue left half way, in the bot's own FSM storage."""
    bot = create_bot("1:test", "http://127.0.0.1:9")
    try:
        settings = Settings(_env_file=None)
        ctx = AppContext(settings, redis, keys, kit.clock, bot, build_i18n())
        storage = create_fsm_storage(ctx)
        where = StorageKey(bot_id=1, chat_id=EDITOR, user_id=EDITOR)
        await storage.set_state(where, "NewPost:headline")
        await storage.set_data(where, {"draft_id": "1"})
    finally:
        await bot.session.close()


def test_every_key_family_has_a_retention_policy() -> None:
    assert sorted(RETENTION) == sorted(key_methods())


async def test_old_data_leaves_no_key_without_expiry_or_purge(
    kit: Kit, redis: Redis, keys: Keys
) -> None:
    await old_data_of_every_kind(kit, redis, keys)
    before = await families(redis, keys)
    swept = {name for name, (policy, _) in RETENTION.items() if policy == "swept"}
    assert swept - set(before) == set(), "the old data misses some families"
    assert [name for name in before if name.startswith("unknown")] == []

    await kit.clock.advance(800 * DAY)  # past every default retention
    await kit.retention().sweep()

    left = await families(redis, keys)
    policies: dict[str, Policy] = {name: policy for name, (policy, _) in RETENTION.items()}
    assert [name for name in left if policies.get(name) not in ("ttl", "live", "counter")] == []
    for name, found in left.items():
        if policies[name] == "ttl":
            for key in found:
                assert await redis.pttl(key) > 0, f"{key} ({name}) does not expire"
    # what is left is current state: the channel, the reader's subscription, the editor
    assert await ChannelRepo(redis, keys).get(A) is not None
    assert await SubscriptionRepo(redis, keys).rubrics_of(READER) == ["politika"]
    assert await kit.roles.is_editor(A, EDITOR)
    assert await kit.world.queue.queue_length(A) == 0
