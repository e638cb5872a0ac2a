"""Fixtures for retention tests: the publishing world plus every repository the sweep uses,
on one real Redis and one virtual clock."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.config import RetentionSettings
from bot.retention.service import RetentionService, Stores
from storage.articles import ArticleRepo
from storage.audit import AuditRepo
from storage.channels import ChannelRepo
from storage.drafts import DraftRepo
from storage.file_ids import FileIdCache
from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.models.draft import Draft
from storage.models.roles import AuditEntry
from storage.outbox import OutboxRepo
from storage.queue import QueueRepo
from storage.queue_retention import PostRetention
from storage.roles import RoleRepo
from storage.rubrics import RubricRepo
from storage.stats import StatsRepo
from tests.publishing.conftest import RUBRICS, World, local

ALMATY = ZoneInfo("Asia/Almaty")
DAY = 86400.0


@dataclass
class Kit:
    """The publishing world, the other repositories and a way to build the sweep."""

    world: World
    stats: StatsRepo
    audit: AuditRepo
    drafts: DraftRepo
    file_ids: FileIdCache
    roles: RoleRepo

    @property
    def clock(self) -> VirtualClock:
        """The virtual clock everything runs on."""
        return self.world.clock

    def retention(
        self, settings: RetentionSettings | None = None, article_days: int = 365
    ) -> RetentionService:
        """A sweep over this world's Redis with these settings."""
        w = self.world
        stores = Stores(
            articles=w.articles,
            posts=PostRetention(w.redis, w.keys),
            ledger=w.ledger,
            stats=self.stats,
            audit=self.audit,
            drafts=self.drafts,
            file_ids=self.file_ids,
            roles=self.roles,
        )
        return RetentionService(
            stores,
            settings or RetentionSettings(),
            self.clock,
            article_days=article_days,
            tz=ALMATY,
        )

    async def deliver_all(self) -> dict[str, int]:
        """Stand-in for the delivery engine: claim every due job and complete it."""
        sent: dict[str, int] = {}
        now = self.clock.time()
        while jobs := await self.world.outbox.claim(now, 1000, "test-worker", 30.0):
            done = [self.world.outbox.completion(j, 100 + len(sent) + i, now)
                    for i, j in enumerate(jobs)]  # fmt: skip
            await self.world.outbox.settle(done, now)
            sent.update({j.id: 100 + len(sent) + i for i, j in enumerate(jobs)})
        return sent

    async def note_audit(self, action: str, *, allowed: bool = True) -> None:
        """One audit entry now: an action taken, or a refused attempt."""
        await self.audit.record(
            AuditEntry(at=self.clock.time(), user_id=7, action=action, allowed=allowed)
        )

    async def save_draft(self, headline: str) -> Draft:
        """A draft changed now."""
        now = self.clock.time()
        draft = Draft(id=await self.drafts.next_id(), user_id=7, created_at=now, updated_at=now,
                      headline=headline)  # fmt: skip
        await self.drafts.save(draft)
        return draft


@pytest.fixture
async def kit(redis: Redis, keys: Keys) -> Kit:
    """Everything on the test Redis, the clock at 2026-11-25 07:00 Almaty."""
    clock = VirtualClock(local("07:00"))
    stats = StatsRepo(redis, keys, tz=ALMATY, time_source=clock.time)
    world = World(
        redis=redis,
        keys=keys,
        clock=clock,
        outbox=OutboxRepo(redis, keys, stats=stats, time_source=clock.time),
        ledger=LedgerRepo(redis, keys),
        articles=ArticleRepo(redis, keys, now=clock.now),
        rubrics=RubricRepo(redis, keys, defaults=RUBRICS),
        channels=ChannelRepo(redis, keys),
        queue=QueueRepo(redis, keys),
    )
    return Kit(
        world=world,
        stats=stats,
        audit=AuditRepo(redis, keys),
        drafts=DraftRepo(redis, keys),
        file_ids=FileIdCache(redis, keys, time_source=clock.time),
        roles=RoleRepo(redis, keys),
    )
