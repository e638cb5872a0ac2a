"""Channels the bot publishes into: settings, status, admins; group-to-supergroup migration."""

from __future__ import annotations

from collections.abc import Callable

from redis.asyncio import Redis

from storage.keys import Keys
from storage.models.channel import Channel, ChannelRights, ChannelStatus
from storage.watched import update_json_model

Mutation = Callable[[Channel], Channel | None]

# Move a chat's channel-level keys from the old id to the new one (merging, never losing).
_MIGRATE = """
redis.call('SET', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[7], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[2])
redis.call('SUNIONSTORE', KEYS[4], KEYS[4], KEYS[3])
redis.call('DEL', KEYS[3])
redis.call('ZUNIONSTORE', KEYS[6], 2, KEYS[6], KEYS[5], 'AGGREGATE', 'MIN')
redis.call('DEL', KEYS[5])
for i = 8, 9 do
  local v = redis.call('HGET', KEYS[i], ARGV[1])
  if v then
    redis.call('HSET', KEYS[i], ARGV[2], v)
    redis.call('HDEL', KEYS[i], ARGV[1])
  end
end
redis.call('HSET', KEYS[10], ARGV[1], ARGV[2])
return 1
"""


class ChannelRepo:
    """Channel records (`keys.channel`), the channel index and each channel's admins."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._r = redis
        self._k = keys
        self._migrate = redis.register_script(_MIGRATE)

    async def get(self, chat_id: int) -> Channel | None:
        """One channel, or None when the bot never registered it."""
        raw = await self._r.get(self._k.channel(chat_id))
        return Channel.model_validate_json(raw) if raw else None

    async def save(self, channel: Channel) -> None:
        """Store a channel and add it to the index, in one transaction."""
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.set(self._k.channel(channel.id), channel.model_dump_json())
            pipe.sadd(self._k.channels(), str(channel.id))
            await pipe.execute()

    async def all(self) -> list[Channel]:
        """Every known channel, sorted by id."""
        ids = sorted(int(i) for i in await self._r.smembers(self._k.channels()))
        if not ids:
            return []
        raws = await self._r.mget([self._k.channel(i) for i in ids])
        return [Channel.model_validate_json(r) for r in raws if r]

    async def active(self) -> list[Channel]:
        """Channels the bot may post into now (paused ones included)."""
        return [c for c in await self.all() if c.active]

    async def update(self, chat_id: int, mutate: Mutation) -> Channel | None:
        """Apply `mutate` to the stored channel atomically (optimistic WATCH, retried).

        `mutate` returns the new channel, or None to leave it unchanged. Returns the stored
        result, or None when there is no such channel.
        """
        return await update_json_model(
            self._r, self._k.channel(chat_id), Channel, mutate, Channel.model_dump_json
        )

    async def set_status(
        self,
        chat_id: int,
        status: ChannelStatus,
        *,
        reason: str | None = None,
        rights: ChannelRights | None = None,
    ) -> ChannelStatus | None:
        """Set the status (and rights); returns the status it had before (None: unknown)."""
        before: list[ChannelStatus] = []

        def apply(channel: Channel) -> Channel:
            before.append(channel.status)
            channel.status = status
            channel.inactive_reason = None if status == "active" else reason
            if rights is not None:
                channel.rights = rights
            return channel

        stored = await self.update(chat_id, apply)
        return before[-1] if stored is not None and before else None

    async def admins(self, chat_id: int) -> set[int]:
        """User ids Vestnik treats as the channel's admins (told about its status)."""
        return {int(u) for u in await self._r.smembers(self._k.channel_admins(chat_id))}

    async def add_admin(self, chat_id: int, user_id: int) -> bool:
        """Add an admin; True when they were not one yet."""
        return bool(await self._r.sadd(self._k.channel_admins(chat_id), str(user_id)))

    async def remove_admin(self, chat_id: int, user_id: int) -> bool:
        """Remove an admin; True when they were one."""
        return bool(await self._r.srem(self._k.channel_admins(chat_id), str(user_id)))

    async def migrate(self, old: int, new: int) -> Channel | None:
        """Re-key a chat that Telegram moved to a new id (group upgraded to supergroup).

        Moves the record, index entry, admins, queue, slot mark and last-post time in one
        script and remembers `old -> new`. Returns the moved channel (None: `old` unknown).
        """
        channel = await self.get(old)
        if channel is None:
            return None
        moved = channel.model_copy(update={"id": new, "type": "supergroup"})
        k = self._k
        keys = [
            k.channel(old),
            k.channel(new),
            k.channel_admins(old),
            k.channel_admins(new),
            k.channel_queue(old),
            k.channel_queue(new),
            k.channels(),
            k.slot_marks(),
            k.last_posts(),
            k.chat_migrations(),
        ]
        await self._migrate(keys=keys, args=[old, new, moved.model_dump_json()])
        return moved

    async def migrated_to(self, chat_id: int) -> int | None:
        """The new id of a chat that was migrated, if any."""
        value = await self._r.hget(self._k.chat_migrations(), str(chat_id))
        return int(value) if value is not None else None
