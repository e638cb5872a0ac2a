"""Telegram's flood limits, kept across every process that shares this Redis.

A scheduler in one Lua script. The overall pace is a grid of slots (1/30 s wide, or
1/1000 s in paid-broadcast mode), one message per slot: `keys.rate("global")` holds the
first free slot, `keys.rate("global.booked")` the later slots already booked by messages a
chat limit held back. Each chat has a GCRA "theoretical arrival time" in
`keys.rate("chat.<id>")` (next allowed send: +3 s per group or channel, +1 s per private
chat) and maybe a pause (`keys.chat_pause`, after a 429). A message goes in the first free
slot at or after `max(now, chat TAT, pause)`.
A whole batch is reserved in one round trip and every message gets its own send time, so
all processes together never exceed the limits however many of them run.

`now` is always passed in (the engine's Clock), so the math is testable in virtual time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from redis.asyncio import Redis

from storage.keys import Keys
from storage.ledger import key_template

# KEYS: 1 pace frontier (slot index), 2 reserved future slots (ZSET), 3 slow-down marker.
# ARGV: 1 now, 2 horizon, 3 pace (messages/s), 4 private interval, 5 group interval,
# 6/7 chat TAT key head/tail, 8/9 chat pause key head/tail, 10 burst tolerance (s: how far
# a message may go before its chat's TAT, never before a pause), then chat ids.
# The overall pace is a grid of slots 1/pace s wide, one message per slot. Slots before the
# frontier are spent; a message held back by its chat's own limit books a later slot
# (kept in the ZSET) without blocking the slots before it.
# Returns per chat the delay in microseconds; negative (-delay - 1) when beyond the horizon
# (nothing reserved for that one).
RESERVE = r"""
local now, horizon, rate = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local step = 1
local slow = redis.call('GET', KEYS[3])
if slow then
  local factor, untl = string.match(slow, '^(%S+) (%S+)$')
  if tonumber(untl) > now then step = math.max(1, math.floor(tonumber(factor) + 0.5)) end
end
local front = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), math.ceil(now * rate - 1e-3))
local used = {}
for _, slot in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], front, '+inf')) do
  used[tonumber(slot)] = true
end
local function advance()
  while used[front] do used[front] = nil; front = front + 1 end
