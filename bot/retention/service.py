"""The retention sweep: what Vestnik no longer needs goes, by the injected clock.

One pass (`RetentionService.sweep`) applies every retention setting (`Settings.retention`,
`ARTICLE_RETENTION_DAYS`; see docs/storage.md):
- articles older than their retention, each with what hangs off it: its waiting posts
  leave their queues at once, its posts' records and links and its ledger go too;
- ledgers: readers' records of a push that is done (no event for `ledger_summary_minutes`)
  are summarised; ledgers with no event for `ledger_days` are deleted, digest ledgers after
  `digest_ledger_days`;
- the day counters of `/stats`, audit entries, finished posts' records, drafts, Telegram
  file_ids and learned @usernames past their retention.

Every step finds its records through an index (sorted sets) or a key name it can compute,
never `KEYS` or `SCAN`. Any number of processes may sweep at once: each deletion is one
atomic step that checks again what it deletes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, tzinfo

from redis.exceptions import RedisError

from bot.clock import Clock
from bot.config import RetentionSettings
from bot.subscribers.digest import digest_ledger_id
from storage.articles import ArticleRepo
from storage.audit import AuditRepo
from storage.drafts import DraftRepo
from storage.file_ids import FileIdCache
from storage.ledger import LedgerRepo
from storage.queue_retention import PostRetention
from storage.roles import RoleRepo
from storage.stats import StatsRepo

log = logging.getLogger(__name__)

DAY = 86400.0
# Digest ledgers are named by day: each sweep looks this many days behind their cutoff (a
# longer outage leaves older ones to the general ledger retention).
DIGEST_LOOKBACK_DAYS = 60
_SUMMARY_ROUNDS = 20

Step = Callable[[], Awaitable[None]]


@dataclass
class SweepReport:
    """How much one sweep removed (or summarised), by kind."""

    articles: int = 0
    posts_unqueued: int = 0
    ledgers_summarised: int = 0
    ledgers: int = 0
    stats_days: int = 0
    audit_entries: int = 0
    posts: int = 0
    drafts: int = 0
    file_ids: int = 0
    usernames: int = 0

    def total(self) -> int:
        """Everything the sweep did."""
        return sum(asdict(self).values())


@dataclass
class Stores:
    """The repositories the sweep works on."""

    articles: ArticleRepo
    posts: PostRetention
    ledger: LedgerRepo
    stats: StatsRepo
    audit: AuditRepo
    drafts: DraftRepo
    file_ids: FileIdCache
    roles: RoleRepo


class RetentionService:
    """Applies every retention setting, once (`sweep`) or now and then (`loop`)."""

    def __init__(
        self,
        stores: Stores,
        settings: RetentionSettings,
        clock: Clock,
        *,
        article_days: int,
        tz: tzinfo,
    ) -> None:
        self.stores = stores
        self.settings = settings
        self.clock = clock
        self.article_days = article_days
        self.tz = tz
        self.last_report: SweepReport | None = None

    async def sweep(self) -> SweepReport:
        """One pass over every kind of record; a failing step is logged, the others run."""
        report = SweepReport()
        now = self.clock.time()
        for name, step in self._steps(now, report):
            try:
                await step()
            except RedisError as exc:  # an outage, not a bug: one line, the next sweep retries
                log.error("retention: %s failed: Redis: %s", name, exc)
            except Exception:
                log.exception("retention: %s failed", name)
        if report.total():
            done = ", ".join(f"{k} {v}" for k, v in asdict(report).items() if v)
            log.info("retention: %s", done)
        self.last_report = report
        return report

    def _steps(self, now: float, report: SweepReport) -> list[tuple[str, Step]]:
        s, cfg = self.stores, self.settings

        async def count(field: str, work: Awaitable[int]) -> None:
            setattr(report, field, getattr(report, field) + await work)

        first_kept = self._local_day(now) - timedelta(days=cfg.stats_days)
        return [
            ("articles", lambda: self._articles(now, report)),
            ("ledgers", lambda: self._ledgers(now, report)),
            ("stats", lambda: count("stats_days", s.stats.purge_before(first_kept))),
            ("audit", lambda: count(
                "audit_entries", s.audit.purge_older_than(now - cfg.audit_days * DAY))),
            ("posts", lambda: count(
                "posts", s.posts.purge_finished(now - cfg.post_days * DAY))),
            ("drafts", lambda: count(
                "drafts", s.drafts.purge_older_than(now - cfg.draft_days * DAY))),
            ("file ids", lambda: count(
                "file_ids", s.file_ids.purge_older_than(now - cfg.file_id_days * DAY))),
            ("usernames", lambda: count(
                "usernames", s.roles.purge_usernames(now - cfg.username_days * DAY))),
        ]  # fmt: skip

    async def loop(self) -> None:
        """Sweep now and then every `sweep_minutes` (a feature task)."""
        while True:
            await self.sweep()
            await self.clock.sleep(self.settings.sweep_minutes * 60)

    async def _articles(self, now: float, report: SweepReport) -> None:
        s = self.stores

        async def forget(article_id: str) -> None:
            report.posts_unqueued += await s.posts.forget_article(article_id)
            await s.ledger.delete(article_id)

        cutoff = datetime.fromtimestamp(now - self.article_days * DAY, self.tz)
        report.articles += await s.articles.purge_older_than(cutoff, forget=forget)

    async def _ledgers(self, now: float, report: SweepReport) -> None:
        ledger, cfg = self.stores.ledger, self.settings
        idle_since = now - cfg.ledger_summary_minutes * 60
        for _ in range(_SUMMARY_ROUNDS):
            done = await ledger.summarise_idle(idle_since)
            report.ledgers_summarised += done
            if not done:
                break
        report.ledgers += await ledger.purge_idle(now - cfg.ledger_days * DAY)
        last = self._local_day(now) - timedelta(days=cfg.digest_ledger_days)
        for back in range(1, DIGEST_LOOKBACK_DAYS + 1):
            day = last - timedelta(days=back)
            report.ledgers += int(await ledger.delete(digest_ledger_id(day)))

    def _local_day(self, now: float) -> date:
        return datetime.fromtimestamp(now, self.tz).date()
