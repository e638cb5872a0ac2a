"""A tick hands everything it took to the outbox in one batch; one post that cannot be
rendered holds back no other, and goes out once its channel is fixed."""

from __future__ import annotations

from collections.abc import Sequence

from bot.publishing.service import PublishingService
from storage.channels import ChannelRepo
from storage.models.channel import TemplateSettings
from storage.models.delivery import DeliveryJob
from storage.outbox import OutboxRepo
from storage.queue import QueueRepo
from tests.publishing.conftest import World, local

CHANNELS = [-1001, -1002, -1003, -1004, -1005]


class CountingOutbox(OutboxRepo):
    """The real outbox, noting how the publisher called it."""

    calls: list[int]

    async def enqueue(self, job: DeliveryJob) -> str:
        self.calls.append(1)
        return await super().enqueue(job)

    async def enqueue_many(self, jobs: Sequence[DeliveryJob]) -> list[str]:
        self.calls.append(len(jobs))
        return await super().enqueue_many(jobs)


def counting_publisher(world: World) -> tuple[PublishingService, CountingOutbox]:
    outbox = CountingOutbox(world.redis, world.keys, time_source=world.clock.time)
    outbox.calls = []
    publisher = PublishingService(
        channels=ChannelRepo(world.redis, world.keys),
        queue=QueueRepo(world.redis, world.keys),
        articles=world.articles,
        rubrics=world.rubrics,
        outbox=outbox,
        ledger=world.ledger,
        clock=world.clock,
    )
    return publisher, outbox


async def test_one_slot_in_many_channels_is_one_outbox_batch(world: World) -> None:
    for chat in CHANNELS:
        await world.channel(chat)
    publisher, outbox = counting_publisher(world)
    await publisher.queue_article(await world.article("Главное за утро"), None)
    await world.clock.set(local("09:00"))
    report = await publisher.tick()
    assert sorted(p.chat_id for p in report.dispatched) == sorted(CHANNELS)
    assert outbox.calls == [len(CHANNELS)]
    claimed = await world.outbox.claim(world.clock.time(), 100, "w1", 30)
    assert [job.chat_id for job in claimed] == [p.chat_id for p in report.dispatched]


async def test_a_post_that_cannot_be_rendered_holds_back_no_other(world: World) -> None:
    for chat in CHANNELS:
        await world.channel(chat)
    broken = TemplateSettings(signature="<b>Редакция")  # Telegram would refuse this HTML
    await world.channels.update(CHANNELS[0], lambda c: c.model_copy(update={"template": broken}))
    publisher, _ = counting_publisher(world)
    article_id = await world.article("Главное за утро")
    await publisher.queue_article(article_id, None)
    post_of_broken = (await world.queue.links(article_id))[CHANNELS[0]]
    await world.clock.set(local("09:00"))
    report = await publisher.tick()
    assert sorted(p.chat_id for p in report.dispatched) == sorted(CHANNELS[1:])
    assert await world.queue.dispatching_before(world.clock.time() + 1) == [post_of_broken]
    await world.channels.update(
        CHANNELS[0], lambda c: c.model_copy(update={"template": TemplateSettings()})
    )
    await world.clock.set(local("09:01"))  # past the recovery delay
    recovered = await publisher.tick()
    assert [p.id for p in recovered.dispatched] == [post_of_broken]
    assert await world.outbox.pending_count("channel") == len(CHANNELS)
