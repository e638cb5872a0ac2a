"""The exactly-once ledger: what happened to each (article, chat) pair, and when.

Two structures per article:
- `keys.ledger(article)` HASH chat id -> the pair's current record (`LedgerEntry` JSON). A
  record whose status is `published` or `retracted` means "this article went out to this
  chat": the delivery engine never sends the pair again (checked inside its claim script).
- `keys.ledger_log(article)` LIST of every event (`queued`, `published`, `skipped`, `failed`,
  `edited`, `retracted`, `duplicate`), oldest first, capped at `log_cap` entries.

The record of a pair never goes back from "sent" to a weaker status: a later `queued`,
`failed` or `skipped` event is only logged. Edits are logged and leave the `published`
record (with its message id) in place; a retraction replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from redis.asyncio import Redis

from storage import ledger_summary as folded
from storage.keys import Keys
from storage.ledger_summary import FOLDED_LUA, LedgerSummary
from storage.models.delivery import LedgerEntry

LOG_CAP = 20_000
SENT_STATUSES: frozenset[str] = frozenset({"published", "retracted"})
LIVE_STATUSES: frozenset[str] = frozenset({"published"})
_PAGE = 500

# Lua helpers shared by every script that touches the ledger (outbox claim/settle, record).
# A record is `LedgerEntry.model_dump_json()`: its first fields are always article_id,
# chat_id, status, so the status is read with an anchored pattern (never from `detail`).
# A reader's record may also be folded into a bucket (`storage/ledger_summary.py`): a
# pair with no JSON field is looked up there.
LEDGER_LUA = (
    FOLDED_LUA
    + r"""
local function ledger_status(rec)
  if not rec then return nil end
  return string.match(rec, '^{"article_id":"[^"]*","chat_id":%-?%d+,"status":"(%a+)"')
end
local function ledger_sent(rec)
  local st = ledger_status(rec)
  return st == 'published' or st == 'retracted'
end
local function ledger_pair_sent(lkey, chat)
  local cur = redis.call('HGET', lkey, chat)
  if cur then return ledger_sent(cur) end
  if string.byte(chat, 1) == 45 then return false end
  local nb = tonumber(redis.call('HGET', lkey, '~n') or '')
  if not nb then return false end
  return folded_sent(folded_code(redis.call('HGET', lkey, folded_field(chat, nb)), chat))
end
local function ledger_write(lkey, logkey, chat, status, json, cap)
  if status ~= 'edited' and status ~= 'duplicate' then
    if status == 'published' or status == 'retracted' or not ledger_pair_sent(lkey, chat) then
      redis.call('HSET', lkey, chat, json)
    end
  end
  redis.call('RPUSH', logkey, json)
  if cap > 0 then redis.call('LTRIM', logkey, -cap, -1) end
end
-- Note the ledger's last event in the indexes (retention; readers' records to summarise).
local function ledger_touch(index, loose, art, chat, now)
  redis.call('ZADD', index, now, art)
  if string.byte(chat, 1) ~= 45 then redis.call('ZADD', loose, now, art) end
end
"""
)

# KEYS: 1 ledger, 2 log, 3 index, 4 unsummarised index.
# ARGV: 1 chat, 2 status, 3 record JSON, 4 log cap, 5 ledger id, 6 now.
_RECORD_LUA = (
    LEDGER_LUA
    + r"""
