"""The audit log: admin and editor actions, and refused attempts, newest first, capped.

Two lists, so that nobody can push the newsroom's history out by being refused:
- `audit` holds what people with a role did (done, failed with a reason, kept apart);
- `audit:refused` holds refused attempts, and each person adds at most `per_actor` of them
  per `window` seconds: the first one over the cap is written as a `flood` marker, the rest
  only counted. Ten strangers sending a thousand refused commands leave the actions alone
  and take at most `10 * (per_actor + 1)` places among the refusals.
Readers see one log: both lists merged by time.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from redis.asyncio import Redis

from storage.keys import Keys
from storage.models.roles import AuditEntry

DEFAULT_CAP = 1000
REFUSALS_PER_ACTOR = 20
REFUSAL_WINDOW = 3600
FLOOD = "flood"

# KEYS: 1 refusals list, 2 the person's counter. ARGV: 1 entry JSON, 2 flood marker JSON,
# 3 cap, 4 per-person cap, 5 window (s). Returns the person's count in this window.
_REFUSE = """
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5])) end
local per = tonumber(ARGV[4])
if n <= per then
  redis.call('LPUSH', KEYS[1], ARGV[1])
elseif n == per + 1 then
  redis.call('LPUSH', KEYS[1], ARGV[2])
else
  return n
end
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
return n
"""

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
    """Two capped Redis lists of `AuditEntry` JSON documents: actions and refusals."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        cap: int = DEFAULT_CAP,
        *,
        per_actor: int = REFUSALS_PER_ACTOR,
        window: int = REFUSAL_WINDOW,
    ) -> None:
        self._r = redis
        self._k = keys
        self._cap = cap
        self._per_actor = per_actor
        self._window = window
        self._refuse = redis.register_script(_REFUSE)
        self._purge = redis.register_script(_PURGE)

    async def record(self, entry: AuditEntry) -> bool:
        """Prepend an entry to its list and trim it to the cap, atomically.

        Refusals past the person's cap for this window are not written (the first of them
        becomes a `flood` marker). Returns whether the entry itself was written.
        """
        entry = entry.model_copy(update={"seq": int(await self._r.incr(self._k.audit_seq()))})
        if not entry.refused:
            async with self._r.pipeline(transaction=True) as pipe:
                pipe.lpush(self._k.audit(), entry.model_dump_json())
                pipe.ltrim(self._k.audit(), 0, self._cap - 1)
                await pipe.execute()
            return True
        marker = entry.model_copy(update={"detail": FLOOD})
        count = await self._refuse(
            keys=[self._k.audit_refusals(), self._k.audit_refusal_count(entry.user_id)],
            args=[
                entry.model_dump_json(),
                marker.model_dump_json(),
                self._cap,
                self._per_actor,
                self._window,
            ],
        )
        return int(count) <= self._per_actor

    async def recent(self, limit: int = 20, chat_id: int | None = None) -> list[AuditEntry]:
        """The newest entries of both lists, optionally only those about one channel."""
        if limit <= 0:
            return []
        if chat_id is None:
            return list(_merged(await self._read(limit)))[:limit]
        found: list[AuditEntry] = []
        for entry in _merged(await self._read(self._cap)):
            if entry.chat_id == chat_id:
                found.append(entry)
                if len(found) >= limit:
                    break
        return found

    async def actions(self, limit: int = 20) -> list[AuditEntry]:
        """The newest actions taken (not refusals), newest first."""
        return _parsed(await self._r.lrange(self._k.audit(), 0, max(0, limit - 1)))

    async def refusals(self, limit: int = 20) -> list[AuditEntry]:
        """The newest refused attempts (flood markers included), newest first."""
        return _parsed(await self._r.lrange(self._k.audit_refusals(), 0, max(0, limit - 1)))

    async def _read(self, count: int) -> tuple[list[AuditEntry], list[AuditEntry]]:
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.lrange(self._k.audit(), 0, count - 1)
            pipe.lrange(self._k.audit_refusals(), 0, count - 1)
            actions, refusals = await pipe.execute()
        return _parsed(actions), _parsed(refusals)

    async def forget_refusals(self, user_id: int) -> int:
        """Delete the refused attempts of `user_id` (nothing of theirs happened); how many.

        Entries of actions the user did take stay: they are the newsroom's trail. (Logs
        written before refusals had their own list keep them among the actions; those go
        too.)
        """
        removed = 0
        for key in (self._k.audit_refusals(), self._k.audit()):
            for raw in await self._r.lrange(key, 0, -1):
                entry = AuditEntry.model_validate_json(raw)
                if entry.user_id == user_id and entry.refused:
                    removed += int(await self._r.lrem(key, 0, str(raw)))
        await self._r.delete(self._k.audit_refusal_count(user_id), self._k.refusal_replies(user_id))
        return removed

    async def count_refusal_reply(self, user_id: int, window: int = 60) -> int:
        """Count one refusal reply to `user_id` in the current window; the count so far."""
        key = self._k.refusal_replies(user_id)
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, window, nx=True)
            count, _ = await pipe.execute()
        return int(count)

    async def purge_older_than(self, cutoff: float) -> int:
        """Drop entries older than `cutoff` (AUDIT retention) from both lists, oldest first;
        how many. Entries are pushed newest first, so the old ones sit at each list's tail.
        """
        removed = 0
        for key in (self._k.audit(), self._k.audit_refusals()):
            while True:
                popped = int(await self._purge(keys=[key], args=[cutoff, _PURGE_BATCH]))
                removed += popped
                if popped < _PURGE_BATCH:
                    break
        return removed

    async def count(self) -> int:
        """How many entries the log holds (both lists)."""
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.llen(self._k.audit())
            pipe.llen(self._k.audit_refusals())
            actions, refusals = await pipe.execute()
        return int(actions) + int(refusals)


def _parsed(raws: Iterable[str | bytes]) -> list[AuditEntry]:
    return [AuditEntry.model_validate_json(raw) for raw in raws]


def _merged(lists: tuple[list[AuditEntry], list[AuditEntry]]) -> Iterable[AuditEntry]:
    """Both newest-first lists as one, newest first (equal times in the order written)."""
    return heapq.merge(*lists, key=lambda e: (-e.at, -e.seq))
