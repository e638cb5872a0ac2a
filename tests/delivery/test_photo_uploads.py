"""Local photos are uploaded once per content: the file_id is keyed by digest, not by path."""

from __future__ import annotations

from pathlib import Path

from aiogram import Bot
from redis.asyncio import Redis

from bot.delivery.photos import digest_key
from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.models.delivery import DeliveryJob
from tests.delivery.engine_kit import make_kit
from tests.delivery.helpers import photo_post
from tests.delivery.test_engine_sandbox import new_channel

FIRST = b"\xff\xd8\xff\xe0 first photo of the day \xff\xd9"
SECOND = b"\xff\xd8\xff\xe0 a different, corrected photo \xff\xd9"


async def photo_of(sandbox: RunningSandbox, chat_id: int) -> dict[str, str]:
    [message] = await sandbox.client.bot_messages(chat_id)
    photo: dict[str, str] = message["photo"]
    return photo


async def test_a_local_photo_is_uploaded_once_and_again_when_its_content_changes(
    sandbox: RunningSandbox, tg_bot: Bot, redis: Redis, keys: Keys, tmp_path: Path
) -> None:
    kit = make_kit(redis, keys, tg_bot)
    first, second, third = [await new_channel(sandbox, f"Канал {i}") for i in range(3)]
    path = tmp_path / "almaty.jpg"
    path.write_bytes(FIRST)

    async def post(chat_id: int, article_id: str) -> None:
        photo = photo_post(str(path))
        await kit.enqueue(
            DeliveryJob(kind="channel_post", chat_id=chat_id, article_id=article_id, post=photo)
        )

    await post(first, "a1")
    await post(second, "a2")
    assert await kit.engine.drain(timeout=10)
    one, two = await photo_of(sandbox, first), await photo_of(sandbox, second)
    # every upload makes the sandbox register a new file: the same file_id = no second upload
    assert one["file_id"] == two["file_id"]
    assert await sandbox.client.file_bytes(one["file_id"]) == FIRST

    path.write_bytes(SECOND)  # the editor replaced the picture under the same name
    await post(third, "a3")
    assert await kit.engine.drain(timeout=10)
    three = await photo_of(sandbox, third)
    assert three["file_id"] != one["file_id"]
    assert await sandbox.client.file_bytes(three["file_id"]) == SECOND
    assert await kit.file_ids.get(digest_key(FIRST)) == one["file_id"]
    assert await kit.file_ids.get(digest_key(SECOND)) == three["file_id"]
    assert await kit.file_ids.get(str(path)) is None  # never keyed by path
