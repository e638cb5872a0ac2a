"""The audit log: admin and editor actions, allowed or denied, newest first, capped."""

from __future__ import annotations

from redis.asyncio import Redis

from storage.keys import Keys
from storage.models.roles import AuditEntry

DEFAULT_CAP = 1000
_PURGE_BATCH = 500

# KEYS: 1 an audit list (newest first).  ARGV: 1 cutoff (unix s), 2 at most this many.
# Pops entries older than the cutoff from the old end; returns how many.
_PURGE = r"""
local cutoff, removed = tonumber(ARGV[1]), 0
while removed < tonumber(ARGV[2]) do
  local raw = redis.call('LINDEX', KEYS[1], -1)
  if not raw then break end
  local ok, entry = pcall(cjson.decode, raw)
  if ok and type(entry) == 'table' and type(entry.at) == 'number' and entry.at >= cutoff then
    break
  end
  redis.call('RPOP', KEYS[1])
  removed = removed + 1
end
return removed
"""


class AuditRepo:
    """A capped Redis list of `AuditEntry` JSON documents."""

    def __init__(self, redis: Redis, keys: Keys, cap: int = DEFAULT_CAP) -> None:
        self._r = redis
        self._k = keys
        self._cap = cap
        self._purge = redis.register_script(_PURGE)

    async def record(self, entry: AuditEntry) -> None:
        """Prepend an entry and trim the list to the cap, atomically."""
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.lpush(self._k.audit(), entry.model_dump_json())
            pipe.ltrim(self._k.audit(), 0, self._cap - 1)
            await pipe.execute()

    async def recent(self, limit: int = 20, chat_id: int | None = None) -> list[AuditEntry]:
        """The newest entries, optionally only those about one channel."""
        if chat_id is None:
            raws = await self._r.lrange(self._k.audit(), 0, max(0, limit - 1))
            return [AuditEntry.model_validate_json(r) for r in raws]
        found: list[AuditEntry] = []
        for raw in await self._r.lrange(self._k.audit(), 0, self._cap - 1):
            entry = AuditEntry.model_validate_json(raw)
            if entry.chat_id == chat_id:
                found.append(entry)
                if len(found) >= limit:
                    break
        return found

    async def forget_refusals(self, user_id: int) -> int:
        """Delete the refused attempts of `user_id` (nothing of theirs happened); how many.

        Entries of actions the user did take stay: they are the newsroom's trail.
        """
        key = self._k.audit()
        removed = 0
        for raw in await self._r.lrange(key, 0, -1):
            entry = AuditEntry.model_validate_json(raw)
            if entry.user_id == user_id and not entry.allowed:
                removed += int(await self._r.lrem(key, 0, str(raw)))
        return removed

    async def purge_older_than(self, cutoff: float) -> int:
        """Drop entries older than `cutoff` (AUDIT retention), oldest first; how many.

        Entries are pushed newest first, so the old ones sit at the list's tail.
        """
        removed = 0
        while True:
            popped = int(await self._purge(keys=[self._k.audit()], args=[cutoff, _PURGE_BATCH]))
            removed += popped
            if popped < _PURGE_BATCH:
                return removed

    async def count(self) -> int:
        """How many entries the log holds."""
        return int(await self._r.llen(self._k.audit()))
