"""The `vestnik` command line: run the bot and operate it from another process."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import sys
from collections.abc import Sequence

MODULES = ("run", "articles", "publishing")
# Commands whose module is light: `vestnik health` must answer well within the container's
# 5 s health-check timeout, so it does not import aiogram through the publishing tools.
_LIGHT_COMMANDS = {
    "run": "run",
    "health": "run",
    "import": "articles",
    "preview": "articles",
    "typograph": "articles",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every subcommand, each registered by the module that implements it.

    With `command` naming one of the light commands, only its module is imported.
    """
    parser = argparse.ArgumentParser(prog="vestnik", description="Vestnik news bot")
    sub = parser.add_subparsers(dest="command", required=True)
    light = _LIGHT_COMMANDS.get(command or "")
    for name in (light,) if light else MODULES:
        importlib.import_module(f"bot.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `vestnik` console script; returns the exit code.

    Redis that cannot be reached (at start or later) ends any command with one line on
    stderr and exit code 1, never a traceback; configuration errors exit with 2 (see
    `bot.config.load_settings`).
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list[0] if args_list else None)
    args = parser.parse_args(args_list)
    handler = args.handler
    try:
        if inspect.iscoroutinefunction(handler):
            result = asyncio.run(handler(args))
        else:
            result = handler(args)
    except Exception as exc:
        message = _redis_trouble(exc)
        if message is None:
            raise
        return _fail(message)
    return int(result or 0)


def _redis_trouble(exc: Exception) -> str | None:
    """The operator's line for Redis being away, or None for any other error.

    Looked up without importing redis: a command that never imported it (`typograph`,
    `--help`) cannot have a Redis error, and stays free of redis-py's start-up time.
    """
    conn = sys.modules.get("bot.redis_conn")
    if conn is not None and isinstance(exc, conn.RedisUnavailable):
        return str(exc)
    errors = sys.modules.get("redis.exceptions")
    if errors is not None and isinstance(exc, errors.ConnectionError | errors.TimeoutError):
        return f"lost the connection to Redis: {' '.join(str(exc).split())}"
    return None


def _fail(message: str) -> int:
    print(f"vestnik: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
