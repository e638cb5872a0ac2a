"""The audit trail of the desk: every admin/editor action and every refusal, with who and when."""

from __future__ import annotations

from collections.abc import Collection

from bot.clock import Clock
from storage.audit import AuditRepo
from storage.models.roles import AuditEntry


class AuditService:
    """Records decisions with the injected clock and reads them back for `/audit`."""

    def __init__(self, repo: AuditRepo, clock: Clock) -> None:
        self._repo = repo
        self._clock = clock

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
    ) -> AuditEntry:
        """Append one entry (`action` is the command, e.g. `/pause`; `detail` a short note;
        `name`/`username`: who the user is, as Telegram shows them now)."""
        entry = AuditEntry(
            at=self._clock.time(),
            user_id=user_id,
            action=action,
            chat_id=chat_id,
            allowed=allowed,
            detail=detail,
            name=name,
            username=username,
        )
        await self._repo.record(entry)
        return entry

    async def recent(
        self, limit: int = 20, chat_ids: Collection[int] | None = None
    ) -> list[AuditEntry]:
        """The newest entries; with `chat_ids`, only those about these channels."""
        if chat_ids is None:
            return await self._repo.recent(limit)
        wanted = set(chat_ids)
        entries = await self._repo.recent(1000)
        return [e for e in entries if e.chat_id in wanted][:limit]

    async def count(self) -> int:
        """How many entries the log holds (it is capped)."""
        return await self._repo.count()
