"""Slots, routing, the breaking lane, quiet hours, pause/resume and timed posts in virtual time.

Real Redis, a VirtualClock: each test calls `PublishingService.tick(now)` itself, at the
moments the APScheduler jobs would, and reads what was handed to the delivery engine (the
outbox jobs). `test_day_of_slots.py` runs a day with APScheduler itself firing the ticks.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.publishing.service import PublishingService
from bot.publishing.slots import parse_time
from storage.models.channel import Channel
from tests.publishing.conftest import ALMATY, World, local

A, B = -1001, -1002


def cron_fire_times(channels: list[Channel], start: datetime, end: datetime) -> list[datetime]:
    """Every slot trigger of these channels in [start, end], by APScheduler's own trigger math."""
    fires: set[datetime] = set()
    for channel in channels:
        for slot in channel.slots:
            when = parse_time(slot)
            trigger = CronTrigger(
                hour=when.hour, minute=when.minute, second=when.second, timezone=ALMATY
            )
            previous = None
            moment = trigger.get_next_fire_time(None, start)
            while moment is not None and moment <= end:
                fires.add(moment.astimezone(UTC))
                previous = moment
                moment = trigger.get_next_fire_time(previous, moment + timedelta(seconds=1))
    return sorted(fires)


async def run_ticks(
    world: World, publisher: PublishingService, moments: list[datetime]
) -> list[tuple[int, str, str, bool]]:
    """Tick at each moment; (chat, article headline, local HH:MM of the job, silent) per post."""
    published: list[tuple[int, str, str, bool]] = []
    for moment in sorted(moments):
        await world.clock.set(moment)
        report = await publisher.tick()
        for post in report.dispatched:
            job = await world.job(post.id)
            article = await world.articles.get(post.article_id)
            assert job is not None and article is not None
            hhmm = datetime.fromtimestamp(job.not_before, ALMATY).strftime("%H:%M")
            published.append((post.chat_id, article.headline, hhmm, job.silent))
    return published


async def test_a_day_of_slots_for_two_channels_with_different_routing(world: World) -> None:
    politics = await world.channel(A, routing=["politika"])  # 09 12 15 18
    everything = await world.channel(B, routing=None, slots=["10:00", "14:00", "18:00"])
    publisher = world.publisher()
    for headline, rubric in [
        ("П1", "Политика"),
        ("Э1", "Экономика"),
        ("П2", "Политика"),
        ("С1", "Спорт"),
        ("П3", "Политика"),
    ]:
        await publisher.route_article(await world.article(headline, rubric))
    day_end = local("23:59")
    moments = cron_fire_times([politics, everything], world.clock.now(), day_end)
    moments += [local(f"{h:02d}:30") for h in range(7, 24)]  # safety ticks in between
    published = await run_ticks(world, publisher, moments)

    assert [p for p in published if p[0] == A] == [
        (A, "П1", "09:00", True),
        (A, "П2", "12:00", True),
        (A, "П3", "15:00", True),
    ]
    assert [p for p in published if p[0] == B] == [
        (B, "П1", "10:00", True),
        (B, "Э1", "14:00", True),
        (B, "П2", "18:00", True),
    ]
    waiting = await publisher.list_queue(B)
    assert [(await world.articles.get(p.article_id)).headline for p in waiting] == ["С1", "П3"]  # type: ignore[union-attr]
    assert [p.eta for p in waiting] == [
        local("10:00", day=26).timestamp(),
        local("14:00", day=26).timestamp(),
    ]
    assert await publisher.list_queue(A) == []


async def test_routing_writes_queued_ledger_events_and_skips_inactive_channels(
    world: World,
) -> None:
    await world.channel(A, routing=["politika"])
    await world.channel(B, routing=["ekonomika"])
    await world.channel(-1003, status="inactive", inactive_reason="removed")
    publisher = world.publisher()
    article_id = await world.article("Только политика")
    posts = await publisher.route_article(article_id)
    assert [p.chat_id for p in posts] == [A]
    events = await world.ledger.events(article_id)
    assert [(e.status, e.chat_id) for e in events] == [("queued", A)]
    assert events[0].detail["post_id"] == posts[0].id


async def test_breaking_goes_out_at_once_with_sound_and_pin_while_slot_posts_are_silent(
    world: World,
) -> None:
    await world.channel(A)
    publisher = world.publisher()
    slot_article = await world.article("Плановая новость")
    urgent = await world.article("Срочная новость")
    [slot_post] = await publisher.queue_article(slot_article, A)
    await world.clock.set(local("08:15"))
    [breaking] = await publisher.queue_article(urgent, A, "breaking", pin=True)

    assert breaking.state == "dispatched"
    job = await world.job(breaking.id)
    assert job is not None
    assert (job.silent, job.pin, job.not_before) == (False, True, local("08:15").timestamp())
    assert await world.job(slot_post.id) is None  # the slot post still waits for 09:00

    await world.clock.set(local("09:00"))
    await publisher.tick()
    job = await world.job(slot_post.id)
    assert job is not None and (job.silent, job.pin) == (True, False)


async def test_silent_slot_posts_is_configurable(world: World) -> None:
    await world.channel(A, silent_slot_posts=False)
    publisher = world.publisher()
    [post] = await publisher.queue_article(await world.article("Со звуком"), A)
    await world.clock.set(local("09:00"))
    await publisher.tick()
    job = await world.job(post.id)
    assert job is not None and job.silent is False


