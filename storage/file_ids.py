"""Telegram file_ids of photos already sent, so each photo is uploaded (or fetched) once.

`keys.file_ids()` HASH: photo URL (or `sha256:<digest>` of an uploaded file) -> the file_id
Telegram gave the largest PhotoSize of the first message that carried it. Reads go through a
small in-process cache: a file_id never changes once known.

`keys.file_ids_index()` notes when each was learned: entries older than the retention period
(FILE_ID_DAYS) are dropped, and the photo is uploaded once more the next time it is sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from redis.asyncio import Redis

from storage.aged import purge_by_index
from storage.keys import Keys

_LOCAL_MAX = 10_000

# KEYS: 1 file ids, 2 index.  ARGV: 1 cutoff, then sources.  Drops each source learned
# before the cutoff (checked again here); returns the sources dropped.
_PURGE = r"""
local gone = {}
for i = 2, #ARGV do
  local score = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[i]) or '')
  if score and score < tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
    gone[#gone + 1] = ARGV[i]
  end
end
return gone
"""


class FileIdCache:
    """Photo source -> Telegram file_id, shared by every process."""

    def __init__(
        self, redis: Redis, keys: Keys, *, time_source: Callable[[], float] | None = None
    ) -> None:
        self.redis = redis
        self.keys = keys
        self._time = time_source or time.time
        self._local: dict[str, str] = {}
        self._purge = redis.register_script(_PURGE)

    async def get(self, source: str) -> str | None:
        """The file_id for a URL or upload digest, if a message already carried it."""
        found = await self.get_many([source])
        return found.get(source)

    async def get_many(self, sources: Iterable[str]) -> dict[str, str]:
        """file_ids for several sources in one HMGET (unknown sources are left out)."""
        wanted = list(dict.fromkeys(sources))
        found = {src: self._local[src] for src in wanted if src in self._local}
        missing = [src for src in wanted if src not in found]
        if missing:
            values = await self.redis.hmget(self.keys.file_ids(), missing)
            for src, file_id in zip(missing, values, strict=True):
                if file_id:
                    found[src] = self._remember(src, str(file_id))
        return found

    async def put(self, source: str, file_id: str) -> None:
        """Remember the file_id Telegram assigned to a photo source."""
        self._remember(source, file_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.keys.file_ids(), source, file_id)
            pipe.zadd(self.keys.file_ids_index(), {source: self._time()})
            await pipe.execute()

    async def forget(self, source: str) -> None:
        """Drop a file_id Telegram no longer accepts (the next send uploads again)."""
        self._local.pop(source, None)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self.keys.file_ids(), source)
            pipe.zrem(self.keys.file_ids_index(), source)
            await pipe.execute()

    async def purge_older_than(self, cutoff: float) -> int:
        """Drop file_ids learned before `cutoff` (FILE_ID retention); how many. Other
        processes may keep using one from their memory: Telegram still accepts it."""
        keys = [self.keys.file_ids(), self.keys.file_ids_index()]

        async def delete(sources: Sequence[str]) -> int:
            gone = await self._purge(keys=keys, args=[cutoff, *sources])
            for source in gone:
                self._local.pop(str(source), None)
            return len(gone)

        return await purge_by_index(self.redis, keys[1], cutoff, delete)

    def _remember(self, source: str, file_id: str) -> str:
        if len(self._local) >= _LOCAL_MAX:
            self._local.clear()
        self._local[source] = file_id
        return file_id
