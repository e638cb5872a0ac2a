"""A running Vestnik against the sandbox with two channels and people in every role.

Used by the desk's end-to-end tests (module-scoped: one app per test module). People talk to
the bot through the sandbox's control API; `Person.say` sends a message and waits for the
bot's answer; `snapshot`/`restore` compare and reset the whole Redis state (every key but
the audit log, caches and the delivery engine's own bookkeeping); `plant` puts a message with
a given button into someone's chat, as an old or forwarded keyboard would be.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from sandbox.testing import running_sandbox
from tests.harness import TEST_TOKEN, RunningApp, eventually, running_app

Message = dict[str, Any]

OWNER = 7_000_001
ADMIN_A = 7_000_002
EDITOR_A = 7_000_003
EDITOR_B = 7_000_004
ADMIN_B = 7_000_005
SUBSCRIBER = 7_000_006
STRANGER = 7_000_007
NEWCOMER = 7_000_008

PEOPLE = {
    OWNER: ("Ольга", "olga_owner"),
    ADMIN_A: ("Айгерим", "aigerim_admin"),
    EDITOR_A: ("Ерлан", "erlan_editor"),
    EDITOR_B: ("Борис", "boris_editor"),
    ADMIN_B: ("Бахыт", "bakhyt_admin"),
    SUBSCRIBER: ("Самал", "samal_reader"),
    STRANGER: ("Степан", "stepan_x"),
    NEWCOMER: ("Нурлан", "nurlan_new"),
}

# Keys left out of snapshots (prefix after the hash tag): the audit log (every refusal is
# written there), caches (the Telegram admin list, the @username directory) and what the
# delivery engine keeps for itself while idle (leases, rate-limiter buckets). Everything else —
# channels, queues, roles, drafts, dialogue state, ledger, outbox, stats — must stay unchanged.
UNTRACKED_PREFIXES = ("audit", "tgadmins:", "usernames", "lease:", "rate:")

# The matrices refuse the same people hundreds of times a minute; the limits on refusals
# (audit entries per person, refusal replies) have their own tests.
UNLIMITED_REFUSALS = {"refusals_per_hour": 1_000_000, "refusal_replies_per_minute": 1_000_000}


def _tracked(key: str, prefix: str) -> bool:
    rest = key.removeprefix("{" + prefix + "}:")
    return not rest.startswith(UNTRACKED_PREFIXES)


@dataclass
class Person:
    """A user with a private chat with the bot."""

    world: DeskWorld
    user_id: int

    async def bot_messages(self) -> list[Message]:
        """What the bot has sent this person so far."""
        return list(await self.world.client.bot_messages(self.user_id))

    async def say(self, text: str, *, replies: int = 1, timeout: float = 8.0) -> list[Message]:
        """Send `text`; return the bot's new messages once `replies` of them arrived."""
        before = len(await self.bot_messages())
        await self.world.client.send_user_message(self.user_id, text, from_id=self.user_id)
        return await self.wait_new(before, replies, timeout)

    async def send_file(self, name: str, content: bytes, *, replies: int = 1) -> list[Message]:
        """Upload a document."""
        before = len(await self.bot_messages())
        await self.world.client.send_user_message(
            self.user_id, None, document=(name, content), from_id=self.user_id
        )
        return await self.wait_new(before, replies)

    async def send_photo(self, content: bytes, *, replies: int = 1) -> list[Message]:
        """Upload a photo."""
        before = len(await self.bot_messages())
        await self.world.client.send_user_message(
            self.user_id, None, photo=content, from_id=self.user_id
        )
        return await self.wait_new(before, replies)

    async def press(
        self, message: Message, label: str, *, replies: int = 1, timeout: float = 8.0
    ) -> list[Message]:
        """Press the inline button whose text contains `label` under `message`."""
        data = button_data(message, label)
        return await self.press_data(message, data, replies=replies, timeout=timeout)

    async def press_data(
        self, message: Message, data: str, *, replies: int = 1, timeout: float = 8.0
    ) -> list[Message]:
        """Press a button with raw (possibly forged) callback data."""
        before = len(await self.bot_messages())
        await self.world.client.press_button(
            self.user_id, message["message_id"], data, from_id=self.user_id
        )
        return await self.wait_new(before, replies, timeout)

    async def wait_new(self, before: int, replies: int, timeout: float = 8.0) -> list[Message]:
        """The bot's messages after the first `before`, once there are `replies` of them."""
        deadline = time.monotonic() + timeout
        while True:
            messages = await self.bot_messages()
            if len(messages) >= before + replies:
                await asyncio.sleep(0.05)  # let a reply that comes in several parts finish
                return (await self.bot_messages())[before:]
            if time.monotonic() > deadline:
                texts = [text_of(m) for m in messages[before:]]
                raise AssertionError(f"{self.user_id}: expected {replies} new, got {texts}")
            await asyncio.sleep(0.02)


def text_of(message: Message) -> str:
    """The text or caption of a sandbox message."""
    return str(message.get("text") or message.get("caption") or "")


async def callback_answers(world: DeskWorld, chat_id: int, message_id: int) -> list[Message]:
    """The answers (toasts) the bot gave to buttons pressed under one message."""
    for message in await world.client.messages(chat_id):
        if message["message_id"] == message_id:
            return list(message.get("callback_answers") or [])
    return []


