"""Subscriptions by rubric and subscribers' settings, laid out to cost little memory.

Layout (every key from `Keys`):
- per rubric and mode (`all`, `instant`), the subscribers' ids are split over `shards` SETs by
  `user_id % shards`; each shard stays an intset (8 bytes a member) up to 512 members, so
  a rubric holds ~500,000 subscribers compactly;
- each subscriber's settings are one short string in a HASH shard (`user_id % user_shards`),
  which stays a listpack up to 128 fields;
- a subscriber's own rubric list is read back from the `all` shards (one SISMEMBER per known
  rubric), so nothing is stored twice.
Every change touching more than one key runs in one Lua script.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from redis.asyncio import Redis

from storage.keys import Keys
from storage.models.subscriber import Subscriber

SUB_SHARDS = 1024
USER_SHARDS = 2048
_BULK_CHUNK = 2000
STOP_REQUEST_TTL = 86400  # Redis forgets an unanswered /stop confirmation after a day

_SUBSCRIBE = """
local rec = redis.call('HGET', KEYS[5], ARGV[1])
if not rec then
  redis.call('HSET', KEYS[5], ARGV[1], ARGV[3])
  rec = ARGV[3]
end
redis.call('SADD', KEYS[4], ARGV[2])
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
if string.match(rec, '^1|[^|]*|[^|]*|(%d)') ~= '0' then
  redis.call('SADD', KEYS[2], ARGV[1])
end
return 1
"""

# KEYS: counts, user hash, quiet, digests, then (all, instant) per slug.
# ARGV: user id, forget (1: also delete the settings), then one slug per key pair.
_REMOVE = """
local removed = {}
for i = 5, #KEYS, 2 do
  local slug = ARGV[(i - 5) / 2 + 3]
  if redis.call('SREM', KEYS[i], ARGV[1]) == 1 then
    redis.call('SREM', KEYS[i + 1], ARGV[1])
    if redis.call('HINCRBY', KEYS[1], slug, -1) <= 0 then redis.call('HDEL', KEYS[1], slug) end
    removed[#removed + 1] = slug
  end
end
if ARGV[2] == '1' then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
end
return removed
"""

# KEYS: the stop request.  ARGV: the message id.  Returns the time asked, or nil when the
# pending request is for another message (or there is none); a match is deleted.
_TAKE_STOP = """
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local mid, at = string.match(raw, '^(%d+):(.+)$')
if mid ~= ARGV[1] then return nil end
redis.call('DEL', KEYS[1])
return at
"""

# KEYS: user hash, quiet, digests, then (all, instant) per known slug.
# ARGV: user id, record, quiet (0/1), digest due time or '', pushes (0/1).
_SAVE = """
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] == '1' then redis.call('SADD', KEYS[2], ARGV[1])
else redis.call('SREM', KEYS[2], ARGV[1]) end
if ARGV[4] ~= '' then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
else redis.call('ZREM', KEYS[3], ARGV[1]) end
for i = 4, #KEYS, 2 do
  if redis.call('SISMEMBER', KEYS[i], ARGV[1]) == 1 then
    if ARGV[5] == '1' then redis.call('SADD', KEYS[i + 1], ARGV[1])
    else redis.call('SREM', KEYS[i + 1], ARGV[1]) end
  end
