"""Updates the sandbox emits to bots: messages, button presses, membership changes."""

from __future__ import annotations

from sandbox.bots import BotState
from sandbox.models import PRESENT, Chat, Membership, StoredMessage, User
from sandbox.serialize import member_api, message_api
from sandbox.state import SandboxState


def member_changed(
    state: SandboxState,
    bot: BotState,
    chat: Chat,
    actor: User,
    old: Membership,
    new: Membership,
) -> None:
    """Emit ``my_chat_member``: the bot's status in ``chat`` went from ``old`` to ``new``."""
    payload = {
        "chat": chat.api(),
        "from": actor.api(),
        "date": state.now(),
        "old_chat_member": member_api(bot.user.api(), old),
        "new_chat_member": member_api(bot.user.api(), new),
    }
    state.emit(bot, "my_chat_member", payload)
    state.events.add("chat", chat_id=chat.id)


def bots_receiving(state: SandboxState, chat: Chat, target: BotState | None) -> list[BotState]:
    """Bots that get a user's message in ``chat`` (privacy mode off, like an admin bot)."""
    if chat.type == "private":
        bot = target or state.default_bot()
        return [bot] if chat.membership(bot.id).status in PRESENT else []
    bots = [target] if target is not None else list(state.bots.values())
    receiving = []
    for bot in bots:
        membership = chat.membership(bot.id)
        if chat.type == "channel" and membership.status not in ("administrator", "creator"):
            continue
        if membership.status in PRESENT:
            receiving.append(bot)
    return receiving


def new_message(
    state: SandboxState, message: StoredMessage, target: BotState | None = None
) -> list[int]:
    """Emit ``message`` (or ``channel_post``) to the bots in the chat; their ids."""
    kind = "channel_post" if message.chat.type == "channel" else "message"
    payload = message_api(message)
    bots = bots_receiving(state, message.chat, target)
    for bot in bots:
        state.emit(bot, kind, payload)
    return [bot.id for bot in bots]
