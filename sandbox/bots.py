"""One bot's side of the sandbox: its identity, pending updates, long polling, webhook."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass
from typing import Any

from sandbox.errors import bad_request, conflict
from sandbox.models import JsonDict, User

NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
POLL_CONFLICT = (
    "terminated by other getUpdates request; make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass(slots=True)
class Webhook:
    """A set webhook and the outcome of its last delivery."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: frozenset[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


def parse_token(token: str) -> int | None:
    """The bot id of a ``<digits>:<secret>`` token, ``None`` for anything else.

    Bot ids are positive, so ``0:abc`` is as malformed as ``abc``.
    """
    digits, sep, secret = token.partition(":")
    if not sep or not digits.isascii() or not digits.isdigit() or not secret or len(digits) > 18:
        return None
    bot_id = int(digits)
    return bot_id if bot_id > 0 else None


class BotState:
    """Everything the sandbox keeps per bot; state of chats lives in the chats themselves."""

    def __init__(self, bot_id: int, username: str, first_name: str) -> None:
        self.id = bot_id
        self.user = User(bot_id, first_name, username=username, is_bot=True)
        self.updates: deque[JsonDict] = deque()
        self.next_update_id = 1
        self.allowed: frozenset[str] | None = None
        self.polling = False
        self.webhook: Webhook | None = None
        self.webhook_task: asyncio.Task[None] | None = None
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._wakeup = asyncio.Event()

    def me(self) -> JsonDict:
        """The ``getMe`` answer."""
        return {
            **self.user.api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def accepts(self, kind: str) -> bool:
        """Whether an update of ``kind`` passes the bot's ``allowed_updates``."""
        allowed = self.webhook.allowed_updates if self.webhook is not None else self.allowed
        if allowed is None:
            return kind not in NOT_BY_DEFAULT
        return kind in allowed

    def enqueue(self, kind: str, payload: JsonDict) -> JsonDict | None:
        """Queue an update for the bot; ``None`` when its allowed_updates filter it out."""
        if not self.accepts(kind):
            return None
        update = {"update_id": self.next_update_id, kind: payload}
        self.next_update_id += 1
        self.updates.append(update)
        self._wakeup.set()
        return update

    def confirm(self, offset: int) -> None:
        """Forget updates before ``offset`` (negative: keep only the last ``-offset``)."""
        if offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()
            return
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()

    def set_allowed(self, raw: Any) -> frozenset[str] | None:
        """Validate an ``allowed_updates`` list; ``[]`` restores the default set.

        Only the filter is returned: as on Telegram, it applies to updates created after the
        call, and updates already queued are still delivered.
        """
        if raw is None:
            return self.allowed
        if not isinstance(raw, list) or not all(isinstance(kind, str) for kind in raw):
            raise bad_request("can't parse allowed_updates JSON object")
        return frozenset(raw) if raw else None

    def ensure_can_poll(self) -> None:
        """409 while a webhook is set or another ``getUpdates`` is waiting."""
        if self.webhook is not None:
            raise conflict(WEBHOOK_CONFLICT)
        if self.polling:
            raise conflict(POLL_CONFLICT)

    async def poll(self, offset: int | None, limit: int, timeout: float) -> list[JsonDict]:
        """The ``getUpdates`` long poll: answer at once if updates wait, else sleep on them."""
        self.ensure_can_poll()
        if offset is not None:
            self.confirm(offset)
        if not self.updates and timeout > 0:
            self.polling = True
            try:
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout)
            finally:
                self.polling = False
        if self.webhook is not None:
            return []
        return list(self.updates)[:limit] if len(self.updates) > limit else list(self.updates)

    async def next_update(self) -> JsonDict:
        """The oldest pending update, waiting for one (used by the webhook sender)."""
        while not self.updates:
            self._wakeup.clear()
            await self._wakeup.wait()
        return self.updates[0]

    def wake(self) -> None:
        """Wake a waiting poller or webhook sender (after a change of mode)."""
        self._wakeup.set()

    def clear(self) -> None:
        """Forget updates, webhook settings and commands (sandbox reset keeps the identity)."""
        self.updates.clear()
        self.allowed = None
        self.webhook = None
        self.commands.clear()
