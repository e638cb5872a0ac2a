"""Lua scripts of the durable outbox (see `storage/outbox.py` for the data layout).

Kept as string constants so the package needs no data files. Job bodies are
`DeliveryJob` JSON; scripts read the few fields they need with anchored-free patterns on
keys that only occur once at the top level (`"kind":"`, `"chat_id":`, `"article_id":"`,
`"lane":"`, `"payload_ref":"`): inside JSON strings a quote is always escaped, so a
pattern starting with `"name":` can only match a real key.
"""

from __future__ import annotations

from storage.ledger import LEDGER_LUA

JOB_FIELDS_LUA = r"""
local function job_kind(body) return string.match(body, '"kind":"([%a_]+)"') end
local function job_chat(body) return string.match(body, '"chat_id":(%-?%d+)') end
local function job_article(body) return string.match(body, '"article_id":"([^"]+)"') end
local function job_ref(body) return string.match(body, '"payload_ref":"([^"]+)"') end
local function job_lane(body)
  if string.match(body, '"lane":"push"') then return 'push' end
  return 'channel'
end
local ledger_kinds = {channel_post = true, push = true, digest = true}
local function job_pair(body)
  if not ledger_kinds[job_kind(body)] then return nil end
  local art = job_article(body)
  if not art then return nil end
  return art, job_chat(body)
end
local function release_pair(pairs_key, art, chat, id)
  if not art then return end
  local field = art .. '|' .. chat
  if redis.call('HGET', pairs_key, field) == id then redis.call('HDEL', pairs_key, field) end
end
"""

# KEYS: 1 ready channel, 2 ready push.
# ARGV: 1/2 job key head/tail, 3 wake channel, then 4 fields per job: id, lane, score, JSON.
# Returns how many jobs were added (a known id is left as it is).
# Wakes idle engines once, and only when some job is its lane's new earliest: behind an
# earlier job the engines already wake in time for it (and claim this one then), so a burst
# of enqueues publishes once instead of once per job.
ENQUEUE = r"""
local heads, wake, added = {}, false, 0
for i = 4, #ARGV, 4 do
  local id, score = ARGV[i], tonumber(ARGV[i + 2])
  if redis.call('SET', ARGV[1] .. id .. ARGV[2], ARGV[i + 3], 'NX') then
    local lane = KEYS[1]
    if ARGV[i + 1] == 'push' then lane = KEYS[2] end
    if heads[lane] == nil then
      local head = redis.call('ZRANGE', lane, 0, 0, 'WITHSCORES')
      heads[lane] = head[2] and tonumber(head[2]) or false
    end
    if not heads[lane] or score < heads[lane] then wake = true; heads[lane] = score end
    redis.call('ZADD', lane, ARGV[i + 2], id)
    added = added + 1
  end
end
if wake then redis.call('PUBLISH', ARGV[3], '1') end
return added
"""

# KEYS: 1 payload key, 2 ready zset.  ARGV: 1 payload JSON, 2 payload TTL ms, 3 job head,
# 4 job tail, 5 id prefix, 6 JSON tail of every job, 7 wake channel, then chat id / not_before
# pairs.  Each job is `{"id":"<prefix><chat>","chat_id":<chat>,"not_before":<t><tail>`.
ENQUEUE_FANOUT = r"""
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local added = 0
for i = 8, #ARGV, 2 do
  local chat, nb = ARGV[i], ARGV[i + 1]
  local id = ARGV[5] .. chat
  local body = '{"id":"' .. id .. '","chat_id":' .. chat .. ',"not_before":' .. nb .. ARGV[6]
  if redis.call('SET', ARGV[3] .. id .. ARGV[4], body, 'NX') then
    redis.call('ZADD', KEYS[2], nb, id)
    added = added + 1
  end
end
if added > 0 then redis.call('PUBLISH', ARGV[7], '1') end
return added
"""