end
advance()
-- Every chat's TAT and pause, read in one MGET per thousand keys.
local tats, dirty, out, chats, wanted = {}, {}, {}, {}, {}
local tol = tonumber(ARGV[10])
for i = 11, #ARGV do
  if not wanted[ARGV[i]] then wanted[ARGV[i]] = true; chats[#chats + 1] = ARGV[i] end
end
local names, pauses = {}, {}
for i, chat in ipairs(chats) do
  names[2 * i - 1] = ARGV[6] .. chat .. ARGV[7]
  names[2 * i] = ARGV[8] .. chat .. ARGV[9]
end
local values = {}
for i = 1, #names, 1000 do
  local got = redis.call('MGET', unpack(names, i, math.min(#names, i + 999)))
  for j = 1, #got do values[i + j - 1] = got[j] end
end
for i, chat in ipairs(chats) do
  local tat, pause = tonumber(values[2 * i - 1] or '0'), values[2 * i]
  if pause then tat = math.max(tat, tonumber(pause)); pauses[chat] = tonumber(pause) end
  tats[chat] = tat
end
for i = 11, #ARGV do
  local chat = ARGV[i]
  local tat = tats[chat]
  local earliest = math.max(tat - tol, pauses[chat] or 0)
  local slot = math.max(front, math.ceil(math.max(now, earliest) * rate - 1e-3))
  while used[slot] do slot = slot + 1 end
  local t = math.max(now, slot / rate)
  if t - now > horizon then
    out[#out + 1] = -math.floor((t - now) * 1e6) - 1
  else
    for j = 0, step - 1 do used[slot + j] = true end
    advance()
    if tonumber(chat) > 0 then tats[chat] = math.max(tat, t) + tonumber(ARGV[4])
    else tats[chat] = math.max(tat, t) + tonumber(ARGV[5]) end
    dirty[chat] = true
    out[#out + 1] = math.floor((t - now) * 1e6)
  end
end
local function ttl(t) return math.ceil((t - now) * 1000) + 1000 end
redis.call('SET', KEYS[1], string.format('%d', front), 'PX', ttl(front / rate))
redis.call('DEL', KEYS[2])
local last = front
for slot, _ in pairs(used) do
  redis.call('ZADD', KEYS[2], slot, string.format('%d', slot))
  if slot > last then last = slot end
end
if last > front then redis.call('PEXPIRE', KEYS[2], ttl(last / rate)) end
for chat, _ in pairs(dirty) do
  local key, tat = ARGV[6] .. chat .. ARGV[7], tats[chat]
  redis.call('SET', key, string.format('%.6f', tat), 'PX', ttl(tat))
end
return out
"""


@dataclass(frozen=True, slots=True)
class RateLimits:
    """The limits to keep (defaults: Telegram's free limits)."""

    global_per_sec: float = 30.0
    chat_per_min: float = 20.0
    private_per_sec: float = 1.0
    paid_per_sec: float = 1000.0
    paid: bool = False
    enabled: bool = True

    @property
    def pace_per_sec(self) -> float:
        """The overall rate in effect (paid broadcast mode raises it)."""
        return self.paid_per_sec if self.paid else self.global_per_sec


class Reservation(NamedTuple):
    """When one message may be sent: `delay` seconds from now; `granted` False = not reserved."""

    delay: float
    granted: bool


class RateLimiter:
    """Reserves send times for batches of messages under the global and per-chat limits."""

    def __init__(self, redis: Redis, keys: Keys, limits: RateLimits | None = None) -> None:
        self.redis = redis
        self.keys = keys
        self.limits = limits or RateLimits()
        self._script = redis.register_script(RESERVE)
        self._chat_t = key_template(keys.rate("chat.@"))
        self._pause_t = key_template(keys.chat_pause("@"))  # type: ignore[arg-type]

    async def reserve(
        self,
        chat_ids: Sequence[int],
        now: float,
        *,
        horizon: float = 2.0,
        burst: int = 1,
    ) -> list[Reservation]:
        """Reserve a send time for each message (one per chat id, in order), one round trip.

        A message whose earliest time is more than `horizon` seconds away is not reserved
        (`granted=False`, `delay` says how long to wait): the caller puts it back instead of
        holding a slot it cannot use yet. `burst` > 1 lets that many messages into one chat
        go at once after a quiet spell (GCRA tolerance, as Telegram allows a short burst);
        the chat's average rate and any 429 pause still hold.
        """
        if not chat_ids:
            return []
        if not self.limits.enabled:
            return [Reservation(0.0, True)] * len(chat_ids)
        args = self._args(chat_ids, now, horizon, burst)
        raw = await self._script(keys=self._keys(), args=args)
        return [_reservation(int(value)) for value in raw]

    async def acquire(
        self, chat_id: int, now: float, *, horizon: float = math.inf, burst: int = 1
    ) -> float:
        """Reserve one message to `chat_id`; returns the seconds to wait before sending it."""
        reservation = (await self.reserve([chat_id], now, horizon=horizon, burst=burst))[0]
        return reservation.delay

    async def pause_chat(self, chat_id: int, seconds: float, now: float) -> None:
        """Send nothing to this chat for `seconds` (Telegram answered 429 retry_after)."""
        until = now + seconds
        ttl = max(1, math.ceil(seconds * 1000))
        await self.redis.set(self.keys.chat_pause(chat_id), f"{until:.6f}", px=ttl)

    async def forget_chat(self, chat_id: int) -> None:
        """Drop the chat's pacing state (a reader who left with /stop leaves no key behind;
        it only ever delays, so forgetting it early is harmless)."""
        await self.redis.delete(
            self.keys.rate(f"chat.{int(chat_id)}"), self.keys.chat_pause(chat_id)
        )

    async def slow_down(self, factor: float, seconds: float, now: float) -> None:
        """Divide the overall pace by `factor` for `seconds` (after a 429: back off globally)."""
        ttl = max(1, math.ceil(seconds * 1000))
        await self.redis.set(self.keys.rate("slow"), f"{factor} {now + seconds:.6f}", px=ttl)

    def _keys(self) -> list[str]:
        scope = "paid" if self.limits.paid else "global"
        return [self.keys.rate(scope), self.keys.rate(f"{scope}.booked"), self.keys.rate("slow")]

    def _args(self, chat_ids: Sequence[int], now: float, horizon: float, burst: int) -> list[str]:
        lim = self.limits
        horizon_arg = "1e18" if math.isinf(horizon) else repr(horizon)
        # The tolerance is `burst - 1` private-chat intervals (bursts are for replies to
        # people in their private chats); 0 keeps the strict spacing the engine uses.
        tolerance = max(0, burst - 1) / lim.private_per_sec
        return [
            repr(now), horizon_arg, repr(lim.pace_per_sec), repr(1.0 / lim.private_per_sec),
            repr(60.0 / lim.chat_per_min), *self._chat_t, *self._pause_t, repr(tolerance),
            *(str(int(chat)) for chat in chat_ids),
        ]  # fmt: skip


def _reservation(micros: int) -> Reservation:
    if micros < 0:
        return Reservation((-micros - 1) / 1e6, False)
    return Reservation(micros / 1e6, True)
