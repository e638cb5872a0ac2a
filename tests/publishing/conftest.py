"""Fixtures for publishing tests: a virtual clock, real Redis repositories, a publisher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.publishing.service import PublishingService
from bot.redis_server import RedisServerProcess
from storage.articles import ArticleRepo
from storage.channels import ChannelRepo
from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.models.article import Article
from storage.models.channel import Channel
from storage.models.delivery import DeliveryJob
from storage.outbox import OutboxRepo
from storage.queue import QueueRepo
from storage.rubrics import RubricRepo

ALMATY = ZoneInfo("Asia/Almaty")
RUBRICS = ["Политика", "Экономика", "Спорт"]


def local(hhmm: str, day: int = 25) -> datetime:
    """A moment on 2026-11-<day> in Almaty, `HH:MM` or `HH:MM:SS`."""
    parts = [int(p) for p in hhmm.split(":")] + [0]
    return datetime(2026, 11, day, parts[0], parts[1], parts[2], tzinfo=ALMATY)


@dataclass
class World:
    """Everything a publishing test touches, on one Redis and one virtual clock."""

    redis: Redis
    keys: Keys
    clock: VirtualClock
    outbox: OutboxRepo
    ledger: LedgerRepo
    articles: ArticleRepo
    rubrics: RubricRepo
    channels: ChannelRepo
    queue: QueueRepo

    def publisher(self) -> PublishingService:
        """A fresh service (a second one on the same Redis stands for another process)."""
        return PublishingService(
            channels=ChannelRepo(self.redis, self.keys),
            queue=QueueRepo(self.redis, self.keys),
            articles=self.articles,
            rubrics=self.rubrics,
            outbox=self.outbox,
            ledger=self.ledger,
            clock=self.clock,
        )

    async def article(self, headline: str, rubric: str = "Политика", **fields: object) -> str:
        """Store an article; its id."""
        article = Article(rubric=rubric, headline=headline, lead=f"Лид: {headline}.", **fields)
        return (await self.articles.store(article)).article_id

    async def channel(self, chat_id: int, **fields: object) -> Channel:
        """Register an active channel (slot mark starts now, as registration does)."""
        base = {"id": chat_id, "title": f"Канал {chat_id}", "added_at": self.clock.time()}
        channel = Channel.model_validate({**base, **fields})
        await self.channels.save(channel)
        await self.queue.raise_mark(chat_id, self.clock.time())
        return channel

    async def job(self, post_id: str) -> DeliveryJob | None:
        """The delivery job a post became, if any."""
        return await self.outbox.get(f"post-{post_id}")


def build_world(
    redis: Redis, keys: Keys, clock: VirtualClock, outbox: OutboxRepo | None = None
) -> World:
    """Every repository on `redis`, in `clock`'s time (`outbox`: one of the test's own)."""
    return World(
        redis=redis,
        keys=keys,
        clock=clock,
        outbox=outbox or OutboxRepo(redis, keys, time_source=clock.time),
        ledger=LedgerRepo(redis, keys),
        articles=ArticleRepo(redis, keys, now=clock.now),
        rubrics=RubricRepo(redis, keys, defaults=RUBRICS),
        channels=ChannelRepo(redis, keys),
        queue=QueueRepo(redis, keys),
    )


@pytest.fixture
async def world(redis: Redis, keys: Keys) -> World:
    """Repositories on the test Redis and a virtual clock at 2026-11-25 07:00 Almaty."""
    return build_world(redis, keys, VirtualClock(local("07:00")))


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, redis_server: RedisServerProcess) -> None:
    """The CLI reads REDIS_URL like a deployed bot would (no .env in the way)."""
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.setenv("REDIS_PREFIX", "vestnik")
    monkeypatch.setenv("TIMEZONE", "Asia/Almaty")
