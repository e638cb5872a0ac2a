"""Named leases in Redis (`keys.lease(name)`): one holder at a time, lost on expiry.

Acquired with `SET NX PX`, renewed and released only by their holder (compare-and-set Lua),
so a process that stalled past its TTL cannot extend or drop a lease another took over.
"""

from __future__ import annotations

import math

from redis.asyncio import Redis

from storage.keys import Keys

# KEYS: 1 lease.  ARGV: 1 holder, 2 TTL ms.
_RENEW = r"""
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

# KEYS: 1 lease.  ARGV: 1 holder.
_RELEASE = r"""
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class LeaseRepo:
    """Acquire, renew, release and inspect named leases."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    async def acquire(self, name: str, holder: str, ttl: float) -> bool:
        """Take the lease if nobody holds it; True when `holder` now has it."""
        ok = await self.redis.set(self.keys.lease(name), holder, nx=True, px=_ms(ttl))
        return bool(ok)

    async def renew(self, name: str, holder: str, ttl: float) -> bool:
        """Extend the lease to `ttl` from now, only if `holder` still has it."""
        return bool(await self._renew(keys=[self.keys.lease(name)], args=[holder, _ms(ttl)]))

    async def release(self, name: str, holder: str) -> bool:
        """Give the lease up, only if `holder` has it (never drops someone else's)."""
        return bool(await self._release(keys=[self.keys.lease(name)], args=[holder]))

    async def holder(self, name: str) -> str | None:
        """Who holds the lease now, if anyone."""
        value = await self.redis.get(self.keys.lease(name))
        return str(value) if value is not None else None


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))
