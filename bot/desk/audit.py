"""The audit trail of the desk: every admin/editor action with its outcome, every refusal.

An entry says who did what, in which channel, when, and what came of it: done, failed (with
the reason and what was given, e.g. `bad_time: 25:00`), denied (no rights), or kept apart
(an article that matched one the person has no rights to was stored as a new one).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from bot.clock import Clock
from storage.audit import FLOOD, AuditRepo
from storage.models.roles import AuditEntry, Outcome

__all__ = ["DONE", "FLOOD", "Actor", "AuditService", "Result", "failed"]

MAX_GIVEN = 60  # characters of the user's own input kept in an entry
REFUSAL_REPLIES_PER_MINUTE = 5
ReplyVerdict = Literal["reply", "notice", "silent"]


@dataclass(frozen=True)
class Actor:
    """Who acts: a Telegram user with the name and @username Telegram shows now."""

    user_id: int
    name: str | None = None
    username: str | None = None


@dataclass(frozen=True)
class Result:
    """What came of an allowed action: done, or failed with a reason code and the input."""

    ok: bool = True
    reason: str | None = None
    given: str | None = None

    @property
    def detail(self) -> str | None:
        """`bad_time: 25:00` — the reason and what was given, for the audit entry (for a
        done action: what it was about, e.g. the article id)."""
        given = (self.given or "").strip()
        if self.reason is None:
            return given or None
        if not given:
            return self.reason
        return f"{self.reason}: {given[:MAX_GIVEN]}{'…' if len(given) > MAX_GIVEN else ''}"


DONE = Result()


def failed(reason: str, given: str | None = None) -> Result:
    """An allowed action that changed nothing, and why (`bad_time`, `unknown_user`, …)."""
    return Result(ok=False, reason=reason, given=given)


class AuditService:
    """Records decisions with the injected clock and reads them back for `/audit`."""

    def __init__(
        self, repo: AuditRepo, clock: Clock, *, replies_per_minute: int = REFUSAL_REPLIES_PER_MINUTE
    ) -> None:
        self._repo = repo
        self._clock = clock
        self._replies_per_minute = replies_per_minute

    async def refusal_reply(self, user_id: int) -> ReplyVerdict:
        """Whether to tell `user_id` about one more refusal: the first few a minute get the
        refusal, the next one a single «подождите», the rest nothing (they are still
        audited, within the per-person cap). Flooding refused commands costs the bot
        nothing beyond that."""
        count = await self._repo.count_refusal_reply(user_id)
        if count <= self._replies_per_minute:
            return "reply"
        return "notice" if count == self._replies_per_minute + 1 else "silent"

    async def record(
        self,
        user_id: int,
        action: str,
        chat_id: int | None,
        *,
        allowed: bool,
        detail: str | None = None,
        name: str | None = None,
        username: str | None = None,
        outcome: Outcome | None = None,
    ) -> AuditEntry:
        """Append one entry (`action` is the command, e.g. `/pause`; `detail` a short note;
        `name`/`username`: who the user is, as Telegram shows them now; `outcome` what came
        of it, by default done when allowed, else denied)."""
        entry = AuditEntry(
            at=self._clock.time(),
            user_id=user_id,
            action=action,
            chat_id=chat_id,
            allowed=allowed,
            outcome=outcome or ("done" if allowed else "denied"),
            detail=detail,
            name=name,
            username=username,
        )
        await self._repo.record(entry)
        return entry

    async def record_by(
        self,
        actor: Actor,
        action: str,
        chat_id: int | None,
        *,
        outcome: Outcome,
        detail: str | None = None,
    ) -> AuditEntry:
        """Append one entry about `actor` with an explicit outcome."""
        return await self.record(
            actor.user_id,
            action,
            chat_id,
            allowed=outcome in ("done", "failed"),
            detail=detail,
            name=actor.name,
            username=actor.username,
            outcome=outcome,
        )

    async def result(
        self, actor: Actor, action: str, chat_id: int | None, result: Result
    ) -> AuditEntry:
        """Append what came of an allowed action (done, or failed with its reason)."""
        outcome: Outcome = "done" if result.ok else "failed"
        return await self.record_by(actor, action, chat_id, outcome=outcome, detail=result.detail)

    async def recent(
        self, limit: int = 20, chat_ids: Collection[int] | None = None
    ) -> list[AuditEntry]:
        """The newest entries; with `chat_ids`, only those about these channels."""
        if chat_ids is None:
            return await self._repo.recent(limit)
        wanted = set(chat_ids)
        entries = await self._repo.recent(1000)
        return [e for e in entries if e.chat_id in wanted][:limit]

    async def actions(
        self, limit: int = 20, chat_ids: Collection[int] | None = None
    ) -> list[AuditEntry]:
        """The newest actions taken (done, failed, kept apart), optionally about these
        channels: what `/audit` lists first, where no flood of refusals can reach."""
        return _about(await self._repo.actions(1000), chat_ids)[:limit]

    async def refusals(
        self, limit: int = 200, chat_ids: Collection[int] | None = None
    ) -> list[AuditEntry]:
        """The newest refused attempts, optionally about these channels."""
        return _about(await self._repo.refusals(limit), chat_ids)

    async def count(self) -> int:
        """How many entries the log holds (it is capped)."""
        return await self._repo.count()


def _about(entries: list[AuditEntry], chat_ids: Collection[int] | None) -> list[AuditEntry]:
    if chat_ids is None:
        return entries
    wanted = set(chat_ids)
    return [e for e in entries if e.chat_id in wanted]
