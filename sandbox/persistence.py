"""The sandbox's world as a JSON file, and back (``SandboxConfig.state_file``).

Kept: bots (identity, commands, update counter), users, chats with members, admins and each
bot's status, every message with its edit history, deletion and pin marks, files (uploaded
bytes as base64, so one file holds everything and is replaced atomically) and the id counters.
Not kept: pending updates, webhooks, unanswered callback queries, limits, faults, stats.

Loading builds the whole world aside and installs it only when every part is valid, so an
unreadable file leaves the sandbox empty; the file is then moved to ``<name>.corrupt``.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox import jsonutil
from sandbox.bots import BotState
from sandbox.files import FileStore
from sandbox.models import Chat, JsonDict, MediaFile, Membership, StoredMessage, User
from sandbox.state import SandboxState

log = logging.getLogger(__name__)

FORMAT = "vestnik-sandbox-state"
VERSION = 1

Spec = dict[str, type | tuple[type, ...]]

_USER_FIELDS: Spec = {"last_name": str, "username": str, "language_code": str, "is_bot": bool}
_FILE_FIELDS: Spec = {"url": str, "file_name": str, "mime_type": str, "sizes": list}
_CHAT_FIELDS: Spec = {
    "title": str,
    "first_name": str,
    "last_name": str,
    "username": str,
    "language_code": str,
    "default_bot_status": str,
    "default_bot_rights": dict,
    "migrated_to": int,
    "migrated_from": int,
}
_MESSAGE_FIELDS: Spec = {
    "text": str,
    "caption": str,
    "entities": list,
    "reply_markup": dict,
    "link_preview_options": dict,
    "disable_notification": bool,
    "protect_content": bool,
    "media_group_id": str,
    "forward_origin": dict,
    "service": dict,
    "edit_date": int,
    "edit_history": list,
    "deleted": bool,
    "pinned": bool,
    "callback_answers": list,
}
_LOAD_ERRORS = (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


class StateFileError(ValueError):
    """The file is JSON, but not a sandbox state this version can load."""


# saving


def snapshot(state: SandboxState) -> JsonDict:
    """The persistent part of ``state`` as JSON-ready data (encode it before the next change:
    small dicts such as keyboards are shared with the live messages)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "counters": state.id_counters(),
        "bots": [_bot_json(bot) for bot in state.bots.values()],
        "users": [_user_json(user) for user in state.users.values()],
        "files": [_file_json(media) for media in state.files.all_files()],
        "chats": [_chat_json(chat) for chat in state.chats.values()],
    }


def encode(data: JsonDict) -> bytes:
    """The bytes written to the state file."""
    return jsonutil.dumps(data).encode()


def save_state(state: SandboxState, path: Path) -> None:
    """Write the world to ``path`` atomically (raises OSError when the disk refuses)."""
    write_atomically(path, encode(snapshot(state)))


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload``: a synced temporary file beside it, then os.replace.

    A crash at any moment leaves either the old file or the new one, never a torn mix.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _optional(obj: object, spec: Spec) -> JsonDict:
    """The fields of ``spec`` that differ from "nothing" (None, False, empty list)."""
    data: JsonDict = {}
    for key in spec:
        value = getattr(obj, key)
        if value is None or value is False or (isinstance(value, list) and not value):
            continue
        data[key] = list(value) if isinstance(value, list) else value
    return data


def _bot_json(bot: BotState) -> JsonDict:
    commands = [
        {"scope": scope, "language_code": language, "commands": list(items)}
        for (scope, language), items in bot.commands.items()
    ]
    return {
        "id": bot.id,
        "username": bot.user.username,
        "first_name": bot.user.first_name,
        "next_update_id": bot.next_update_id,
        "commands": commands,
    }


def _user_json(user: User) -> JsonDict:
    return {"id": user.id, "first_name": user.first_name, **_optional(user, _USER_FIELDS)}


def _file_json(media: MediaFile) -> JsonDict:
    data: JsonDict = {
        "file_id": media.file_id,
        "file_unique_id": media.file_unique_id,
        "kind": media.kind,
        **_optional(media, _FILE_FIELDS),
    }
    if media.data is not None:
        data["data"] = base64.b64encode(media.data).decode("ascii")
    return data


