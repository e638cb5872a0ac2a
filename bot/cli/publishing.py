"""`vestnik` publishing subcommands: channels, queue, ledger, retract.

They work against the same Redis as a running bot, from another process: they only write
Redis (queued posts, delivery jobs); the running bot's scheduler and delivery engine act on
them. Operator output is English; errors go to stderr with exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.publishing.errors import PublishingError

if TYPE_CHECKING:  # imported when a command runs: `vestnik --help` needs none of them
    from bot.config import Settings
    from bot.publishing.service import ChannelOverview, PublishingService
    from storage.ledger import LedgerRepo
    from storage.models.delivery import LedgerEntry
    from storage.models.queue import PostMode, QueuedPost


def register(sub: Any) -> None:
    """Add `channels`, `queue`, `ledger` and `retract`."""
    p = sub.add_parser("channels", help="list channels: status, routing, slots, queue length")
    p.set_defaults(handler=_channels)
    p = sub.add_parser("queue", help="queue an article (by routing, or into one channel)")
    p.add_argument("article_id")
    p.add_argument("--channel", type=int, help="chat id of the channel (default: by routing)")
    when = p.add_mutually_exclusive_group()
    when.add_argument(
        "--at", metavar="ISO_TIME", help="publish at this time (e.g. 2026-11-25T14:30)"
    )
    when.add_argument("--next-slot", action="store_true", help="the channel's next slot (default)")
    when.add_argument(
        "--breaking",
        action="store_true",
        help="publish at once, with sound and the channel's marker; pinned where the channel"
        " pins breaking news (its /breaking setting, as for the desk's «Срочно»)",
    )
    p.set_defaults(handler=_queue)
    p = sub.add_parser("ledger", help="where and when an article was published, or why not")
    p.add_argument("article_id")
    p.set_defaults(handler=_ledger)
    p = sub.add_parser("retract", help="delete an article's published copies, unqueue the rest")
    p.add_argument("article_id")
    p.set_defaults(handler=_retract)


class Tools:
    """What the commands use: settings, the publisher and the ledger."""

    def __init__(
        self, settings: Settings, publisher: PublishingService, ledger: LedgerRepo
    ) -> None:
        self.settings = settings
        self.publisher = publisher
        self.ledger = ledger
        self.tz = ZoneInfo(settings.timezone)

    def when(self, ts: float | None) -> str:
        """A unix time as a local `YYYY-MM-DD HH:MM:SS +05`, or a dash."""
        if ts is None:
            return "—"
        return datetime.fromtimestamp(ts, self.tz).strftime("%Y-%m-%d %H:%M:%S %z")


@asynccontextmanager
async def _tools() -> AsyncIterator[Tools]:
    from bot.clock import SystemClock
    from bot.config import load_settings
    from bot.publishing.wiring import build_publisher
    from bot.redis_conn import open_redis
    from storage.keys import Keys
    from storage.ledger import LedgerRepo
    from storage.outbox import OutboxRepo

    settings = load_settings()
    async with open_redis(settings) as redis:
        keys = Keys(settings.redis_prefix)
        ledger = LedgerRepo(redis, keys)
        publisher = build_publisher(
            redis, keys, settings, SystemClock(), outbox=OutboxRepo(redis, keys), ledger=ledger
        )
        yield Tools(settings, publisher, ledger)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _not_an_id(value: str) -> int | None:
    """Exit 1 with one line when `value` cannot be an article id (a file path, say)."""
    from storage.models.article import is_article_id

    if is_article_id(value):
        return None
    hint = "ids are what `vestnik import` prints, e.g. 42"
    if Path(value).is_file():
        hint += f"; to import this file run: vestnik import {value}"
    return _fail(f"{value!r} is not an article id ({hint})")


async def _channels(args: argparse.Namespace) -> int:
    del args
    async with _tools() as tools:
        rows = await tools.publisher.channel_overview()
        if not rows:
            print("no channels yet: add the bot to a channel as an admin that may post")
        for row in rows:
            print(_channel_line(row, tools))
    return 0


def _channel_line(row: ChannelOverview, tools: Tools) -> str:
    c = row.channel
    status: str = "paused" if c.paused and c.active else c.status
    if c.inactive_reason and not c.active:
        status += f" ({c.inactive_reason})"
    routing = ",".join(c.routing) if c.routing is not None else "all"
    slots = " ".join(c.slots) or f"every {c.min_interval}s"
    nxt = tools.when(row.next_slot.timestamp()) if row.next_slot else "—"
    return (
        f"{c.id}\t{c.title}\t{status}\trouting={routing}\tslots={slots}\ttz={c.timezone}"
        f"\tqueue={row.queue_length}\ttimed={row.timed}\tnext={nxt}"
    )


async def _queue(args: argparse.Namespace) -> int:
    if (refused := _not_an_id(args.article_id)) is not None:
        return refused
    mode: PostMode = "breaking" if args.breaking else "at" if args.at else "next_slot"
    async with _tools() as tools:
        try:
            at = parse_at(args.at, tools.tz) if args.at else None
            posts = await tools.publisher.queue_article(args.article_id, args.channel, mode, at=at)
        except PublishingError as exc:
            return _fail(exc.message)
        for post in posts:
            print(_post_line(post, await _eta(tools, post), tools))
    return 0


def parse_at(text: str, tz: ZoneInfo) -> datetime:
    """An ISO time from the command line; without an offset it is in `tz` (TIMEZONE)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise PublishingError("bad_time", f"not an ISO time: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


async def _eta(tools: Tools, post: QueuedPost) -> float | None:
    if post.state == "scheduled":
        return post.due_at
    if post.state == "queued":
        queued = await tools.publisher.list_queue(post.chat_id)
        return next((p.eta for p in queued if p.id == post.id), None)
    return post.dispatched_at


def _post_line(post: QueuedPost, eta: float | None, tools: Tools) -> str:
    return (
        f"post {post.id}: article {post.article_id} -> {post.chat_id} "
        f"[{post.mode}, {post.state}] at {tools.when(eta)}"
    )


async def _ledger(args: argparse.Namespace) -> int:
    if (refused := _not_an_id(args.article_id)) is not None:
        return refused
    async with _tools() as tools:
        article = await tools.publisher.articles.get(args.article_id)
        entries = await tools.ledger.entries(args.article_id)
        links = await tools.publisher.queue.links(args.article_id)
        if article is None and not entries and not links:
            return _fail(f"no article with id {args.article_id!r}")
        if article is not None:
            print(f"article {args.article_id}: {article.headline} ({article.rubric})")
        titles = {c.id: c.title for c in await tools.publisher.channels.all()}
        if not entries:
            print("not published anywhere yet")
        for entry in entries:
            print(_entry_line(entry, titles.get(entry.chat_id, ""), tools))
        for post in await tools.publisher.queue.get_many(list(links.values())):
            if post.pending:
                print(f"{post.chat_id}\t{titles.get(post.chat_id, '')}\twaiting as post {post.id}")
        print("events:")
        for event in await tools.ledger.events(args.article_id):
            print("  " + _entry_line(event, titles.get(event.chat_id, ""), tools))
    return 0


def _entry_line(entry: LedgerEntry, title: str, tools: Tools) -> str:
    parts = [str(entry.chat_id), title, entry.status, tools.when(entry.at)]
    if entry.message_id is not None:
        parts.append(f"message {entry.message_id}")
    if entry.reason:
        parts.append(f"reason: {entry.reason}")
    return "\t".join(parts)


async def _retract(args: argparse.Namespace) -> int:
    if (refused := _not_an_id(args.article_id)) is not None:
        return refused
    async with _tools() as tools:
        try:
            result = await tools.publisher.retract_article(args.article_id)
        except PublishingError as exc:
            return _fail(exc.message)
    print(
        f"article {args.article_id}: deleting {len(result.deleted)} published copy(ies)"
        f" {result.deleted}, removed {len(result.cancelled)} waiting copy(ies) {result.cancelled}"
    )
    if result.following:
        print(f"being sent now to {result.following}: each copy is deleted as soon as it is out")
    return 0