ledger_write(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
ledger_touch(KEYS[3], KEYS[4], ARGV[5], ARGV[1], ARGV[6])
return 1
"""
)


def key_template(key: str) -> tuple[str, str]:
    """Split a key built with the placeholder part `@` into (head, tail) for Lua.

    Scripts build per-article or per-chat keys as `head .. part .. tail`, so the names
    still come from `Keys` and never get spelled in a script.
    """
    head, tail = key.split("@")
    return head, tail


class LedgerRepo:
    """Reads and writes the ledger; the engine writes most entries from its own scripts."""

    def __init__(self, redis: Redis, keys: Keys, *, log_cap: int = LOG_CAP) -> None:
        self.redis = redis
        self.keys = keys
        self.log_cap = log_cap
        self._record = redis.register_script(_RECORD_LUA)
        self._fold = redis.register_script(folded.FOLD)
        self._trim_log = redis.register_script(folded.TRIM_LOG)
        self._repack = redis.register_script(folded.REPACK)
        self._settled = redis.register_script(folded.SETTLED)
        self._delete = redis.register_script(folded.DELETE)

    async def record(self, entry: LedgerEntry) -> None:
        """Log an event and update the pair's record (never downgrading a sent pair)."""
        keys = [
            self.keys.ledger(entry.article_id), self.keys.ledger_log(entry.article_id),
            self.keys.ledger_index(), self.keys.ledger_unsummarised(),
        ]  # fmt: skip
        args: list[str | int | float] = [
            str(entry.chat_id), entry.status, entry.model_dump_json(), self.log_cap,
            entry.article_id, repr(entry.at),
        ]  # fmt: skip
        await self._record(keys=keys, args=args)

    async def get(self, article_id: str, chat_id: int) -> LedgerEntry | None:
        """The current record of one pair, if any (also a reader's summarised one)."""
        return (await self._records(article_id, [chat_id])).get(chat_id)

    async def has_published(self, article_id: str, chat_id: int) -> bool:
        """True when the article already went out to this chat (published or retracted),
        also under a former id of the chat (a group that became a supergroup)."""
        found = await self._records(article_id, await self.chat_aliases(chat_id))
        return any(entry.status in SENT_STATUSES for entry in found.values())

    async def chat_aliases(self, chat_id: int) -> list[int]:
        """The chat's id first, then every former id Telegram migrated into it.

        A copy published before a migration stays recorded under the old id, where its
        message id is valid (Telegram does not carry a group's messages over to the new
        supergroup's numbering), so the exactly-once check looks under every alias.
        """
        raw = await self.redis.hgetall(self.keys.chat_migrations())
        moved = {int(old): int(new) for old, new in raw.items()}
        aliases, frontier = [chat_id], {chat_id}
        while frontier:
            frontier = {old for old, new in moved.items() if new in frontier} - set(aliases)
            aliases += sorted(frontier)
        return aliases

    async def published_among(self, article_id: str, chat_ids: Iterable[int]) -> set[int]:
        """The chats among `chat_ids` that already have the article (one HMGET, and one for
        the buckets of summarised readers)."""
        found = await self._records(article_id, list(dict.fromkeys(chat_ids)))
        return {chat for chat, entry in found.items() if entry.status in SENT_STATUSES}

    async def _records(self, article_id: str, chat_ids: Sequence[int]) -> dict[int, LedgerEntry]:
        """The current records of some pairs: JSON fields first, else folded entries."""
        if not chat_ids:
            return {}
        key = self.keys.ledger(article_id)
        fields = [str(chat) for chat in chat_ids]
        *raws, count, at = await self.redis.hmget(
            key, [*fields, folded.COUNT_FIELD, folded.TIME_FIELD]
        )
        found = {
            chat: LedgerEntry.model_validate_json(raw)
            for chat, raw in zip(chat_ids, raws, strict=True)
            if raw
        }
        missing = [chat for chat in chat_ids if chat not in found and chat > 0]
        if not count or not missing:
            return found
        names = [folded.bucket_field(chat, int(count)) for chat in missing]
        buckets = dict(zip(names, await self.redis.hmget(key, names), strict=True))
        for chat, name in zip(missing, names, strict=True):
            bucket = buckets[name]
            code = folded.find_code(str(bucket) if bucket is not None else None, chat)
            entry = folded.decode_code(article_id, chat, code, float(at or 0)) if code else None
            if entry is not None:
                found[chat] = entry
        return found

    async def entries(self, article_id: str) -> list[LedgerEntry]:
        """Every pair's current record for an article (summarised readers' too), by time."""
        raw = await self._whole(article_id)
        found = folded.folded_entries(article_id, raw)
        for name, value in raw.items():
            if folded.is_chat_field(name):
                entry = LedgerEntry.model_validate_json(value)
                found[entry.chat_id] = entry
        return sorted(found.values(), key=lambda e: (e.at, e.chat_id))

    async def _whole(self, article_id: str) -> dict[str, str]:
        raw = await self.redis.hgetall(self.keys.ledger(article_id))
        return {str(name): str(value) for name, value in raw.items()}

    async def events(self, article_id: str, limit: int | None = None) -> list[LedgerEntry]:
        """The article's event log, oldest first (the newest `limit` when given).

        Once a ledger is summarised its readers' events are gone; channels' stay.
        """
        start = -limit if limit else 0
        raw = await self.redis.lrange(self.keys.ledger_log(article_id), start, -1)
        return [LedgerEntry.model_validate_json(r) for r in raw]

    async def published_copies(self, article_id: str) -> dict[int, int]:
        """chat id -> message id of every live published copy (what edit/retract act on),
        summarised readers' included (read from their buckets without building entries)."""
        raw = await self._whole(article_id)
        copies = folded.folded_copies(raw)
        for name, value in raw.items():
            if folded.is_chat_field(name):
                entry = LedgerEntry.model_validate_json(value)
                copies.pop(entry.chat_id, None)
                if entry.status in LIVE_STATUSES and entry.message_id is not None:
                    copies[entry.chat_id] = entry.message_id
        return copies

    async def summary(self, article_id: str) -> LedgerSummary:
        """Records by status, failures and skips by reason (summarised readers included)."""
        raw = await self._whole(article_id)
        result = LedgerSummary(article_id=article_id)
        result.summarised = len(folded.folded_entries(article_id, raw))
        for entry in await self.entries(article_id):
            result.statuses[entry.status] = result.statuses.get(entry.status, 0) + 1
            by_reason = {"failed": result.failed, "skipped": result.skipped}.get(entry.status)
            if by_reason is not None:
                reason = entry.reason or "unknown"
                by_reason[reason] = by_reason.get(reason, 0) + 1
        return result

    # --- summarising and retention ----------------------------------------------------
    async def summarise(self, article_id: str) -> int:
        """Fold the readers' final records into buckets and drop their events from the log
        (see `storage/ledger_summary.py`); how many records were folded.

        Safe at any time and in any process: each step is one script that re-reads what it
        changes, and a ledger that got a new event meanwhile stays listed to be summarised
        again.
        """
        index = self.keys.ledger_unsummarised()
        score = await self.redis.zscore(index, article_id)
        key = self.keys.ledger(article_id)
        cursor, done = "0", 0
        while True:
            cursor, folded_now = await self._fold(
                keys=[key], args=[folded.BUCKET_SIZE, cursor, folded.FOLD_PAGE]
            )
            done += int(folded_now)
            if str(cursor) == "0":
                break
        if done:
            await self._repack(keys=[key])
        await self._trim_log(keys=[self.keys.ledger_log(article_id)])
        if score is not None:
            await self._settled(keys=[index], args=[article_id, repr(score)])
        return done

    async def summarise_idle(self, idle_since: float, limit: int = _PAGE) -> int:
        """Summarise up to `limit` ledgers with readers' records and no event since
        `idle_since` (their pushes are done); how many ledgers."""
        ids = await self.redis.zrangebyscore(
            self.keys.ledger_unsummarised(), "-inf", repr(idle_since), start=0, num=limit
        )
        for article_id in ids:
            await self.summarise(str(article_id))
        return len(ids)

    async def delete(self, article_id: str) -> bool:
        """Forget a ledger: its records, its log and its index entries (False: none)."""
        keys = self._delete_keys(article_id)
        return bool(await self._delete(keys=keys, args=[article_id, ""]))

    async def purge_idle(self, cutoff: float) -> int:
        """Delete every ledger whose last event is older than `cutoff`; how many."""
        removed = 0
        while True:
            rows = await self.redis.zrangebyscore(
                self.keys.ledger_index(), "-inf", f"({cutoff!r}", start=0, num=_PAGE,
                withscores=True,
            )  # fmt: skip
            page = 0
            for article_id, score in cast("list[tuple[str, float]]", rows):
                keys = self._delete_keys(str(article_id))
                done = await self._delete(keys=keys, args=[str(article_id), repr(score)])
                page += int(bool(done))
            removed += page
            if not page:  # nothing left, or only ledgers that had a new event meanwhile
                return removed

    def _delete_keys(self, article_id: str) -> list[str]:
        return [
            self.keys.ledger(article_id), self.keys.ledger_log(article_id),
            self.keys.ledger_index(), self.keys.ledger_unsummarised(),
        ]  # fmt: skip
