"""Roles: grants, invites, the Telegram-admin cache (5 min, bypassed when destructive), audit."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.desk.audit import AuditService
from bot.desk.roles import RoleService
from storage.audit import AuditRepo
from storage.channels import ChannelRepo
from storage.drafts import DraftRepo
from storage.keys import Keys
from storage.models.channel import Channel
from storage.models.draft import Draft
from storage.models.roles import AuditEntry
from storage.roles import RoleRepo

START = 1_800_000_000.0
OWNER, ADMIN, EDITOR, STRANGER = 9001, 9002, 9003, 9004


async def test_grant_and_revoke_keep_both_indexes(redis: Redis, keys: Keys) -> None:
    repo = RoleRepo(redis, keys)
    assert await repo.grant_editor(-100111, 42) is True
    assert await repo.grant_editor(-100111, 42) is False
    await repo.grant_editor(-100222, 42)
    assert await repo.editors(-100111) == [42]
    assert await repo.editor_channels(42) == [-100222, -100111]
    assert await repo.is_editor(-100111, 42)
    assert await repo.revoke_editor(-100111, 42) is True
    assert await repo.revoke_editor(-100111, 42) is False
    assert await repo.editor_channels(42) == [-100222]
    assert not await repo.is_editor(-100111, 42)


async def test_usernames_resolve_case_insensitively(redis: Redis, keys: Keys) -> None:
    repo = RoleRepo(redis, keys)
    await repo.remember_username("Anna_Editor", 77, 1.0)
    assert await repo.resolve_username("@anna_editor") == 77
    assert await repo.resolve_username("nobody") is None


async def test_audit_lists_are_capped_newest_first(redis: Redis, keys: Keys) -> None:
    repo = AuditRepo(redis, keys, cap=5)
    for i in range(16):
        await repo.record(AuditEntry(at=START + i, user_id=i, action="/pause", allowed=i % 2 == 0))
    assert await repo.count() == 10  # five actions and five refusals, each list capped
    recent = await repo.recent(3)
    assert [e.user_id for e in recent] == [15, 14, 13]
    assert [e.user_id for e in await repo.actions(10)] == [14, 12, 10, 8, 6]


async def test_refusals_cannot_push_the_actions_out(redis: Redis, keys: Keys) -> None:
    """Ten people refused a hundred times each (the attack that emptied the log): every
    action stays, and each of them holds at most `per_actor` entries and one flood marker."""
    repo = AuditRepo(redis, keys, cap=100, per_actor=5)
    actions = [
        AuditEntry(at=START + i, user_id=1, action="/pause", chat_id=-1001, allowed=True)
        for i in range(8)
    ]
    for entry in actions:
        await repo.record(entry)
    for n in range(1000):
        refused = AuditEntry(
            at=START + 10 + n, user_id=100 + n % 10, action="/grant", allowed=False
        )
        await repo.record(refused)
    kept = [(e.at, e.user_id, e.action) for e in reversed(actions)]
    assert [(e.at, e.user_id, e.action) for e in await repo.actions(100)] == kept
    refusals = await repo.refusals(1000)
    for person in range(100, 110):
        theirs = [e.detail for e in refusals if e.user_id == person]
        assert theirs == ["flood"] + [None] * 5
    merged = await repo.recent(1000)
    assert [(e.at, e.user_id, e.action) for e in merged if e.allowed] == kept


async def test_drafts_are_listed_newest_first_per_editor(redis: Redis, keys: Keys) -> None:
    repo = DraftRepo(redis, keys)
    first = Draft(id=await repo.next_id(), user_id=1, created_at=START, updated_at=START)
    second = Draft(id=await repo.next_id(), user_id=1, created_at=START, updated_at=START + 5)
    other = Draft(id=await repo.next_id(), user_id=2, created_at=START, updated_at=START + 9)
    for draft in (first, second, other):
        await repo.save(draft)
    assert [d.id for d in await repo.list_for(1)] == [second.id, first.id]
    await repo.delete(second)
    assert [d.id for d in await repo.list_for(1)] == [first.id]
    assert await repo.get(second.id) is None


class World:
    """A channel in the sandbox with a Telegram admin, and a RoleService on a virtual clock."""

    def __init__(self, service: RoleService, clock: VirtualClock, chat_id: int, sandbox: object):
        self.service = service
        self.clock = clock
        self.chat_id = chat_id
        self.sandbox = sandbox


@pytest.fixture
async def world(redis: Redis, keys: Keys, sandbox: object, tg_bot: Bot) -> AsyncIterator[World]:
    client = sandbox.client  # type: ignore[attr-defined]
    channel = await client.create_channel("Вестник")
    await client.create_user("Админ", id=ADMIN)
    await client.add_admin(channel["id"], ADMIN)
    channels = ChannelRepo(redis, keys)
    await channels.save(Channel(id=channel["id"], title="Вестник"))
    clock = VirtualClock(START)
    audit = AuditService(AuditRepo(redis, keys), clock)
    service = RoleService(tg_bot, [OWNER], RoleRepo(redis, keys), channels, audit, clock)
    await service.grant(channel["id"], EDITOR)
    yield World(service, clock, channel["id"], sandbox)


async def test_roles_per_channel(world: World) -> None:
    s, chat = world.service, world.chat_id
    assert await s.role_in(OWNER, chat) == "owner"
    assert await s.role_in(ADMIN, chat) == "admin"
    assert await s.role_in(EDITOR, chat) == "editor"
    assert await s.role_in(STRANGER, chat) is None
    assert await s.role_in(ADMIN, -100999) is None  # no such channel in Telegram


async def test_admin_cache_lasts_at_most_five_minutes(world: World) -> None:
    s, chat = world.service, world.chat_id
    assert await s.role_in(ADMIN, chat) == "admin"
    await world.sandbox.client.remove_admin(chat, ADMIN)  # type: ignore[attr-defined]
    await world.clock.advance(299)
    assert await s.role_in(ADMIN, chat) == "admin"  # still cached
    assert await s.role_in(ADMIN, chat, fresh=True) is None  # destructive: re-checked
    await world.sandbox.client.add_admin(chat, ADMIN)  # type: ignore[attr-defined]
    await s.role_in(ADMIN, chat, fresh=True)
    await world.sandbox.client.remove_admin(chat, ADMIN)  # type: ignore[attr-defined]
    await world.clock.advance(301)
    assert await s.role_in(ADMIN, chat) is None  # cache expired


async def test_authorize_writes_allowed_and_denied_to_the_audit(world: World) -> None:
    s, chat = world.service, world.chat_id
    assert (await s.authorize(ADMIN, chat, "/pause", "admin", fresh=True)).allowed
    denied = await s.authorize(EDITOR, chat, "/pause", "admin", fresh=True)
    assert not denied.allowed and denied.reason == "no_role"
    entries = await s.audit.recent(5)
    assert [(e.user_id, e.action, e.allowed) for e in entries] == [
        (EDITOR, "/pause", False),
        (ADMIN, "/pause", True),
    ]
    assert entries[0].chat_id == chat and entries[0].at == START


async def test_unknown_channel_is_refused(world: World) -> None:
    decision = await world.service.decide(OWNER, -100424242, "editor")
    assert not decision.allowed and decision.reason == "unknown_channel"


async def test_channels_for_and_has_any(world: World) -> None:
    s, chat = world.service, world.chat_id
    assert [c.id for c in await s.channels_for(EDITOR, "editor")] == [chat]
    assert await s.channels_for(EDITOR, "admin") == []
    assert [c.id for c in await s.channels_for(ADMIN, "admin")] == [chat]
    assert await s.has_any(EDITOR, "editor") and not await s.has_any(EDITOR, "admin")
    assert await s.has_any(OWNER, "admin")
    assert not await s.has_any(STRANGER, "editor")


async def test_invite_works_once_and_expires(world: World) -> None:
    s, chat = world.service, world.chat_id
    invite = await s.create_invite(chat, ADMIN)
    assert (await s.redeem(invite.code, STRANGER)) is not None
    assert await s.role_in(STRANGER, chat) == "editor"
    assert await s.redeem(invite.code, 5555) is None  # used
    late = await s.create_invite(chat, ADMIN)
    await world.clock.advance(s.invite_ttl + 1)
    assert await s.redeem(late.code, 6666) is None  # expired
    assert await s.role_in(6666, chat) is None
    assert await s.redeem("../../etc", 6666) is None  # malformed


async def test_resolve_target(world: World) -> None:
    s = world.service
    await s.remember_username("anna", 4242)
    assert await s.resolve_target("@Anna") == 4242
    assert await s.resolve_target("123456") == 123456
    assert await s.resolve_target("@unknown_user") is None
    assert await s.resolve_target("-5") is None


async def _admin_calls(sandbox: object) -> int:
    stats = await sandbox.client.stats()  # type: ignore[attr-defined]
    return int(stats["methods"].get("getChatAdministrators", {}).get("calls", 0))


async def test_unreachable_channel_uses_recorded_admins_but_refuses_destructive(
    world: World, redis: Redis, keys: Keys
) -> None:
    """The bot was removed: Telegram cannot list admins. Reads fall back to the admin
    publishing recorded (who added the bot); Telegram is not asked again on every update;
    a destructive check is refused."""
    channels = ChannelRepo(redis, keys)
    await channels.save(Channel(id=-100777, title="Закрытый"))
    await channels.add_admin(-100777, ADMIN)
    s = world.service
    calls = await _admin_calls(world.sandbox)
    assert await s.role_in(ADMIN, -100777) == "admin"
    assert await s.role_in(ADMIN, -100777) == "admin"
    assert await _admin_calls(world.sandbox) == calls + 1  # one call, then a pause
    assert await s.repo.cached_admins([-100777]) == {}  # the guess is not cached as verified
    decision = await s.decide(ADMIN, -100777, "admin", fresh=True)
    assert not decision.allowed and decision.reason == "unverified"


async def test_stale_admin_list_keeps_its_age_while_telegram_is_down(world: World) -> None:
    """Telegram down after the cache expired: the old list serves reads, but keeps the time
    it was fetched at, so it never lasts longer than 5 minutes once Telegram answers again,
    and a destructive action is refused meanwhile."""
    s, chat, client = world.service, world.chat_id, world.sandbox.client  # type: ignore[attr-defined]
    assert await s.role_in(ADMIN, chat) == "admin"  # fetched at START, cached
    await world.clock.advance(301)
    await client.add_fault("getChatAdministrators", count=100, error_code=502)
    try:
        assert await s.role_in(ADMIN, chat) == "admin"  # harmless: the stale list stands in
        cached = await s.repo.cached_admins([chat])
        assert cached[chat][0] == START  # not re-stamped as fresh
        destructive = await s.decide(ADMIN, chat, "admin", fresh=True)
        assert not destructive.allowed and destructive.reason == "unverified"
    finally:
        await client.clear_faults()
    await client.remove_admin(chat, ADMIN)  # Telegram is back, and A is no admin any more
    await world.clock.advance(61)  # past the pause between attempts at an unreachable chat
    assert await s.role_in(ADMIN, chat) is None
