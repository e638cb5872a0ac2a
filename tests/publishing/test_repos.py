"""ChannelRepo and QueueRepo against real Redis: status, admins, migration, atomic claims."""

from __future__ import annotations

import asyncio

from storage.models.channel import Channel, ChannelRights
from storage.models.queue import QueuedPost
from tests.publishing.conftest import World


async def test_channel_repo_status_admins_and_active(world: World) -> None:
    repo = world.channels
    await repo.save(Channel(id=-1001, title="Один"))
    await repo.save(Channel(id=-1002, title="Два"))
    assert [c.id for c in await repo.all()] == [-1002, -1001]
    assert await repo.set_status(-1001, "inactive", reason="removed") == "active"
    assert [c.id for c in await repo.active()] == [-1002]
    stored = await repo.get(-1001)
    assert stored is not None and (stored.status, stored.inactive_reason) == ("inactive", "removed")
    rights = ChannelRights(status="administrator", can_post_messages=True)
    assert await repo.set_status(-1001, "active", rights=rights) == "inactive"
    assert await repo.set_status(-5, "active") is None
    assert await repo.add_admin(-1001, 7) is True
    assert await repo.add_admin(-1001, 7) is False
    assert await repo.admins(-1001) == {7}


async def test_concurrent_updates_are_not_lost(world: World) -> None:
    await world.channels.save(Channel(id=-1001, title="Гонка", slots=[]))

    async def add(slot: str) -> None:
        def apply(channel: Channel) -> Channel:
            return channel.model_copy(update={"slots": [*channel.slots, slot]})

        await world.channels.update(-1001, apply)

    await asyncio.gather(*(add(f"{h:02d}:00") for h in range(10)))
    stored = await world.channels.get(-1001)
    assert stored is not None and sorted(stored.slots) == [f"{h:02d}:00" for h in range(10)]


async def test_migrate_moves_record_admins_queue_and_marks(world: World) -> None:
    old, new = -500, -1009
    await world.channels.save(Channel(id=old, title="Группа", type="group"))
    await world.channels.add_admin(old, 42)
    await world.queue.raise_mark(old, 1000.0)
    post = QueuedPost(id="1", article_id="a1", chat_id=old, created_at=1.0)
    assert await world.queue.add(post, 1.0, expect=None)

    moved = await world.channels.migrate(old, new)
    assert moved is not None and (moved.id, moved.type) == (new, "supergroup")
    assert await world.queue.migrate(old, new) == 1
    assert await world.channels.get(old) is None
    assert [c.id for c in await world.channels.all()] == [new]
    assert await world.channels.admins(new) == {42}
    assert await world.queue.queue_ids(new) == ["1"]
    assert await world.queue.mark(new) == "1000.0"
    assert await world.channels.migrated_to(old) == new
    relinked = await world.queue.get("1")
    assert relinked is not None and relinked.chat_id == new
    assert await world.queue.links("a1") == {new: "1"}


async def test_claim_compares_the_mark_so_only_one_caller_wins(world: World) -> None:
    for i in range(5):
        article_id = await world.article(f"Новость {i}")
        post = QueuedPost(id=str(i), article_id=article_id, chat_id=-1, created_at=0.0)
        await world.queue.add(post, float(i), expect=None)
    await world.queue.raise_mark(-1, 100.0)
    mark = await world.queue.mark(-1)
    claims = await asyncio.gather(
        *(
            world.queue.claim(
                -1, interval_mode=False, expected=mark, mark=200.0, count=2, now=200.0
            )
            for _ in range(8)
        )
    )
    winners = [c for c in claims if c.won]
    assert len(winners) == 1 and winners[0].post_ids == ["0", "1"]
    assert await world.queue.queue_ids(-1) == ["2", "3", "4"]
    assert await world.queue.dispatching_before(300.0) == ["0", "1"]


async def test_add_refuses_when_the_pair_changed_meanwhile(world: World) -> None:
    first = QueuedPost(id="1", article_id="a", chat_id=-1, created_at=0.0)
    second = QueuedPost(id="2", article_id="a", chat_id=-1, created_at=0.0)
    assert await world.queue.add(first, 1.0, expect=None)
    assert not await world.queue.add(second, 2.0, expect=None)
    assert await world.queue.queue_ids(-1) == ["1"]
