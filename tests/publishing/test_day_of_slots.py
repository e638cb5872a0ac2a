"""A day of slots in virtual time, driven by APScheduler itself.

The whole app runs against the sandbox on a `VirtualClock`; the test only moves the clock.
The publishing scheduler's `ClockScheduler` (APScheduler's AsyncIOScheduler on the injected
clock) fires the CronTrigger slot jobs, the delivery engine sends, the sandbox shows the
posts; the ledger records when (in virtual time) each one went out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.publishing.scheduler import PublishingScheduler
from bot.publishing.service import PublishingService
from bot.redis_server import RedisServerProcess
from storage.models.article import Article
from storage.models.channel import Channel
from tests.harness import RunningApp, eventually, running_app
from tests.publishing.conftest import World, local
from tests.publishing.test_e2e import register_channel

ARTICLES = [
    ("П1", "Политика"),
    ("Э1", "Экономика"),
    ("П2", "Политика"),
    ("С1", "Спорт"),
    ("П3", "Политика"),
]


async def pump(clock: VirtualClock, check: Callable[[], Awaitable[bool]]) -> None:
    """Move virtual time on in small steps until `check()` (the engine paces on the clock)."""
    for _ in range(200):
        if await check():
            return
        await clock.advance(0.1)
        await asyncio.sleep(0.01)
    raise AssertionError("the posts were not delivered")


async def register(app: RunningApp, clock: VirtualClock, title: str, admin_id: int) -> int:
    """Like `register_channel`, moving virtual time on: the engine paces notices to one
    private chat (1/s) on the clock."""
    chat = await app.client.create_channel(title, bot_status="left")
    await app.client.add_admin(chat["id"], admin_id, status="creator")
    await app.client.set_bot_status(
        chat["id"], "administrator", can_post_messages=True, from_id=admin_id
    )

    async def welcomed() -> bool:
        return any(title in (m["text"] or "") for m in await app.client.bot_messages(admin_id))

    await pump(clock, welcomed)
    return int(chat["id"])


async def setup(app: RunningApp, clock: VirtualClock) -> tuple[int, int, dict[str, str]]:
    """Channel A (politics, default slots) and B (everything, 10/14/18), the day's articles
    imported at 07:00 (routing queues them); headline -> article id."""
    admin = await app.client.create_private_chat("Выпускающий")
    politics = await register_channel(app, "Политика KZ", admin["id"])
    everything = await register(app, clock, "Всё подряд", admin["id"])
    publisher: PublishingService = app.services["publisher"]
    await publisher.set_routing(politics, ["Политика"])
    await publisher.set_slots(everything, ["10:00", "14:00", "18:00"])
    ids: dict[str, str] = {}
    for headline, rubric in ARTICLES:
        imported = await app.services["article_service"].import_article(
            Article(rubric=rubric, headline=headline, lead=f"О главном: {headline}.")
        )
        ids[headline] = imported.article_id
    return politics, everything, ids


async def test_a_day_of_slots_for_two_channels_driven_by_the_real_scheduler(
    redis_server: RedisServerProcess, redis: Redis, sandbox: Any
) -> None:
    clock = VirtualClock(local("07:00"))
    async with running_app(redis_server.url, sandbox, clock=clock) as app:
        a, b, ids = await setup(app, clock)
        scheduler: PublishingScheduler = app.services["publishing_scheduler"]
        await eventually(lambda: _slot_jobs(scheduler, 6), what="the slot jobs")
        expected = {  # local slot -> (chat, headline) that goes out then
            "09:00": [(a, "П1")],
            "10:00": [(b, "П1")],
            "12:00": [(a, "П2")],
            "14:00": [(b, "Э1")],
            "15:00": [(a, "П3")],
            "18:00": [(b, "П2")],
        }
        ledger = app.services["ledger"]
        for hhmm, posts in expected.items():
            slot = local(hhmm)
            await clock.set(slot)  # only the clock moves; APScheduler fires the slot job

            async def dispatched(posts: list[tuple[int, str]] = posts) -> bool:
                links = [await app.services["publisher"].queue.links(ids[h]) for _, h in posts]
                found = await app.services["publisher"].queue.get_many(
                    [link[chat] for link, (chat, _) in zip(links, posts, strict=True)]
                )
                return all(p.state == "dispatched" for p in found)

            await eventually(dispatched, timeout=5, what=f"the {hhmm} posts to be taken")

            async def out(posts: list[tuple[int, str]] = posts) -> bool:
                return all([await ledger.has_published(ids[h], chat) for chat, h in posts])

            await pump(clock, out)
            for chat, headline in posts:
                record = await ledger.get(ids[headline], chat)
                assert record is not None and record.status == "published"
                assert slot.timestamp() <= record.at < slot.timestamp() + 5, (hhmm, headline)
                [post] = await app.services["publisher"].queue.get_many(
                    [(await app.services["publisher"].queue.links(ids[headline]))[chat]]
                )
                assert post.dispatched_at == slot.timestamp()  # the tick ran at the slot

        await clock.set(local("23:59"))
        await asyncio.sleep(0.2)
        texts_a = [m["text"] for m in await app.client.bot_messages(a)]
        texts_b = [m["text"] for m in await app.client.bot_messages(b)]
        assert [_headline(t) for t in texts_a] == ["П1", "П2", "П3"]
        assert [_headline(t) for t in texts_b] == ["П1", "Э1", "П2"]
        for headline, article_id in ids.items():
            events = [e for e in await ledger.events(article_id) if e.status == "published"]
            assert len(events) == len({e.chat_id for e in events}), headline  # none twice
        waiting = await app.services["publisher"].list_queue(b)
        assert [p.article_id for p in waiting] == [ids["С1"], ids["П3"]]
        assert scheduler.slot_jobs() == {
            f"slot Asia/Almaty {t}" for t in ("09:00", "10:00", "12:00", "14:00", "15:00", "18:00")
        }


async def _slot_jobs(scheduler: PublishingScheduler, count: int) -> bool:
    return len(scheduler.slot_jobs()) == count


def _headline(text: str) -> str:
    """The headline line of a post: its first line (what a notification shows)."""
    return text.splitlines()[0]


async def test_cron_slot_jobs_fire_at_their_exact_virtual_moments(world: World) -> None:
    """Without the periodic safety tick, only the CronTrigger jobs (and the wake job of a
    timed post) fire ticks, each at its exact second, across midnight and in two zones."""
    await world.channels.save(Channel(id=-1, title="Алматы", slots=["09:00", "23:30"]))
    await world.channels.save(
        Channel(id=-2, title="Берлин", slots=["09:00:30"], timezone="Europe/Berlin")
    )
    for chat in (-1, -2):
        await world.queue.raise_mark(chat, world.clock.time())
    publisher = world.publisher()
    [timed] = await publisher.queue_article(await world.article("Ко времени"), -1, "at",
                                            at=local("11:11"))  # fmt: skip
    fired: list[datetime] = []
    original = publisher.tick

    async def recording_tick(now: datetime | None = None) -> Any:
        fired.append(world.clock.now())
        return await original(now)

    publisher.tick = recording_tick  # type: ignore[method-assign]
    scheduler = PublishingScheduler(publisher, world.clock, safety_seconds=10 * 86400)
    task = asyncio.create_task(scheduler.run())
    try:
        await eventually(lambda: _slot_jobs(scheduler, 3), what="the slot jobs")
        await eventually(lambda: _ticked(scheduler), what="the start-up safety tick")
        fired.clear()
        end = local("10:00", day=26)
        while world.clock.now() < end:
            await world.clock.advance(600)
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    berlin = datetime(2026, 11, 25, 9, 0, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    # The slot jobs, and the one-off wake job at the timed post (planned on the clock too).
    wanted = [local("09:00"), local("11:11"), berlin, local("23:30"), local("09:00", day=26)]
    assert sorted(fired) == wanted
    post = await world.queue.get(timed.id)
    assert post is not None and post.state == "dispatched"


async def _ticked(scheduler: PublishingScheduler) -> bool:
    return scheduler.ticks > 0
