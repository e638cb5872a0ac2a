"""An inverted index of articles by normalised word (lemma), newest first.

`keys.search_term(term)` is a ZSET article id -> published_at; `keys.article_terms(id)` is
the SET of terms an article was indexed under, so re-indexing and removal are exact. The
caller (the bot's search service) turns words into terms; this module only stores them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from redis.asyncio import Redis
from redis.exceptions import WatchError

from storage.keys import Keys

_MAX_RETRIES = 5

# KEYS: every term key, group after group. ARGV: number of groups, each group's size,
# offset, limit. A group matches an article when any of its terms does (the forms of one
# query word); an article is a hit when every group matches. Returns [total, ids...].
_SEARCH = """
local groups = tonumber(ARGV[1])
local pos = 1
local result = nil
for g = 1, groups do
  local size = tonumber(ARGV[1 + g])
  local union = {}
  for k = pos, pos + size - 1 do
    local rows = redis.call('ZRANGE', KEYS[k], 0, -1, 'WITHSCORES')
    for i = 1, #rows, 2 do union[rows[i]] = tonumber(rows[i + 1]) end
  end
  pos = pos + size
  if result == nil then
    result = union
  else
    local kept = {}
    for id, score in pairs(result) do
      if union[id] then kept[id] = score end
    end
    result = kept
  end
end
local list = {}
for id, score in pairs(result or {}) do list[#list + 1] = {id, score} end
table.sort(list, function(a, b)
  if a[2] == b[2] then return a[1] > b[1] end
  return a[2] > b[2]
end)
local offset = tonumber(ARGV[groups + 2])
local limit = tonumber(ARGV[groups + 3])
local out = {#list}
for i = offset + 1, math.min(#list, offset + limit) do out[#out + 1] = list[i][1] end
return out
"""


class SearchIndex:
    """Stores which articles contain which terms, and intersects them for a query."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._search = redis.register_script(_SEARCH)

    async def index(self, article_id: str, terms: Iterable[str], score: float) -> None:
        """(Re)index an article under `terms` with `score` (published_at), atomically.

        Terms it was indexed under before and no longer has are removed in the same
        transaction (WATCH on the article's term set guards against a concurrent re-index).
        """
        new_terms = set(terms)
        terms_key = self._keys.article_terms(article_id)
        for _ in range(_MAX_RETRIES):
            try:
                await self._replace(article_id, terms_key, new_terms, score)
                return
            except WatchError:
                continue
        raise RuntimeError(f"article {article_id} re-indexed concurrently too often")

    async def _replace(
        self, article_id: str, terms_key: str, new_terms: set[str], score: float
    ) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.watch(terms_key)
            old_terms = {str(t) for t in await pipe.smembers(terms_key)}
            pipe.multi()  # type: ignore[no-untyped-call]
            for term in old_terms - new_terms:
                pipe.zrem(self._keys.search_term(term), article_id)
            for term in new_terms:
                pipe.zadd(self._keys.search_term(term), {article_id: score})
            pipe.delete(terms_key)
            if new_terms:
                pipe.sadd(terms_key, *new_terms)
            await pipe.execute()

    async def remove(self, article_id: str) -> None:
        """Take an article out of the index (after it was deleted or purged)."""
        await self.index(article_id, (), 0.0)

    async def terms_of(self, article_id: str) -> set[str]:
        """The terms an article is indexed under."""
        return {str(t) for t in await self._redis.smembers(self._keys.article_terms(article_id))}

    async def search(
        self, groups: Sequence[Sequence[str]], *, offset: int = 0, limit: int = 10
    ) -> tuple[int, list[str]]:
        """Articles matching every group (any term of a group), newest first.

        Returns the total number of hits and the ids of the requested page.
        """
        groups = [sorted(set(g)) for g in groups if g]
        if not groups:
            return 0, []
        keys = [self._keys.search_term(term) for group in groups for term in group]
        args = [len(groups), *(len(g) for g in groups), max(0, offset), max(0, limit)]
        raw = await self._search(keys=keys, args=args)
        return int(raw[0]), [str(x) for x in raw[1:]]
