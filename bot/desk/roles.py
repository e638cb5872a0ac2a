"""Who may do what in which channel: owners, the channel's Telegram admins, granted editors.

- Owners (`settings.admin_ids`) may do everything everywhere.
- A channel's admins are its Telegram admins (`getChatAdministrators`), cached for at most
  `cache_ttl` seconds; destructive actions (every settings change, cancel, retract, revoke,
  pause) re-check with the cache bypassed. When Telegram cannot be asked, an older list is
  used only for harmless actions (reading settings, showing the queue) and keeps the time it
  was really fetched at, so it never passes for a fresh one; a destructive action is refused.
- Editors are granted per channel (`/grant`, or a one-time invite code) and revoked.
Every decision is written to the audit log by `authorize`.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError

from bot.clock import Clock
from bot.desk.audit import AuditService
from bot.digits import is_digits
from storage.channels import ChannelRepo
from storage.models.channel import Channel
from storage.models.roles import Invite, Role, role_at_least
from storage.roles import RoleRepo

log = logging.getLogger(__name__)

ADMIN_CACHE_TTL = 300
UNREACHABLE_RETRY = 60.0  # ask Telegram about an unreachable channel at most this often
_UNREACHABLE_CAP = 10_000
INVITE_TTL = 24 * 3600
_TARGET = re.compile(r"^@?(?P<name>[A-Za-z][A-Za-z0-9_]{3,31})$")


@dataclass(frozen=True)
class Decision:
    """The outcome of a role check: allowed or not, the role found, and why."""

    allowed: bool
    role: Role | None
    reason: str  # ok | no_role | unknown_channel | unverified


class RoleService:
    """Role checks for one channel at a time, plus grants, revocations and invites."""

    def __init__(
        self,
        bot: Bot,
        owners: list[int],
        repo: RoleRepo,
        channels: ChannelRepo,
        audit: AuditService,
        clock: Clock,
        *,
        cache_ttl: int = ADMIN_CACHE_TTL,
        invite_ttl: int = INVITE_TTL,
    ) -> None:
        self._bot = bot
        self._owners = frozenset(owners)
        self.repo = repo
        self._channels = channels
        self.audit = audit
        self._clock = clock
        self._cache_ttl = cache_ttl
        self.invite_ttl = invite_ttl
        self._unreachable: dict[int, float] = {}  # chat id -> when Telegram last failed us

    def is_owner(self, user_id: int) -> bool:
        """Owners are the operators listed in ADMIN_IDS."""
        return user_id in self._owners

    async def telegram_admins(self, chat_id: int, *, fresh: bool = False) -> set[int] | None:
        """The channel's human Telegram admins; None when they cannot be verified now.

        With `fresh` the cache is bypassed and Telegram must answer. Otherwise a cached list
        younger than the TTL is used. When Telegram cannot be asked (e.g. the bot was removed
        from the channel) a stand-in is returned for harmless use: the older cached list, else
        the admins publishing recorded for the channel. The stand-in is never cached as if it
        were fresh; Telegram is asked again at most every `UNREACHABLE_RETRY` seconds, so a
        dead channel does not cost a call per update.
        """
        cached = (await self.repo.cached_admins([chat_id])).get(chat_id)
        now = self._clock.time()
        if not fresh:
            if cached and now - cached[0] < self._cache_ttl:
                return set(cached[1])
            if now - self._unreachable.get(chat_id, -UNREACHABLE_RETRY) < UNREACHABLE_RETRY:
                return await self._stand_in(chat_id, cached)
        fetched = await self._fetch_admins(chat_id)
        if fetched is not None:
            self._unreachable.pop(chat_id, None)
            return fetched
        if len(self._unreachable) >= _UNREACHABLE_CAP:
            self._unreachable.clear()
        self._unreachable[chat_id] = now
        return None if fresh else await self._stand_in(chat_id, cached)

    async def _stand_in(self, chat_id: int, cached: tuple[float, list[int]] | None) -> set[int]:
        """The best unverified guess at the admins: the stale cache, else what was recorded."""
        return set(cached[1]) if cached else await self._channels.admins(chat_id)

    async def _fetch_admins(self, chat_id: int) -> set[int] | None:
        try:
            members = await self._bot.get_chat_administrators(chat_id)
        except (TelegramAPIError, TelegramNetworkError) as exc:
            log.warning("cannot verify admins of %s: %s", chat_id, exc)
            return None
        ids = {m.user.id for m in members if not m.user.is_bot}
        await self.repo.cache_admins(chat_id, ids, self._clock.time(), self._cache_ttl)
        return ids

    async def role_in(self, user_id: int, chat_id: int, *, fresh: bool = False) -> Role | None:
        """The strongest role the user holds in this channel (None: no role)."""
        role, _ = await self._role(user_id, chat_id, fresh)
        return role

    async def _role(self, user_id: int, chat_id: int, fresh: bool) -> tuple[Role | None, bool]:
        """The role and whether the Telegram admin list could be checked."""
        if self.is_owner(user_id):
            return "owner", True
        admins = await self.telegram_admins(chat_id, fresh=fresh)
        if admins is not None and user_id in admins:
            return "admin", True
        if await self.repo.is_editor(chat_id, user_id):
            return "editor", admins is not None
        return None, admins is not None

    async def decide(
        self, user_id: int, chat_id: int, needed: Role, *, fresh: bool = False
    ) -> Decision:
        """Whether the user may act with `needed` rights in this known channel."""
        if await self._channels.get(chat_id) is None:
            return Decision(False, None, "unknown_channel")
        role, verified = await self._role(user_id, chat_id, fresh)
        if role_at_least(role, needed):
            return Decision(True, role, "ok")
        return Decision(False, role, "no_role" if verified else "unverified")

    async def authorize(
        self,
        user_id: int,
        chat_id: int,
        action: str,
        needed: Role,
        *,
        fresh: bool = False,
        detail: str | None = None,
    ) -> Decision:
        """`decide`, and write the decision (allowed or denied) to the audit log."""
        decision = await self.decide(user_id, chat_id, needed, fresh=fresh)
        note = detail if decision.allowed else _join(decision.reason, detail)
        await self.audit.record(user_id, action, chat_id, allowed=decision.allowed, detail=note)
        return decision

    async def channels_for(self, user_id: int, needed: Role) -> list[Channel]:
        """Known channels where the user holds at least `needed` (for pickers and filters)."""
        channels = await self._channels.all()
        if self.is_owner(user_id):
            return channels
        editor_of = set(await self.repo.editor_channels(user_id)) if needed == "editor" else set()
        admin_of = await self._admin_channels(user_id, [c.id for c in channels])
        return [c for c in channels if c.id in admin_of or c.id in editor_of]

    async def _admin_channels(self, user_id: int, chat_ids: list[int]) -> set[int]:
        cached = await self.repo.cached_admins(chat_ids)
        now = self._clock.time()
        found: set[int] = set()
        for chat_id in chat_ids:
            entry = cached.get(chat_id)
            if entry and now - entry[0] < self._cache_ttl:
                admins: set[int] | None = set(entry[1])
            else:
                admins = await self.telegram_admins(chat_id)
            if admins and user_id in admins:
                found.add(chat_id)
        return found

    async def has_any(self, user_id: int, needed: Role) -> bool:
        """Whether the user holds `needed` in at least one channel (the audience filters)."""
        if self.is_owner(user_id):
            return True
        if needed == "editor" and await self.repo.editor_channels(user_id):
            return True
        return bool(await self.channels_for(user_id, "admin"))

    async def grant(self, chat_id: int, target_id: int) -> bool:
        """Make the target an editor of the channel; False if they already were."""
        return await self.repo.grant_editor(chat_id, target_id)

    async def revoke(self, chat_id: int, target_id: int) -> bool:
        """Take the editor role away; False if they were not an editor there."""
        return await self.repo.revoke_editor(chat_id, target_id)

    async def create_invite(self, chat_id: int, admin_id: int) -> Invite:
        """A fresh one-time invite code for the channel, valid for `invite_ttl` seconds."""
        now = self._clock.time()
        invite = Invite(
            code=secrets.token_urlsafe(12).replace("-", "x").replace("_", "y"),
            chat_id=chat_id,
            created_by=admin_id,
            created_at=now,
            expires_at=now + self.invite_ttl,
        )
        await self.repo.save_invite(invite, self.invite_ttl)
        return invite

    async def redeem(self, code: str, user_id: int) -> Invite | None:
        """Use an invite: the user becomes an editor; None when unknown, used or expired."""
        if not re.fullmatch(r"[A-Za-z0-9]{4,64}", code):
            return None
        return await self.repo.redeem_invite(code, user_id, self._clock.time())

    async def remember_username(self, username: str | None, user_id: int) -> None:
        """Learn who is behind an @username (from every update the desk sees)."""
        if username:
            await self.repo.remember_username(username, user_id, self._clock.time())

    async def resolve_target(self, text: str) -> int | None:
        """A user id from `123456789` or `@username` (known from earlier updates)."""
        value = text.strip()
        if is_digits(value.lstrip("-")):
            number = int(value)
            return number if number > 0 else None
        match = _TARGET.match(value)
        if not match:
            return None
        return await self.repo.resolve_username(match.group("name"))


def _join(reason: str, detail: str | None) -> str:
    return f"{reason}: {detail}" if detail else reason
