"""The collaborators publishing's parts share: repositories, ports and the clock, in one bundle.

`PublishingService` builds one `Collaborators` and hands it to the dispatcher and the copies,
which take their attributes from it (`PublishingPart`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.publishing.ports import Articles, Ledger, Outbox, Rubrics
from storage.channels import ChannelRepo
from storage.queue import QueueRepo


@dataclass(frozen=True, slots=True)
class Collaborators:
    """What publishing's parts work with."""

    queue: QueueRepo
    channels: ChannelRepo
    articles: Articles
    rubrics: Rubrics
    outbox: Outbox
    ledger: Ledger
    clock: Clock


class PublishingPart:
    """Base of publishing's parts: the shared collaborators as attributes."""

    def __init__(self, deps: Collaborators) -> None:
        self.queue = deps.queue
        self.channels = deps.channels
        self.articles = deps.articles
        self.rubrics = deps.rubrics
        self.outbox = deps.outbox
        self.ledger = deps.ledger
        self.clock = deps.clock
