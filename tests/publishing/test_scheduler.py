"""The APScheduler driver: one CronTrigger per distinct slot, rebuilt on change, firing ticks."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import apscheduler.schedulers.base as apscheduler_base

from bot.clock import SystemClock
from bot.publishing.clock_scheduler import CLOCKED_METHODS
from bot.publishing.scheduler import PublishingScheduler
from bot.publishing.service import PublishingService
from storage.models.channel import Channel
from storage.models.queue import QueuedPost
from tests.publishing.conftest import ALMATY, World


@asynccontextmanager
async def running(scheduler: PublishingScheduler) -> AsyncIterator[PublishingScheduler]:
    """The scheduler's feature task, started and cancelled like `vestnik run` does."""
    task = asyncio.create_task(scheduler.run())
    try:
        await until(lambda: scheduler.ticks > 0)  # the first safety tick ran
        yield scheduler
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def until(condition: object, timeout: float = 5.0) -> None:
    """Wait (in short real-time steps) until `condition()` is true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_slot_jobs_follow_the_channels_settings(world: World) -> None:
    await world.channel(-1, slots=["09:00", "12:00"])
    await world.channel(-2, slots=["09:00", "10:00:30"], timezone="Europe/Berlin")
    await world.channel(-3, slots=["23:00"], status="inactive")
    publisher = world.publisher()
    scheduler = PublishingScheduler(publisher, world.clock, safety_seconds=60)
    publisher.add_change_listener(scheduler.request_sync)
    async with running(scheduler):
        assert scheduler.slot_jobs() == {
            "slot Asia/Almaty 09:00",
            "slot Asia/Almaty 12:00",
            "slot Europe/Berlin 09:00",
            "slot Europe/Berlin 10:00:30",
        }
        await publisher.pause(-2)
        await publisher.set_slots(-1, ["07:45", "12:00"])
        expected = {"slot Asia/Almaty 07:45", "slot Asia/Almaty 12:00"}
        await until(lambda: scheduler.slot_jobs() == expected)


async def test_a_cron_slot_fires_the_tick_on_time_in_real_time(world: World) -> None:
    clock = SystemClock()
    slot = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
    slots = [slot.astimezone(ALMATY).strftime("%H:%M:%S")]
    await world.channels.save(Channel(id=-1, title="Реальное время", slots=slots))
    await world.queue.raise_mark(-1, clock.time())  # (the world's virtual clock is elsewhere)
    publisher = PublishingService(
        channels=world.channels,
        queue=world.queue,
        articles=world.articles,
        rubrics=world.rubrics,
        outbox=world.outbox,
        ledger=world.ledger,
        clock=clock,
    )
    [post] = await publisher.queue_article(await world.article("Точно в срок"), -1)
    scheduler = PublishingScheduler(publisher, clock, safety_seconds=60)
    async with running(scheduler):
        done: list[QueuedPost] = []

        async def check() -> None:
            current = await world.queue.get(post.id)
            if current is not None and current.state == "dispatched":
                done.append(current)

        for _ in range(200):
            await check()
            if done:
                break
            await asyncio.sleep(0.025)
    assert done, "the slot never fired"
    assert done[0].dispatched_at is not None
    assert 0 <= done[0].dispatched_at - slot.timestamp() < 1.0


def test_every_wall_clock_read_of_apscheduler_runs_on_the_injected_clock() -> None:
    """`ClockScheduler` rebuilds the BaseScheduler methods that call `datetime.now()`; an
    APScheduler upgrade that reads the wall clock elsewhere must fail here."""
    readers = {
        name
        for name, member in vars(apscheduler_base.BaseScheduler).items()
        if inspect.isfunction(member) and "datetime.now" in inspect.getsource(member)
    }
    assert readers == set(CLOCKED_METHODS)
