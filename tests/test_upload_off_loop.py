"""A huge upload is parsed off the event loop: the bot keeps answering others meanwhile.

The services take the parser as a dependency; here it is the real `parse_article`, wrapped to
note how far a ticking coroutine (the rest of the bot) got while the parse ran, and on which
thread. Run inline, the parse holds the loop, so the ticker cannot move at all.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, tzinfo
from typing import Any, cast

import pytest
from redis.asyncio import Redis

from bot.article_format import parse_article
from bot.articles.service import ArticleService
from bot.clock import VirtualClock
from bot.desk.article_rights import ArticleRights
from bot.desk.drafts import DraftService
from bot.offload import INLINE_LIMIT
from bot.publishing.service import PublishingService
from storage.articles import ArticleRepo
from storage.channels import ChannelRepo
from storage.drafts import DraftRepo
from storage.keys import Keys
from storage.models.article import Article
from storage.rubrics import RubricRepo

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PARAGRAPH = "Жители города обсудили планы на будущее и новые проекты в центре. " * 8


def upload(size: int) -> bytes:
    """A valid newsroom file of about `size` bytes (a short lead, a long body)."""
    paragraphs = max(1, size // (len(PARAGRAPH.encode()) + 2) - 1)
    body = "\n\n".join([PARAGRAPH] * paragraphs)
    return f"Политика\n\nЗаголовок новости\n\nЛид новости.\n\n{body}\n".encode()


class WatchedParser:
    """The real parser, noting the ticks the loop made while it ran and where it ran."""

    def __init__(self) -> None:
        self.ticks = 0
        self.loop_thread = threading.get_ident()
        self.runs: list[tuple[int, bool]] = []  # (ticks during the parse, off the loop?)

    def __call__(
        self, text: str | bytes, *, source: str = "<text>", tz: tzinfo | None = None
    ) -> Article:
        before = self.ticks
        article = parse_article(text, source=source, tz=tz)
        self.runs.append((self.ticks - before, threading.get_ident() != self.loop_thread))
        return article

    async def while_ticking(self, work: Awaitable[Any]) -> Any:
        """Await `work` while another coroutine counts the loop's turns."""
        done = asyncio.Event()

        async def tick() -> None:
            while not done.is_set():
                self.ticks += 1
                await asyncio.sleep(0)

        ticker = asyncio.create_task(tick())
        try:
            return await work
        finally:
            done.set()
            await ticker


@pytest.fixture
def parser() -> WatchedParser:
    return WatchedParser()


Upload = Callable[[bytes, str], Awaitable[Any]]


@pytest.fixture
def uploads(redis: Redis, keys: Keys, parser: WatchedParser) -> dict[str, Upload]:
    """The two ways a file arrives: `vestnik import` (ArticleService) and the desk (a draft)."""
    clock = VirtualClock(T0)
    rubrics = RubricRepo(redis, keys)
    service = ArticleService(ArticleRepo(redis, keys), rubrics, [], clock, parse=parser)
    drafts = DraftService(
        DraftRepo(redis, keys),
        ChannelRepo(redis, keys),
        cast(PublishingService, None),  # an upload only makes a draft: no publishing
        clock,
        {"rubrics": rubrics},
        cast(ArticleRights, None),  # nor rights over articles already out
        parse=parser,
    )
    return {
        "importer": lambda data, name: service.import_text(data, source=name),
        "desk": lambda data, name: drafts.from_text(42, data, name),
    }


@pytest.mark.parametrize("service", ["importer", "desk"])
async def test_loop_keeps_answering_while_a_huge_upload_is_parsed(
    service: str, parser: WatchedParser, uploads: dict[str, Upload]
) -> None:
    send = uploads[service]
    data = upload(2 * 1024 * 1024 - 4096)
    result = await parser.while_ticking(send(data, "big.txt"))
    assert result is not None
    [(ticks, off_loop)] = parser.runs
    assert off_loop, "a 2 MB upload must be parsed in a worker thread"
    assert ticks > 0, "the loop must keep answering while the upload is parsed"


@pytest.mark.parametrize("service", ["importer", "desk"])
async def test_a_normal_upload_is_parsed_inline(
    service: str, parser: WatchedParser, uploads: dict[str, Upload]
) -> None:
    send = uploads[service]
    data = upload(INLINE_LIMIT // 4)
    await parser.while_ticking(send(data, "small.txt"))
    [(ticks, off_loop)] = parser.runs
    assert not off_loop and ticks == 0  # on the loop, which did nothing else meanwhile
