"""The retention sweep: old records go and recent ones stay, by the injected clock; a purged
article takes its posts, links and ledger along and leaves no post in a queue."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from redis.asyncio import Redis

from bot.app import create_bot
from bot.article_format import parse_article
from bot.clock import VirtualClock
from bot.config import RetentionSettings, Settings
from bot.context import AppContext
from bot.retention import wiring
from bot.texts import build_i18n
from storage.keys import Keys
from storage.models.delivery import DeliveryJob
from tests.delivery.helpers import text_post
from tests.publishing.conftest import local
from tests.retention.conftest import DAY, Kit

A, B = -1001, -1002
READERS = [5_000_000_000 + i * 7919 for i in range(5)]
SHORT = RetentionSettings(
    ledger_days=30, stats_days=30, audit_days=30, post_days=30, draft_days=30,
    file_id_days=30, username_days=30,
)  # fmt: skip


async def publish(kit: Kit, headline: str) -> tuple[str, str]:
    """An article posted in channel A now and pushed to the readers; (article id, post id)."""
    w = kit.world
    article_id = await w.article(headline)
    [post] = await w.publisher().queue_article(article_id, A, "now")
    job = await w.job(post.id)
    assert job is not None and job.post is not None
    readers = [(reader, 0.0) for reader in READERS]
    await w.outbox.enqueue_fanout(job.post, readers, kind="push", article_id=article_id)
    await kit.deliver_all()
    return article_id, post.id


async def records_of_the_day(kit: Kit, headline: str, name: str) -> tuple[str, str, str]:
    """One day's worth of every kind of record; (article id, post id, draft id)."""
    article_id, post_id = await publish(kit, headline)
    await kit.note_audit(f"/slots {name}")
    await kit.note_audit(f"/grant {name}", allowed=False)
    draft = await kit.save_draft(headline)
    await kit.file_ids.put(f"https://example.kz/{name}.jpg", f"file-{name}")
    await kit.roles.remember_username(name, 7000 + len(name), kit.clock.time())
    return article_id, post_id, draft.id


async def test_old_records_go_and_recent_ones_stay(kit: Kit) -> None:
    w = kit.world
    await w.channel(A)
    old_day = w.clock.now().date()
    old = await records_of_the_day(kit, "Старая новость", "old")
    await w.clock.advance(40 * DAY)
    new_day = w.clock.now().date()
    new = await records_of_the_day(kit, "Свежая новость", "fresh")
    await w.clock.advance(DAY)

    report = await kit.retention(SHORT).sweep()

    (old_article, old_post, old_draft), (new_article, new_post, new_draft) = old, new
    # ledger entries: the old article's are gone (the article itself stays: 365 days)
    assert await w.ledger.entries(old_article) == []
    assert await w.ledger.events(old_article) == []
    assert not await w.ledger.has_published(old_article, A)
    assert await w.articles.get(old_article) is not None
    assert {e.chat_id for e in await w.ledger.entries(new_article)} == {A, *READERS}
    assert await w.ledger.has_published(new_article, A)
    # stats: the old day's counters are gone, the recent day's stay
    assert (await kit.stats.day(old_day)).published == 0
    assert (await kit.stats.day(new_day)).published == 1
    assert (await kit.stats.day(new_day)).pushes == len(READERS)
    # audit entries, queued-post records, drafts, file ids, usernames
    assert [e.action for e in await kit.audit.actions(10)] == ["/slots fresh"]
    assert [e.action for e in await kit.audit.refusals(10)] == ["/grant fresh"]
    assert await w.queue.get(old_post) is None
    assert (await w.queue.get(new_post)).state == "dispatched"  # type: ignore[union-attr]
    assert await kit.drafts.get(old_draft) is None
    assert [d.id for d in await kit.drafts.list_for(7)] == [new_draft]
    assert await kit.file_ids.get("https://example.kz/old.jpg") is None
    assert await kit.file_ids.get("https://example.kz/fresh.jpg") == "file-fresh"
    assert await kit.roles.resolve_username("old") is None
    assert await kit.roles.resolve_username("fresh") == 7005
    assert (report.ledgers, report.stats_days, report.audit_entries) == (1, 1, 2)
    assert (report.posts, report.drafts, report.file_ids, report.usernames) == (1, 1, 1, 1)
    # a second sweep finds nothing more to do
    again = await kit.retention(SHORT).sweep()
    assert again.total() == again.ledgers_summarised == 0


