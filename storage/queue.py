"""Queued posts: per-channel queues, timed posts and the atomic slot claim.

A post lives in exactly one place while pending: the channel queue (`keys.channel_queue`,
ordered), the timed set (`keys.scheduled`, by due time) or the dispatching set
(`keys.dispatching`: taken by a tick, its delivery job being enqueued). Every move between
them is one Lua script, so two processes never take the same post.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from redis.asyncio import Redis
from redis.exceptions import WatchError

from storage.keys import Keys
from storage.ledger import key_template
from storage.models.queue import QueuedPost
from storage.watched import update_json_model

Target = Literal["none", "queue", "scheduled", "dispatching"]
Mutation = Callable[[QueuedPost], QueuedPost]
DEAD_HEADS_PER_CLAIM = 5000

# Compare the channel's mark, pop queue heads into the dispatching set until N live posts
# are taken (N < 0: the whole queue), advance the mark. A dead head (its record or its
# article is gone) does not use up the slot: it is taken out too, returned with the live
# ones (the dispatcher records it as skipped) or, with no record, simply dropped; at most
# ARGV[9] dead heads per claim.
# KEYS: 1 marks, 2 queue, 3 dispatching, 4 last posts.  ARGV: 1 chat, 2 expected mark,
# 3 new mark, 4 N, 5 now, 6 slot mode ('1') or interval mode ('0'), 7/8 post key head/tail,
# 9 dead heads limit, 10/11 article key head/tail.
_CLAIM = r"""
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then cur = '' end
if cur ~= ARGV[2] then return {0} end
local n = tonumber(ARGV[4])
if n < 0 then n = redis.call('ZCARD', KEYS[2]) end
local out, live, dead = {1}, 0, 0
local function alive(id)
  local body = redis.call('GET', ARGV[7] .. id .. ARGV[8])
  if not body then return nil end
  local art = string.match(body, '"article_id":"([^"]+)"')
  return art ~= nil and redis.call('EXISTS', ARGV[10] .. art .. ARGV[11]) == 1
end
while live < n and dead < tonumber(ARGV[9]) do
  local popped = redis.call('ZPOPMIN', KEYS[2], n - live)
  if #popped == 0 then break end
  for i = 1, #popped, 2 do
    local id = popped[i]
    local state = alive(id)
    if state == nil then
      dead = dead + 1
    else
      if state then live = live + 1 else dead = dead + 1 end
      out[#out + 1] = id
      redis.call('ZADD', KEYS[3], ARGV[5], id)
    end
  end
end
if live == 0 and ARGV[6] == '0' then return out end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
if live > 0 then redis.call('HSET', KEYS[4], ARGV[1], ARGV[5]) end
return out
"""

# Take a pending post out of its queue or timed set and put it somewhere else, atomically.
_MOVE = """
local removed = redis.call('ZREM', KEYS[1], ARGV[1]) + redis.call('ZREM', KEYS[2], ARGV[1])
if removed == 0 then return 0 end
redis.call('SET', KEYS[4], ARGV[2])
if ARGV[3] == 'queue' then redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
elseif ARGV[3] == 'scheduled' then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
elseif ARGV[3] == 'dispatching' then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1]) end
if ARGV[5] ~= '' and redis.call('HGET', KEYS[5], ARGV[5]) == ARGV[1] then
  redis.call('HDEL', KEYS[5], ARGV[5])
