"""`vestnik import`, `vestnik preview`, `vestnik typograph`: articles from the command line.

`import` talks to the same Redis as a running bot (REDIS_URL, or the embedded server a
running `make run` owns in DATA_DIR) and builds every feature, so routing and pushes happen
exactly as when an editor uploads the file in Telegram. `preview` needs no Redis (it reads
the rubric registry when one is at hand); `typograph` never touches it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # each command imports what it uses: `typograph` needs no Redis, no settings
    from redis.asyncio import Redis

    from bot.config import Settings
    from storage.models.article import Rubric

__all__ = ["cli_redis", "cli_services", "preview_rubric", "register", "running_embedded_url"]


def running_embedded_url(directory: Path) -> str | None:
    """The URL of the embedded Redis a live Vestnik process runs in `directory`, if any."""
    from bot.redis_server import running_embedded_url as running

    return running(directory)


log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    """Add `import`, `preview` and `typograph`."""
    imp = sub.add_parser(
        "import",
        help="import article files (prints each id; set REDIS_URL to share a running bot's Redis)",
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument(
        "--channel",
        type=int,
        metavar="ID",
        help="also queue each article in this channel; it stays unseen by readers until out",
    )
    when = imp.add_mutually_exclusive_group()
    when.add_argument(
        "--at", metavar="ISO_TIME", help="with --channel: publish at this time (2026-11-25T14:30)"
    )
    when.add_argument(
        "--next-slot", action="store_true", help="with --channel: the next slot (the default)"
    )
    imp.set_defaults(handler=_import)
    preview = sub.add_parser("preview", help="show the HTML post an article file would become")
    preview.add_argument("file", type=Path, metavar="FILE")
    preview.add_argument("--json", action="store_true", help="print the post as JSON")
    preview.set_defaults(handler=_preview)
    typo = sub.add_parser("typograph", help="apply Russian news typography to stdin")
    typo.set_defaults(handler=_typograph)


# --- import ------------------------------------------------------------------------------
async def _import(args: argparse.Namespace) -> int:
    from bot.config import load_settings

    settings = load_settings()
    try:
        plan = _plan(args, settings)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    failed = 0
    async with cli_redis(settings) as redis, cli_services(settings, redis) as services:
        service = services["article_service"]
        for path in args.files:
            failed += not await _import_one(service, path, plan)
    return 1 if failed else 0


def _plan(args: argparse.Namespace, settings: Settings) -> Any:
    """The import's plan (`--channel` with `--at` or `--next-slot`), or None."""
    from zoneinfo import ZoneInfo

    from bot.articles.service import Plan
    from bot.cli.publishing import parse_at
    from bot.publishing.errors import PublishingError

    if args.channel is None:
        if args.at or args.next_slot:
            raise ValueError("--at and --next-slot need --channel ID")
        return None
    if not args.at:
        return Plan(args.channel, "next_slot")
    try:
        return Plan(args.channel, "at", parse_at(args.at, ZoneInfo(settings.timezone)))
    except PublishingError as exc:
        raise ValueError(exc.message) from None


async def _import_one(service: Any, path: Path, plan: Any = None) -> bool:
    """Import one file (and queue it as `plan` says), print its outcome; False when the
    file was bad, not stored or not queued.

    Redis failing midway costs only the files it fails for: each gets one line on stderr
    (nothing of it was stored: an article and its rubric are written in one step) and the
    next file is tried, as Redis may be back.
    """
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return False
    from redis.exceptions import RedisError

    from bot.article_format import ArticleFormatError
    from bot.publishing.errors import PublishingError

    try:
        result = await service.import_text(data, source=str(path), plan=plan)
    except ArticleFormatError as exc:
        print(exc.location(), file=sys.stderr)
        return False
    except PublishingError as exc:
        print(f"{path}: not imported: {exc.message}", file=sys.stderr)
        return False
    except RedisError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        print(f"{path}: not imported: Redis failed: {reason}", file=sys.stderr)
        return False
    print(f"{path}: {_outcome(result)}", flush=True)  # progress, also through a pipe
    for name in result.listener_errors:
        print(
            f"{path}: warning: {name} failed to handle the article (see the log)", file=sys.stderr
        )
    return _report_plan(path, result) if plan is not None else True


def _report_plan(path: Path, result: Any) -> bool:
    """One line per planned post, or why the article was not queued (False)."""
    if result.not_queued is not None:
        print(
            f"{path}: article {result.article_id} not queued: {result.not_queued.message}",
            file=sys.stderr,
        )
        return False
    hidden = "" if result.article.is_public else " (not public until it is out)"
    for post in result.posts:
        print(f"{path}: post {post.id} -> {post.chat_id} [{post.mode}, {post.state}]{hidden}")
    return True


def _outcome(result: Any) -> str:
    if result.duplicate_of:
        return f"duplicate of {result.duplicate_of}"
    if result.changed:
        return f"updated {result.article_id}"
    return str(result.article_id)


