"""Helpers for the subscriber end-to-end tests: a user talks to the whole app via the sandbox."""

from __future__ import annotations

from typing import Any

from tests.harness import RunningApp, eventually

Message = dict[str, Any]


def body(message: Message) -> str:
    """A message's text or caption."""
    return str(message.get("text") or message.get("caption") or "")


def buttons(message: Message) -> list[dict[str, str]]:
    """Every inline button of a message, row after row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def button(message: Message, text_part: str) -> str:
    """The callback data of the first button whose label contains `text_part`."""
    for b in buttons(message):
        if text_part in b["text"]:
            return b["callback_data"]
    raise AssertionError(f"no button {text_part!r} in {[b['text'] for b in buttons(message)]}")


class Reader:
    """One sandbox user in a private chat with the bot."""

    def __init__(self, app: RunningApp, chat_id: int) -> None:
        self.app = app
        self.chat_id = chat_id

    @classmethod
    async def create(cls, app: RunningApp, name: str, language: str = "ru") -> Reader:
        """A new user with a private chat (Telegram reports `language` for them)."""
        chat = await app.client.create_private_chat(name, language_code=language)
        return cls(app, int(chat["id"]))

    async def bot_messages(self) -> list[Message]:
        """What the bot has sent to this chat so far."""
        return list(await self.app.client.bot_messages(self.chat_id))

    async def say(self, text: str) -> Message:
        """Write `text` and return the bot's first new message."""
        before = len(await self.bot_messages())
        await self.app.client.send_user_message(self.chat_id, text)
        return await self.next_message(before)

    async def next_message(self, before: int, timeout: float = 5.0) -> Message:
        """The first bot message after the first `before` ones."""

        async def check() -> Message | None:
            messages = await self.bot_messages()
            return messages[before] if len(messages) > before else None

        result: Message = await eventually(check, timeout, f"a reply in chat {self.chat_id}")
        return result

    async def press(self, message: Message, data: str) -> Message:
        """Press a button; returns the pressed message once the bot answered the press."""
        message_id = int(message["message_id"])
        answered = len(await self._answers(message_id))
        await self.app.client.press_button(self.chat_id, message_id, data)

        async def check() -> Message | None:
            current = await self.message(message_id)
            return current if len(current.get("callback_answers", [])) > answered else None

        result: Message = await eventually(check, 5.0, f"an answer to {data!r}")
        return result

    async def message(self, message_id: int) -> Message:
        """The current state of one message."""
        for m in await self.app.client.messages(self.chat_id):
            if m["message_id"] == message_id:
                return dict(m)
        raise AssertionError(f"no message {message_id}")

    async def _answers(self, message_id: int) -> list[Message]:
        return list((await self.message(message_id)).get("callback_answers", []))

    async def pushes(self, count: int) -> list[Message]:
        """Wait until `count` pushes (messages with a «Читать полностью» button) arrived.

        Pushes come through the delivery engine, paced per chat, on their own time: a test
        that goes on to `say` something must let them land first, or a late push is taken
        for the reply.
        """

        async def arrived() -> list[Message] | None:
            found = [m for m in await self.bot_messages() if _is_push(m)]
            return found if len(found) >= count else None

        found: list[Message] = await eventually(arrived, 10.0, f"{count} pushes")
        assert len(found) == count, f"expected {count} pushes, got {len(found)}"
        return found

    async def edited(self, message_id: int, fragment: str) -> Message:
        """Wait until a message has been edited to contain `fragment`."""

        async def check() -> Message | None:
            current = await self.message(message_id)
            return current if fragment in body(current) and current["edited"] else None

        result: Message = await eventually(check, 5.0, f"message edited to contain {fragment!r}")
        return result


def _is_push(message: Message) -> bool:
    return any(b["text"] == "Читать полностью" for b in buttons(message))
