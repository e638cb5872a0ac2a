"""Control-API actions that shape chats: create, set the bot's status, admins, block, migrate."""

from __future__ import annotations

from typing import Any

from sandbox.bots import BotState
from sandbox.errors import ControlError
from sandbox.models import BOT_STATUSES, Chat, Membership, User
from sandbox.notify import member_changed, new_message
from sandbox.state import NoBotError, SandboxState

SERVICE_USER_ID = 777000
_DEFAULT_BOT_STATUS = {
    "private": "member",
    "group": "member",
    "supergroup": "member",
    "channel": "left",
}
_NAME_FIELDS = ("title", "first_name", "last_name", "username", "language_code")


def pick_bot(state: SandboxState, body: dict[str, Any]) -> BotState:
    """The bot a request names by ``token`` or ``bot_id``; else the first bot seen."""
    if body.get("token"):
        bot = state.bot_for_token(str(body["token"]))
        if bot is None:
            raise ControlError("token must look like <digits>:<secret>")
        return bot
    if body.get("bot_id") is not None:
        return state.bot(_int(body, "bot_id"))
    try:
        return state.default_bot()
    except NoBotError as exc:
        raise ControlError(str(exc), 409) from None


def _int(body: dict[str, Any], key: str) -> int:
    try:
        return int(body[key])
    except (KeyError, TypeError, ValueError):
        raise ControlError(f"{key} must be an integer") from None


def rights_from(body: dict[str, Any]) -> dict[str, Any]:
    """``can_*`` flags given at the top level or under ``rights``."""
    rights = dict(body.get("rights") or {})
    rights.update({k: v for k, v in body.items() if k.startswith("can_")})
    return rights


def create_chat(state: SandboxState, body: dict[str, Any]) -> Chat:
    """A new chat from ``{"type", "title"|"first_name", "username"?, "id"?, "bot_status"?}``."""
    kind = str(body.get("type", ""))
    if kind == "private" and not body.get("first_name"):
        raise ControlError("a private chat needs first_name")
    if kind in ("group", "supergroup", "channel") and not body.get("title"):
        raise ControlError(f"a {kind} needs a title")
    status = str(body.get("bot_status") or _DEFAULT_BOT_STATUS.get(kind, "member"))
    if status not in BOT_STATUSES:
        raise ControlError(f"bot_status must be one of {', '.join(BOT_STATUSES)}")
    fields = {key: body[key] for key in _NAME_FIELDS if body.get(key)}
    chat_id = _int(body, "id") if body.get("id") is not None else None
    try:
        return state.add_chat(
            kind,
            chat_id,
            default_bot_status=status,
            default_bot_rights=state.admin_rights(rights_from(body)),
            **fields,
        )
    except ValueError as exc:
        raise ControlError(str(exc)) from None


def actor(state: SandboxState, chat: Chat, body: dict[str, Any]) -> User:
    """Who made a change: ``from_id``, else the chat's user or creator, else Telegram."""
    if body.get("from_id") is not None:
        return state.user(_int(body, "from_id"))
    if chat.type == "private":
        return state.user(chat.id)
    owners = [uid for uid, m in chat.admins.items() if m.status == "creator"] or list(chat.admins)
    if owners:
        return state.user(owners[0])
    return state.users.get(SERVICE_USER_ID) or state.add_user("Telegram", SERVICE_USER_ID)


def set_bot_status(state: SandboxState, chat: Chat, body: dict[str, Any]) -> Membership:
    """Change the bot's status in ``chat``; emits ``my_chat_member`` when it changes."""
    status = str(body.get("status", ""))
    if status not in BOT_STATUSES or status == "creator":
        raise ControlError("status must be administrator, member, left or kicked")
    if chat.type == "private" and status not in ("member", "kicked"):
        raise ControlError("in a private chat the bot is member or kicked (blocked)")
    bot = pick_bot(state, body)
    rights = state.admin_rights(rights_from(body)) if status == "administrator" else {}
    return _change(state, bot, chat, Membership(status, rights), actor(state, chat, body))


def _change(
    state: SandboxState, bot: BotState, chat: Chat, new: Membership, who: User
) -> Membership:
    old = chat.membership(bot.id)
    chat.bots[bot.id] = new
    if (old.status, old.rights) != (new.status, new.rights):
        member_changed(state, bot, chat, who, old, new)
    return new


def block(state: SandboxState, chat: Chat, body: dict[str, Any]) -> Membership:
    """The private chat's user blocks (``kicked``) or unblocks (``member``) the bot."""
    if chat.type != "private":
        raise ControlError("only a private chat's user can block the bot")
    status = "kicked" if body.get("blocked", True) else "member"
    bot = pick_bot(state, body)
    return _change(state, bot, chat, Membership(status), state.user(chat.id))


def add_admin(state: SandboxState, chat: Chat, body: dict[str, Any]) -> Membership:
    """Make a user (created if new) the creator or an administrator of ``chat``."""
    if chat.type == "private":
        raise ControlError("a private chat has no administrators")
    status = str(body.get("status") or "administrator")
    if status not in ("creator", "administrator"):
        raise ControlError("status must be creator or administrator")
    user = state.user(_int(body, "user_id"), body.get("first_name"))
    rights = state.admin_rights(rights_from(body)) if status == "administrator" else {}
    membership = chat.admins[user.id] = Membership(status, rights)
    chat.members.add(user.id)
    state.events.add("chat", chat_id=chat.id)
    return membership


def remove_admin(state: SandboxState, chat: Chat, user_id: int) -> None:
    """The user stays a member but is no longer an administrator."""
    if chat.admins.pop(user_id, None) is None:
        raise ControlError(f"user {user_id} is not an administrator of chat {chat.id}", 404)
    state.events.add("chat", chat_id=chat.id)


def migrate(state: SandboxState, chat: Chat) -> Chat:
    """Upgrade a basic group to a supergroup with a new id, as Telegram does."""
    if chat.type != "group" or chat.migrated_to is not None:
        raise ControlError("only a basic group that was not migrated yet can be migrated")
    new = state.add_chat(
        "supergroup",
        title=chat.title,
        username=chat.username,
        default_bot_status=chat.default_bot_status,
        default_bot_rights=dict(chat.default_bot_rights),
        bots={bot_id: Membership(m.status, dict(m.rights)) for bot_id, m in chat.bots.items()},
        admins=dict(chat.admins),
        members=set(chat.members),
        migrated_from=chat.id,
    )
    chat.migrated_to = new.id
    who = actor(state, chat, {})
    for where, service in (
        (chat, {"migrate_to_chat_id": new.id}),
        (new, {"migrate_from_chat_id": chat.id}),
    ):
        message = state.append_message(where, who, by_bot=False, service=service)
        new_message(state, message)
    state.events.add("chat", chat_id=chat.id)
    return new
