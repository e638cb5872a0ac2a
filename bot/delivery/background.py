"""The engine's background helpers: lease renewal and the enqueue wake-up channel."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from redis.exceptions import RedisError

from bot.clock import Clock
from storage.models.delivery import DeliveryJob
from storage.outbox import OutboxRepo

log = logging.getLogger(__name__)


async def renew_leases(
    outbox: OutboxRepo,
    clock: Clock,
    held: dict[str, DeliveryJob],
    worker_id: str,
    lease_seconds: float,
) -> None:
    """Forever: every third of a lease, extend the leases of the jobs still `held`."""
    interval = lease_seconds / 3
    while True:
        await clock.sleep(interval)
        if not held:
            continue
        expiry = clock.time() + lease_seconds
        try:
            lost = await outbox.renew(list(held.values()), worker_id, expiry)
        except RedisError:
            log.exception("renewing delivery leases failed")
            continue
        if lost:
            log.warning("lost the lease of %d jobs (taken over): %s", len(lost), lost[:5])


async def listen_for_wake(
    outbox: OutboxRepo, wake: asyncio.Event, *, first: float = 0.5, cap: float = 30.0
) -> None:
    """Set `wake` whenever an enqueue publishes on the outbox's wake channel.

    A lost subscription (Redis restarted, failed over, or dropped the connection) is one
    warning line with its reason; the engine polls meanwhile, and the channel is subscribed
    again after a pause that doubles up to `cap` while Redis stays away.
    """
    loop = asyncio.get_running_loop()
    delay = first
    while True:
        started = loop.time()
        try:
            await _listen(outbox, wake)
        except RedisError as exc:
            if loop.time() - started > cap:  # it had been working: a fresh loss
                delay = first
            reason = " ".join(str(exc).split()) or type(exc).__name__
            log.warning("wake channel lost (%s); polling, resubscribing in %.1f s", reason, delay)
        await asyncio.sleep(delay)
        delay = min(cap, delay * 2)


async def _listen(outbox: OutboxRepo, wake: asyncio.Event) -> None:
    pubsub = outbox.redis.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.subscribe(outbox.keys.outbox_wake())
        wake.set()  # anything enqueued while unsubscribed is claimed now
        async for message in pubsub.listen():
            if message.get("type") == "message":
                wake.set()
    finally:
        with contextlib.suppress(RedisError):
            await pubsub.aclose()