def button_data(message: Message, label: str) -> str:
    """The callback data of the button whose text contains `label`."""
    markup = message.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if label in button["text"]:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r} in {markup}")


@dataclass
class DeskWorld:
    """The app, the sandbox, the two channels and everyone's chat."""

    app: RunningApp
    raw: Redis  # binary client for DUMP/RESTORE
    channel_a: int = 0
    channel_b: int = 0
    article_id: str = ""
    people: dict[int, Person] = field(default_factory=dict)

    @property
    def client(self) -> Any:
        """The sandbox control client."""
        return self.app.client

    @property
    def redis(self) -> Redis:
        """The app's Redis (text)."""
        return self.app.redis

    @property
    def prefix(self) -> str:
        """The key prefix inside the hash tag."""
        return self.app.ctx.keys.prefix

    def person(self, user_id: int) -> Person:
        """Someone's chat with the bot."""
        return self.people[user_id]

    def service(self, name: str) -> Any:
        """A service of the running app."""
        return self.app.services[name]

    async def snapshot(self) -> dict[bytes, bytes]:
        """DUMPs of every tracked key (a full SCAN; see `UNTRACKED_PREFIXES`)."""
        found: dict[bytes, bytes] = {}
        async for key in self.raw.scan_iter(match=f"{{{self.prefix}}}:*", count=500):
            if _tracked(key.decode(), self.prefix):
                dumped = await self.raw.dump(key)
                if dumped is not None:
                    found[key] = dumped
        return found

    async def restore(self, saved: dict[bytes, bytes]) -> None:
        """Put tracked keys (dialogue states included) back as they were."""
        async for key in self.raw.scan_iter(match=f"{{{self.prefix}}}:*", count=500):
            if _tracked(key.decode(), self.prefix) and key not in saved:
                await self.raw.delete(key)
        for key, dumped in saved.items():
            await self.raw.restore(key, 0, dumped, replace=True)

    async def plant(self, user_id: int, data: str, label: str = "Кнопка") -> Message:
        """A bot message in the user's chat carrying one button with callback `data`."""
        from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=label, callback_data=data)]]
        )
        sent = await self.app.ctx.bot.send_message(user_id, label, reply_markup=markup)
        for message in reversed(await self.client.bot_messages(user_id)):
            if message["message_id"] == sent.message_id:
                return dict(message)
        raise AssertionError(f"the planted message is not in chat {user_id}")

    async def audit_count(self) -> int:
        """How many entries the audit log holds."""
        return int(await self.service("audit").count())

    async def audit_since(self, count: int) -> list[Any]:
        """Audit entries written after the log had `count` entries, newest first."""
        audit = self.service("audit")
        return list(await audit.recent(max(0, await audit.count() - count)))


@asynccontextmanager
async def desk_world(
    redis_url: str, *, desk: dict[str, int] | None = None
) -> AsyncIterator[DeskWorld]:
    """Start the sandbox and the app; set up channels A and B with people in every role.

    `desk`: the desk's refusal limits (default: unlimited, see `UNLIMITED_REFUSALS`)."""
    raw = Redis.from_url(redis_url)
    await raw.flushdb()
    async with (
        running_sandbox(limits=False, bot_token=TEST_TOKEN) as sandbox,
        running_app(
            redis_url, sandbox, admin_ids=[OWNER], desk=UNLIMITED_REFUSALS if desk is None else desk
        ) as app,
    ):
        world = DeskWorld(app=app, raw=raw)
        try:
            await _populate(world)
            yield world
        finally:
            await raw.aclose()


async def _populate(world: DeskWorld) -> None:
    client = world.client
    for user_id, (name, username) in PEOPLE.items():
        await client.create_private_chat(name, id=user_id, username=username)
        world.people[user_id] = Person(world, user_id)
    world.channel_a = await _channel(world, "Вестник А", "vestnik_a", ADMIN_A)
    world.channel_b = await _channel(world, "Вестник Б", "vestnik_b", ADMIN_B)
    roles = world.service("roles")
    await roles.grant(world.channel_a, EDITOR_A)
    await roles.grant(world.channel_b, EDITOR_B)
    publisher = world.service("publisher")
    await publisher.set_routing(world.channel_b, ["Спорт"])
    await world.person(SUBSCRIBER).say("/subscribe Политика")
    world.article_id = await _published_article(world)


async def _channel(world: DeskWorld, title: str, username: str, admin: int) -> int:
    client = world.client
    chat = await client.create_channel(title, username=username, bot_status="left")
    chat_id = int(chat["id"])
    await client.add_admin(chat_id, admin)
    await client.set_bot_status(chat_id, "administrator", can_post_messages=True, from_id=admin)
    channels = world.service("channels")
    await eventually(lambda: channels.get(chat_id))
    return chat_id


async def _published_article(world: DeskWorld) -> str:
    """An article published in channel A (what /edit and /retract act on)."""
    from storage.models.article import Article

    article = Article(
        rubric="Политика",
        headline="Токаев: Алматы становится хабом",
        lead="Президент выступил на сессии ООН.",
    )
    result = await world.service("article_service").import_article(article)
    publisher = world.service("publisher")
    await publisher.queue_article(result.article_id, world.channel_a, "now")
    ledger = world.service("ledger")
    await eventually(lambda: ledger.has_published(result.article_id, world.channel_a))
    await eventually(lambda: ledger.has_published(result.article_id, SUBSCRIBER))  # the push
    return str(result.article_id)