def _membership_json(membership: Membership) -> JsonDict:
    return {"status": membership.status, "rights": dict(membership.rights)}


def _chat_json(chat: Chat) -> JsonDict:
    return {
        "id": chat.id,
        "type": chat.type,
        **_optional(chat, _CHAT_FIELDS),
        "bots": {str(bot_id): _membership_json(m) for bot_id, m in chat.bots.items()},
        "admins": {str(user_id): _membership_json(m) for user_id, m in chat.admins.items()},
        "members": sorted(chat.members),
        "messages": [_message_json(message) for message in chat.messages],
    }


def _message_json(message: StoredMessage) -> JsonDict:
    data: JsonDict = {
        "message_id": message.message_id,
        "date": message.date,
        "author": message.author.id,
        "by_bot": message.by_bot,
        **_optional(message, _MESSAGE_FIELDS),
    }
    if message.photo is not None:
        data["photo"] = message.photo.file_id
    if message.document is not None:
        data["document"] = message.document.file_id
    if message.reply_to is not None:
        data["reply_to"] = message.reply_to.message_id
    return data


# loading


@dataclass(slots=True)
class World:
    """Everything a state file restores, built before any of it touches the sandbox."""

    bots: dict[int, BotState]
    users: dict[int, User]
    chats: dict[int, Chat]
    files: FileStore
    counters: dict[str, int]


def load_state(state: SandboxState, path: Path) -> bool:
    """Fill a sandbox that has served nothing yet from ``path``.

    ``False`` when there is no file, or when it cannot be read: then it is logged, moved
    aside to ``<name>.corrupt`` (kept for a post-mortem, never overwritten) and the sandbox
    starts empty instead of failing.
    """
    try:
        world = world_from_json(jsonutil.loads(path.read_bytes()))
    except FileNotFoundError:
        return False
    except _LOAD_ERRORS as exc:
        aside = set_aside(path)
        log.warning(
            "sandbox state file %s is unreadable (%s: %s); moved to %s, starting empty",
            path,
            type(exc).__name__,
            exc,
            aside,
        )
        return False
    install(state, world)
    log.info("sandbox state loaded from %s: %d chats", path, len(world.chats))
    return True


def set_aside(path: Path) -> Path | None:
    """Rename an unreadable state file to the first free ``.corrupt[.N]`` name beside it."""
    for number in range(1000):
        suffix = ".corrupt" if number == 0 else f".corrupt.{number}"
        target = path.with_name(path.name + suffix)
        if target.exists():
            continue
        try:
            os.replace(path, target)
        except OSError as exc:
            log.warning("could not move %s aside: %s", path, exc)
            return None
        return target
    return None


def install(state: SandboxState, world: World) -> None:
    """Replace the sandbox's bots, users, chats, files and counters with ``world``."""
    for bot in state.bots.values():
        state.webhooks.stop(bot)
    state.bots.clear()
    state.bots.update(world.bots)
    state.users = world.users
    state.chats = world.chats
    state.files = world.files
    state.callbacks.clear()
    state.restore_id_counters(world.counters)