# KEYS: 1 ready channel, 2 ready push, 3 inflight, 4 owners, 5 pairs, 6 stats of the day.
# ARGV: 1 now, 2 limit, 3 lease expiry, 4 worker, 5/6 job key head/tail, 7/8 ledger head/tail,
# 9/10 ledger log head/tail, 11 log cap, 12 done TTL ms, 13/14 payload head/tail,
# 15 delay for a job whose pair another job is sending.
# Returns {next_due or '', n, job bodies..., then ref, payload pairs}.
CLAIM = (
    LEDGER_LUA
    + JOB_FIELDS_LUA
    + r"""
local now, limit = ARGV[1], tonumber(ARGV[2])
local jobs, refs, seen = {}, {}, {}
local dups = 0

local function drop_duplicate(id, art, chat, jk)
  redis.call('PEXPIRE', jk, ARGV[12])
  local ev = '{"article_id":"' .. art .. '","chat_id":' .. chat ..
    ',"status":"duplicate","at":' .. now ..
    ',"message_id":null,"reason":"already_published","detail":{"job_id":"' .. id .. '"}}'
  ledger_write(ARGV[7] .. art .. ARGV[8], ARGV[9] .. art .. ARGV[10], chat, 'duplicate', ev,
    tonumber(ARGV[11]))
  dups = dups + 1
end

local function take(lane_key, id)
  local jk = ARGV[5] .. id .. ARGV[6]
  local body = redis.call('GET', jk)
  if not body then return end
  local art, chat = job_pair(body)
  if art then
    if ledger_sent(redis.call('HGET', ARGV[7] .. art .. ARGV[8], chat)) then
      drop_duplicate(id, art, chat, jk)
      return
    end
    local field = art .. '|' .. chat
    local holder = redis.call('HGET', KEYS[5], field)
    if holder and holder ~= id and redis.call('ZSCORE', KEYS[3], holder) then
      redis.call('ZADD', lane_key, tonumber(now) + tonumber(ARGV[15]), id)
      return
    end
    redis.call('HSET', KEYS[5], field, id)
  end
  redis.call('ZADD', KEYS[3], ARGV[3], id)
  redis.call('HSET', KEYS[4], id, ARGV[4])
  jobs[#jobs + 1] = body
  local ref = job_ref(body)
  if ref and not seen[ref] then seen[ref] = true; refs[#refs + 1] = ref end
end

for lane = 1, 2 do
  local need = limit - #jobs
  if need <= 0 then break end
  local ids = redis.call('ZRANGEBYSCORE', KEYS[lane], '-inf', now, 'LIMIT', 0, need)
  for _, id in ipairs(ids) do
    redis.call('ZREM', KEYS[lane], id)
    take(KEYS[lane], id)
  end
end
if dups > 0 then redis.call('HINCRBY', KEYS[6], 'duplicates', dups) end

local next_due = nil
for lane = 1, 2 do
  local head = redis.call('ZRANGE', KEYS[lane], 0, 0, 'WITHSCORES')
  if head[2] then
    local score = tonumber(head[2])
    if not next_due or score < next_due then next_due = score end
  end
end
local out = {next_due and tostring(next_due) or '', #jobs}
for _, body in ipairs(jobs) do out[#out + 1] = body end
for _, ref in ipairs(refs) do
  out[#out + 1] = ref
  out[#out + 1] = redis.call('GET', ARGV[13] .. ref .. ARGV[14]) or ''
end
return out
"""
)

# KEYS: 1 ready channel, 2 ready push, 3 inflight, 4 owners, 5 pairs.
# ARGV: 1 now, 2 job head, 3 job tail, 4 max jobs, 5 wake channel.
# Jobs whose lease expired go back to ready (due now).
RECLAIM = (
    JOB_FIELDS_LUA
    + r"""
local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[4]))
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
  local body = redis.call('GET', ARGV[2] .. id .. ARGV[3])
  if body then
    local art, chat = job_pair(body)
    release_pair(KEYS[5], art, chat, id)
    local lane_key = KEYS[1]
    if job_lane(body) == 'push' then lane_key = KEYS[2] end
    redis.call('ZADD', lane_key, ARGV[1], id)
  end
end
if #ids > 0 then redis.call('PUBLISH', ARGV[5], '1') end
return #ids
"""
)

# KEYS: 1 inflight, 2 owners.  ARGV: 1 worker, 2 new expiry, then job ids.
# Extends the leases this worker still holds; returns the ids another worker holds now
# (jobs already settled, with no owner, are simply skipped).
RENEW = r"""
local lost = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local owner = redis.call('HGET', KEYS[2], id)
  if owner == ARGV[1] then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
  elseif owner then
    lost[#lost + 1] = id
  end
end
return lost
"""

