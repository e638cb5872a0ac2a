"""The Lua scripts behind `ArticleRepo`: every multi-key change of an article in one step.

Both scripts first check that what Python read is still true (optimistic concurrency: a
mismatch returns `conflict` and the caller re-reads and retries), then check the type of
every key they will write (Redis does not roll a script back, so a write that could fail
must be ruled out before the first write), and only then write.
"""

from __future__ import annotations

_CHECK_TYPES = """
local function check_types(expected)
  for i = 1, #expected, 2 do
    local kind = redis.call('TYPE', expected[i]).ok
    if kind ~= 'none' and kind ~= expected[i + 1] then
      return redis.error_reply('vestnik: ' .. expected[i] .. ' holds a ' .. kind ..
        ', expected a ' .. expected[i + 1] .. '; nothing was written')
    end
  end
  return nil
end
"""

# KEYS: 1 article, 2 seq, 3 all, 4 hashes, 5 sources, 6 new rubric zset, 7 old rubric zset,
#       8 rubric registry hash, 9 embargoed zset
# ARGV: 1 expected current JSON ('' = absent), 2 expected seq ('' = leave seq alone),
#       3 new seq, 4 id, 5 JSON, 6 score, 7 content hash, 8 expected hash owner ('' = none),
#       9 source URL ('' = none), 10 expected source owner, 11 old hash, 12 old source,
#       13 '1' to point the hash index at this id, 14 rubric slug to register ('' = none),
#       15 that rubric's JSON (registered only if the slug is not registered yet),
#       16 'embargoed' (kept out of the reader lists, in the embargoed zset) or 'public',
#       17 the embargoed zset score (its own publication time, or '+inf'),
#       18 '1' to point the source index at this id
STORE = (
    _CHECK_TYPES
    + """
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 'conflict' end
if ARGV[2] ~= '' and (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 'conflict' end
if (redis.call('HGET', KEYS[4], ARGV[7]) or '') ~= ARGV[8] then return 'conflict' end
if ARGV[9] ~= '' and (redis.call('HGET', KEYS[5], ARGV[9]) or '') ~= ARGV[10] then
  return 'conflict'
end
local bad = check_types({KEYS[1], 'string', KEYS[2], 'string', KEYS[3], 'zset',
  KEYS[4], 'hash', KEYS[5], 'hash', KEYS[6], 'zset', KEYS[7], 'zset', KEYS[8], 'hash',
  KEYS[9], 'zset'})
if bad then return bad end
local id = ARGV[4]
if ARGV[11] ~= '' and ARGV[11] ~= ARGV[7] and redis.call('HGET', KEYS[4], ARGV[11]) == id then
  redis.call('HDEL', KEYS[4], ARGV[11])
end
if ARGV[12] ~= '' and ARGV[12] ~= ARGV[9] and redis.call('HGET', KEYS[5], ARGV[12]) == id then
  redis.call('HDEL', KEYS[5], ARGV[12])
end
if KEYS[7] ~= KEYS[6] then redis.call('ZREM', KEYS[7], id) end
redis.call('SET', KEYS[1], ARGV[5])
if ARGV[16] == 'embargoed' then
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZREM', KEYS[6], id)
  redis.call('ZADD', KEYS[9], ARGV[17], id)
else
  redis.call('ZADD', KEYS[3], ARGV[6], id)
  redis.call('ZADD', KEYS[6], ARGV[6], id)
end
if ARGV[13] == '1' then redis.call('HSET', KEYS[4], ARGV[7], id) end
if ARGV[9] ~= '' and ARGV[18] == '1' then redis.call('HSET', KEYS[5], ARGV[9], id) end
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[3]) end
if ARGV[14] ~= '' then redis.call('HSETNX', KEYS[8], ARGV[14], ARGV[15]) end
return 'ok'
"""
)

# KEYS: 1 article, 2 all, 3 rubric zset, 4 hashes, 5 sources, 6 the article's search terms
#       set, 7 embargoed zset, 8 unannounced zset, 9.. one search term zset per term
# ARGV: 1 expected JSON, 2 id, 3 content hash, 4 source URL ('' = none), 5 term count,
#       6.. the terms
DELETE = (
    _CHECK_TYPES
    + """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'conflict' end
local n = tonumber(ARGV[5])
if redis.call('SCARD', KEYS[6]) ~= n then return 'conflict' end
for i = 1, n do
  if redis.call('SISMEMBER', KEYS[6], ARGV[5 + i]) == 0 then return 'conflict' end
end
local expected = {KEYS[2], 'zset', KEYS[3], 'zset', KEYS[4], 'hash', KEYS[5], 'hash',
  KEYS[7], 'zset', KEYS[8], 'zset'}
for i = 1, n do
  expected[#expected + 1] = KEYS[8 + i]
  expected[#expected + 1] = 'zset'
end
local bad = check_types(expected)
if bad then return bad end
local id = ARGV[2]
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
if redis.call('HGET', KEYS[4], ARGV[3]) == id then redis.call('HDEL', KEYS[4], ARGV[3]) end
if ARGV[4] ~= '' and redis.call('HGET', KEYS[5], ARGV[4]) == id then
  redis.call('HDEL', KEYS[5], ARGV[4])
end
redis.call('ZREM', KEYS[7], id)
redis.call('ZREM', KEYS[8], id)
for i = 1, n do redis.call('ZREM', KEYS[8 + i], id) end
redis.call('DEL', KEYS[6])
return 'ok'
"""
)

# KEYS: 1 article, 2 all, 3 its rubric zset, 4 embargoed zset, 5 unannounced zset
# ARGV: 1 expected JSON, 2 the public JSON, 3 list score, 4 id, 5 release time
# Moves an embargoed article into the reader lists, once: `not_embargoed` when it is not
# in the embargoed zset any more (released by another process, or never embargoed).
RELEASE = (
    _CHECK_TYPES
    + """
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 'conflict' end
if not redis.call('ZSCORE', KEYS[4], ARGV[4]) then return 'not_embargoed' end
local bad = check_types({KEYS[2], 'zset', KEYS[3], 'zset', KEYS[5], 'zset'})
if bad then return bad end
local id = ARGV[4]
redis.call('ZREM', KEYS[4], id)
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], id)
redis.call('ZADD', KEYS[3], ARGV[3], id)
redis.call('ZADD', KEYS[5], ARGV[5], id)
return 'ok'
"""
)
