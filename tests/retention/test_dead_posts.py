"""A slot that finds dead posts (their article is gone) at the head of the queue takes the
next live one: a thousand dead posts do not cost a thousand slots."""

from __future__ import annotations

from storage.models.queue import QueuedPost
from tests.publishing.conftest import World, local
from tests.retention.conftest import Kit

A = -1001
DEAD = 1000


async def queue_dead_posts(world: World, count: int) -> list[str]:
    """`count` posts in channel A's queue whose articles no longer exist; their ids."""
    ids = []
    for i in range(count):
        post = QueuedPost(id=await world.queue.next_id(), article_id=f"gone{i}", chat_id=A,
                          created_at=world.clock.time())  # fmt: skip
        assert await world.queue.add(post, float(i), expect=None)
        ids.append(post.id)
    return ids


async def test_a_slot_steps_over_a_thousand_dead_posts(kit: Kit) -> None:
    w = kit.world
    await w.channel(A, slots=["09:00", "18:00"])
    dead = await queue_dead_posts(w, DEAD)
    [live] = await w.publisher().queue_article(await w.article("Живая новость"), A)
    assert (await w.queue.queue_ids(A))[-1] == live.id

    await w.clock.set(local("09:00"))
    report = await w.publisher().tick()

    assert [p.id for p in report.dispatched] == [live.id]
    assert sorted(p.id for p in report.skipped) == sorted(dead)
    assert {p.reason for p in report.skipped} == {"article_missing"}
    assert await w.queue.queue_length(A) == 0
    assert await w.job(live.id) is not None
    assert await w.queue.dispatching_before(w.clock.time() + 1) == []


async def test_a_dead_post_does_not_count_as_the_intervals_post(kit: Kit) -> None:
    w = kit.world
    await w.channel(A, slots=[], min_interval=3600)
    dead = await queue_dead_posts(w, 3)
    [live] = await w.publisher().queue_article(await w.article("Живая новость"), A)
    report = await w.publisher().tick()
    assert [p.id for p in report.dispatched] == [live.id]
    assert sorted(p.id for p in report.skipped) == sorted(dead)


async def test_a_post_whose_record_is_gone_leaves_the_queue(kit: Kit) -> None:
    w = kit.world
    await w.channel(A, slots=["09:00"])
    [orphan] = await queue_dead_posts(w, 1)
    await w.redis.delete(w.keys.post(orphan))
    [live] = await w.publisher().queue_article(await w.article("Живая новость"), A)
    await w.clock.set(local("09:00"))
    report = await w.publisher().tick()
    assert [p.id for p in report.dispatched] == [live.id]
    assert await w.queue.queue_length(A) == 0
    assert await w.queue.dispatching_before(w.clock.time() + 1) == []