# KEYS: 1 ready channel, 2 ready push, 3 inflight, 4 owners, 5 pairs, 6 stats of the day.
# ARGV: 1 now, 2 worker (unused: each op names its owner), 3/4 job head/tail,
# 5/6 ledger head/tail, 7/8 log head/tail, 9 log cap, 10 done TTL ms, 11 wake channel, then
# 13 fields per op: op (c complete, f fail, r retry, d defer), id, lane, article, chat,
# ledger status, ledger JSON, stats field, job JSON, at, keep ('1' keep a tombstone), owner,
# the chat id the job had when claimed (its pair lock; differs after a group migration).
SETTLE = (
    LEDGER_LUA
    + JOB_FIELDS_LUA
    + r"""
local now, cap = ARGV[1], tonumber(ARGV[9])
local stats = {}
local requeued = 0
-- A job to a channel or group (negative chat id) also counts under `chat:<id>:<field>`, so
-- `/stats` can show one channel's numbers; pushes to people only count bot-wide.
local function bump(field, n, chat)
  if field == '' then return end
  stats[field] = (stats[field] or 0) + n
  if chat and string.sub(chat, 1, 1) == '-' then
    local own = 'chat:' .. chat .. ':' .. field
    stats[own] = (stats[own] or 0) + n
  end
end

local function lane_key(lane)
  if lane == 'push' then return KEYS[2] end
  return KEYS[1]
end

local function let_go(id, art, chat)
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
  release_pair(KEYS[5], art, chat, id)
end
local claimed_chat

local function record(id, art, chat, status, json, field, mid)
  if art == '' then bump(field, 1, chat); return end
  local lkey, logkey = ARGV[5] .. art .. ARGV[6], ARGV[7] .. art .. ARGV[8]
  if status == 'published' and ledger_sent(redis.call('HGET', lkey, chat)) then
    local ev = '{"article_id":"' .. art .. '","chat_id":' .. chat ..
      ',"status":"duplicate","at":' .. now .. ',"message_id":' .. mid ..
      ',"reason":"sent_twice","detail":{"job_id":"' .. id .. '"}}'
    ledger_write(lkey, logkey, chat, 'duplicate', ev, cap)
    bump('duplicates_sent', 1, chat)
    return
  end
  if json ~= '' then ledger_write(lkey, logkey, chat, status, json, cap) end
  bump(field, 1, chat)
end

local function finish(op, id, lane, art, chat, status, json, field, keep, owner, mid)
  local holder = redis.call('HGET', KEYS[4], id)
  local pair_art = art ~= '' and art or nil
  if holder == owner or not holder then
    let_go(id, pair_art, claimed_chat)
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    local jk = ARGV[3] .. id .. ARGV[4]
    if keep == '1' then redis.call('PEXPIRE', jk, ARGV[10]) else redis.call('DEL', jk) end
  end
  record(id, art, chat, status, json, field, mid)
end

local function requeue(id, lane, art, chat, json, field, job, at, owner)
  local holder = redis.call('HGET', KEYS[4], id)
  if holder and holder ~= owner then return end
  let_go(id, art ~= '' and art or nil, claimed_chat)
  if job ~= '' then redis.call('SET', ARGV[3] .. id .. ARGV[4], job) end
  redis.call('ZADD', lane_key(lane), at, id)
  requeued = requeued + 1
  if art ~= '' and json ~= '' then
    ledger_write(ARGV[5] .. art .. ARGV[6], ARGV[7] .. art .. ARGV[8], chat, 'queued', json, cap)
  end
  bump(field, 1, chat)
end

local n = 0
for i = 12, #ARGV, 13 do
  local op, id, lane, art, chat = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local status, json, field = ARGV[i + 5], ARGV[i + 6], ARGV[i + 7]
  local job, at, keep, owner = ARGV[i + 8], ARGV[i + 9], ARGV[i + 10], ARGV[i + 11]
  claimed_chat = ARGV[i + 12]
  if op == 'c' or op == 'f' then
    finish(op, id, lane, art, chat, status, json, field, keep, owner, at)
  else
    requeue(id, lane, art, chat, json, field, job, at, owner)
  end
  n = n + 1
end
for field, count in pairs(stats) do redis.call('HINCRBY', KEYS[6], field, count) end
if next(stats) then redis.call('EXPIRE', KEYS[6], 34560000) end
if requeued > 0 then redis.call('PUBLISH', ARGV[11], '1') end
return n
"""
)

# KEYS: 1 ready channel, 2 ready push, 3 job key.  Cancels a job that is still waiting.
CANCEL = r"""
local a = redis.call('ZREM', KEYS[1], ARGV[1])
local b = redis.call('ZREM', KEYS[2], ARGV[1])
if a + b == 0 then return 0 end
redis.call('DEL', KEYS[3])
return 1
"""
