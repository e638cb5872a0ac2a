"""Managing waiting posts (move, reschedule, cancel, publish now) and edit/retract jobs."""

from __future__ import annotations

import pytest

from bot.publishing.errors import PublishingError
from tests.publishing.conftest import World, local
from tests.publishing.test_catchup_and_concurrency import deliver_all

A, B = -1001, -1002


async def queued_ids(world: World, chat_id: int) -> list[str]:
    return await world.queue.queue_ids(chat_id)


async def test_move_reorders_the_queue_and_list_shows_slot_times(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    ids = [(await publisher.queue_article(await world.article(f"Н{i}"), A))[0].id for i in range(3)]
    listed = await publisher.move(ids[2], -2)
    assert [p.id for p in listed] == [ids[2], ids[0], ids[1]]
    assert [p.eta for p in listed] == [local(h).timestamp() for h in ("09:00", "12:00", "15:00")]
    await publisher.move(ids[2], +5)  # clamped at the tail
    assert await queued_ids(world, A) == [ids[0], ids[1], ids[2]]
    await world.clock.set(local("09:00"))
    assert [p.id for p in (await publisher.tick()).dispatched] == [ids[0]]


async def test_reschedule_cancel_and_publish_now(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    ids = [(await publisher.queue_article(await world.article(f"Н{i}"), A))[0].id for i in range(3)]

    timed = await publisher.reschedule(ids[0], local("08:05"))
    assert (timed.state, timed.due_at) == ("scheduled", local("08:05").timestamp())
    assert await queued_ids(world, A) == ids[1:]

    cancelled = await publisher.cancel(ids[1])
    assert cancelled.state == "cancelled"
    [queued, skipped] = await world.ledger.events(cancelled.article_id)
    assert queued.status == "queued"
    assert (skipped.status, skipped.reason) == ("skipped", "cancelled")
    with pytest.raises(PublishingError) as again:
        await publisher.cancel(ids[1])
    assert again.value.code == "not_pending"

    now = await publisher.publish_now(ids[2])
    assert now.state == "dispatched" and await world.job(ids[2]) is not None
    assert await queued_ids(world, A) == []

    await world.clock.set(local("08:05"))
    assert [p.id for p in (await publisher.tick()).dispatched] == [ids[0]]
    listed = await publisher.list_queue(A)
    assert listed == []


async def test_publish_now_refuses_a_paused_channel_and_unknown_posts(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    [post] = await publisher.queue_article(await world.article("Н"), A)
    await publisher.pause(A)
    with pytest.raises(PublishingError) as paused:
        await publisher.publish_now(post.id)
    assert paused.value.code == "channel_inactive"
    with pytest.raises(PublishingError) as unknown:
        await publisher.publish_now("999999")
    assert unknown.value.code == "unknown_post"


async def test_edit_makes_one_edit_job_per_published_copy_with_the_channel_template(
    world: World,
) -> None:
    await world.channel(A)
    await world.channel(B, template={"signature": '<a href="https://t.me/b">Канал Б</a>'})
    publisher = world.publisher()
    article_id = await world.article("Было", source_url="https://example.kz/1")
    await publisher.queue_article(article_id, A, "now")
    await publisher.queue_article(article_id, B, "now")
    sent = await deliver_all(world)
    article = await world.articles.get(article_id)
    assert article is not None
    await world.articles.store(article.model_copy(update={"headline": "Стало", "content_hash": ""}))

    assert sorted(await publisher.edit_article(article_id)) == [B, A]
    jobs = await world.outbox.claim(world.clock.time(), 10, "w", 30)
    by_chat = {job.chat_id: job for job in jobs}
    assert {j.kind for j in jobs} == {"edit"}
    assert by_chat[A].message_id == sent[f"post-{(await world.queue.links(article_id))[A]}"]
    post_a, post_b = by_chat[A].post, by_chat[B].post
    text_a = post_a.text if post_a else ""
    text_b = post_b.text if post_b else ""
    assert "Стало" in text_a and "Стало" in text_b
    assert "Канал Б" in text_b and "Канал Б" not in text_a


async def test_retract_deletes_published_copies_and_removes_waiting_ones(world: World) -> None:
    await world.channel(A)
    await world.channel(B)
    publisher = world.publisher()
    article_id = await world.article("Отозвать")
    await publisher.queue_article(article_id, A, "now")
    sent = await deliver_all(world)
    [waiting] = await publisher.queue_article(article_id, B)

    result = await publisher.retract_article(article_id)
    assert (result.deleted, result.cancelled) == ([A], [B])
    [delete] = await world.outbox.claim(world.clock.time(), 10, "w", 30)
    assert (delete.kind, delete.chat_id, delete.message_id) == ("delete", A, min(sent.values()))
    assert await world.queue.queue_length(B) == 0
    post = await world.queue.get(waiting.id)
    assert post is not None and (post.state, post.reason) == ("cancelled", "retracted")
    events = [(e.status, e.chat_id, e.reason) for e in await world.ledger.events(article_id)]
    assert ("skipped", B, "retracted") in events
    with pytest.raises(PublishingError) as unknown:
        await publisher.retract_article("nope")
    assert unknown.value.code == "unknown_article"


async def test_retract_withdraws_a_dispatched_job_that_was_not_sent_yet(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    article_id = await world.article("Ещё не ушла")
    [post] = await publisher.queue_article(article_id, A, "now")
    result = await publisher.retract_article(article_id)
    withdrawn = await world.queue.get(post.id)
    assert withdrawn is not None and (withdrawn.state, withdrawn.reason) == (
        "cancelled",
        "retracted",
    )
    assert (result.deleted, result.cancelled) == ([], [A])
    assert await world.outbox.pending_count("channel") == 0
    assert await world.outbox.claim(world.clock.time(), 10, "w", 30) == []


async def test_a_post_telegram_refused_goes_back_to_the_head_of_the_queue(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    [waiting] = await publisher.queue_article(await world.article("Ждёт"), A)
    article_id = await world.article("Отказ")
    [post] = await publisher.queue_article(article_id, A, "now")
    [job] = await world.outbox.claim(world.clock.time(), 10, "w", 30)
    description = "Forbidden: bot was kicked from the channel chat"
    await world.outbox.fail(job, "forbidden", world.clock.time(), description)
    await publisher.requeue_refused(A, job, description)
    await publisher.requeue_refused(A, job, description)  # each refused job calls it: once

    queued = await world.queue.get_many(await world.queue.queue_ids(A))
    assert [p.article_id for p in queued] == [article_id, waiting.article_id]
    assert queued[0].id != post.id and queued[0].state == "queued"
    events = [(e.status, e.reason) for e in await world.ledger.events(article_id)]
    assert events[-2:] == [("failed", "forbidden"), ("queued", "requeued after refusal")]
    await world.clock.set(local("09:00"))
    assert [p.id for p in (await publisher.tick()).dispatched] == [queued[0].id]
