"""Interval-only channels after downtime (each catch-up policy) and timed posts in quiet
hours, in virtual time with real Redis."""

from __future__ import annotations

from datetime import timedelta

from bot.publishing.service import PublishingService
from tests.publishing.conftest import ALMATY, World, local

A = -1001
HOUR = 3600


async def queue_posts(
    world: World, publisher: PublishingService, count: int, name: str = "Новость"
) -> list[str]:
    """`count` articles queued in channel A now; their post ids in queue order."""
    ids = []
    for i in range(count):
        [post] = await publisher.queue_article(await world.article(f"{name} {i}"), A)
        ids.append(post.id)
    return ids


async def served_at(world: World, publisher: PublishingService, hhmm: str) -> list[str]:
    """Tick at a local time; the ids of the posts dispatched."""
    await world.clock.set(local(hhmm))
    return [p.id for p in (await publisher.tick()).dispatched]


async def test_interval_skip_older_skips_what_went_stale_while_the_bot_was_down(
    world: World,
) -> None:
    await world.channel(A, slots=[], min_interval=HOUR, catchup="skip_older",
                        catchup_max_age=2 * HOUR)  # fmt: skip
    publisher = world.publisher()
    stale = await queue_posts(world, publisher, 3)  # due 07:00, 08:00, 09:00
    await world.clock.set(local("10:50"))  # the bot is down all along; the CLI still queues
    [fresh] = await queue_posts(world, publisher, 1, "Свежая")

    await world.clock.set(local("11:00"))
    report = await publisher.tick()
    assert sorted(p.id for p in report.skipped) == sorted(stale)
    assert [p.id for p in report.dispatched] == [fresh]
    for post_id in stale:
        post = await world.queue.get(post_id)
        assert post is not None and (post.state, post.reason) == ("skipped", "stale")
        [queued, skipped] = await world.ledger.events(post.article_id)
        assert (queued.status, skipped.status, skipped.reason) == ("queued", "skipped", "stale")
        assert skipped.detail["policy"] == "skip_older" and skipped.detail["limit_s"] == 2 * HOUR


async def test_interval_publish_now_sends_every_missed_post_at_once(world: World) -> None:
    await world.channel(A, slots=[], min_interval=HOUR, catchup="publish_now")
    publisher = world.publisher()
    posts = await queue_posts(world, publisher, 4)
    assert await served_at(world, publisher, "07:00") == posts[:1]
    # Down from 07:00 to 10:30: the 08:00 and 09:00 posts were missed, the 10:00 one is late
    # by half an hour (beyond the grace) as well.
    assert await served_at(world, publisher, "10:30") == posts[1:4]
    assert await world.queue.queue_length(A) == 0


async def test_interval_spread_resumes_one_post_per_interval(world: World) -> None:
    await world.channel(A, slots=[], min_interval=HOUR, catchup="spread")
    publisher = world.publisher()
    posts = await queue_posts(world, publisher, 3)
    assert await served_at(world, publisher, "07:00") == posts[:1]
    assert await served_at(world, publisher, "10:30") == posts[1:2]
    assert await served_at(world, publisher, "11:00") == []
    assert await served_at(world, publisher, "11:30") == posts[2:3]


async def test_a_backlog_served_on_time_is_not_treated_as_missed(world: World) -> None:
    await world.channel(A, slots=[], min_interval=HOUR, catchup="skip_older",
                        catchup_max_age=HOUR)  # fmt: skip
    publisher = world.publisher()
    posts = await queue_posts(world, publisher, 3)
    served: list[str] = []
    for minutes in range(0, 150, 10):  # the bot is up: a tick every ten minutes
        await world.clock.set(local("07:00") + timedelta(minutes=minutes))
        report = await publisher.tick()
        assert report.skipped == []  # the 09:00 post is two hours old, but on time
        served += [p.id for p in report.dispatched]
    assert served == posts


async def test_a_timed_post_in_quiet_hours_goes_out_at_its_time_without_sound(
    world: World,
) -> None:
    await world.channel(A, silent_slot_posts=False)  # slot posts ring in this channel
    publisher = world.publisher()
    await publisher.set_quiet(A, "22:00-08:00")
    night = local("23:30")
    [timed] = await publisher.queue_article(await world.article("Ночное заявление"), A, "at",
                                            at=night)  # fmt: skip
    [day] = await publisher.queue_article(await world.article("Дневное"), A, "at",
                                          at=local("10:30", day=26))  # fmt: skip

    await world.clock.set(night)
    assert [p.id for p in (await publisher.tick()).dispatched] == [timed.id]
    job = await world.job(timed.id)
    assert job is not None and job.silent is True
    assert job.not_before == night.timestamp()
    assert world.clock.now().astimezone(ALMATY).strftime("%H:%M") == "23:30"

    await world.clock.set(local("10:30", day=26))
    assert [p.id for p in (await publisher.tick()).dispatched] == [day.id]
    job = await world.job(day.id)
    assert job is not None and job.silent is False  # outside quiet hours: as configured
