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
-- A plain find (memchr and memcmp) locates a key; the pattern then only reads its value.
local function job_field(body, key, value)
  local at = string.find(body, key, 1, true)
  if at then return string.match(body, value, at + #key) end
end
local function job_kind(body) return job_field(body, '"kind":"', '^([%a_]+)"') end
local function job_chat(body) return job_field(body, '"chat_id":', '^(%-?%d+)') end
local function job_article(body) return job_field(body, '"article_id":"', '^([^"]+)"') end
local function job_ref(body) return job_field(body, '"payload_ref":"', '^([^"]+)"') end
local function job_lane(body)
  if string.find(body, '"lane":"push"', 1, true) then return 'push' end
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

# Helpers for scripts that handle many jobs at once: commands over long argument lists go in
# chunks (Lua's stack limits `unpack`), and ledger writes are batched. The batch reads each
# article's records once (HMGET) and sees its own earlier writes, writes each article's
# records in one HSET and appends each log in one RPUSH, so the outcome is the one of
# `ledger_write` called op by op (a log is trimmed once, to the same last `cap` events).
BATCH_LUA = r"""
local function call_chunked(cmd, key, list, step)
  local result
  for i = 1, #list, step do
    result = redis.call(cmd, key, unpack(list, i, math.min(#list, i + step - 1)))
  end
  return result
end
local function hmget_chunked(key, fields)
  local out = {}
  for i = 1, #fields, 1000 do
    local got = redis.call('HMGET', key, unpack(fields, i, math.min(#fields, i + 999)))
    for j = 1, #got do out[i + j - 1] = got[j] end
  end
  return out
end

local LB = {rec = {}, set = {}, push = {}, logs = {}, nb = {}, bk = {}, arts = {}, loose = {}}
local function lb_records(lkey)
  local recs = LB.rec[lkey]
  if not recs then recs = {}; LB.rec[lkey] = recs end
  return recs
end
-- The ledger's bucket count when readers' records are summarised (false when not).
local function lb_buckets(lkey)
  local nb = LB.nb[lkey]
  if nb == nil then
    nb = tonumber(redis.call('HGET', lkey, '~n') or '') or false
    LB.nb[lkey] = nb
  end
  return nb
end
local function lb_prefetch(lkey, chats)
  local recs, want, seen = lb_records(lkey), {}, {}
  for _, chat in ipairs(chats) do
    if recs[chat] == nil and not seen[chat] then seen[chat] = true; want[#want + 1] = chat end
  end
  if #want == 0 then return end
  local ask_nb = LB.nb[lkey] == nil
  if ask_nb then want[#want + 1] = '~n' end
  local got = hmget_chunked(lkey, want)
  if ask_nb then
    LB.nb[lkey] = tonumber(got[#want] or '') or false
    want[#want] = nil
  end
  for i, chat in ipairs(want) do recs[chat] = got[i] or false end
end
-- A summarised reader's code (`storage/ledger_summary.py`), buckets read once per script.
local function lb_folded(lkey, chat)
  if string.byte(chat, 1) == 45 then return nil end
  local nb = lb_buckets(lkey)
  if not nb then return nil end
  local name = folded_field(chat, nb)
  local bks = LB.bk[lkey]
  if not bks then bks = {}; LB.bk[lkey] = bks end
  if bks[name] == nil then bks[name] = redis.call('HGET', lkey, name) or false end
  return folded_code(bks[name] or nil, chat)
end
local function lb_sent(lkey, chat)
  local recs = lb_records(lkey)
  if recs[chat] == nil then recs[chat] = redis.call('HGET', lkey, chat) or false end
  if recs[chat] then return ledger_sent(recs[chat]) end
  return folded_sent(lb_folded(lkey, chat))
end
local function lb_write(lkey, logkey, art, chat, status, json)
  if status ~= 'edited' and status ~= 'duplicate' then
    if status == 'published' or status == 'retracted' or not lb_sent(lkey, chat) then
      lb_records(lkey)[chat] = json
      local set = LB.set[lkey]
      if not set then set = {}; LB.set[lkey] = set end
      set[#set + 1] = chat
      set[#set + 1] = json
    end
  end
  local push = LB.push[logkey]
  if not push then push = {}; LB.push[logkey] = push; LB.logs[#LB.logs + 1] = logkey end
  push[#push + 1] = json
  LB.arts[art] = true
  if string.byte(chat, 1) ~= 45 then LB.loose[art] = true end
end
-- Writes the batch; `index` / `loose` note each touched ledger's last event at `now`.
local function lb_flush(cap, index, loose, now)
  for lkey, set in pairs(LB.set) do call_chunked('HSET', lkey, set, 1000) end
  for _, logkey in ipairs(LB.logs) do
    local length = call_chunked('RPUSH', logkey, LB.push[logkey], 1000)
    if cap > 0 and length > cap then redis.call('LTRIM', logkey, -cap, -1) end
  end
  for art, _ in pairs(LB.arts) do redis.call('ZADD', index, now, art) end
  for art, _ in pairs(LB.loose) do redis.call('ZADD', loose, now, art) end
  LB.set, LB.push, LB.logs, LB.arts, LB.loose = {}, {}, {}, {}, {}
end
"""

# A day's stats were bumped: they expire after the retention period, and the day is listed
# (with the time of its first event) so the retention sweep finds it without KEYS.
STATS_LUA = r"""
local function stats_kept(stats_key, index, ttl, day, now)
  redis.call('EXPIRE', stats_key, ttl)
  redis.call('ZADD', index, 'NX', now, day)
end
"""

# KEYS: 1 ready channel, 2 ready push.
# ARGV: 1/2 job key head/tail, 3 wake channel, then 4 fields per job: id, lane, score, JSON.
# Returns how many jobs were added (a known id is left as it is).
# Wakes idle engines once, and only when some job is its lane's new earliest: behind an
# earlier job the engines already wake in time for it (and claim this one then), so a burst
# of enqueues publishes once instead of once per job.
ENQUEUE = (
    BATCH_LUA
    + r"""
local heads, adds, wake, added = {}, {{}, {}}, false, 0
for i = 4, #ARGV, 4 do
  local id, score = ARGV[i], tonumber(ARGV[i + 2])
  if redis.call('SET', ARGV[1] .. id .. ARGV[2], ARGV[i + 3], 'NX') then
    local lane = ARGV[i + 1] == 'push' and 2 or 1
    if heads[lane] == nil then
      local head = redis.call('ZRANGE', KEYS[lane], 0, 0, 'WITHSCORES')
      heads[lane] = head[2] and tonumber(head[2]) or false
    end
    if not heads[lane] or score < heads[lane] then wake = true; heads[lane] = score end
    local add = adds[lane]
    add[#add + 1] = ARGV[i + 2]
    add[#add + 1] = id
    added = added + 1
  end
end
for lane = 1, 2 do
  if #adds[lane] > 0 then call_chunked('ZADD', KEYS[lane], adds[lane], 1000) end
end
if wake then redis.call('PUBLISH', ARGV[3], '1') end
return added
"""
)

# KEYS: 1 payload key, 2 ready zset.  ARGV: 1 payload JSON, 2 payload TTL ms, 3 job head,
# 4 job tail, 5 id prefix, 6 JSON tail of every job, 7 wake channel, 8 values per recipient
# (2: chat id, not_before; 3: also the message id an edit job changes), then the values.
# Each job is `{"id":"<prefix><chat>","chat_id":<chat>,"not_before":<t>[,"message_id":<m>]<tail>`.
ENQUEUE_FANOUT = r"""
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local added = 0
local step = tonumber(ARGV[8])
for i = 9, #ARGV, step do
  local chat, nb = ARGV[i], ARGV[i + 1]
  local id = ARGV[5] .. chat
  local body = '{"id":"' .. id .. '","chat_id":' .. chat .. ',"not_before":' .. nb
  if step == 3 then body = body .. ',"message_id":' .. ARGV[i + 2] end
  body = body .. ARGV[6]
  if redis.call('SET', ARGV[3] .. id .. ARGV[4], body, 'NX') then
    redis.call('ZADD', KEYS[2], nb, id)
    added = added + 1
  end
end
if added > 0 then redis.call('PUBLISH', ARGV[7], '1') end
return added
"""

# KEYS: 1 payload key.  ARGV: 1 payload JSON.  Replaces a stored payload (jobs still
# waiting send the new one), keeping its expiry; 0 when there is none.
REPLACE_PAYLOAD = r"""
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
return 1
"""

# KEYS: 1 ready channel, 2 ready push, 3 inflight, 4 owners, 5 pairs, 6 stats of the day,
# 7 ledger index, 8 unsummarised ledgers, 9 stats index.
# ARGV: 1 now, 2 limit, 3 lease expiry, 4 worker, 5/6 job key head/tail, 7/8 ledger head/tail,
# 9/10 ledger log head/tail, 11 log cap, 12 done TTL ms, 13/14 payload head/tail,
# 15 delay for a job whose pair another job is sending, 16 stats TTL s, 17 the stats day.
# Returns {next_due or '', n, job bodies..., then ref, payload pairs}.
CLAIM = (
    LEDGER_LUA
    + JOB_FIELDS_LUA
    + BATCH_LUA
    + STATS_LUA
    + r"""
local now, limit = ARGV[1], tonumber(ARGV[2])
local jobs, refs, seen = {}, {}, {}
local dups = 0
local leased, owners, locks = {}, {}, {}
local locked = {}  -- pair -> the job this claim gave it to

local function ledger_keys(art)
  return ARGV[7] .. art .. ARGV[8], ARGV[9] .. art .. ARGV[10]
end

local function drop_duplicate(id, art, chat, jk)
  redis.call('PEXPIRE', jk, ARGV[12])
  local ev = '{"article_id":"' .. art .. '","chat_id":' .. chat ..
    ',"status":"duplicate","at":' .. now ..
    ',"message_id":null,"reason":"already_published","detail":{"job_id":"' .. id .. '"}}'
  local lkey, logkey = ledger_keys(art)
  lb_write(lkey, logkey, art, chat, 'duplicate', ev)
  dups = dups + 1
end

-- Whether another job is sending this pair now (then this one waits a little).
local function pair_busy(field, holder, id)
  if locked[field] then return true end
  return holder and holder ~= id and redis.call('ZSCORE', KEYS[3], holder)
end

local function take(lane_key, id, body, holder, field, art, chat)
  if art then
    if pair_busy(field, holder, id) then
      redis.call('ZADD', lane_key, tonumber(now) + tonumber(ARGV[15]), id)
      return
    end
    locked[field] = id
    locks[#locks + 1] = field
    locks[#locks + 1] = id
  end
  leased[#leased + 1] = ARGV[3]
  leased[#leased + 1] = id
  owners[#owners + 1] = id
  owners[#owners + 1] = ARGV[4]
  jobs[#jobs + 1] = body
  local ref = job_ref(body)
  if ref and not seen[ref] then seen[ref] = true; refs[#refs + 1] = ref end
end

-- The due jobs of one lane: their bodies, ledger records and pair locks each read in one
-- command (per article for the ledger), then taken in order.
local function claim_lane(lane_key, ids)
  call_chunked('ZREM', lane_key, ids, 1000)
  local jks = {}
  for i, id in ipairs(ids) do jks[i] = ARGV[5] .. id .. ARGV[6] end
  local bodies = {}
  for i = 1, #jks, 1000 do
    local got = redis.call('MGET', unpack(jks, i, math.min(#jks, i + 999)))
    for j = 1, #got do bodies[i + j - 1] = got[j] end
  end
  local pairs_of, fields, chats_of = {}, {}, {}
  for i = 1, #ids do
    if bodies[i] then
      local art, chat = job_pair(bodies[i])
      if art then
        pairs_of[i] = {art, chat}
        fields[#fields + 1] = art .. '|' .. chat
        local chats = chats_of[art]
        if not chats then chats = {}; chats_of[art] = chats end
        chats[#chats + 1] = chat
      end
    end
  end
  for art, chats in pairs(chats_of) do lb_prefetch((ledger_keys(art)), chats) end
  local holders = #fields > 0 and hmget_chunked(KEYS[5], fields) or {}
  local k = 0
  for i, id in ipairs(ids) do
    local body = bodies[i]
    if body then
      local pair = pairs_of[i]
      if not pair then
        take(lane_key, id, body)
      else
        k = k + 1
        local art, chat = pair[1], pair[2]
        if lb_sent((ledger_keys(art)), chat) then
          drop_duplicate(id, art, chat, jks[i])
        else
          take(lane_key, id, body, holders[k], fields[k], art, chat)
        end
      end
    end
  end
end

for lane = 1, 2 do
  local need = limit - #jobs
  if need <= 0 then break end
  local ids = redis.call('ZRANGEBYSCORE', KEYS[lane], '-inf', now, 'LIMIT', 0, need)
  if #ids > 0 then claim_lane(KEYS[lane], ids) end
end
if #locks > 0 then call_chunked('HSET', KEYS[5], locks, 1000) end
if #leased > 0 then
  call_chunked('ZADD', KEYS[3], leased, 1000)
  call_chunked('HSET', KEYS[4], owners, 1000)
end
lb_flush(tonumber(ARGV[11]), KEYS[7], KEYS[8], now)
if dups > 0 then
  redis.call('HINCRBY', KEYS[6], 'duplicates', dups)
  stats_kept(KEYS[6], KEYS[9], ARGV[16], ARGV[17], now)
end

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

# KEYS: 1 ready channel, 2 ready push, 3 inflight, 4 owners, 5 pairs, 6 stats of the day,
# 7 ledger index, 8 unsummarised ledgers, 9 stats index.
# ARGV: 1 now, 2 stats TTL s, 3/4 job head/tail, 5/6 ledger head/tail, 7/8 log head/tail,
# 9 log cap, 10 done TTL ms, 11 wake channel, 12 the ops as a JSON array of arrays of 13
# strings: op (c complete, f fail, r retry, d defer), id, lane, article, chat, ledger status,
# ledger JSON, stats field, job JSON, at, keep ('1' keep a tombstone), owner, the chat id
# the job had when claimed (its pair lock; differs after a group migration); 13 the stats day.
# Ops are applied in order, in runs of distinct job ids: within a run the reads (owners,
# pair locks, ledger records) and writes (leases, lanes, ledger) each go in one command
# where Redis allows it; a repeated id starts a new run, so the result is the one of
# applying the ops one by one.
SETTLE = (
    LEDGER_LUA
    + JOB_FIELDS_LUA
    + BATCH_LUA
    + STATS_LUA
    + r"""
local now, cap = ARGV[1], tonumber(ARGV[9])
local ops = cjson.decode(ARGV[12])
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
local function ledger_keys(art) return ARGV[5] .. art .. ARGV[6], ARGV[7] .. art .. ARGV[8] end
local reads_ledger = {published = true, failed = true, skipped = true, queued = true}

local function record(o)
  local id, art, chat, status, json, field, mid = o[2], o[4], o[5], o[6], o[7], o[8], o[10]
  if art == '' then bump(field, 1, chat); return end
  local lkey, logkey = ledger_keys(art)
  if status == 'published' and lb_sent(lkey, chat) then
    local ev = '{"article_id":"' .. art .. '","chat_id":' .. chat ..
      ',"status":"duplicate","at":' .. now .. ',"message_id":' .. mid ..
      ',"reason":"sent_twice","detail":{"job_id":"' .. id .. '"}}'
    lb_write(lkey, logkey, art, chat, 'duplicate', ev)
    bump('duplicates_sent', 1, chat)
    return
  end
  if json ~= '' then lb_write(lkey, logkey, art, chat, status, json) end
  bump(field, 1, chat)
end

-- One run of ops with distinct job ids, from index `first` to `last`.
local function apply(first, last)
  local ids, chats_of = {}, {}
  for i = first, last do
    local o = ops[i]
    ids[#ids + 1] = o[2]
    if o[4] ~= '' and reads_ledger[o[6]] then
      local chats = chats_of[o[4]]
      if not chats then chats = {}; chats_of[o[4]] = chats end
      chats[#chats + 1] = o[5]
    end
  end
  local holders = hmget_chunked(KEYS[4], ids)
  for art, chats in pairs(chats_of) do lb_prefetch((ledger_keys(art)), chats) end
  local gone, unlane, pair_fields, pair_ids, adds = {}, {}, {}, {}, {{}, {}}
  local function let_go(id, art, claimed)
    gone[#gone + 1] = id
    if art ~= '' then
      pair_fields[#pair_fields + 1] = art .. '|' .. claimed
      pair_ids[#pair_ids + 1] = id
    end
  end
  for i = first, last do
    local o = ops[i]
    local op, id, owner, holder = o[1], o[2], o[12], holders[i - first + 1]
    local jk = ARGV[3] .. id .. ARGV[4]
    if op == 'c' or op == 'f' then
      if holder == owner or not holder then
        let_go(id, o[4], o[13])
        unlane[#unlane + 1] = id
        if o[11] == '1' then redis.call('PEXPIRE', jk, ARGV[10]) else redis.call('DEL', jk) end
      end
      record(o)
    elseif not holder or holder == owner then
      let_go(id, o[4], o[13])
      if o[9] ~= '' then redis.call('SET', jk, o[9]) end
      local add = adds[o[3] == 'push' and 2 or 1]
      add[#add + 1] = o[10]
      add[#add + 1] = id
      requeued = requeued + 1
      if o[4] ~= '' and o[7] ~= '' then
        local lkey, logkey = ledger_keys(o[4])
        lb_write(lkey, logkey, o[4], o[5], 'queued', o[7])
      end
      bump(o[8], 1, o[5])
    end
  end
  if #gone > 0 then
    call_chunked('ZREM', KEYS[3], gone, 1000)
    call_chunked('HDEL', KEYS[4], gone, 1000)
  end
  if #pair_fields > 0 then
    local held, free = hmget_chunked(KEYS[5], pair_fields), {}
    for j, field in ipairs(pair_fields) do
      if held[j] == pair_ids[j] then free[#free + 1] = field end
    end
    if #free > 0 then call_chunked('HDEL', KEYS[5], free, 1000) end
  end
  if #unlane > 0 then
    call_chunked('ZREM', KEYS[1], unlane, 1000)
    call_chunked('ZREM', KEYS[2], unlane, 1000)
  end
  for lane = 1, 2 do
    if #adds[lane] > 0 then call_chunked('ZADD', KEYS[lane], adds[lane], 1000) end
  end
  lb_flush(cap, KEYS[7], KEYS[8], now)
end

local first, seen = 1, {}
for i, o in ipairs(ops) do
  if seen[o[2]] then apply(first, i - 1); first, seen = i, {} end
  seen[o[2]] = true
end
if #ops >= first then apply(first, #ops) end
for field, count in pairs(stats) do redis.call('HINCRBY', KEYS[6], field, count) end
if next(stats) then stats_kept(KEYS[6], KEYS[9], ARGV[2], ARGV[13], now) end
if requeued > 0 then redis.call('PUBLISH', ARGV[11], '1') end
return #ops
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