@asynccontextmanager
async def cli_redis(settings: Settings) -> AsyncIterator[Redis]:
    """The bot's Redis for a second process.

    REDIS_URL wins. Without it, the embedded server a running `make run` owns in
    DATA_DIR/redis is shared (`open_redis` finds it through the directory's lock file):
    starting a second server on the same AOF files would corrupt them. Only when none runs
    is the embedded server started (and stopped afterwards).
    """
    from bot.redis_conn import open_redis

    async with open_redis(settings) as redis:
        yield redis


@asynccontextmanager
async def cli_services(settings: Settings, redis: Redis) -> AsyncIterator[dict[str, Any]]:
    """Every feature's services, built as `vestnik run` builds them, without polling.

    The Bot is created (listeners may enqueue posts) but never polls; its session is
    closed on exit, and every feature's closers run.
    """
    from bot.app import SANDBOX_TOKEN, create_bot
    from bot.clock import SystemClock
    from bot.context import AppContext
    from bot.features import build_features, workflow_data
    from bot.texts import build_i18n
    from storage.keys import Keys

    if settings.offline or settings.bot_token is None:
        host = settings.sandbox_host
        host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # listening on all
        token, api_url = SANDBOX_TOKEN, f"http://{host}:{settings.sandbox_port}"
    else:
        token, api_url = settings.bot_token.get_secret_value(), settings.telegram_api_url
    bot = create_bot(token, api_url)
    try:
        ctx = AppContext(
            settings=settings,
            redis=redis,
            keys=Keys(settings.redis_prefix),
            clock=SystemClock(),
            bot=bot,
            i18n=build_i18n(settings.default_locale),
        )
        features = build_features(ctx)
        try:
            yield workflow_data(features)
        finally:
            for feature in features:
                for closer in feature.closers:
                    await closer()
    finally:
        await bot.session.close()


# --- preview and typograph -----------------------------------------------------------------
async def _preview(args: argparse.Namespace) -> int:
    from bot.article_format import ArticleFormatError, parse_article
    from bot.config import load_settings
    from bot.formatting.post import build_post

    settings = load_settings()
    path: Path = args.file
    try:
        data = await asyncio.to_thread(path.read_bytes)
        article = parse_article(data, source=str(path), tz=settings.tz)
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ArticleFormatError as exc:
        print(exc.location(), file=sys.stderr)
        return 1
    rubric = await preview_rubric(settings, article.rubric)
    post = build_post(article.model_copy(update={"rubric": rubric.name}), rubric)
    if args.json:
        fields = ("method", "text", "parse_mode", "photo", "length")
        print(json.dumps(post.model_dump(include=set(fields)), ensure_ascii=False))
    else:
        limit = 1024 if post.method == "sendPhoto" else 4096
        print(post.text)
        print(f"\n--- {post.method}, {post.length} of {limit} characters")
    return 0


async def preview_rubric(settings: Settings, name: str) -> Rubric:
    """The rubric an import of this article would file it under, hence its hashtag.

    The registry decides by slug, and it is seeded with RUBRICS, so `ПОЛИТИКА` is sent as
    `#Политика`. Rubrics that imports registered later live only in Redis: when REDIS_URL
    is set or a running bot owns the embedded Redis, the registry is read (never written);
    without any Redis the configured rubrics decide.
    """
    from redis.asyncio import Redis
    from redis.exceptions import RedisError

    from bot.redis_conn import embedded_dir
    from bot.redis_server import embedded_owner
    from storage.keys import Keys
    from storage.rubrics import RubricRepo, resolve_rubric

    fallback = resolve_rubric(name, settings.rubrics)
    url = settings.redis_url
    if not url:
        owner = await asyncio.to_thread(embedded_owner, embedded_dir(settings))
        url = owner.url if owner else None
    if not url:
        return fallback
    client = Redis.from_url(url, decode_responses=True, socket_connect_timeout=2)
    try:
        repo = RubricRepo(client, Keys(settings.redis_prefix), defaults=settings.rubrics)
        return await repo.lookup(name)
    except (RedisError, OSError) as exc:
        log.warning("rubric registry unreachable (%s); using the configured rubrics", exc)
        return fallback
    finally:
        await client.aclose()


def _typograph(args: argparse.Namespace) -> int:
    """stdin to stdout as UTF-8 bytes whatever the locale; a leading BOM is dropped."""
    from bot.formatting.typograph import typograph

    del args
    stdin = getattr(sys.stdin, "buffer", None)
    raw = stdin.read() if stdin is not None else sys.stdin.read().encode("utf-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        print(f"<stdin>:{line}: the input is not valid UTF-8", file=sys.stderr)
        return 1
    out = typograph(text)
    stdout = getattr(sys.stdout, "buffer", None)
    if stdout is not None:
        sys.stdout.flush()
        stdout.write(out.encode("utf-8"))
        stdout.flush()
    else:
        sys.stdout.write(out)
    return 0
