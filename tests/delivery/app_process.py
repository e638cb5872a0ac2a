"""`python -m tests.delivery.app_process`: the whole bot in a child process, for the
multi-process polling tests.

What `vestnik run` does (the same `build_application`, every feature, delivery, polling under
the `poller` lease), with a short lease so takeover tests stay quick. Prints
`ready <instance id>` once started; on SIGTERM/SIGINT it stops cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Sequence

from redis.asyncio import Redis

from bot.runtime import build_application
from tests.harness import make_settings


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m tests.delivery.app_process", description=__doc__)
    p.add_argument("--redis-url", required=True)
    p.add_argument("--api-url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--lease-ttl", type=float, default=1.5, help="poller lease seconds")
    return p.parse_args(argv)


async def run(args: argparse.Namespace) -> None:
    """Run the app until a stop signal."""
    settings = make_settings(args.redis_url, args.api_url, bot_token=args.token)
    redis = Redis.from_url(args.redis_url, decode_responses=True)
    app = build_application(settings, redis, token=args.token, api_url=args.api_url)
    app.poll_lease_ttl = args.lease_ttl
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await app.start()
        print(f"ready {app.ctx.instance_id}", flush=True)
        await stop.wait()
    finally:
        try:
            await app.stop()
        finally:
            await redis.aclose()


if __name__ == "__main__":
    asyncio.run(run(parse_args()))
