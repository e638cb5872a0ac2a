"""Read-modify-write of one JSON-encoded model under optimistic locking (WATCH)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import WatchError

M = TypeVar("M", bound=BaseModel)


async def update_json_model(
    redis: Redis,
    key: str,
    model: type[M],
    mutate: Callable[[M], M | None],
    dump: Callable[[M], str],
) -> M | None:
    """Apply `mutate` to the model stored at `key`, retrying if another writer got there first.

    Returns the stored result: the changed model, the unchanged one when `mutate` returns
    None (nothing is written), or None when `key` holds nothing. `mutate` may run more than
    once, so it must only compute, never cause effects.
    """
    async with redis.pipeline(transaction=True) as pipe:
        while True:
            try:
                await pipe.watch(key)
                raw = await pipe.get(key)
                if not raw:
                    return None
                current = model.model_validate_json(raw)
                changed = mutate(current.model_copy(deep=True))
                if changed is None:
                    return current
                pipe.multi()  # type: ignore[no-untyped-call]
                pipe.set(key, dump(changed))
                await pipe.execute()
                return changed
            except WatchError:
                continue
