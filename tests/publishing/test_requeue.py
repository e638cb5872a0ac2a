"""When a pair may get a new post: after a delivery that failed for good, never while one is
on its way, never after one went out (also under a group's id before it became a supergroup).
"""

from __future__ import annotations

import pytest

from bot.publishing.errors import PublishingError
from tests.publishing.conftest import World
from tests.publishing.test_catchup_and_concurrency import deliver_all
from tests.publishing.test_cli import run_cli

A = -1001
GROUP, SUPERGROUP = -500, -100500


async def fail_all(world: World, reason: str = "network") -> None:
    """Stand-in for the engine giving up on every due job (ledger `failed` with `reason`)."""
    now = world.clock.time()
    for job in await world.outbox.claim(now, 1000, "test-worker", 30.0):
        await world.outbox.fail(job, reason, now, "Bad Gateway")


async def test_an_article_whose_delivery_failed_for_good_can_be_queued_again(
    world: World,
) -> None:
    await world.channel(A)
    publisher = world.publisher()
    article_id = await world.article("Не дошла")
    [first] = await publisher.queue_article(article_id, A, "now")
    await fail_all(world)

    [again] = await publisher.queue_article(article_id, A)
    assert again.id != first.id and again.state == "queued"
    assert (await world.queue.links(article_id))[A] == again.id
    events = [(e.status, e.reason) for e in await world.ledger.events(article_id)]
    assert events == [("queued", None), ("failed", "network"), ("queued", None)]
    record = await world.ledger.get(article_id, A)
    assert record is not None and record.status == "queued"

    [now] = await publisher.queue_article(article_id, A, "now")  # re-plans the waiting one
    assert now.id == again.id and now.state == "dispatched"
    await deliver_all(world)
    assert await world.ledger.has_published(article_id, A)


async def test_the_cli_queues_a_failed_article_again_without_a_false_duplicate(
    world: World, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await world.channel(A)
    article_id = await world.article("Сбой доставки")
    await world.publisher().queue_article(article_id, A, "now")
    await fail_all(world, "forbidden")
    assert await run_cli("queue", article_id, "--channel", str(A)) == 0
    assert f"article {article_id} -> {A} [next_slot, queued]" in capsys.readouterr().out
    assert "duplicate" not in [e.status for e in await world.ledger.events(article_id)]


async def test_a_pair_on_its_way_is_refused_as_in_flight_not_as_published(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    article_id = await world.article("В пути")
    await publisher.queue_article(article_id, A, "now")  # its job waits in the outbox
    with pytest.raises(PublishingError) as refused:
        await publisher.queue_article(article_id, A)
    assert refused.value.code == "in_flight"
    assert "being sent" in refused.value.message and "published" not in refused.value.message
    [_, duplicate] = await world.ledger.events(article_id)
    assert (duplicate.status, duplicate.reason) == ("duplicate", "in_flight")
    assert await publisher.route_article(article_id) == []  # routing skips it quietly


async def test_a_copy_published_before_a_group_migration_is_not_sent_again(world: World) -> None:
    await world.channel(GROUP, type="group")
    publisher = world.publisher()
    article_id = await world.article("До миграции")
    await publisher.queue_article(article_id, GROUP, "now")
    await deliver_all(world)
    assert await world.channels.migrate(GROUP, SUPERGROUP) is not None
    await world.queue.migrate(GROUP, SUPERGROUP)

    with pytest.raises(PublishingError) as refused:
        await publisher.queue_article(article_id, SUPERGROUP)
    assert refused.value.code == "already_published"
    assert await publisher.route_article(article_id) == []
    assert await world.queue.queue_length(SUPERGROUP) == 0
    assert await world.outbox.claim(world.clock.time(), 10, "w", 30) == []
    # The copy stays recorded where its message id is valid: in the old group.
    assert await world.ledger.published_copies(article_id) == {GROUP: 100}
    assert await world.ledger.chat_aliases(SUPERGROUP) == [SUPERGROUP, GROUP]


async def test_migrations_chain_through_every_former_id(world: World) -> None:
    await world.channel(GROUP, type="group")
    article_id = await world.article("Цепочка")
    await world.publisher().queue_article(article_id, GROUP, "now")
    await deliver_all(world)
    await world.channels.migrate(GROUP, SUPERGROUP)
    await world.channels.migrate(SUPERGROUP, -100777)
    assert await world.ledger.has_published(article_id, -100777)
    assert not await world.ledger.has_published(article_id, A)
