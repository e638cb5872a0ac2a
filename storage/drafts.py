"""Editors' drafts: one JSON document each, indexed per editor by last change."""

from __future__ import annotations

from redis.asyncio import Redis

from storage.keys import Keys
from storage.models.draft import Draft


class DraftRepo:
    """Stores drafts so an abandoned dialogue loses nothing."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._r = redis
        self._k = keys

    async def next_id(self) -> str:
        """A new short draft id (a counter)."""
        return str(await self._r.incr(self._k.draft_seq()))

    async def save(self, draft: Draft) -> None:
        """Write the draft and its place in the editor's list together."""
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.set(self._k.draft(draft.id), draft.model_dump_json())
            pipe.zadd(self._k.user_drafts(draft.user_id), {draft.id: draft.updated_at})
            await pipe.execute()

    async def get(self, draft_id: str) -> Draft | None:
        """One draft, or None."""
        raw = await self._r.get(self._k.draft(draft_id))
        return Draft.model_validate_json(raw) if raw else None

    async def list_for(self, user_id: int, limit: int = 20) -> list[Draft]:
        """The editor's drafts, most recently changed first."""
        ids = await self._r.zrevrange(self._k.user_drafts(user_id), 0, max(0, limit - 1))
        if not ids:
            return []
        raws = await self._r.mget([self._k.draft(str(i)) for i in ids])
        return [Draft.model_validate_json(raw) for raw in raws if raw]

    async def delete(self, draft: Draft) -> None:
        """Remove a draft and its index entry."""
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.delete(self._k.draft(draft.id))
            pipe.zrem(self._k.user_drafts(draft.user_id), draft.id)
            await pipe.execute()