async def test_a_record_touched_again_is_kept(kit: Kit) -> None:
    """Retention counts from the last change: a draft edited, a name seen again, a ledger
    with a new event (an edit of the copy) stay."""
    w = kit.world
    await w.channel(A)
    article_id, _ = await publish(kit, "Новость")
    draft = await kit.save_draft("Черновик")
    await kit.roles.remember_username("anna", 77, kit.clock.time())
    await w.clock.advance(40 * DAY)
    await kit.drafts.save(draft.model_copy(update={"updated_at": kit.clock.time()}))
    await kit.roles.remember_username("anna", 77, kit.clock.time())
    copy = await w.ledger.get(article_id, A)
    assert copy is not None and copy.message_id is not None
    edit = DeliveryJob(kind="edit", chat_id=A, article_id=article_id,
                       message_id=copy.message_id, post=text_post("Исправлено"))  # fmt: skip
    await w.outbox.enqueue(edit)
    await kit.deliver_all()
    await w.clock.advance(DAY)
    await kit.retention(SHORT).sweep()
    assert await kit.drafts.get(draft.id) is not None
    assert await kit.roles.resolve_username("anna") == 77
    assert await w.ledger.has_published(article_id, A)


async def test_a_purged_article_takes_its_posts_links_and_ledger(
    kit: Kit, redis: Redis, keys: Keys
) -> None:
    w = kit.world
    await w.channel(A)
    await w.channel(B, slots=["09:00"])
    gone, post_a = await publish(kit, "Старая новость")
    [waiting] = await w.publisher().queue_article(gone, B)
    await w.clock.advance(366 * DAY)
    kept = await w.article("Свежая новость")
    [fresh] = await w.publisher().queue_article(kept, B)
    assert await w.queue.queue_ids(B) == [waiting.id, fresh.id]

    report = await kit.retention().sweep()

    assert report.articles == 1 and report.posts_unqueued == 1
    assert await w.articles.get(gone) is None
    assert await w.queue.queue_ids(B) == [fresh.id]  # left the queue at once
    for key in (keys.ledger(gone), keys.ledger_log(gone), keys.article_posts(gone),
                keys.post(post_a), keys.post(waiting.id)):  # fmt: skip
        assert not await redis.exists(key), key
    assert await redis.zscore(keys.ledger_index(), gone) is None
    assert await redis.zscore(keys.posts_index(), waiting.id) is None
    # the next slot (09:00, two hours on) serves the live post
    await w.publisher().tick()  # the year of missed slots is let go (catch-up: spread)
    await w.clock.advance(2 * 3600)
    assert [p.id for p in (await w.publisher().tick()).dispatched] == [fresh.id]


async def test_the_feature_sweeps_with_the_configured_settings(
    redis: Redis, keys: Keys, sample_text: str
) -> None:
    clock = VirtualClock(local("07:00"))
    settings = Settings(_env_file=None, article_retention_days=30)
    bot = create_bot("1:test", "http://127.0.0.1:9")
    try:
        ctx = AppContext(settings, redis, keys, clock, bot, build_i18n())
        feature = wiring.build(ctx, {})
        stores = wiring.stores(ctx)
        await stores.articles.store(parse_article(sample_text))
        await clock.advance(timedelta(days=31).total_seconds())
        (task,) = feature.tasks
        running = asyncio.create_task(task())
        service = feature.workflow_data["retention"]
        try:
            for _ in range(500):  # until the first sweep is done and the loop sleeps
                if service.last_report is not None:
                    break
                await asyncio.sleep(0.01)
            assert service.last_report.articles == 1
            assert await stores.articles.count() == 0
        finally:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
    finally:
        await bot.session.close()
