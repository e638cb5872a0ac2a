"""The `vestnik` command line: run the bot and operate it from another process."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand, each registered by the module that implements it."""
    from bot.cli import articles, publishing, run

    parser = argparse.ArgumentParser(prog="vestnik", description="Vestnik news bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (run, articles, publishing):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `vestnik` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = args.handler
    result = asyncio.run(handler(args)) if inspect.iscoroutinefunction(handler) else handler(args)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
