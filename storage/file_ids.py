"""Telegram file_ids of photos already sent, so each photo is uploaded (or fetched) once.

`keys.file_ids()` HASH: photo URL (or `sha256:<digest>` of an uploaded file) -> the file_id
Telegram gave the largest PhotoSize of the first message that carried it. Reads go through a
small in-process cache: a file_id never changes once known.
"""

from __future__ import annotations

from collections.abc import Iterable

from redis.asyncio import Redis

from storage.keys import Keys

_LOCAL_MAX = 10_000


class FileIdCache:
    """Photo source -> Telegram file_id, shared by every process."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys
        self._local: dict[str, str] = {}

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
        await self.redis.hset(self.keys.file_ids(), source, file_id)

    async def forget(self, source: str) -> None:
        """Drop a file_id Telegram no longer accepts (the next send uploads again)."""
        self._local.pop(source, None)
        await self.redis.hdel(self.keys.file_ids(), source)

    def _remember(self, source: str, file_id: str) -> str:
        if len(self._local) >= _LOCAL_MAX:
            self._local.clear()
        self._local[source] = file_id
        return file_id
