"""Retention of queued posts: a purged article's posts, and old records of finished posts.

Every stored post is listed in `keys.posts_index()` (post id -> created time) when it is
added (`QueueRepo.add`), so both purges find their posts without KEYS:
- `forget_article`: the article is being purged; its waiting posts leave their queues at
  once (a slot never meets them) and its posts' records and links go;
- `purge_finished`: records of posts created before a cutoff that no longer wait (sent,
  cancelled, skipped) are deleted; waiting posts are never touched.
"""

from __future__ import annotations

from redis.asyncio import Redis

from storage.keys import Keys
from storage.ledger import key_template

_PAGE = 500

# KEYS: 1 the article's links, 2 timed set, 3 dispatching, 4 posts index, then per linked
# post its channel queue and its record.  ARGV: chat id / post id per linked post.
# A post still in the dispatching set keeps its record: the tick handing it over records it
# as skipped (article missing), and `purge_finished` removes it later. Returns how many
# waiting posts left a queue or the timed set.
_FORGET = r"""
local left = 0
for i = 1, #ARGV, 2 do
  local chat, id = ARGV[i], ARGV[i + 1]
  local queue, post = KEYS[4 + i], KEYS[5 + i]
  if redis.call('HGET', KEYS[1], chat) == id then
    left = left + redis.call('ZREM', queue, id) + redis.call('ZREM', KEYS[2], id)
    if not redis.call('ZSCORE', KEYS[3], id) then
      redis.call('DEL', post)
      redis.call('ZREM', KEYS[4], id)
    end
  end
end
redis.call('DEL', KEYS[1])
return left
"""

# KEYS: 1 posts index.  ARGV: 1/2 post key head/tail, 3/4 links key head/tail, then ids.
# Deletes the records of posts that no longer wait (and their links when they still point
# at them); an id whose record is gone only leaves the index. Returns how many ids left it.
_PURGE = r"""
local gone = 0
for i = 5, #ARGV do
  local id = ARGV[i]
  local body = redis.call('GET', ARGV[1] .. id .. ARGV[2])
  local state = body and string.match(body, '"state":"(%a+)"')
  if not body or (state ~= 'queued' and state ~= 'scheduled' and state ~= 'dispatching') then
    if body then
      local art = string.match(body, '"article_id":"([^"]+)"')
      local chat = string.match(body, '"chat_id":(%-?%d+)')
      if art and chat then
        local links = ARGV[3] .. art .. ARGV[4]
        if redis.call('HGET', links, chat) == id then redis.call('HDEL', links, chat) end
      end
      redis.call('DEL', ARGV[1] .. id .. ARGV[2])
    end
    redis.call('ZREM', KEYS[1], id)
    gone = gone + 1
  end
end
return gone
"""


class PostRetention:
    """Removes posts nobody will need: those of purged articles, and old finished ones."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._r = redis
        self._k = keys
        self._forget = redis.register_script(_FORGET)
        self._purge = redis.register_script(_PURGE)

    async def forget_article(self, article_id: str) -> int:
        """Take the article's waiting posts out of their queues and delete its posts'
        records and links (the article is being purged); how many were waiting."""
        links_key = self._k.article_posts(article_id)
        links = await self._r.hgetall(links_key)
        keys = [links_key, self._k.scheduled(), self._k.dispatching(), self._k.posts_index()]
        args: list[str] = []
        for chat, post_id in links.items():
            keys += [self._k.channel_queue(int(chat)), self._k.post(str(post_id))]
            args += [str(chat), str(post_id)]
        return int(await self._forget(keys=keys, args=args))

    async def purge_finished(self, cutoff: float) -> int:
        """Delete the records of posts created before `cutoff` that no longer wait; how
        many. Old posts still waiting (a paused channel) stay, and are stepped over."""
        index = self._k.posts_index()
        head = [*key_template(self._k.post("@")), *key_template(self._k.article_posts("@"))]
        removed = offset = 0
        while True:
            ids = await self._r.zrangebyscore(
                index, "-inf", f"({cutoff!r}", start=offset, num=_PAGE
            )
            if not ids:
                return removed
            gone = int(await self._purge(keys=[index], args=[*head, *(str(i) for i in ids)]))
            removed += gone
            offset += len(ids) - gone