end
return 1
"""


@dataclass(frozen=True)
class Claim:
    """The outcome of a slot claim: `won` is False when another process moved the mark first."""

    won: bool
    post_ids: list[str]


class QueueRepo:
    """Stores queued posts and moves them between queue, timed set and dispatching."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._r = redis
        self._k = keys
        self._claim = redis.register_script(_CLAIM)
        self._move = redis.register_script(_MOVE)
        self._post_t = key_template(keys.post("@"))
        self._article_t = key_template(keys.article("@"))

    async def next_id(self) -> str:
        """A new post id (a counter: short and readable in commands)."""
        return str(await self._r.incr(self._k.post_seq()))

    async def get(self, post_id: str) -> QueuedPost | None:
        """One post, or None."""
        raw = await self._r.get(self._k.post(post_id))
        return QueuedPost.model_validate_json(raw) if raw else None

    async def get_many(self, post_ids: Sequence[str]) -> list[QueuedPost]:
        """The posts that exist, in the given order."""
        if not post_ids:
            return []
        raws = await self._r.mget([self._k.post(p) for p in post_ids])
        return [QueuedPost.model_validate_json(r) for r in raws if r]

    async def save(self, post: QueuedPost) -> None:
        """Overwrite a post's record (its place in queues is not touched)."""
        await self._r.set(self._k.post(post.id), _dump(post))

    async def add(self, post: QueuedPost, score: float, *, expect: str | None) -> bool:
        """Store a new post in its place (by `post.state`) as the article's post in its chat.

        `expect` is the post id the caller saw in `keys.article_posts` for this pair (None =
        none); if it changed meanwhile nothing is written and False is returned.
        """
        links = self._k.article_posts(post.article_id)
        async with self._r.pipeline(transaction=True) as pipe:
            try:
                await pipe.watch(links)
                if await pipe.hget(links, str(post.chat_id)) != expect:
                    return False
                pipe.multi()  # type: ignore[no-untyped-call]
                pipe.set(self._k.post(post.id), _dump(post))
                pipe.zadd(self._place(post), {post.id: score})
                pipe.zadd(self._k.posts_index(), {post.id: post.created_at})
                pipe.hset(links, str(post.chat_id), post.id)
                if post.state == "dispatching":
                    pipe.hset(self._k.last_posts(), str(post.chat_id), str(score))
                await pipe.execute()
            except WatchError:
                return False
        return True

    def _place(self, post: QueuedPost) -> str:
        if post.state == "queued":
            return self._k.channel_queue(post.chat_id)
        if post.state == "scheduled":
            return self._k.scheduled()
        return self._k.dispatching()

    async def move(self, post: QueuedPost, target: Target, score: float = 0.0) -> bool:
        """Take a pending `post` from its queue/timed set to `target`, saving its new record.

        Leaving for `none` (cancelled, skipped) also unlinks it from its article. Returns
        False, changing nothing, when the post was no longer queued or timed (someone else
        took it).
        """
        unlink = str(post.chat_id) if target == "none" else ""
        keys = [
            self._k.channel_queue(post.chat_id),
            self._k.scheduled(),
            self._k.dispatching(),
            self._k.post(post.id),
            self._k.article_posts(post.article_id),
        ]
        args = [post.id, _dump(post), target, repr(score), unlink]
        return bool(await self._move(keys=keys, args=args))

    async def claim(
        self,
        chat_id: int,
        *,
        interval_mode: bool,
        expected: str | None,
        mark: float,
        count: int,
        now: float,
    ) -> Claim:
        """Atomically serve a channel: if its mark is still `expected`, take `count` live
        posts from the head of its queue.

        Slot mode compares and advances `keys.slot_marks` (even when the queue is empty: the
        slot has passed); interval mode compares `keys.last_posts` and only advances when a
        post was taken. `count < 0` takes the whole queue. Taken posts go to dispatching;
        dead heads on the way (their article is gone) go with them without counting, so a
        slot is never spent on a post that cannot go out.
        """
        marks = self._k.last_posts() if interval_mode else self._k.slot_marks()
        keys = [marks, self._k.channel_queue(chat_id), self._k.dispatching(), self._k.last_posts()]
        args: list[str | int] = [
            chat_id, expected or "", repr(mark), count, repr(now), "0" if interval_mode else "1",
            *self._post_t, DEAD_HEADS_PER_CLAIM, *self._article_t,
        ]  # fmt: skip
        out = await self._claim(keys=keys, args=args)
        return Claim(won=bool(int(out[0])), post_ids=[str(x) for x in out[1:]])

    async def mark(self, chat_id: int) -> str | None:
        """The raw slot mark of a channel (the last slot time served), as stored."""
        value = await self._r.hget(self._k.slot_marks(), str(chat_id))
        return str(value) if value is not None else None

    async def raise_mark(self, chat_id: int, at: float) -> None:
        """Move the slot mark forward to `at` (slots before it count as served)."""
        current = await self.mark(chat_id)
        if current is None or float(current) < at:
            await self._r.hset(self._k.slot_marks(), str(chat_id), repr(at))

    async def last_post(self, chat_id: int) -> str | None:
        """The raw time a post was last dispatched into the channel, as stored."""
        value = await self._r.hget(self._k.last_posts(), str(chat_id))
        return str(value) if value is not None else None

    async def mark_dispatched(self, post: QueuedPost) -> QueuedPost:
        """Record that the post's job is in the outbox and drop it from dispatching.

        A retraction that flagged the post meanwhile (`retracted_at`) is kept; the stored
        post is returned so the caller sees it.
        """
        key = self._k.post(post.id)
        async with self._r.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(key)
                    raw = await pipe.get(key)
                    stored = QueuedPost.model_validate_json(raw) if raw else None
                    if stored is not None and stored.retracted_at is not None:
                        post = post.model_copy(update={"retracted_at": stored.retracted_at})
                    pipe.multi()  # type: ignore[no-untyped-call]
                    pipe.set(key, _dump(post))
                    pipe.zrem(self._k.dispatching(), post.id)
                    await pipe.execute()
                    return post
                except WatchError:
                    continue

    async def update(self, post_id: str, mutate: Mutation) -> QueuedPost | None:
        """Apply `mutate` to the stored post atomically (optimistic WATCH, retried); the
        stored result, or None when there is no such post. Its place in queues is kept."""
        return await update_json_model(self._r, self._k.post(post_id), QueuedPost, mutate, _dump)

    async def dispatching_before(self, cutoff: float) -> list[str]:
        """Posts claimed before `cutoff` whose dispatch never finished (a crashed process)."""
        ids = await self._r.zrangebyscore(self._k.dispatching(), "-inf", cutoff)
        return [str(i) for i in ids]

    async def queue_ids(self, chat_id: int) -> list[str]:
        """The channel's queued post ids, head first."""
        return [str(i) for i in await self._r.zrange(self._k.channel_queue(chat_id), 0, -1)]

    async def queue_length(self, chat_id: int) -> int:
        """How many posts wait in the channel's queue."""
        return int(await self._r.zcard(self._k.channel_queue(chat_id)))

    async def queue_bounds(self, chat_id: int) -> tuple[float, float] | None:
        """The lowest and highest order scores in the channel's queue (None when empty)."""
        key = self._k.channel_queue(chat_id)
        head = await self._r.zrange(key, 0, 0, withscores=True)
        tail = await self._r.zrange(key, -1, -1, withscores=True)
        if not head:
            return None
        return float(head[0][1]), float(tail[0][1])

    async def scheduled_due(self, now: float) -> list[str]:
        """Timed posts whose time has come, earliest first."""
        return [str(i) for i in await self._r.zrangebyscore(self._k.scheduled(), "-inf", now)]

    async def next_scheduled(self) -> float | None:
        """The due time of the earliest timed post, if any."""
        rows = await self._r.zrange(self._k.scheduled(), 0, 0, withscores=True)
        return float(rows[0][1]) if rows else None

    async def scheduled_all(self) -> list[tuple[str, float]]:
        """Every timed post with its due time, earliest first."""
        rows = await self._r.zrange(self._k.scheduled(), 0, -1, withscores=True)
        return [(str(row[0]), float(row[1])) for row in rows]

    async def reorder(self, chat_id: int, post_id: str, delta: int) -> int | None:
        """Move a queued post `delta` places (negative = towards the head); its new index.

        None when the post is not in the channel's queue. Scores are renumbered in one
        transaction that fails over to a retry if a tick popped the queue meanwhile.
        """
        key = self._k.channel_queue(chat_id)
        async with self._r.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(key)
                    ids = [str(i) for i in await pipe.zrange(key, 0, -1)]
                    if post_id not in ids:
                        return None
                    new_index = _shifted(ids, post_id, delta)
                    pipe.multi()  # type: ignore[no-untyped-call]
                    pipe.zadd(key, {pid: float(i) for i, pid in enumerate(ids)})
                    await pipe.execute()
                    return new_index
                except WatchError:
                    continue

    async def links(self, article_id: str) -> dict[int, str]:
        """chat id -> the article's latest post id in that chat."""
        raw = await self._r.hgetall(self._k.article_posts(article_id))
        return {int(chat): str(pid) for chat, pid in raw.items()}

    async def migrate(self, old: int, new: int) -> int:
        """Re-address every pending post of chat `old` to `new` (group became supergroup)."""
        ids = await self.queue_ids(new)
        ids += [pid for pid, _ in await self.scheduled_all()]
        moved = 0
        for post in await self.get_many(ids):
            if post.chat_id == old:
                await self._relink(post, new)
                moved += 1
        return moved

    async def _relink(self, post: QueuedPost, new: int) -> None:
        links = self._k.article_posts(post.article_id)
        updated = post.model_copy(update={"chat_id": new})
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.set(self._k.post(post.id), _dump(updated))
            pipe.hdel(links, str(post.chat_id))
            pipe.hset(links, str(new), post.id)
            await pipe.execute()


def _shifted(ids: list[str], post_id: str, delta: int) -> int:
    """Move `post_id` inside `ids` (in place) by `delta`, clamped; return its new index."""
    index = ids.index(post_id)
    target = max(0, min(len(ids) - 1, index + delta))
    ids.insert(target, ids.pop(index))
    return target


def _dump(post: QueuedPost) -> str:
    return post.model_dump_json(exclude={"eta"})
