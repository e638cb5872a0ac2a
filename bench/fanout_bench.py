"""Fan-out benchmark: one article pushed to 50,000 subscribers, and what they cost in Redis.

On a fresh `redis-server` (the machine's, 7.0):
- memory: `used_memory` before and after creating 50,000 subscriptions (one rubric; each
  subscriber also gets its compact settings record), divided by 50,000; also MEMORY USAGE
  of one subscriber shard set and one settings shard hash, with their encodings;
- time: the push listener's fan-out of one new article — reading the rubric's subscribers,
  deferring those in quiet hours (1% of them) and `OutboxRepo.enqueue_fanout` of 50,000 jobs;
- ledger: the pushes delivered (every job claimed and settled as sent, no Telegram), then the
  article's ledger (records hash + event log, `MEMORY USAGE ... SAMPLES 0`) per reader before
  and after `LedgerRepo.summarise`, and the summary's time; for these 50,000 readers and for
  an article pushed to 300 (the figure the security review measured);
- time: an edit of that article reaching the 50,000 copies out (`ReaderCopies.edit`:
  reading the ledger's copies, replacing the waiting pushes' payload, one edit job each).
Targets: at most 100 bytes per subscription, at most 2 s to enqueue, at most 40 bytes per
reader in a summarised ledger.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bot.clock import SystemClock
from bot.config import Settings
from bot.redis_server import RedisServerProcess
from bot.subscribers.push import PushListener
from bot.subscribers.search import Lemmatizer, SearchService, shared_morph
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.models.article import Article
from storage.models.post import Post
from storage.models.subscriber import Subscriber
from storage.outbox import OutboxRepo
from storage.rubrics import RubricRepo
from storage.search_index import SearchIndex
from storage.subscriptions import SubscriptionRepo

SUBSCRIBERS = 50_000
QUIET_SHARE = 100  # one subscriber in 100 has quiet hours
FIRST_ID = 5_000_000_000  # realistic, above 2^32, like recent Telegram user ids


def user_ids(count: int = SUBSCRIBERS) -> list[int]:
    """Spread-out ids, as real Telegram user ids are."""
    return [FIRST_ID + i * 7_919 for i in range(count)]


async def _used_memory(redis: Redis) -> int:
    info = await redis.info("memory")
    return int(info["used_memory"])


async def measure_memory(redis: Redis, keys: Keys, subs: SubscriptionRepo) -> dict[str, Any]:
    """Bytes per subscription from INFO memory, plus one shard of each kind."""
    ids = user_ids()
    before = await _used_memory(redis)
    await subs.subscribe_bulk(ids, "politika")
    after = await _used_memory(redis)
    shard = keys.rubric_subscribers_shard("politika", "instant", ids[0] % subs.shards)
    users = keys.subscriber_shard(ids[0] % subs.user_shards)
    return {
        "subscriptions": len(ids),
        "bytes_per_subscription": round((after - before) / len(ids), 1),
        "shard_set_bytes": int(await redis.memory_usage(shard) or 0),
        "shard_set_encoding": str(await redis.object("ENCODING", shard)),
        "settings_hash_bytes": int(await redis.memory_usage(users) or 0),
        "settings_hash_encoding": str(await redis.object("ENCODING", users)),
    }


async def add_quiet_hours(subs: SubscriptionRepo, ids: list[int]) -> None:
    """Give every `QUIET_SHARE`-th subscriber quiet hours covering the whole day but a minute."""
    for uid in ids[::QUIET_SHARE]:
        sub = Subscriber(user_id=uid, quiet_from=0, quiet_to=1439)
        await subs.save(sub, digest_due=None)


async def measure_fanout(redis: Redis, keys: Keys, subs: SubscriptionRepo) -> dict[str, Any]:
    """Seconds for the push listener to queue one article for every subscriber."""
    from bot.formatting.post import build_post

    settings = Settings(_env_file=None)
    clock = SystemClock()
    outbox = OutboxRepo(redis, keys, time_source=clock.time)
    articles = ArticleRepo(redis, keys)
    search = SearchService(SearchIndex(redis, keys), articles, Lemmatizer(shared_morph()))
    rubrics = RubricRepo(redis, keys, defaults=settings.rubrics)
    listener = PushListener(subs, rubrics, outbox, search, clock, settings, build_post)
    article = Article(
        id="bench1",
        rubric="Политика",
        headline="Токаев: Алматы становится международным хабом сотрудничества",
        lead="Во время обращения к участникам специальной сессии Генеральной Ассамблеи ООН…",
        published_at=datetime.now(UTC),
    )
    start = time.perf_counter()
    readers = await subs.instant_subscribers("politika")
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    queued = await listener.fan_out(article)
    total_s = time.perf_counter() - start
    return {
        "pushes_queued": queued,
        "read_subscribers_s": round(read_s, 3),
        "fanout_enqueue_s": round(total_s, 3),
        "pending_push_jobs": await outbox.pending_count("push"),
        "subscribers_read": len(readers),
    }


async def deliver_pushes(outbox: OutboxRepo) -> int:
    """Claim every push job (quiet hours' ones too) and settle it as sent; how many."""
    now = time.time() + 2 * 86400
    sent = 0
    while jobs := await outbox.claim(now, 1000, "bench", 600.0):
        await outbox.settle([outbox.completion(job, 1 + sent + i, now)
                             for i, job in enumerate(jobs)], now)  # fmt: skip
        sent += len(jobs)
    return sent


async def ledger_bytes(redis: Redis, keys: Keys, article_id: str) -> int:
    """Memory of an article's ledger: the records hash and the event log, every field counted."""
    total = 0
    for key in (keys.ledger(article_id), keys.ledger_log(article_id)):
        total += int(await redis.memory_usage(key, samples=0) or 0)
    return total


async def measure_ledger(
    redis: Redis, keys: Keys, outbox: OutboxRepo, article_id: str, label: str
) -> dict[str, Any]:
    """Bytes per reader of a delivered push's ledger, before and after its summary."""
    readers = await deliver_pushes(outbox)
    ledger = LedgerRepo(redis, keys)
    before = await ledger_bytes(redis, keys, article_id)
    start = time.perf_counter()
    await ledger.summarise(article_id)
    summarise_s = time.perf_counter() - start
    after = await ledger_bytes(redis, keys, article_id)
    return {
        f"ledger_{label}_readers": readers,
        f"ledger_{label}_bytes_per_reader_sent": round(before / readers, 1),
        f"ledger_{label}_bytes_per_reader_summarised": round(after / readers, 1),
        f"ledger_{label}_summarise_s": round(summarise_s, 3),
    }


async def measure_small_push(redis: Redis, keys: Keys, outbox: OutboxRepo) -> dict[str, Any]:
    """The ledger of an article pushed to 300 readers."""
    post = Post(method="sendMessage", text="<b>Пуш</b>", length=3)
    readers = [(uid, 0.0) for uid in user_ids(300)]
    await outbox.enqueue_fanout(post, readers, kind="push", article_id="bench300")
    return await measure_ledger(redis, keys, outbox, "bench300", "300")


async def measure_reader_edit(redis: Redis, keys: Keys) -> dict[str, Any]:
    """Seconds for an edit to queue one edit job per reader copy the ledger knows."""
    from bot.subscribers.copies import ReaderCopies, ReaderCopy
    from storage.models.delivery import LedgerEntry

    clock = SystemClock()
    outbox = OutboxRepo(redis, keys, time_source=clock.time)
    articles = ArticleRepo(redis, keys)
    rubrics = RubricRepo(redis, keys, defaults=Settings(_env_file=None).rubrics)
    render = ReaderCopy("Читать полностью", "Источник")
    copies = ReaderCopies(LedgerRepo(redis, keys), outbox, articles, rubrics, render, clock)
    article = Article(id="bench2", rubric="Политика", headline="Исправленный заголовок")
    async with redis.pipeline(transaction=False) as pipe:  # the ledger after a fan-out
        for n, uid in enumerate(user_ids(), start=1):
            entry = LedgerEntry(
                article_id="bench2", chat_id=uid, status="published", at=0.0, message_id=n
            )
            pipe.hset(keys.ledger("bench2"), str(uid), entry.model_dump_json())
        await pipe.execute()
    before = await outbox.pending_count("push")
    start = time.perf_counter()
    edited = await copies.edit(article.with_hash())
    total_s = time.perf_counter() - start
    return {
        "reader_edits_queued": await outbox.pending_count("push") - before,
        "reader_copies": len(edited),
        "reader_edit_enqueue_s": round(total_s, 3),
    }


async def _run(directory: Path) -> dict[str, Any]:
    server = RedisServerProcess(directory, persistent=False)
    await server.astart()
    redis = Redis.from_url(server.url, decode_responses=True)
    try:
        keys = Keys("bench")
        subs = SubscriptionRepo(redis, keys)
        memory = await measure_memory(redis, keys, subs)
        await add_quiet_hours(subs, user_ids())
        fanout = await measure_fanout(redis, keys, subs)
        outbox = OutboxRepo(redis, keys, time_source=SystemClock().time)
        big = await measure_ledger(redis, keys, outbox, "bench1", "50k")
        small = await measure_small_push(redis, keys, outbox)
        edit = await measure_reader_edit(redis, keys)
        return {**memory, **fanout, **small, **big, **edit}
    finally:
        await redis.aclose()
        await server.astop()


def run() -> dict[str, Any]:
    """The benchmark's figures (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="fanout-bench-") as tmp:
        return asyncio.run(_run(Path(tmp)))


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name:>26}: {value}")
