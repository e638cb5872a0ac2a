"""Send checks: a feature may veto claimed jobs right before they are sent.

A job can wait a long time in the outbox (a push deferred to the end of quiet hours); by the
time it is due, its reader may have unsubscribed or switched to digest only. A send check is
`check(jobs) -> {job_id: reason}` for the jobs that must not go out any more; the engine
settles those as `skipped` with the reason in the ledger and the stats, so nothing is
dropped silently.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from storage.models.delivery import DeliveryJob

log = logging.getLogger(__name__)

SendCheck = Callable[[Sequence[DeliveryJob]], Awaitable[Mapping[str, str]]]


class SendChecks:
    """The send checks registered on one engine."""

    def __init__(self) -> None:
        self.checks: list[SendCheck] = []

    def add(self, check: SendCheck) -> None:
        """Run `check` on every claimed batch."""
        self.checks.append(check)

    async def unwanted(self, jobs: Sequence[DeliveryJob]) -> dict[str, str]:
        """Job id -> reason for the jobs some check refuses (a failing check refuses none)."""
        found: dict[str, str] = {}
        for check in list(self.checks):
            try:
                found.update(await check(jobs))
            except Exception:
                log.exception("a send check failed; its jobs go out unchecked")
        return found
