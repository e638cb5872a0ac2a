"""/stop beyond the subscriptions: a reader's waiting pushes, @username and refused attempts.

`SubscriptionRepo.delete_user` removes the subscriptions and settings; this removes what other
features learned about the reader: their waiting pushes and digests (cancelled, so nothing
reaches them afterwards), the `@username -> id` entry the desk records for everyone who
writes in private, the audit log's refusals of their attempts at desk commands, and the rate
limiter's pacing state for their chat.

Someone who holds a desk role (an owner, an editor of some channel) keeps their desk data:
/stop ends their reading, not their work, and the newsroom needs their trail and directory
entry. Entries of actions anybody took are never deleted. Delivery receipts of pushes that
already reached the reader (the ledger) stay: they are the exactly-once proof.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from bot.subscribers.ports import AuditLog, ChatPacing, DeskDirectory, JobCanceller

log = logging.getLogger(__name__)

READER_JOB_KINDS = ("push", "digest")


@dataclass(frozen=True)
class Erased:
    """What `ReaderEraser.erase` removed."""

    jobs: int
    usernames: int
    refusals: int
    desk_member: bool


class ReaderEraser:
    """Deletes what other features keep about a reader who left with /stop."""

    def __init__(
        self,
        outbox: JobCanceller,
        desk: DeskDirectory,
        audit: AuditLog,
        owners: Collection[int],
        pacing: ChatPacing | None = None,
    ) -> None:
        self._outbox = outbox
        self._desk = desk
        self._audit = audit
        self._owners = frozenset(owners)
        self._pacing = pacing

    async def erase(self, user_id: int) -> Erased:
        """Cancel the reader's waiting pushes and digests; forget their desk traces unless
        they hold a desk role."""
        jobs = await self._outbox.cancel_chat_jobs(user_id, READER_JOB_KINDS)
        if self._pacing is not None:
            await self._pacing.forget_chat(user_id)
        member = await self.is_desk_member(user_id)
        names = refusals = 0
        if not member:
            names = await self._desk.forget_usernames(user_id)
            refusals = await self._audit.forget_refusals(user_id)
        log.info("reader %s left: %d waiting jobs cancelled, %d usernames and %d audit "
                 "refusals forgotten", user_id, len(jobs), names, refusals)  # fmt: skip
        return Erased(len(jobs), names, refusals, member)

    async def is_desk_member(self, user_id: int) -> bool:
        """An owner or an editor of some channel (their desk data outlives /stop)."""
        return user_id in self._owners or bool(await self._desk.editor_channels(user_id))
