"""`python -m bot.delivery.worker`: a process that only delivers (no polling, no handlers).

Used by the multi-process tests and the benchmarks, and handy in production to add delivery
capacity next to `vestnik run`. It prints `ready <worker id>` once its engine runs and, on
SIGTERM/SIGINT, finishes its in-flight sends, settles them, and prints its counters as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from uuid import uuid4

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from redis.asyncio import Redis

from bot.clock import SystemClock
from bot.config import DeliverySettings
from bot.delivery.engine import DeliveryEngine, EngineConfig
from bot.delivery.sender import Sender
from bot.delivery.wiring import rate_limits
from storage.file_ids import FileIdCache
from storage.keys import Keys
from storage.outbox import OutboxRepo
from storage.ratelimit import RateLimiter


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options (defaults: Telegram's free limits, 30 s leases)."""
    p = argparse.ArgumentParser(prog="python -m bot.delivery.worker", description=__doc__)
    p.add_argument("--redis-url", required=True)
    p.add_argument("--api-url", required=True, help="Bot API server (Telegram or the sandbox)")
    p.add_argument("--token", required=True)
    p.add_argument("--prefix", default="vestnik", help="REDIS_PREFIX")
    p.add_argument("--worker-id", default=None)
    p.add_argument("--lease", type=float, default=30.0, help="lease seconds")
    p.add_argument("--concurrency", type=int, default=100)
    p.add_argument("--batch", type=int, default=200)
    p.add_argument("--idle-poll", type=float, default=1.0)
    p.add_argument("--no-limits", action="store_true", help="do not rate-limit at all")
    p.add_argument("--paid", action="store_true", help="paid broadcast (allow_paid_broadcast)")
    p.add_argument("--global-per-sec", type=float, default=30.0)
    p.add_argument("--chat-per-min", type=float, default=20.0)
    p.add_argument("--private-per-sec", type=float, default=1.0)
    p.add_argument("--paid-per-sec", type=float, default=1000.0)
    p.add_argument("--log-level", default="WARNING")
    return p.parse_args(argv)


def make_bot(token: str, api_url: str) -> Bot:
    """An aiogram Bot talking to `api_url` (no default parse mode: jobs carry their own)."""
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))


def build_engine(args: argparse.Namespace, redis: Redis, bot: Bot) -> DeliveryEngine:
    """The engine this process runs, from the command-line options."""
    keys, clock = Keys(args.prefix), SystemClock()
    settings = DeliverySettings(
        global_per_sec=args.global_per_sec,
        chat_per_min=args.chat_per_min,
        private_per_sec=args.private_per_sec,
        paid_broadcast=args.paid,
        paid_per_sec=args.paid_per_sec,
        lease_seconds=args.lease,
    )
    config = EngineConfig.from_settings(
        settings, concurrency=args.concurrency, batch_size=args.batch, idle_poll=args.idle_poll
    )
    return DeliveryEngine(
        outbox=OutboxRepo(redis, keys, time_source=clock.time),
        limiter=RateLimiter(redis, keys, rate_limits(settings, enabled=not args.no_limits)),
        sender=Sender(bot, FileIdCache(redis, keys), paid_broadcast=args.paid),
        clock=clock,
        config=config,
        worker_id=args.worker_id or f"worker-{uuid4().hex[:8]}",
    )


async def run(args: argparse.Namespace) -> dict[str, object]:
    """Deliver until SIGTERM/SIGINT; returns the engine's counters and CPU time."""
    redis = Redis.from_url(args.redis_url, decode_responses=True)
    bot = make_bot(args.token, args.api_url)
    engine = build_engine(args, redis, bot)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    cpu0 = time.process_time()
    runner = asyncio.create_task(engine.run())
    try:
        print(f"ready {engine.worker_id}", flush=True)
        await _until_first(stop, runner)
    finally:
        await engine.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await runner
        await bot.session.close()
        await redis.aclose()
    return {"worker_id": engine.worker_id, **asdict(engine.counters),
            "cpu_seconds": time.process_time() - cpu0}  # fmt: skip


async def _until_first(stop: asyncio.Event, runner: asyncio.Task[None]) -> None:
    waiter = asyncio.ensure_future(stop.wait())
    await asyncio.wait([waiter, runner], return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    if runner.done():
        runner.result()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the worker, print its counters as one JSON line."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # fmt: skip
    counters = asyncio.run(run(args))
    print(json.dumps(counters), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
