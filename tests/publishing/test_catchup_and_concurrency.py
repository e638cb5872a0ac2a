"""Catch-up after downtime (each policy, with its ledger entries), several processes ticking
at once, crash recovery between claim and enqueue, and the exactly-once refusals."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from bot.publishing.dispatch import TickReport
from bot.publishing.errors import PublishingError
from tests.publishing.conftest import World, local

A, B, C = -1001, -1002, -1003


async def deliver_all(world: World) -> dict[str, int]:
    """Stand-in for the delivery engine: claim every due job and complete it (ledger!)."""
    sent: dict[str, int] = {}
    now = world.clock.time()
    for job in await world.outbox.claim(now, 1000, "test-worker", 30.0):
        message_id = 100 + len(sent)
        await world.outbox.complete(job, message_id, now)
        sent[job.id] = message_id
    return sent


async def queue_three(world: World) -> list[str]:
    """Three articles queued in channel A at 07:00; their post ids in queue order."""
    publisher = world.publisher()
    posts = []
    for i in range(3):
        posts += await publisher.queue_article(await world.article(f"Новость {i}"), A)
    return [p.id for p in posts]


async def test_catchup_publish_now_serves_one_post_per_missed_slot(world: World) -> None:
    await world.channel(A, catchup="publish_now")
    posts = await queue_three(world)
    await world.clock.set(local("13:00"))  # down through 09:00 and 12:00
    report = await world.publisher().tick()
    assert [p.id for p in report.dispatched] == posts[:2]
    sent = await deliver_all(world)
    assert sorted(sent) == [f"post-{p}" for p in posts[:2]]
    first = (await world.queue.get(posts[0])).article_id  # type: ignore[union-attr]
    assert [e.status for e in await world.ledger.events(first)] == ["queued", "published"]
    assert await world.queue.queue_length(A) == 1


async def test_catchup_spread_keeps_the_queue_for_the_next_slots(world: World) -> None:
    await world.channel(A, catchup="spread")
    posts = await queue_three(world)
    await world.clock.set(local("13:00"))
    assert (await world.publisher().tick()).dispatched == []
    served = []
    for hhmm in ("15:00", "18:00"):
        await world.clock.set(local(hhmm))
        served += [p.id for p in (await world.publisher().tick()).dispatched]
    assert served == posts[:2]
    for post_id in posts:
        post = await world.queue.get(post_id)
        assert post is not None
        events = await world.ledger.events(post.article_id)
        assert "skipped" not in [e.status for e in events]


async def test_catchup_skip_older_skips_stale_posts_with_a_ledger_reason(world: World) -> None:
    await world.channel(A, catchup="skip_older", catchup_max_age=3 * 3600)
    stale = await queue_three(world)  # queued at 07:00
    await world.clock.set(local("11:00"))
    [fresh] = await world.publisher().queue_article(await world.article("Свежая"), A)
    await world.clock.set(local("12:30"))  # down through 09:00 and 12:00
    report = await world.publisher().tick()
    assert sorted(p.id for p in report.skipped) == sorted(stale)
    assert report.dispatched == []
    for post_id in stale:
        post = await world.queue.get(post_id)
        assert post is not None and (post.state, post.reason) == ("skipped", "stale")
        [queued, skipped] = await world.ledger.events(post.article_id)
        assert (queued.status, skipped.status, skipped.reason) == ("queued", "skipped", "stale")
        assert skipped.detail["age_s"] == 5.5 * 3600 and skipped.detail["limit_s"] == 3 * 3600
    await world.clock.set(local("15:00"))
    assert [p.id for p in (await world.publisher().tick()).dispatched] == [fresh.id]


async def test_a_late_slot_within_grace_is_served_not_missed(world: World) -> None:
    await world.channel(A, catchup="spread")
    posts = await queue_three(world)
    await world.clock.set(local("09:03"))  # three minutes late: a slow tick, not downtime
    assert [p.id for p in (await world.publisher().tick()).dispatched] == posts[:1]


async def test_processes_ticking_concurrently_serve_each_slot_once(world: World) -> None:
    for chat in (A, B, C):
        await world.channel(chat, slots=["09:00", "09:00:20", "09:00:40", "12:00"])
    first = world.publisher()
    for i in range(12):
        await first.queue_article(await world.article(f"Новость {i}"), None)
    processes = [world.publisher() for _ in range(6)]
    dispatched: list[str] = []
    for moment in (local("09:00"), local("09:00:20"), local("09:00:40"), local("12:00")):
        await world.clock.set(moment)
        reports = await asyncio.gather(*(p.tick() for p in processes for _ in range(3)))
        dispatched += [post.id for r in reports for post in r.dispatched]
    assert len(dispatched) == 12  # 3 channels x 4 slots, every article queued in all 3
    assert Counter(dispatched).most_common(1)[0][1] == 1
    per_chat = Counter([(await world.queue.get(p)).chat_id for p in dispatched])  # type: ignore[union-attr]
    assert per_chat == {A: 4, B: 4, C: 4}
    assert await world.outbox.pending_count("channel") == 12


async def test_a_crash_between_claim_and_enqueue_is_finished_once_by_the_next_tick(
    world: World,
) -> None:
    await world.channel(A)
    [post_id, *_] = await queue_three(world)
    await world.clock.set(local("09:00"))
    mark = await world.queue.mark(A)
    claim = await world.queue.claim(  # the process claims the slot... and dies here
        A, interval_mode=False, expected=mark, mark=local("09:00").timestamp(), count=1,
        now=world.clock.time(),
    )  # fmt: skip
    assert claim.post_ids == [post_id]
    assert (await world.publisher().tick()).dispatched == []  # slot already served
    await world.clock.set(local("09:01"))  # past the recovery delay
    survivor = world.publisher()
    reports = await asyncio.gather(survivor.tick(), world.publisher().tick())
    assert [p.id for r in reports for p in r.dispatched].count(post_id) >= 1
    post = await world.queue.get(post_id)
    assert post is not None and post.state == "dispatched"
    assert await world.outbox.pending_count("channel") == 1
    await survivor.dispatcher.dispatch(post, TickReport())  # repeating is a no-op
    assert await world.outbox.pending_count("channel") == 1


async def test_queueing_a_published_pair_is_refused_with_a_duplicate_event(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    article_id = await world.article("Уже вышла")
    await publisher.queue_article(article_id, A, "now")
    await deliver_all(world)
    with pytest.raises(PublishingError) as refused:
        await publisher.queue_article(article_id, A)
    assert refused.value.code == "already_published"
    assert [e.status for e in await world.ledger.events(article_id)] == [
        "queued",
        "published",
        "duplicate",
    ]
    assert await publisher.route_article(article_id) == []  # re-import: nothing queued
    assert await world.queue.queue_length(A) == 0


async def test_queueing_a_waiting_pair_again_changes_nothing_or_replans_it(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    article_id = await world.article("Одна и та же")
    [first] = await publisher.queue_article(article_id, A)
    [again] = await publisher.queue_article(article_id, A)
    assert again.id == first.id and await world.queue.queue_length(A) == 1
    [urgent] = await publisher.queue_article(article_id, A, "breaking")
    assert urgent.id == first.id and urgent.state == "dispatched"
    assert await world.queue.queue_length(A) == 0
    post = await world.queue.get(first.id)
    assert post is not None and post.state == "dispatched"
    assert await world.outbox.pending_count("channel") == 1


async def test_unknown_article_and_channel_are_refused(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    with pytest.raises(PublishingError) as unknown_article:
        await publisher.queue_article("nope", A)
    assert unknown_article.value.code == "unknown_article"
    with pytest.raises(PublishingError) as unknown_channel:
        await publisher.queue_article(await world.article("Есть"), -999)
    assert unknown_channel.value.code == "unknown_channel"
    with pytest.raises(PublishingError) as past:
        await publisher.queue_article(await world.article("Прошлое"), A, "at", at=local("06:00"))
    assert past.value.code == "bad_time"
