"""Editors' drafts: one JSON document each, indexed per editor and overall by last change.

`keys.drafts_index()` lists every draft by its last change, so drafts left alone longer than
the retention period (DRAFT_DAYS) are found and deleted without KEYS.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from storage.aged import purge_by_index
from storage.keys import Keys
from storage.ledger import key_template
from storage.models.draft import Draft

# KEYS: 1 drafts index.  ARGV: 1 cutoff, 2/3 draft key head/tail, 4/5 user drafts head/tail,
# then draft ids.  Deletes each draft not changed since the cutoff (checked again here)
# with its entries in both indexes; returns how many ids left the index.
_PURGE = r"""
local gone = 0
for i = 6, #ARGV do
  local id = ARGV[i]
  local score = tonumber(redis.call('ZSCORE', KEYS[1], id) or '')
  if score and score < tonumber(ARGV[1]) then
    local key = ARGV[2] .. id .. ARGV[3]
    local body = redis.call('GET', key)
    local user = body and string.match(body, '"user_id":(%d+)')
    if user then redis.call('ZREM', ARGV[4] .. user .. ARGV[5], id) end
    redis.call('DEL', key)
    redis.call('ZREM', KEYS[1], id)
    gone = gone + 1
  end
end
return gone
"""


class DraftRepo:
    """Stores drafts so an abandoned dialogue loses nothing."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._r = redis
        self._k = keys
        self._purge = redis.register_script(_PURGE)

    async def next_id(self) -> str:
        """A new short draft id (a counter)."""
        return str(await self._r.incr(self._k.draft_seq()))

    async def save(self, draft: Draft) -> None:
        """Write the draft and its place in the editor's list together."""
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.set(self._k.draft(draft.id), draft.model_dump_json())
            pipe.zadd(self._k.user_drafts(draft.user_id), {draft.id: draft.updated_at})
            pipe.zadd(self._k.drafts_index(), {draft.id: draft.updated_at})
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
            pipe.zrem(self._k.drafts_index(), draft.id)
            await pipe.execute()

    async def purge_older_than(self, cutoff: float) -> int:
        """Delete drafts not changed since `cutoff` (DRAFT retention); how many."""
        user_t = key_template(self._k.user_drafts("@"))  # type: ignore[arg-type]
        head = [*key_template(self._k.draft("@")), *user_t]
        index = self._k.drafts_index()

        async def delete(ids: Sequence[str]) -> int:
            return int(await self._purge(keys=[index], args=[cutoff, *head, *ids]))

        return await purge_by_index(self._r, index, cutoff, delete)
