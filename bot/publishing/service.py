"""PublishingService: what editors, channel admins, routing and the CLI ask of publishing.

Queueing an article makes one `QueuedPost` per channel. Slot posts wait in the channel's
queue until a tick serves them (see `ticker.py`); timed posts wait for their time; breaking
and `now` posts are dispatched at once. A pair (article, chat) that the ledger says already
went out is refused with `already_published` and a `duplicate` ledger event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import Clock
from bot.publishing.copies import Copies, RetractResult
from bot.publishing.dispatch import PostDispatcher, TickReport
from bot.publishing.embargo import Embargoes, PublicListener
from bot.publishing.errors import PublishingError as PublishingError
from bot.publishing.overview import ChannelOverview, ScheduleReading
from bot.publishing.parts import Collaborators
from bot.publishing.ports import Articles, Ledger, Outbox, Rubrics
from bot.publishing.queued import QueuedPosts
from bot.publishing.ticker import DEFAULT_GRACE, Ticker
from storage.channels import ChannelRepo
from storage.models.delivery import DeliveryJob
from storage.queue import QueueRepo


class PublishingService(QueuedPosts, ScheduleReading):
    """Queues, schedules, edits and retracts channel posts; `tick` serves what is due.

    Assembled from one part per idea: channel settings (`settings.py`), planning posts
    (`planning.py`), managing waiting posts (`queued.py`), reading the schedule
    (`overview.py`); published copies are `copies.py`, the clock-driven ticks `ticker.py`.
    """

    def __init__(
        self,
        *,
        channels: ChannelRepo,
        queue: QueueRepo,
        articles: Articles,
        rubrics: Rubrics,
        outbox: Outbox,
        ledger: Ledger,
        clock: Clock,
        grace: float = DEFAULT_GRACE,
    ) -> None:
        super().__init__(channels=channels, queue=queue, rubrics=rubrics, clock=clock)
        self.articles = articles
        self.outbox = outbox
        self.ledger = ledger
        deps = Collaborators(
            queue=queue,
            channels=channels,
            articles=articles,
            rubrics=rubrics,
            outbox=outbox,
            ledger=ledger,
            clock=clock,
        )
        self.dispatcher = PostDispatcher(deps)
        self.embargoes = Embargoes(deps)
        self.copies = Copies(deps, dispatcher=self.dispatcher, embargoes=self.embargoes)
        self.ticker = Ticker(
            queue=queue, channels=channels, dispatcher=self.dispatcher, grace=grace
        )

    # --- the clock-driven decision ------------------------------------------------
    async def tick(self, now: datetime | None = None) -> TickReport:
        """Serve every slot, interval and timed post due up to `now` (default: the clock),
        and lift the embargoes whose time has come."""
        moment = now or self.clock.now()
        report = await self.ticker.tick(moment)
        await self.embargoes.tick(moment)
        return report

    async def next_due(self) -> float | None:
        """The earliest time a timed or interval post could go out or an embargo lifts
        (for the scheduler's wake-up)."""
        times = [t for t in (await super().next_due(), await self.articles.next_release()) if t]
        return min(times) if times else None

    def add_public_listener(self, listener: PublicListener) -> None:
        """Call `listener(article)` when an embargoed article becomes public (pushes)."""
        self.embargoes.listeners.append(listener)

    # --- published copies -----------------------------------------------------------
    async def edit_article(self, article_id: str) -> list[int]:
        """Edit every published copy in place with the article's current text; the chat ids."""
        return await self.copies.edit(await self._article(article_id))

    async def retract_article(self, article_id: str) -> RetractResult:
        """Delete every published copy and remove every copy still waiting."""
        return await self.copies.retract(article_id)

    async def requeue_refused(self, chat_id: int, job: DeliveryJob, description: str) -> None:
        """Delivery hook: a channel post Telegram refused goes back to its queue's head."""
        await self.copies.requeue_refused(chat_id, job, description)

    async def after_delivery(self, job: DeliveryJob, message_id: int | None) -> None:
        """Delivery hook: a post or edit is out; follow it up if its article changed or was
        retracted while it was on its way."""
        await self.copies.after_delivery(job, message_id)


__all__: Sequence[str] = (
    "ChannelOverview",
    "PublishingError",
    "PublishingService",
    "RetractResult",
)
