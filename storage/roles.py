"""Editor grants, invite codes, the Telegram-admin cache and the @username directory."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from redis.asyncio import Redis
from redis.exceptions import WatchError

from storage.aged import purge_by_index
from storage.keys import Keys
from storage.models.roles import Invite

# KEYS: the username directory, its last-seen index.  ARGV: a name, a user id.  Deletes the
# name only while it still points at that user.
_FORGET_NAME = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('HDEL', KEYS[1], ARGV[1])
"""

# KEYS: the username directory, its last-seen index.  ARGV: 1 cutoff, then names.  Forgets
# each name not seen since the cutoff (checked again here); returns how many.
_PURGE_NAMES = """
local gone = 0
for i = 2, #ARGV do
  local seen = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[i]) or '')
  if seen and seen < tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[1], ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
    gone = gone + 1
  end
end
return gone
"""


class RoleRepo:
    """Who may edit which channel; everything a role check needs from Redis."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._r = redis
        self._k = keys

    async def grant_editor(self, chat_id: int, user_id: int) -> bool:
        """Make `user_id` an editor of `chat_id` (both indexes at once); False if already one."""
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.sadd(self._k.editors(chat_id), user_id)
            pipe.sadd(self._k.user_channels(user_id), chat_id)
            added, _ = await pipe.execute()
        return bool(added)

    async def revoke_editor(self, chat_id: int, user_id: int) -> bool:
        """Remove the editor role; False if the user was not an editor there."""
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.srem(self._k.editors(chat_id), user_id)
            pipe.srem(self._k.user_channels(user_id), chat_id)
            removed, _ = await pipe.execute()
        return bool(removed)

    async def editors(self, chat_id: int) -> list[int]:
        """Editor user ids of one channel, sorted."""
        return sorted(int(v) for v in await self._r.smembers(self._k.editors(chat_id)))

    async def editor_channels(self, user_id: int) -> list[int]:
        """Channels where the user is an editor, sorted."""
        return sorted(int(v) for v in await self._r.smembers(self._k.user_channels(user_id)))

    async def is_editor(self, chat_id: int, user_id: int) -> bool:
        """Whether the user holds the editor role in the channel."""
        return bool(await self._r.sismember(self._k.editors(chat_id), str(user_id)))

    async def cached_admins(self, chat_ids: Iterable[int]) -> dict[int, tuple[float, list[int]]]:
        """The cached Telegram admins per channel: (fetched at, user ids); absent when unknown."""
        ids = list(chat_ids)
        if not ids:
            return {}
        raw = await self._r.mget([self._k.admins_cache(c) for c in ids])
        found: dict[int, tuple[float, list[int]]] = {}
        for chat_id, value in zip(ids, raw, strict=True):
            if value:
                data = json.loads(value)
                found[chat_id] = (float(data["at"]), [int(u) for u in data["ids"]])
        return found

    async def cache_admins(
        self, chat_id: int, user_ids: Iterable[int], fetched_at: float, ttl_s: int
    ) -> None:
        """Remember a channel's Telegram admins (expires on its own after `ttl_s`)."""
        value = json.dumps({"at": fetched_at, "ids": sorted(set(user_ids))})
        await self._r.set(self._k.admins_cache(chat_id), value, ex=max(1, ttl_s))

    async def forget_admins(self, chat_id: int) -> None:
        """Drop the cached admin list (after a change we know about)."""
        await self._r.delete(self._k.admins_cache(chat_id))

    async def save_invite(self, invite: Invite, ttl_s: int) -> None:
        """Store a one-time invite code until it expires."""
        await self._r.set(self._k.invite(invite.code), invite.model_dump_json(), ex=max(1, ttl_s))

    async def redeem_invite(self, code: str, user_id: int, now: float) -> Invite | None:
        """Use an invite once: delete it and grant the role in one transaction.

        Returns None when the code is unknown, already used or expired (`now` >= expiry).
        """
        key = self._k.invite(code)
        async with self._r.pipeline(transaction=True) as pipe:
            try:
                await pipe.watch(key)
                raw = await pipe.get(key)
                if raw is None:
                    return None
                invite = Invite.model_validate_json(raw)
                pipe.multi()  # type: ignore[no-untyped-call]
                pipe.delete(key)
                if invite.expires_at > now:
                    pipe.sadd(self._k.editors(invite.chat_id), user_id)
                    pipe.sadd(self._k.user_channels(user_id), invite.chat_id)
                await pipe.execute()
            except WatchError:
                return None
        return invite if invite.expires_at > now else None

    async def remember_username(self, username: str, user_id: int, at: float) -> None:
        """Learn `@username -> id` from an update at `at`, so `/grant @name` can find the
        user; names not seen for the retention period are forgotten (`purge_usernames`)."""
        name = username.lstrip("@").lower()
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.hset(self._k.usernames(), name, user_id)
            pipe.zadd(self._k.usernames_seen(), {name: at})
            await pipe.execute()

    async def purge_usernames(self, cutoff: float) -> int:
        """Forget every @username not seen since `cutoff` (USERNAME retention); how many."""
        keys = [self._k.usernames(), self._k.usernames_seen()]

        async def delete(names: Sequence[str]) -> int:
            return int(await self._r.eval(_PURGE_NAMES, 2, *keys, repr(cutoff), *names))

        return await purge_by_index(self._r, keys[1], cutoff, delete)

    async def forget_usernames(self, user_id: int) -> int:
        """Drop every @username that points at `user_id` (a reader who left); how many.

        The directory has no reverse index, so it is scanned (HSCAN); a name that meanwhile
        points at someone else is kept.
        """
        key, uid = self._k.usernames(), str(int(user_id))
        names = [name async for name, value in self._r.hscan_iter(key, count=1000) if value == uid]
        removed = 0
        seen = self._k.usernames_seen()
        for name in names:
            removed += int(await self._r.eval(_FORGET_NAME, 2, key, seen, name, uid))
        return removed

    async def resolve_username(self, username: str) -> int | None:
        """The user id last seen with this @username, if any."""
        value = await self._r.hget(self._k.usernames(), username.lstrip("@").lower())
        return int(value) if value is not None else None
