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

from collections.abc import Iterable

from redis.asyncio import Redis

from storage.keys import Keys
from storage.models.delivery import LedgerEntry

LOG_CAP = 20_000
SENT_STATUSES: frozenset[str] = frozenset({"published", "retracted"})
LIVE_STATUSES: frozenset[str] = frozenset({"published"})

# Lua helpers shared by every script that touches the ledger (outbox claim/settle, record).
# A record is `LedgerEntry.model_dump_json()`: its first fields are always article_id,
# chat_id, status, so the status is read with an anchored pattern (never from `detail`).
LEDGER_LUA = r"""
local function ledger_status(rec)
  if not rec then return nil end
  return string.match(rec, '^{"article_id":"[^"]*","chat_id":%-?%d+,"status":"(%a+)"')
end
local function ledger_sent(rec)
  local st = ledger_status(rec)
  return st == 'published' or st == 'retracted'
end
local function ledger_write(lkey, logkey, chat, status, json, cap)
  if status ~= 'edited' and status ~= 'duplicate' then
    if status == 'published' or status == 'retracted' then
      redis.call('HSET', lkey, chat, json)
    else
      local cur = redis.call('HGET', lkey, chat)
      if not ledger_sent(cur) then redis.call('HSET', lkey, chat, json) end
    end
  end
  redis.call('RPUSH', logkey, json)
  if cap > 0 then redis.call('LTRIM', logkey, -cap, -1) end
end
"""

_RECORD_LUA = (
    LEDGER_LUA
    + r"""
ledger_write(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
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

    async def record(self, entry: LedgerEntry) -> None:
        """Log an event and update the pair's record (never downgrading a sent pair)."""
        keys = [self.keys.ledger(entry.article_id), self.keys.ledger_log(entry.article_id)]
        args: list[str | int] = [
            str(entry.chat_id), entry.status, entry.model_dump_json(), self.log_cap,
        ]  # fmt: skip
        await self._record(keys=keys, args=args)

    async def get(self, article_id: str, chat_id: int) -> LedgerEntry | None:
        """The current record of one pair, if any."""
        raw = await self.redis.hget(self.keys.ledger(article_id), str(chat_id))
        return LedgerEntry.model_validate_json(raw) if raw else None

    async def has_published(self, article_id: str, chat_id: int) -> bool:
        """True when the article already went out to this chat (published or retracted),
        also under a former id of the chat (a group that became a supergroup)."""
        chats = [str(chat) for chat in await self.chat_aliases(chat_id)]
        raws = await self.redis.hmget(self.keys.ledger(article_id), chats)
        return any(_sent(raw) for raw in raws)

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
        """The chats among `chat_ids` that already have the article (one HMGET)."""
        wanted = [str(chat) for chat in chat_ids]
        if not wanted:
            return set()
        raws = await self.redis.hmget(self.keys.ledger(article_id), wanted)
        return {
            int(chat)
            for chat, raw in zip(wanted, raws, strict=True)
            if raw and LedgerEntry.model_validate_json(raw).status in SENT_STATUSES
        }

    async def entries(self, article_id: str) -> list[LedgerEntry]:
        """Every pair's current record for an article, ordered by time."""
        raw = await self.redis.hvals(self.keys.ledger(article_id))
        return sorted((LedgerEntry.model_validate_json(r) for r in raw), key=lambda e: e.at)

    async def events(self, article_id: str, limit: int | None = None) -> list[LedgerEntry]:
        """The article's event log, oldest first (the newest `limit` when given)."""
        start = -limit if limit else 0
        raw = await self.redis.lrange(self.keys.ledger_log(article_id), start, -1)
        return [LedgerEntry.model_validate_json(r) for r in raw]

    async def published_copies(self, article_id: str) -> dict[int, int]:
        """chat id -> message id of every live published copy (what edit/retract act on)."""
        return {
            entry.chat_id: entry.message_id
            for entry in await self.entries(article_id)
            if entry.status in LIVE_STATUSES and entry.message_id is not None
        }


def _sent(raw: str | bytes | None) -> bool:
    """Whether a stored pair record says the article went out."""
    return raw is not None and LedgerEntry.model_validate_json(raw).status in SENT_STATUSES