async def test_quiet_hours_defer_a_post_to_the_first_slot_after_them(world: World) -> None:
    await world.clock.set(local("22:30"))
    await world.channel(A, slots=["06:00", "09:00", "23:00"])
    publisher = world.publisher()
    await publisher.set_quiet(A, "22:00-08:00")
    [post] = await publisher.queue_article(await world.article("Ночная новость"), A)
    assert (await publisher.next_slot(A)) == local("09:00", day=26)

    for moment in (local("23:00"), local("06:00", day=26), local("08:59", day=26)):
        await world.clock.set(moment)
        await publisher.tick()
        assert await world.job(post.id) is None, f"published in quiet hours at {moment}"
    await world.clock.set(local("09:00", day=26))
    report = await publisher.tick()
    assert [p.id for p in report.dispatched] == [post.id]


async def test_pause_keeps_queueing_and_resume_does_not_burst(world: World) -> None:
    await world.channel(A)  # catch-up: spread
    publisher = world.publisher()
    await publisher.pause(A)
    ids = [await world.article(f"Новость {i}") for i in range(3)]
    posts = [(await publisher.queue_article(i, A))[0] for i in ids]
    for hhmm in ("09:00", "12:00"):
        await world.clock.set(local(hhmm))
        assert (await publisher.tick()).dispatched == []
    assert await world.queue.queue_length(A) == 3

    await world.clock.set(local("12:30"))
    await publisher.resume(A)
    assert (await publisher.tick()).dispatched == []  # missed slots are not made up at once
    await world.clock.set(local("15:00"))
    assert [p.id for p in (await publisher.tick()).dispatched] == [posts[0].id]


async def test_breaking_in_a_paused_channel_waits_at_the_head_of_the_queue(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    [first] = await publisher.queue_article(await world.article("Первая"), A)
    await publisher.pause(A)
    [urgent] = await publisher.queue_article(await world.article("Срочно"), A, "breaking")
    assert urgent.state == "queued" and await world.job(urgent.id) is None
    assert [p.id for p in await world.queue.get_many(await world.queue.queue_ids(A))] == [
        urgent.id,
        first.id,
    ]
    await world.clock.set(local("09:00"))
    await publisher.resume(A)
    await publisher.tick()
    job = await world.job(urgent.id)
    assert job is not None and job.silent is False


async def test_timed_posts_go_out_at_their_time_and_wait_while_paused(world: World) -> None:
    await world.channel(A)
    publisher = world.publisher()
    [timed] = await publisher.queue_article(
        await world.article("Ко времени"), A, "at", at=local("10:17")
    )
    assert timed.state == "scheduled"
    await world.clock.set(local("10:16:59"))
    assert (await publisher.tick()).dispatched == []
    await world.clock.set(local("10:17"))
    assert [p.id for p in (await publisher.tick()).dispatched] == [timed.id]

    [held] = await publisher.queue_article(await world.article("Пауза"), A, "at", at=local("11:00"))
    await publisher.pause(A)
    await world.clock.set(local("11:05"))
    assert (await publisher.tick()).dispatched == []
    await publisher.resume(A)
    assert [p.id for p in (await publisher.tick()).dispatched] == [held.id]


async def test_interval_only_channel_keeps_its_minimum_interval(world: World) -> None:
    await world.channel(A, slots=[], min_interval=3600)
    publisher = world.publisher()
    posts = [(await publisher.queue_article(await world.article(f"Н{i}"), A))[0] for i in range(3)]
    served: list[str] = []
    for minutes in range(0, 150, 10):
        await world.clock.set(local("07:00") + timedelta(minutes=minutes))
        for post in (await publisher.tick()).dispatched:
            served.append(f"{post.id}@{world.clock.now().astimezone(ALMATY):%H:%M}")
    assert served == [f"{posts[0].id}@07:00", f"{posts[1].id}@08:00", f"{posts[2].id}@09:00"]


async def test_min_interval_with_slots_skips_a_slot_right_after_a_breaking_post(
    world: World,
) -> None:
    await world.channel(A, min_interval=1800)
    publisher = world.publisher()
    [slot_post] = await publisher.queue_article(await world.article("Слот"), A)
    await world.clock.set(local("08:50"))
    await publisher.queue_article(await world.article("Молния"), A, "breaking")
    await world.clock.set(local("09:00"))
    assert (await publisher.tick()).dispatched == []  # 10 minutes after the breaking post
    await world.clock.set(local("12:00"))
    assert [p.id for p in (await publisher.tick()).dispatched] == [slot_post.id]


async def test_slot_changes_take_effect_without_treating_past_slots_as_missed(
    world: World,
) -> None:
    await world.channel(A, catchup="publish_now")
    publisher = world.publisher()
    [post] = await publisher.queue_article(await world.article("Новость"), A)
    await world.clock.set(local("10:30"))
    await publisher.set_slots(A, ["08:00", "10:00", "11:15"])  # 08:00 and 10:00 already past
    assert (await publisher.tick()).dispatched == []
    await world.clock.set(local("11:15"))
    assert [p.id for p in (await publisher.tick()).dispatched] == [post.id]
