"""`vestnik run` (the bot) and `vestnik health` (the container health check).

`health` checks something real in both modes: with REDIS_URL that Redis answers PING;
without it, that a live Vestnik process owns the embedded redis-server of DATA_DIR and that
this server answers from that directory. Exit 0 when healthy, else 1 with one line saying why.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when the command runs (`vestnik --help` needs none of it)
    from bot.config import Settings

log = logging.getLogger("vestnik")


def register(sub: Any) -> None:
    """Add `run` and `health`."""
    run = sub.add_parser("run", help="run the bot (the offline sandbox demo without BOT_TOKEN)")
    run.add_argument("--no-demo", action="store_true", help="offline: do not seed the demo")
    run.set_defaults(handler=_run)
    health = sub.add_parser(
        "health", help="exit 0 when the bot's Redis answers (the container health check)"
    )
    health.set_defaults(handler=_health)


async def _run(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.logging_setup import setup_logging

    settings = load_settings()
    setup_logging(settings.log_level)
    if settings.offline:
        from bot.demo import SandboxUnavailable, run_offline

        try:
            await run_offline(settings, seed=not args.no_demo, until=_stop_signal)
        except SandboxUnavailable as exc:
            print(f"vestnik: {exc}", file=sys.stderr)
            return 1
        return 0
    await _run_online(settings)
    return 0


async def _run_online(settings: Settings) -> None:
    from bot.redis_conn import open_redis
    from bot.runtime import build_application

    assert settings.bot_token is not None
    async with open_redis(settings, exclusive=True) as redis:
        app = build_application(
            settings,
            redis,
            token=settings.bot_token.get_secret_value(),
            api_url=settings.telegram_api_url,
        )
        await app.start()
        log.info("Vestnik is running (instance %s)", app.ctx.instance_id)
        try:
            await _stop_signal()
        finally:
            await app.stop()
            log.info("Vestnik stopped")


async def _stop_signal() -> None:
    """Return on SIGINT or SIGTERM."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _health(args: argparse.Namespace) -> int:
    from redis.exceptions import RedisError

    from bot.config import load_settings
    from bot.redis_conn import embedded_dir, redact_url, redis_from_url
    from bot.redis_server import embedded_owner

    del args
    settings = load_settings()
    url = settings.redis_url
    if not url:
        directory = embedded_dir(settings)
        owner = await asyncio.to_thread(embedded_owner, directory)
        if owner is None:
            print(f"unhealthy: no running Vestnik serves the embedded Redis in {directory}")
            return 1
        url = owner.url
    client = redis_from_url(url)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        reason = " ".join(str(exc).split())
        print(f"unhealthy: Redis at {redact_url(url)} does not answer: {reason}")
        return 1
    finally:
        await client.aclose()
    return 0
