"""Summarised ledgers: a push's readers' records folded into compact buckets keep answering
every question the full records did (exactly-once, copies to edit or retract, progress), at
a tenth of the memory."""

from __future__ import annotations

from redis.asyncio import Redis

from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.models.delivery import DeliveryJob, LedgerEntry
from storage.outbox import OutboxRepo, Settlement
from tests.delivery.helpers import T0, job, text_post

READERS = [5_000_000_000 + i * 7919 for i in range(300)]
FAILED, SKIPPED, RETRIED = READERS[:10], READERS[10:15], READERS[15:18]
CHANNEL = -1001234567890


def outcome(outbox: OutboxRepo, claimed: DeliveryJob, now: float) -> Settlement:
    """Most readers get the push; some refuse it, some left, some are tried again later."""
    if claimed.chat_id in FAILED:
        return outbox.failure(claimed, "forbidden", now, "Forbidden: bot was blocked")
    if claimed.chat_id in SKIPPED:
        return outbox.skipping(claimed, "unsubscribed", now)
    if claimed.chat_id in RETRIED:
        return outbox.retrial(claimed, now + 600, "network", now)
    message_id = 1000 + READERS.index(claimed.chat_id) if claimed.chat_id > 0 else 77
    return outbox.completion(claimed, message_id, now)


async def push_to_everyone(outbox: OutboxRepo, now: float = T0) -> None:
    """The article posted in a channel and pushed to 300 readers, every outcome settled."""
    await outbox.enqueue(job(CHANNEL, "a1", job_id="post-1"))
    await push_again(outbox, now)


async def push_again(outbox: OutboxRepo, now: float) -> list[DeliveryJob]:
    """Fan the push out (again) and settle what the claim hands out; those jobs."""
    recipients = [(reader, 0.0) for reader in READERS]
    await outbox.enqueue_fanout(text_post("Пуш"), recipients, kind="push", article_id="a1")
    claimed = await outbox.claim(now, 1000, "w1", 30.0)
    await outbox.settle([outcome(outbox, c, now) for c in claimed], now)
    return claimed


def shape(entries: list[LedgerEntry]) -> set[tuple[int, str, int | None, str | None]]:
    """What a record says, without its time and detail (which summaries drop)."""
    return {(e.chat_id, e.status, e.message_id, e.reason) for e in entries}


async def ledger_bytes(redis: Redis, keys: Keys) -> int:
    """Memory of the article's ledger hash and log."""
    sizes = [await redis.memory_usage(keys.ledger("a1")), await redis.memory_usage(
        keys.ledger_log("a1"))]  # fmt: skip
    return sum(int(size or 0) for size in sizes)


async def test_a_summary_answers_as_the_records_did(redis: Redis, keys: Keys) -> None:
    outbox = OutboxRepo(redis, keys, time_source=lambda: T0)
    ledger = LedgerRepo(redis, keys)
    await push_to_everyone(outbox)
    entries, copies = await ledger.entries("a1"), await ledger.published_copies("a1")
    channel_events = [e for e in await ledger.events("a1") if e.chat_id == CHANNEL]
    assert len(copies) == 1 + 300 - 18

    folded = await ledger.summarise("a1")

    assert folded == 300 - len(RETRIED)  # a reader still being tried keeps its record
    assert shape(await ledger.entries("a1")) == shape(entries)
    assert await ledger.published_copies("a1") == copies
    assert await ledger.get("a1", CHANNEL) == next(e for e in entries if e.chat_id == CHANNEL)
    assert await ledger.events("a1") == channel_events  # readers' events are summarised
    reader, blocked = READERS[100], FAILED[0]
    assert await ledger.has_published("a1", reader)
    assert not await ledger.has_published("a1", blocked)
    found = await ledger.get("a1", blocked)
    assert found is not None and (found.status, found.reason) == ("failed", "forbidden")
    assert await ledger.published_among("a1", [reader, blocked, 42]) == {reader}
    summary = await ledger.summary("a1")
    assert summary.statuses == {"published": 283, "failed": 10, "skipped": 5, "queued": 3}
    assert (summary.failed, summary.skipped) == ({"forbidden": 10}, {"unsubscribed": 5})


async def test_a_summarised_push_costs_under_40_bytes_a_reader(redis: Redis, keys: Keys) -> None:
    outbox = OutboxRepo(redis, keys, time_source=lambda: T0)
    ledger = LedgerRepo(redis, keys)
    await push_to_everyone(outbox)
    before = await ledger_bytes(redis, keys) / len(READERS)
    await ledger.summarise("a1")
    after = await ledger_bytes(redis, keys) / len(READERS)
    assert before > 300
    assert after <= 40, f"{after:.1f} bytes per reader after the summary ({before:.0f} before)"


async def test_exactly_once_holds_after_the_summary(redis: Redis, keys: Keys) -> None:
    outbox = OutboxRepo(redis, keys, time_source=lambda: T0)
    ledger = LedgerRepo(redis, keys)
    await push_to_everyone(outbox)
    await ledger.summarise("a1")
    # The same push fanned out again: only readers who never got it are handed out.
    again = await push_again(outbox, T0 + 60)
    assert sorted(j.chat_id for j in again) == sorted(FAILED + SKIPPED)
    assert (await outbox.stats.day(outbox.stats.local_day(T0 + 60))).duplicates == 282
    # The readers being retried get it later; their records join the summary next time.
    late = await outbox.claim(T0 + 601, 1000, "w1", 30.0)
    assert sorted(j.chat_id for j in late) == sorted(RETRIED)
    await outbox.settle([outbox.completion(j, 9000, T0 + 601) for j in late], T0 + 601)
    assert await redis.zscore(keys.ledger_unsummarised(), "a1") == T0 + 601
    assert await ledger.summarise("a1") == len(RETRIED) + len(FAILED) + len(SKIPPED)
    assert await redis.zscore(keys.ledger_unsummarised(), "a1") is None
    assert all([await ledger.has_published("a1", r) for r in RETRIED])


async def test_a_copy_retracted_after_the_summary_stays_retracted(redis: Redis, keys: Keys) -> None:
    outbox = OutboxRepo(redis, keys, time_source=lambda: T0)
    ledger = LedgerRepo(redis, keys)
    await push_to_everyone(outbox)
    await ledger.summarise("a1")
    reader = READERS[200]
    message_id = (await ledger.published_copies("a1"))[reader]
    delete = DeliveryJob(id="delete-1", kind="delete", chat_id=reader, article_id="a1",
                         message_id=message_id)  # fmt: skip
    await outbox.enqueue(delete)
    [claimed] = await outbox.claim(T0 + 5, 10, "w1", 30.0)
    await outbox.complete(claimed, None, now=T0 + 5)
    for _ in range(2):  # before and after the next summary
        record = await ledger.get("a1", reader)
        assert record is not None and record.status == "retracted"
        assert reader not in await ledger.published_copies("a1")
        assert await ledger.has_published("a1", reader)  # never sent again
        await ledger.summarise("a1")
    again = await push_again(outbox, T0 + 60)
    assert reader not in {j.chat_id for j in again}
