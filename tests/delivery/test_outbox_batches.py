"""Batched scripts give the result of one-by-one calls: the same scenario played through
`settle` once per outcome and once for all of them leaves Redis in the same state (ledger
records and events, lanes, leases, pair locks, job bodies, stats), also with a job settled
twice in one batch, a pair published twice and a lease another worker holds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.models.delivery import DeliveryJob, LedgerEntry
from storage.outbox import OutboxRepo, Settlement
from tests.delivery.helpers import T0, job, text_post

Scenario = Callable[[OutboxRepo], Awaitable[list[Settlement]]]


async def outcomes_of_every_kind(outbox: OutboxRepo) -> list[Settlement]:
    """Jobs of every kind claimed by w1 (one taken over by w2), and an outcome for each."""
    await outbox.enqueue(job(-1000, "a1", job_id="post-0"))
    [stolen] = await outbox.claim(T0, 1, "w1", 1.0)  # a short lease: w2 takes over its pair
    jobs = [
        job(-1000, "a1", job_id="post-0b"),  # the same pair: waits while post-0 is out
        job(-1001, "a1", job_id="post-1"),
        job(-1002, "a1", job_id="post-2"),
        job(-1003, "a1", job_id="post-3"),
        job(-1004, "a2", job_id="post-4", pin=True),
        job(-1005, None, job_id="notice-1", kind="notice"),
        job(-1008, "a2", job_id="post-8"),
    ]
    await outbox.enqueue_many(jobs)
    await outbox.enqueue_fanout(text_post("Пуш"), [(100 + i, 0.0) for i in range(6)],
                                kind="push", article_id="p1", lane="push")  # fmt: skip
    claimed = {j.id: j for j in await outbox.claim(T0, 100, "w1", 30)}
    assert len(claimed) == 12 and "post-0b" not in claimed
    await outbox.complete(_copy(claimed["post-3"]), 70, now=T0)  # published by another copy
    await outbox.complete(_copy(claimed["post-8"]), 71, now=T0)
    assert await outbox.reclaim_expired(T0 + 2) == 1
    [again] = await outbox.claim(T0 + 2, 100, "w2", 30)
    assert again.id == "post-0b"  # it holds the pair now; post-0 waits behind it
    return [
        outbox.completion(claimed["post-1"], 11, T0 + 1, {"pinned": True}),
        outbox.failure(claimed["post-2"], "forbidden", T0 + 1, "Forbidden: bot was kicked"),
        outbox.completion(claimed["post-3"], 13, T0 + 1),  # sent twice
        outbox.retrial(claimed["post-4"], T0 + 9, "network", T0 + 1),
        outbox.completion(claimed["notice-1"], 15, T0 + 1),
        outbox.failure(claimed["post-8"], "network", T0 + 1),  # its pair is published
        outbox.completion(claimed["push-p1-100"], 16, T0 + 1),
        outbox.deferral(claimed["push-p1-101"], T0 + 5),
        outbox.retrial(claimed["push-p1-102"], T0 + 7, "retry_after", T0 + 1, count=False),
        outbox.skipping(claimed["push-p1-103"], "unsubscribed", T0 + 1),
        outbox.deferral(claimed["push-p1-104"], T0 + 3),
        outbox.completion(_copy(claimed["push-p1-104"]), 18, T0 + 1),  # same job again
        outbox.completion(stolen, 19, T0 + 1),  # its lease expired: the pair is post-0b's
    ]


def _copy(claimed: DeliveryJob) -> DeliveryJob:
    return claimed.model_copy(update={"claimed_by": claimed.claimed_by,
                                      "claimed_chat_id": claimed.claimed_chat_id})  # fmt: skip


async def snapshot(redis: Redis, keys: Keys) -> dict[str, object]:
    """Every key of one prefix (without it), with its value and whether it expires."""
    state: dict[str, object] = {}
    head = keys.outbox_job("x").split("}")[0] + "}"
    async for name in redis.scan_iter(match=head + "*"):
        kind = await redis.type(name)
        if kind == "string":
            value: object = await redis.get(name)
        elif kind == "hash":
            value = await redis.hgetall(name)
        elif kind == "list":
            value = await redis.lrange(name, 0, -1)
        else:
            value = await redis.zrange(name, 0, -1, withscores=True)
        state[name.removeprefix(head)] = (kind, value, await redis.pttl(name) > 0)
    return state


async def test_one_settle_for_many_outcomes_equals_one_per_outcome(redis: Redis) -> None:
    one_by_one = OutboxRepo(redis, Keys("single"), time_source=lambda: T0)
    for settlement in await outcomes_of_every_kind(one_by_one):
        await one_by_one.settle([settlement], T0 + 1)
    keys = Keys("batched")
    batched = OutboxRepo(redis, keys, time_source=lambda: T0)
    assert await batched.settle(await outcomes_of_every_kind(batched), T0 + 1) == 13
    single, batch = await snapshot(redis, Keys("single")), await snapshot(redis, keys)
    assert batch == single
    assert len(batch) > 15  # lanes, leases, ledgers, logs, jobs, stats
    ledger = LedgerRepo(redis, keys)
    events = [e.status for e in await ledger.events("a1")]
    assert events.count("duplicate") == 1 and events.count("failed") == 1  # post-3 sent twice
    record = await ledger.get("a2", -1008)
    assert record is not None and record.status == "published"  # a failure never downgrades
    assert await redis.hget(keys.outbox_pairs(), "a1|-1000") == "post-0b"  # still sending
    assert await batched.state("push-p1-104") is None  # completed after its deferral


async def test_a_batch_trims_each_log_to_its_cap(redis: Redis, keys: Keys) -> None:
    outbox = OutboxRepo(redis, keys, time_source=lambda: T0, log_cap=3)
    await outbox.enqueue_fanout(text_post("Пуш"), [(100 + i, 0.0) for i in range(5)],
                                kind="push", article_id="p1", lane="push")  # fmt: skip
    claimed = await outbox.claim(T0, 10, "w1", 30)
    await outbox.settle([outbox.completion(j, 10 + i, T0) for i, j in enumerate(claimed)], T0)
    events = await LedgerRepo(redis, keys).events("p1")
    assert [e.message_id for e in events] == [12, 13, 14]


async def test_a_completion_is_recorded_exactly_as_the_ledger_model_writes_it(
    redis: Redis, keys: Keys
) -> None:
    outbox = OutboxRepo(redis, keys, time_source=lambda: T0)
    sent = job(-1001, "a1", job_id="post-1")
    details: list[tuple[float, dict[str, object]]] = [
        (T0 + 0.123456, {"pinned": True}), (T0, {"pin_failed": "нет прав «x»"}),
    ]  # fmt: skip
    for now, detail in details:
        written = outbox.completion(sent, 77, now, detail).ledger_json
        model = LedgerEntry(article_id="a1", chat_id=-1001, status="published", at=now,
                            message_id=77, detail={"job_id": "post-1", **detail})  # fmt: skip
        assert written == model.model_dump_json()
