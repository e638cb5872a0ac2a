"""What /stop removes outside the subscriptions: waiting jobs, @usernames, audit refusals."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot.subscribers.erasure import ReaderEraser
from storage.audit import AuditRepo
from storage.keys import Keys
from storage.models.delivery import DeliveryJob
from storage.models.post import Post
from storage.models.roles import AuditEntry
from storage.outbox import OutboxRepo
from storage.roles import RoleRepo

READER = 123
OWNER = 900
POST = Post(method="sendMessage", text="Новость")


@pytest.fixture
def parts(redis: Redis, keys: Keys) -> tuple[ReaderEraser, OutboxRepo, RoleRepo, AuditRepo]:
    outbox, roles, audit = OutboxRepo(redis, keys), RoleRepo(redis, keys), AuditRepo(redis, keys)
    return ReaderEraser(outbox, roles, audit, owners=[OWNER]), outbox, roles, audit


def _refusal(user_id: int, action: str = "/new") -> AuditEntry:
    return AuditEntry(at=1.0, user_id=user_id, action=action, allowed=False, detail="not_member")


async def test_waiting_pushes_and_digests_of_the_reader_are_cancelled(
    parts: tuple[ReaderEraser, OutboxRepo, RoleRepo, AuditRepo],
) -> None:
    eraser, outbox, _, _ = parts
    recipients = [(READER, 5e9), (1123, 5e9), (1230, 5e9), (12, 5e9)]  # look-alike ids stay
    await outbox.enqueue_fanout(POST, recipients, kind="push", article_id="a123")
    await outbox.enqueue_fanout(POST, [(READER, 5e9)], kind="push", article_id="b7")
    await outbox.enqueue(
        DeliveryJob(
            id=f"digest-{READER}-2026-11-25",
            kind="digest",
            chat_id=READER,
            article_id="digest-2026-11-25",
            lane="push",
            post=POST,
        )
    )
    channel = DeliveryJob(kind="channel_post", chat_id=-100123, article_id="a123", post=POST)
    await outbox.enqueue(channel)
    erased = await eraser.erase(READER)
    assert erased.jobs == 3
    assert await outbox.state(f"push-a123-{READER}") is None
    assert await outbox.state(f"push-b7-{READER}") is None
    assert await outbox.state(f"digest-{READER}-2026-11-25") is None
    for other in (1123, 1230, 12):
        assert await outbox.state(f"push-a123-{other}") == "ready"
    assert await outbox.pending_count("channel") == 1


async def test_a_readers_username_and_refusals_are_forgotten(
    parts: tuple[ReaderEraser, OutboxRepo, RoleRepo, AuditRepo],
) -> None:
    eraser, _, roles, audit = parts
    await roles.remember_username("Old_Name", READER, 1.0)
    await roles.remember_username("new_name", READER, 2.0)
    await roles.remember_username("someone", 1123, 3.0)
    await audit.record(_refusal(READER))
    await audit.record(_refusal(1123))
    await audit.record(_refusal(READER, "/pause"))
    erased = await eraser.erase(READER)
    assert (erased.usernames, erased.refusals, erased.desk_member) == (2, 2, False)
    assert await roles.resolve_username("old_name") is None
    assert await roles.resolve_username("new_name") is None
    assert await roles.resolve_username("someone") == 1123
    assert [e.user_id for e in await audit.recent(10)] == [1123]


@pytest.mark.parametrize("member", [OWNER, 555])
async def test_a_newsroom_member_keeps_their_desk_data(
    parts: tuple[ReaderEraser, OutboxRepo, RoleRepo, AuditRepo], member: int
) -> None:
    eraser, _, roles, audit = parts
    if member != OWNER:
        await roles.grant_editor(-100777, member)
    await roles.remember_username("editor_name", member, 1.0)
    await audit.record(_refusal(member, "/pause"))
    erased = await eraser.erase(member)
    assert erased.desk_member and (erased.usernames, erased.refusals) == (0, 0)
    assert await roles.resolve_username("editor_name") == member
    assert await audit.count() == 1


async def test_actions_a_user_took_stay_in_the_audit_log(
    parts: tuple[ReaderEraser, OutboxRepo, RoleRepo, AuditRepo],
) -> None:
    eraser, _, _, audit = parts
    taken = AuditEntry(at=2.0, user_id=READER, action="/pause", chat_id=-1001, allowed=True)
    await audit.record(taken)  # a former editor, since revoked
    await audit.record(_refusal(READER))
    await eraser.erase(READER)
    assert [e.model_copy(update={"seq": 0}) for e in await audit.recent(10)] == [taken]
