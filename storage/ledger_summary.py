"""Summarised ledgers: readers' records folded into compact buckets once a push is done.

A push to N readers leaves N records in `keys.ledger(article)` (~200 bytes of JSON each in a
hash) and N events in its log. Once the ledger has been idle for a while, `LedgerRepo.
summarise` folds every reader's (positive chat id) final record into the same hash, as
packed buckets, and drops the readers' events from the log. Channels and groups keep their
full JSON records and events: they are few, and `vestnik ledger` shows them.

Folded fields of `keys.ledger(article)` (chat-id fields never start with `~`):
- `~n`: the bucket count B, fixed when the ledger is first summarised (about 128 readers a
  bucket);
- `~b<k>`: bucket k, the readers with `chat_id % B == k`, as `,<chat>:<code>,<chat>:<code>,`
  where code is `p<message id>` (published), `r<message id>` (retracted), `f<reason>`
  (failed) or `s<reason>` (skipped); about 17 bytes a reader;
- `~t`: the time of the newest folded record (folded records keep no time of their own).

A reader's JSON field, when there is one, wins over its folded entry (a retraction or a new
delivery after the summary); the next summary folds it in again. Every script that asks
"did this pair go out?" looks at both (`LEDGER_LUA`), so the exactly-once check holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from storage.models.delivery import LedgerEntry, LedgerStatus

BUCKET_SIZE = 128
FOLD_PAGE = 1000
COUNT_FIELD = "~n"
TIME_FIELD = "~t"
BUCKET_PREFIX = "~b"
_CODES: dict[str, LedgerStatus] = {
    "p": "published", "r": "retracted", "f": "failed", "s": "skipped",
}  # fmt: skip

# Lua shared with every script that reads a pair's record (prepended to `LEDGER_LUA`).
FOLDED_LUA = r"""
local function folded_field(chat, nb)
  return '~b' .. string.format('%d', tonumber(chat) % nb)
end
local function folded_code(bucket, chat)
  if not bucket then return nil end
  local at = string.find(bucket, ',' .. chat .. ':', 1, true)
  if not at then return nil end
  return string.match(bucket, '^([^,]*)', at + #chat + 2)
end
local function folded_sent(code)
  if not code then return false end
  local c = string.sub(code, 1, 1)
  return c == 'p' or c == 'r'
end
"""

# KEYS: 1 ledger hash.  ARGV: 1 bucket size, 2 HSCAN cursor, 3 HSCAN count.
# Scans one page of the hash and folds each reader's final record (published, retracted,
# failed, skipped) into its bucket, replacing an older entry of the same reader, and deletes
# the JSON field; records still on their way (`queued`) stay. Returns {next cursor, folded}.
FOLD = (
    FOLDED_LUA
    + r"""
local lkey = KEYS[1]
local nb = tonumber(redis.call('HGET', lkey, '~n') or '')
if not nb then
  nb = math.max(1, math.ceil(redis.call('HLEN', lkey) / tonumber(ARGV[1])))
  redis.call('HSET', lkey, '~n', nb)
end
local page = redis.call('HSCAN', lkey, ARGV[2], 'COUNT', ARGV[3])
local codes = {published = 'p', retracted = 'r', failed = 'f', skipped = 's'}
local last = tonumber(redis.call('HGET', lkey, '~t') or '0')
local adds, order, gone = {}, {}, {}
-- A record's fields come in `LedgerEntry` order (article_id, chat_id, status, at, message_id,
-- reason, detail), so the first match of each is the record's own, never one in `detail`.
local function tail(raw, c)
  if c == 'p' or c == 'r' then return string.match(raw, '"message_id":(%d+)') or '' end
  local reason = string.match(raw, '"reason":"([^"]*)"')
  if not reason then return '' end
  return string.sub(string.gsub(reason, '[^%w_.-]', '_'), 1, 60)