end
return 1
"""


class SubscriptionRepo:
    """Who reads which rubric, how (pushes or digest only) and with which settings."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        shards: int = SUB_SHARDS,
        user_shards: int = USER_SHARDS,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self.shards = shards
        self.user_shards = user_shards
        self._subscribe = redis.register_script(_SUBSCRIBE)
        self._remove = redis.register_script(_REMOVE)
        self._save = redis.register_script(_SAVE)
        self._take_stop = redis.register_script(_TAKE_STOP)

    # --- key helpers ------------------------------------------------------------
    def _shard_key(self, slug: str, mode: str, user_id: int) -> str:
        return self._keys.rubric_subscribers_shard(slug, mode, user_id % self.shards)

    def _user_key(self, user_id: int) -> str:
        return self._keys.subscriber_shard(user_id % self.user_shards)

    def _subscribe_keys(self, user_id: int, slug: str) -> list[str]:
        return [
            self._shard_key(slug, "all", user_id),
            self._shard_key(slug, "instant", user_id),
            self._keys.subscription_counts(),
            self._keys.subscribed_rubrics(),
            self._user_key(user_id),
        ]

    def _pair_keys(self, user_id: int, slugs: Iterable[str]) -> list[str]:
        keys: list[str] = []
        for slug in slugs:
            keys += [
                self._shard_key(slug, "all", user_id),
                self._shard_key(slug, "instant", user_id),
            ]
        return keys

    # --- subscriptions ------------------------------------------------------------
    async def subscribe(self, user_id: int, slug: str) -> bool:
        """Subscribe a user to a rubric (pushes follow their setting); False if already there."""
        default = Subscriber(user_id=user_id).encode()
        added = await self._subscribe(
            keys=self._subscribe_keys(user_id, slug), args=[user_id, slug, default]
        )
        return bool(added)

    async def subscribe_bulk(self, user_ids: Sequence[int], slug: str) -> int:
        """Subscribe many users to one rubric in pipelined chunks (imports, benchmarks)."""
        added = 0
        for start in range(0, len(user_ids), _BULK_CHUNK):
            async with self._redis.pipeline(transaction=False) as pipe:
                for user_id in user_ids[start : start + _BULK_CHUNK]:
                    default = Subscriber(user_id=user_id).encode()
                    keys = self._subscribe_keys(user_id, slug)
                    await self._subscribe(keys=keys, args=[user_id, slug, default], client=pipe)
                added += sum(int(x) for x in await pipe.execute())
        return added

    async def unsubscribe(self, user_id: int, slug: str) -> bool:
        """Remove one subscription; False if the user was not subscribed."""
        return bool(await self._remove_from(user_id, [slug], forget=False))

    async def unsubscribe_all(self, user_id: int) -> list[str]:
        """Remove every subscription of a user (settings stay); the slugs removed."""
        return await self._remove_from(user_id, await self.known_rubrics(), forget=False)

    async def delete_user(self, user_id: int) -> list[str]:
        """Forget a user entirely: subscriptions, settings, quiet hours, digest schedule."""
        return await self._remove_from(user_id, await self.known_rubrics(), forget=True)

    async def _remove_from(self, user_id: int, slugs: list[str], *, forget: bool) -> list[str]:
        keys = [
            self._keys.subscription_counts(),
            self._user_key(user_id),
            self._keys.quiet_subscribers(),
            self._keys.digests(),
            *self._pair_keys(user_id, slugs),
        ]
        removed = await self._remove(keys=keys, args=[user_id, "1" if forget else "0", *slugs])
        return [str(s) for s in removed]

    async def known_rubrics(self) -> list[str]:
        """Slugs of every rubric that has ever had a subscriber, sorted."""
        return sorted(str(s) for s in await self._redis.smembers(self._keys.subscribed_rubrics()))

    async def rubrics_of(self, user_id: int) -> list[str]:
        """The slugs a user subscribes to, sorted."""
        slugs = await self.known_rubrics()
        if not slugs:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for slug in slugs:
                pipe.sismember(self._shard_key(slug, "all", user_id), str(user_id))
            flags = await pipe.execute()
        return [slug for slug, flag in zip(slugs, flags, strict=True) if flag]

    async def push_states(self, pairs: Sequence[tuple[int, str]]) -> list[tuple[bool, bool]]:
        """Per (user id, slug): (subscribed, gets pushes) — one pipelined round trip."""
        if not pairs:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for user_id, slug in pairs:
                pipe.sismember(self._shard_key(slug, "all", user_id), str(user_id))
                pipe.sismember(self._shard_key(slug, "instant", user_id), str(user_id))
            flags = await pipe.execute()
        return [(bool(a), bool(b)) for a, b in zip(flags[0::2], flags[1::2], strict=True)]

    async def instant_subscribers(self, slug: str) -> list[int]:
        """Every user who gets pushes for this rubric (one pipelined read of its shards)."""
        return await self._members(slug, "instant")

    async def all_subscribers(self, slug: str) -> list[int]:
        """Every subscriber of this rubric, pushes or digest only."""
        return await self._members(slug, "all")

    async def _members(self, slug: str, mode: str) -> list[int]:
        async with self._redis.pipeline(transaction=False) as pipe:
            for shard in range(self.shards):
                pipe.smembers(self._keys.rubric_subscribers_shard(slug, mode, shard))
            shards = await pipe.execute()
        return [int(member) for shard in shards for member in shard]

    async def count(self, slug: str) -> int:
        """How many users subscribe to a rubric."""
        return int(await self._redis.hget(self._keys.subscription_counts(), slug) or 0)

    async def counts(self) -> dict[str, int]:
        """Subscribers per rubric slug (rubrics with none are absent)."""
        raw = await self._redis.hgetall(self._keys.subscription_counts())
        return {str(slug): int(n) for slug, n in raw.items()}

    # --- settings -----------------------------------------------------------------
    async def get(self, user_id: int) -> Subscriber | None:
        """The user's settings, or None for a user we know nothing about."""
        raw = await self._redis.hget(self._user_key(user_id), str(user_id))
        return None if raw is None else Subscriber.decode(user_id, str(raw))

    async def save(self, subscriber: Subscriber, *, digest_due: float | None) -> None:
        """Store settings and bring pushes, quiet hours and the digest schedule in line, atomically.

        `digest_due` is the next digest time (unix seconds), None when digests are off.
        """
        uid = subscriber.user_id
        keys = [
            self._user_key(uid),
            self._keys.quiet_subscribers(),
            self._keys.digests(),
            *self._pair_keys(uid, await self.known_rubrics()),
        ]
        args: list[str | int] = [
            uid,
            subscriber.encode(),
            "1" if subscriber.has_quiet_hours else "0",
            "" if digest_due is None else repr(float(digest_due)),
            "1" if subscriber.pushes else "0",
        ]
        await self._save(keys=keys, args=args)

    async def known(self, user_ids: Sequence[int]) -> list[bool]:
        """Whether each user has settings stored (False after /stop), one round trip."""
        if not user_ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for uid in user_ids:
                pipe.hexists(self._user_key(uid), str(uid))
            return [bool(flag) for flag in await pipe.execute()]

    async def with_quiet_hours(self, user_ids: Iterable[int]) -> dict[int, Subscriber]:
        """Settings of those among `user_ids` who have quiet hours (pushes may wait for them)."""
        quiet = {int(x) for x in await self._redis.smembers(self._keys.quiet_subscribers())}
        wanted = [uid for uid in user_ids if uid in quiet]
        if not wanted:
            return {}
        async with self._redis.pipeline(transaction=False) as pipe:
            for uid in wanted:
                pipe.hget(self._user_key(uid), str(uid))
            raws = await pipe.execute()
        return {
            uid: Subscriber.decode(uid, str(raw))
            for uid, raw in zip(wanted, raws, strict=True)
            if raw is not None
        }

    async def user_count(self) -> int:
        """How many users have settings stored (everyone who ever subscribed or chose settings)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for shard in range(self.user_shards):
                pipe.hlen(self._keys.subscriber_shard(shard))
            sizes = await pipe.execute()
        return sum(int(n) for n in sizes)

    # --- leaving ------------------------------------------------------------------
    async def remember_stop_request(self, user_id: int, message_id: int, asked_at: float) -> None:
        """/stop asked for confirmation in `message_id` at `asked_at` (replaces an older ask)."""
        value = f"{int(message_id)}:{asked_at!r}"
        await self._redis.set(self._keys.stop_request(user_id), value, ex=STOP_REQUEST_TTL)

    async def take_stop_request(self, user_id: int, message_id: int) -> float | None:
        """Use up the pending /stop confirmation if it is `message_id`; when it was asked."""
        raw = await self._take_stop(keys=[self._keys.stop_request(user_id)], args=[message_id])
        return None if raw is None else float(raw)

    # --- digests ------------------------------------------------------------------
    async def due_digests(self, now: float, limit: int = 500) -> list[tuple[int, float]]:
        """Users whose digest is due at `now`: (user id, the due time), oldest first."""
        rows = await self._redis.zrangebyscore(
            self._keys.digests(), "-inf", now, start=0, num=limit, withscores=True
        )
        return [(int(row[0]), float(row[1])) for row in rows]

    async def reschedule_digest(self, user_id: int, due: float) -> None:
        """Move a user's next digest to `due`, unless they turned digests off meanwhile."""
        await self._redis.zadd(self._keys.digests(), {str(user_id): due}, xx=True)

    async def cancel_digest(self, user_id: int) -> None:
        """Drop a user's digest schedule entry (their settings no longer ask for one)."""
        await self._redis.zrem(self._keys.digests(), str(user_id))

    async def next_digest(self, user_id: int) -> float | None:
        """When the user's next digest is due (unix seconds), or None."""
        score = await self._redis.zscore(self._keys.digests(), str(user_id))
        return None if score is None else float(score)
