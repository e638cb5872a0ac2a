"""`vestnik import`, `vestnik preview`, `vestnik typograph`: articles from the command line.

`import` talks to the same Redis as a running bot (REDIS_URL, or the embedded server a
running `make run` holds in DATA_DIR, found through /proc) and builds every feature, so
routing and pushes happen exactly as when an editor uploads the file in Telegram.
`preview` and `typograph` need no Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from bot.article_format import ArticleFormatError, parse_article
from bot.config import Settings, load_settings
from bot.redis_conn import open_redis

log = logging.getLogger(__name__)

_LISTEN = re.compile(rb"(?:127\.0\.0\.1|0\.0\.0\.0|\*|localhost):(\d+)")


def register(sub: Any) -> None:
    """Add `import`, `preview` and `typograph`."""
    imp = sub.add_parser(
        "import",
        help="import article files (prints each id; set REDIS_URL to share a running bot's Redis)",
    )
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.set_defaults(handler=_import)
    preview = sub.add_parser("preview", help="show the HTML post an article file would become")
    preview.add_argument("file", type=Path, metavar="FILE")
    preview.add_argument("--json", action="store_true", help="print the post as JSON")
    preview.set_defaults(handler=_preview)
    typo = sub.add_parser("typograph", help="apply Russian news typography to stdin")
    typo.set_defaults(handler=_typograph)


# --- import ------------------------------------------------------------------------------
async def _import(args: argparse.Namespace) -> int:
    settings = load_settings()
    failed = 0
    async with cli_redis(settings) as redis, cli_services(settings, redis) as services:
        service = services["article_service"]
        for path in args.files:
            failed += not await _import_one(service, path)
    return 1 if failed else 0


async def _import_one(service: Any, path: Path) -> bool:
    """Import one file, print its outcome; False when the file was bad."""
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return False
    try:
        result = await service.import_text(data, source=str(path))
    except ArticleFormatError as exc:
        print(exc.location(), file=sys.stderr)
        return False
    print(f"{path}: {_outcome(result)}")
    for name in result.listener_errors:
        print(
            f"{path}: warning: {name} failed to handle the article (see the log)", file=sys.stderr
        )
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

    REDIS_URL wins. Without it, a redis-server already serving DATA_DIR/redis (a running
    `make run`) is reused: starting a second server on the same AOF files would corrupt
    them. Only when none runs is the embedded server started (and stopped afterwards).
    """
    if not settings.redis_url:
        url = running_embedded_url(settings.data_dir / "redis")
        if url:
            log.info("using the running embedded Redis at %s", url)
            settings = settings.model_copy(update={"redis_url": url})
    async with open_redis(settings) as redis:
        yield redis


def running_embedded_url(directory: Path) -> str | None:
    """The URL of a redis-server whose working directory is `directory`, if one runs.

    redis-server changes into its `--dir` and retitles itself `redis-server HOST:PORT`, so
    /proc/<pid>/cwd and /proc/<pid>/cmdline identify it (Linux; elsewhere: None).
    """
    target = directory.resolve()
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    for entry in proc.iterdir():
        if entry.name.isdigit():
            port = _redis_port_in(entry, target)
            if port:
                return f"redis://127.0.0.1:{port}/0"
    return None


def _redis_port_in(entry: Path, target: Path) -> str | None:
    try:
        if (entry / "comm").read_text().strip() != "redis-server":
            return None
        if (entry / "cwd").resolve() != target:
            return None
        match = _LISTEN.search((entry / "cmdline").read_bytes())
    except OSError:
        return None
    return match.group(1).decode() if match else None


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
        token, api_url = SANDBOX_TOKEN, f"http://{settings.sandbox_host}:{settings.sandbox_port}"
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
def _preview(args: argparse.Namespace) -> int:
    from bot.formatting.post import build_post
    from storage.rubrics import make_rubric

    path: Path = args.file
    try:
        article = parse_article(path.read_bytes(), source=str(path), tz=load_settings().tz)
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ArticleFormatError as exc:
        print(exc.location(), file=sys.stderr)
        return 1
    post = build_post(article, make_rubric(article.rubric))
    if args.json:
        fields = ("method", "text", "parse_mode", "photo", "length")
        print(json.dumps(post.model_dump(include=set(fields)), ensure_ascii=False))
    else:
        limit = 1024 if post.method == "sendPhoto" else 4096
        print(post.text)
        print(f"\n--- {post.method}, {post.length} of {limit} characters")
    return 0


def _typograph(args: argparse.Namespace) -> int:
    from bot.formatting.typograph import typograph

    del args
    sys.stdout.write(typograph(sys.stdin.read()))
    return 0
