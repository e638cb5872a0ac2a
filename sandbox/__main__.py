"""``python -m sandbox --host 127.0.0.1 --port 8081 [--no-limits] [--state FILE]``: run alone."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
from pathlib import Path

from aiohttp import web

from sandbox.app import create_app
from sandbox.config import LimitsConfig, SandboxConfig
from sandbox.origin import warn_if_exposed


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--no-limits", action="store_true", help="switch the rate limiter off")
    parser.add_argument("--no-uvloop", action="store_true", help="use asyncio's own loop")
    parser.add_argument(
        "--state", type=Path, metavar="FILE", help="keep chats and messages in FILE across restarts"
    )
    parser.add_argument(
        "--save-interval",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="with --state: how often changes are saved (also saved on exit)",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a further host name the web view and control API may be reached by"
        " (e.g. a LAN name; loopback and the bound address always work)",
    )
    parser.add_argument("--log-level", default="WARNING")
    return parser.parse_args(argv)


def _new_loop(use_uvloop: bool) -> asyncio.AbstractEventLoop:
    """uvloop's loop when asked for and installed (it is optional), else asyncio's."""
    if use_uvloop:
        try:
            uvloop = importlib.import_module("uvloop")
        except ImportError:
            pass
        else:
            loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
            return loop
    return asyncio.new_event_loop()


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    config = SandboxConfig(
        limits=LimitsConfig(enabled=not args.no_limits),
        state_file=args.state,
        state_save_interval=args.save_interval,
        host=args.host,
        allowed_hosts=tuple(args.allow_host),
    )
    loop = _new_loop(not args.no_uvloop)
    limits = "off" if args.no_limits else "on"
    state = f", state in {args.state}" if args.state else ""
    url = f"http://{args.host}:{args.port}"
    print(f"Telegram sandbox on {url} (limits {limits}{state})", flush=True)
    warn_if_exposed(args.host, args.port)
    web.run_app(
        create_app(config),
        host=args.host,
        port=args.port,
        access_log=None,
        handler_cancellation=True,
        print=None,
        loop=loop,
    )


if __name__ == "__main__":
    main()