def world_from_json(data: Any) -> World:
    """Build the saved world; raises StateFileError (or KeyError/TypeError) when it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StateFileError("not a sandbox state file")
    if data.get("version") != VERSION:
        raise StateFileError(f"unsupported state version {data.get('version')!r}")
    bots = {bot.id: bot for bot in map(_bot_from, _items(data, "bots"))}
    users: dict[int, User] = {bot_id: bot.user for bot_id, bot in bots.items()}
    for raw in _items(data, "users"):
        user = _user_from(raw)
        users.setdefault(user.id, user)
    files = FileStore()
    for raw in _items(data, "files"):
        files.restore(_file_from(raw))
    chats: dict[int, Chat] = {}
    for raw in _items(data, "chats"):
        chat = _chat_from(raw, users, files)
        chats[chat.id] = chat
    counters = _required(data, "counters", dict)
    if not all(isinstance(value, int) for value in counters.values()):
        raise StateFileError("counters must be integers")
    return World(bots, users, chats, files, counters)


def _required(raw: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    """``raw[key]``, which must exist and be of ``kind``."""
    if not isinstance(raw, dict):
        raise StateFileError(f"expected an object holding {key!r}")
    value = raw.get(key)
    if not isinstance(value, kind):
        raise StateFileError(f"{key!r} is missing or of the wrong type")
    return value


def _items(raw: Any, key: str) -> list[JsonDict]:
    """A list of objects under ``key``."""
    items: list[Any] = _required(raw, key, list)
    if not all(isinstance(item, dict) for item in items):
        raise StateFileError(f"{key!r} must hold objects")
    return items


def _typed(raw: JsonDict, spec: Spec) -> JsonDict:
    """The optional fields of ``spec`` present in ``raw``, each checked for its type."""
    values: JsonDict = {}
    for key, kind in spec.items():
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, kind):
            raise StateFileError(f"{key!r} is of the wrong type")
        values[key] = value
    return values


def _bot_from(raw: JsonDict) -> BotState:
    bot_id = _required(raw, "id", int)
    bot = BotState(bot_id, _required(raw, "username", str), _required(raw, "first_name", str))
    bot.next_update_id = _required(raw, "next_update_id", int)
    for item in _items(raw, "commands"):
        key = (_required(item, "scope", str), _required(item, "language_code", str))
        bot.commands[key] = list(_items(item, "commands"))
    return bot


def _user_from(raw: JsonDict) -> User:
    return User(
        _required(raw, "id", int), _required(raw, "first_name", str), **_typed(raw, _USER_FIELDS)
    )


def _file_from(raw: JsonDict) -> MediaFile:
    data = raw.get("data")
    return MediaFile(
        file_id=_required(raw, "file_id", str),
        file_unique_id=_required(raw, "file_unique_id", str),
        kind=_required(raw, "kind", str),
        data=None if data is None else base64.b64decode(data, validate=True),
        **_typed(raw, _FILE_FIELDS),
    )


def _membership_from(raw: Any) -> Membership:
    rights = _required(raw, "rights", dict)
    return Membership(_required(raw, "status", str), {k: bool(v) for k, v in rights.items()})


def _memberships(raw: JsonDict, key: str) -> dict[int, Membership]:
    found: dict[str, Any] = _required(raw, key, dict)
    return {int(member_id): _membership_from(value) for member_id, value in found.items()}


def _chat_from(raw: JsonDict, users: dict[int, User], files: FileStore) -> Chat:
    chat = Chat(_required(raw, "id", int), _required(raw, "type", str), **_typed(raw, _CHAT_FIELDS))
    chat.bots = _memberships(raw, "bots")
    chat.admins = _memberships(raw, "admins")
    chat.members = {int(user_id) for user_id in _required(raw, "members", list)}
    for item in _items(raw, "messages"):
        chat.messages.append(_message_from(item, chat, users, files))
    return chat


def _message_from(
    raw: JsonDict, chat: Chat, users: dict[int, User], files: FileStore
) -> StoredMessage:
    """One message; ids must run 1, 2, 3… since a message's id is its place in the chat."""
    message_id = _required(raw, "message_id", int)
    if message_id != len(chat.messages) + 1:
        raise StateFileError(f"chat {chat.id}: message {message_id} is out of sequence")
    author = users.get(_required(raw, "author", int))
    if author is None:
        raise StateFileError(f"chat {chat.id}: message {message_id} has an unknown author")
    values = _typed(raw, _MESSAGE_FIELDS)
    for kind in ("photo", "document"):
        if raw.get(kind) is not None:
            values[kind] = _known_file(files, raw[kind])
    if raw.get("reply_to") is not None:
        values["reply_to"] = chat.message(_required(raw, "reply_to", int))
    date, by_bot = _required(raw, "date", int), _required(raw, "by_bot", bool)
    return StoredMessage(message_id, chat, date, author, by_bot, **values)


def _known_file(files: FileStore, file_id: Any) -> MediaFile:
    media = files.get(file_id) if isinstance(file_id, str) else None
    if media is None:
        raise StateFileError(f"unknown file {file_id!r}")
    return media
