"""``SandboxClient``: a typed async wrapper over the control API, for tests and tools."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from sandbox.models import JsonDict

MessagePredicate = Callable[[JsonDict], bool]


class SandboxError(Exception):
    """The control API refused a request (``status`` is the HTTP status)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


class SandboxClient:
    """Drive a running sandbox: make chats and users, act as them, read what the bot did."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._own_session = session is None

    async def close(self) -> None:
        """Close the HTTP session if this client opened it."""
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, **query: Any
    ) -> Any:
        """Call ``/sandbox/<path>``; returns the decoded JSON or raises SandboxError."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        url = f"{self.base_url}/sandbox/{path.lstrip('/')}"
        async with self._session.request(method, url, json=body, params=_clean(query)) as resp:
            data = await resp.json(content_type=None)
            if resp.status >= 400:
                message = data.get("error") if isinstance(data, dict) else str(data)
                raise SandboxError(resp.status, str(message))
            return data

    # chats and users

    async def create_chat(self, type: str, **fields: Any) -> JsonDict:
        """Create a chat: ``type`` plus ``title``/``first_name``, ``username``, ``id``,
        ``bot_status``, ``can_*`` rights (see docs/sandbox.md)."""
        result: JsonDict = await self.request("POST", "chats", {"type": type, **_clean(fields)})
        return result

    async def create_private_chat(self, first_name: str, **fields: Any) -> JsonDict:
        """A user and their private chat with the bot (chat id == user id)."""
        return await self.create_chat("private", first_name=first_name, **fields)

    async def create_channel(
        self, title: str, *, bot_status: str = "administrator", **fields: Any
    ) -> JsonDict:
        """A channel where the bot is, by default, an administrator that can post."""
        return await self.create_chat("channel", title=title, bot_status=bot_status, **fields)

    async def create_group(
        self, title: str, *, supergroup: bool = False, **fields: Any
    ) -> JsonDict:
        """A group (or supergroup) with the bot as a member."""
        return await self.create_chat(
            "supergroup" if supergroup else "group", title=title, **fields
        )

    async def create_user(self, first_name: str, **fields: Any) -> JsonDict:
        """A person with no private chat yet (to add as admin or group author)."""
        result: JsonDict = await self.request(
            "POST", "users", {"first_name": first_name, **_clean(fields)}
        )
        return result

    async def chats(self) -> list[JsonDict]:
        """Every chat."""
        result: list[JsonDict] = await self.request("GET", "chats")
        return result

    async def chat(self, chat_id: int | str) -> JsonDict:
        """One chat with the bot's status, admins and message count."""
        result: JsonDict = await self.request("GET", f"chats/{chat_id}")
        return result

    async def set_bot_status(self, chat_id: int, status: str, **options: Any) -> JsonDict:
        """Move the bot (``administrator``/``member``/``left``/``kicked``); emits my_chat_member.
        Options: ``can_post_messages`` and other rights, ``from_id``, ``token``, ``bot_id``."""
        body = {"status": status, **_clean(options)}
        result: JsonDict = await self.request("POST", f"chats/{chat_id}/bot", body)
        return result

    async def add_admin(
        self, chat_id: int, user_id: int, status: str = "administrator", **options: Any
    ) -> JsonDict:
        """Make a user creator or administrator of a group or channel."""
        body = {"user_id": user_id, "status": status, **_clean(options)}
        result: JsonDict = await self.request("POST", f"chats/{chat_id}/admins", body)
        return result

    async def remove_admin(self, chat_id: int, user_id: int) -> JsonDict:
        """Take a user's admin status away."""
        result: JsonDict = await self.request("DELETE", f"chats/{chat_id}/admins/{user_id}")
        return result

    async def block(self, chat_id: int, blocked: bool = True) -> JsonDict:
        """The private chat's user blocks the bot (or unblocks with ``blocked=False``)."""
        result: JsonDict = await self.request(
            "POST", f"chats/{chat_id}/block", {"blocked": blocked}
        )
        return result

    async def unblock(self, chat_id: int) -> JsonDict:
        """The user unblocks the bot."""
        return await self.block(chat_id, blocked=False)

    async def migrate(self, chat_id: int) -> JsonDict:
        """Upgrade a group to a supergroup; returns the new chat (new id)."""
        result: JsonDict = await self.request("POST", f"chats/{chat_id}/migrate")
        return result

    # people acting

    async def send_user_message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        photo: bytes | str | None = None,
        document: tuple[str, bytes] | None = None,
        **options: Any,
    ) -> JsonDict:
        """A user writes (``from_id`` defaults to the private chat's user); the bot gets an
        update. ``photo``: bytes or a URL; ``document``: ``(file_name, content)``. Options:
        ``caption``, ``from_id``, ``entities``, ``forward_from_chat_id``,
        ``forward_from_message_id``, ``reply_to_message_id``, ``token``."""
        body: dict[str, Any] = {"text": text, **options}
        if isinstance(photo, bytes):
            body["photo"] = base64.b64encode(photo).decode()
        elif photo is not None:
            body["photo"] = photo
        if document is not None:
            name, content = document
            body["document"] = {
                "file_name": name,
                "content_base64": base64.b64encode(content).decode(),
            }
        result: JsonDict = await self.request("POST", f"chats/{chat_id}/messages", _clean(body))
        return result

    async def press_button(
        self, chat_id: int, message_id: int, callback_data: str, from_id: int | None = None
    ) -> str:
        """A user presses an inline button; returns the callback query id."""
        body = _clean(
            {"message_id": message_id, "callback_data": callback_data, "from_id": from_id}
        )
        result = await self.request("POST", f"chats/{chat_id}/messages", body)
        return str(result["callback_query_id"])

    # what happened

    async def messages(self, chat_id: int) -> list[JsonDict]:
        """Every message of a chat, in order, deleted ones marked ``deleted``."""
        result: list[JsonDict] = await self.request("GET", f"chats/{chat_id}/messages")
        return result

    async def bot_messages(self, chat_id: int, *, include_deleted: bool = False) -> list[JsonDict]:
        """Messages the bot sent to a chat."""
        return [
            m
            for m in await self.messages(chat_id)
            if m["from"]["is_bot"] and (include_deleted or not m["deleted"])
        ]

    async def wait_for_message(
        self, chat_id: int, predicate: MessagePredicate | None = None, *, timeout: float = 5.0
    ) -> JsonDict:
        """The first message in ``chat_id`` matching ``predicate`` (default: any bot message),
        waiting on the event feed rather than sleeping. Raises TimeoutError."""
        match = predicate or (lambda m: bool(m["from"]["is_bot"]))
        since = 0
        deadline = time.monotonic() + timeout
        while True:
            for message in await self.messages(chat_id):
                if match(message):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no matching message in chat {chat_id} within {timeout}s")
            feed = await self.events(since, timeout=remaining)
            since = feed["last"]

    async def events(self, since: int = 0, timeout: float = 0) -> JsonDict:
        """``{"last", "events"}``: changes after ``since``, long-polling up to ``timeout``."""
        result: JsonDict = await self.request("GET", "events", since=since, timeout=timeout)
        return result

    async def file_bytes(self, file_id: str) -> bytes:
        """The bytes of an uploaded photo or document."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.get(f"{self.base_url}/sandbox/files/{file_id}") as resp:
            if resp.status >= 400:
                raise SandboxError(resp.status, "file not found")
            return await resp.read()

    async def stats(self) -> JsonDict:
        """Per-method counters (calls, ok, errors by code, rate_limited) and messages per chat."""
        result: JsonDict = await self.request("GET", "stats")
        return result

    # bots, limits, faults

    async def register_bot(self, token: str) -> JsonDict:
        """Make a bot known (the first one becomes the default) before it calls the API."""
        result: JsonDict = await self.request("POST", "bots", {"token": token})
        return result

    async def bots(self) -> list[JsonDict]:
        """Known bots with pending update counts and webhook URLs."""
        result: list[JsonDict] = await self.request("GET", "bots")
        return result

    async def pending_updates(self, bot_id: int) -> list[JsonDict]:
        """Updates waiting for a bot (not confirmed by reading them here)."""
        result: list[JsonDict] = await self.request("GET", f"bots/{bot_id}/updates")
        return result

    async def limits(self) -> JsonDict:
        """Current rate limits."""
        result: JsonDict = await self.request("GET", "limits")
        return result

    async def set_limits(self, **limits: Any) -> JsonDict:
        """Change limits: ``enabled``, ``global_per_sec``, ``private_per_sec``,
        ``private_burst``, ``group_per_min``, ``paid_per_sec``."""
        result: JsonDict = await self.request("POST", "limits", limits)
        return result

    async def add_fault(
        self,
        method: str = "*",
        *,
        count: int | None = 1,
        error_code: int | None = None,
        **options: Any,
    ) -> JsonDict:
        """The next ``count`` calls of ``method`` fail with ``error_code`` (options:
        ``description``, ``retry_after``, ``latency_ms``)."""
        body = {"method": method, "count": count, "error_code": error_code, **options}
        result: JsonDict = await self.request("POST", "faults", _clean(body))
        return result

    async def add_latency(self, latency_ms: float, method: str = "*") -> JsonDict:
        """Every call (of ``method``) takes ``latency_ms`` longer, until faults are cleared."""
        body = {"method": method, "latency_ms": latency_ms}
        result: JsonDict = await self.request("POST", "faults", body)
        return result

    async def clear_faults(self) -> None:
        """Remove every fault and latency rule."""
        await self.request("DELETE", "faults")

    async def reset(self) -> None:
        """Empty the sandbox (bots stay known; limits back to the start values)."""
        await self.request("POST", "reset")
