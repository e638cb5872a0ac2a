"""getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo, bot commands."""

from __future__ import annotations

from typing import Any

from sandbox import jsonutil
from sandbox.bots import Webhook
from sandbox.errors import bad_request
from sandbox.methods.call import Call
from sandbox.models import JsonDict

MAX_TIMEOUT = 50
_COMMAND_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def get_me(call: Call) -> JsonDict:
    """The bot's own User object."""
    return call.bot.me()


async def get_updates(call: Call) -> list[JsonDict]:
    """Pending updates; long-polls up to ``timeout`` seconds when there are none."""
    params = call.params
    limit = params.get_int("limit") or 100
    timeout = min(max(params.get_float("timeout") or 0.0, 0.0), MAX_TIMEOUT)
    allowed = call.bot.set_allowed(params.get_json("allowed_updates"))
    # A refused call (webhook set, another poller waiting) must not change the filter.
    call.bot.ensure_can_poll()
    call.bot.allowed = allowed
    return await call.bot.poll(params.get_int("offset"), max(1, min(limit, 100)), timeout)


def set_webhook(call: Call) -> bool:
    """Deliver updates by POSTing them to ``url`` (an empty url removes the webhook)."""
    params, bot = call.params, call.bot
    url = params.get_str("url") or ""
    if not url:
        return delete_webhook(call)
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: HTTPS URL must be provided for webhook")
    if params.get_bool("drop_pending_updates"):
        bot.updates.clear()
    allowed = params.get_json("allowed_updates")
    bot.webhook = Webhook(
        url=url,
        secret_token=params.get_str("secret_token"),
        max_connections=params.get_int("max_connections") or 40,
        allowed_updates=bot.set_allowed(allowed) if allowed is not None else bot.allowed,
    )
    call.state.webhooks.start(bot)
    return True


def delete_webhook(call: Call) -> bool:
    """Stop webhook delivery; ``drop_pending_updates`` forgets what was not delivered."""
    bot = call.bot
    if bot.webhook is not None:
        bot.allowed = bot.webhook.allowed_updates
    bot.webhook = None
    call.state.webhooks.stop(bot)
    if call.params.get_bool("drop_pending_updates"):
        bot.updates.clear()
    return True


def get_webhook_info(call: Call) -> JsonDict:
    """Webhook URL, pending updates, last delivery error."""
    bot = call.bot
    info: JsonDict = {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": len(bot.updates),
    }
    hook = bot.webhook
    if hook is not None:
        info["url"] = hook.url
        info["max_connections"] = hook.max_connections
        if hook.allowed_updates is not None:
            info["allowed_updates"] = sorted(hook.allowed_updates)
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    return info


def _scope_key(call: Call) -> tuple[str, str]:
    scope = call.params.get_json("scope") or {"type": "default"}
    if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
        raise bad_request("can't parse BotCommandScope JSON object")
    language = call.params.get_str("language_code") or ""
    return jsonutil.dumps(dict(sorted(scope.items()))), language


def _check_command(item: Any) -> JsonDict:
    if not isinstance(item, dict):
        raise bad_request("can't parse BotCommand JSON object")
    command = str(item.get("command", "")).removeprefix("/").lower()
    description = str(item.get("description", ""))
    if not 1 <= len(command) <= 32 or not set(command) <= _COMMAND_CHARS:
        raise bad_request("BOT_COMMAND_INVALID")
    if not 1 <= len(description) <= 256:
        raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return {"command": command, "description": description}


def set_my_commands(call: Call) -> bool:
    """Store the command list for a scope and language."""
    commands = call.params.get_json("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands")
    call.bot.commands[_scope_key(call)] = [_check_command(item) for item in commands]
    return True


def get_my_commands(call: Call) -> list[JsonDict]:
    """The command list stored for exactly this scope and language."""
    return list(call.bot.commands.get(_scope_key(call), []))


def delete_my_commands(call: Call) -> bool:
    """Remove the command list of a scope and language."""
    call.bot.commands.pop(_scope_key(call), None)
    return True


def log_out(call: Call) -> bool:
    """Accepted and ignored (there is no cloud server to log out from)."""
    return True