end
local fields = page[2]
for i = 1, #fields, 2 do
  local chat, raw = fields[i], fields[i + 1]
  if string.match(chat, '^%d+$') then
    local c = codes[string.match(raw, '"status":"(%a+)"')]
    if c then
      local name = folded_field(chat, nb)
      local add = adds[name]
      if not add then add = {}; adds[name] = add; order[#order + 1] = name end
      add[#add + 1] = chat .. ':' .. c .. tail(raw, c) .. ','
      local at = tonumber(string.match(raw, '"at":([-%d.eE+]+)'))
      if at and at > last then last = at end
      gone[#gone + 1] = chat
    end
  end
end
-- Each touched bucket is read, cleared of older entries of the same readers, and written once.
for _, name in ipairs(order) do
  local b = redis.call('HGET', lkey, name) or ','
  for _, entry in ipairs(adds[name]) do
    local chat = string.match(entry, '^(%d+):')
    local s = string.find(b, ',' .. chat .. ':', 1, true)
    if s then
      local e = string.find(b, ',', s + 1, true)
      b = string.sub(b, 1, s) .. string.sub(b, e + 1)
    end
  end
  redis.call('HSET', lkey, name, b .. table.concat(adds[name]))
end
if #gone > 0 then
  for i = 1, #gone, 1000 do
    redis.call('HDEL', lkey, unpack(gone, i, math.min(#gone, i + 999)))
  end
  redis.call('HSET', lkey, '~t', string.format('%.6f', last))
end
return {page[1], #gone}
"""
)

# KEYS: 1 ledger log.  Drops the events of readers (positive chat ids); returns how many.
TRIM_LOG = r"""
local all = redis.call('LRANGE', KEYS[1], 0, -1)
local keep = {}
for _, ev in ipairs(all) do
  local chat = string.match(ev, '^{"article_id":"[^"]*","chat_id":(%-?%d+)')
  if not chat or string.sub(chat, 1, 1) == '-' then keep[#keep + 1] = ev end
end
if #keep == #all then return 0 end
redis.call('DEL', KEYS[1])
for i = 1, #keep, 1000 do
  redis.call('RPUSH', KEYS[1], unpack(keep, i, math.min(#keep, i + 999)))
end
return #all - #keep
"""

# KEYS: 1 ledger hash.  Writes the hash anew, so that its table is sized for the few fields
# left after a fold (Redis would keep the table sized for the many fields it held).
REPACK = r"""
local all = redis.call('HGETALL', KEYS[1])
if #all == 0 then return 0 end
redis.call('DEL', KEYS[1])
for i = 1, #all, 1000 do
  redis.call('HSET', KEYS[1], unpack(all, i, math.min(#all, i + 999)))
end
return #all / 2
"""

# KEYS: 1 the unsummarised index.  ARGV: 1 ledger id, 2 the score read before summarising.
# Takes the ledger off the index unless a new event came meanwhile.
SETTLED = r"""
if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '') == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
"""

# KEYS: 1 ledger, 2 log, 3 index, 4 unsummarised index.  ARGV: 1 ledger id, 2 the index
# score it must still have ('' = delete whatever it is). Returns how many of the keys and
# index entries existed (0: nothing to delete, or a new event came).
DELETE = r"""
if ARGV[2] ~= '' and tonumber(redis.call('ZSCORE', KEYS[3], ARGV[1]) or '') ~= tonumber(ARGV[2])
then return 0 end
return redis.call('DEL', KEYS[1], KEYS[2]) + redis.call('ZREM', KEYS[3], ARGV[1])
  + redis.call('ZREM', KEYS[4], ARGV[1])
"""


@dataclass
class LedgerSummary:
    """What a ledger says in numbers: records by status, failures and skips by reason.

    Counts cover every pair, folded or not; `summarised` is how many readers' records are
    folded (see the module docstring).
    """

    article_id: str
    statuses: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    summarised: int = 0


def is_chat_field(name: str) -> bool:
    """Whether a ledger hash field is a pair's record (a chat id), not a folded field."""
    return not name.startswith("~")


def bucket_field(chat_id: int, buckets: int) -> str:
    """The folded bucket a reader's entry lives in (as the Lua `folded_field`)."""
    return f"{BUCKET_PREFIX}{chat_id % buckets}"


def decode_code(article_id: str, chat_id: int, code: str, at: float) -> LedgerEntry | None:
    """The `LedgerEntry` a folded entry stands for (None for an unknown code)."""
    status = _CODES.get(code[:1])
    if status is None:
        return None
    rest = code[1:]
    message_id = int(rest) if status in ("published", "retracted") and rest.isdigit() else None
    reason = rest or None if status in ("failed", "skipped") else None
    return LedgerEntry(
        article_id=article_id,
        chat_id=chat_id,
        status=status,
        at=at,
        message_id=message_id,
        reason=reason,
        detail={"summarised": True},
    )


def bucket_items(bucket: str) -> Iterator[tuple[int, str]]:
    """(chat id, code) of every entry in a bucket string."""
    for item in bucket.split(","):
        chat, sep, code = item.partition(":")
        if sep:
            yield int(chat), code


def find_code(bucket: str | None, chat_id: int) -> str | None:
    """The code of one reader in a bucket string, if it is there."""
    if not bucket:
        return None
    needle = f",{chat_id}:"
    start = bucket.find(needle)
    if start < 0:
        return None
    start += len(needle)
    return bucket[start : bucket.find(",", start)]


def folded_entries(article_id: str, raw: Mapping[str, str]) -> dict[int, LedgerEntry]:
    """chat id -> entry of every folded reader in a whole ledger hash (`HGETALL`)."""
    at = float(raw.get(TIME_FIELD, 0) or 0)
    found: dict[int, LedgerEntry] = {}
    for name, value in raw.items():
        if name.startswith(BUCKET_PREFIX):
            for chat_id, code in bucket_items(value):
                entry = decode_code(article_id, chat_id, code, at)
                if entry is not None:
                    found[chat_id] = entry
    return found


def folded_copies(raw: Mapping[str, str]) -> dict[int, int]:
    """chat id -> message id of every folded reader whose copy is live (`p<message id>`)."""
    copies: dict[int, int] = {}
    for name, value in raw.items():
        if name.startswith(BUCKET_PREFIX):
            for chat_id, code in bucket_items(value):
                if code[:1] == "p" and code[1:].isdigit():
                    copies[chat_id] = int(code[1:])
    return copies
