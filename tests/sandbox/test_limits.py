"""Flood limits over HTTP, in virtual time (the sandbox's clock moves only when told)."""

from __future__ import annotations

from sandbox.testing import FakeClock, RunningSandbox
from tests.sandbox.conftest import Answer, BotApi


def _retry_after(answer: Answer) -> int:
    assert answer.status == 429, answer.body
    retry_after = answer.body["parameters"]["retry_after"]
    assert answer.description == f"Too Many Requests: retry after {retry_after}"
    assert answer.headers["Retry-After"] == str(retry_after)
    return int(retry_after)


def _clock(sandbox: RunningSandbox) -> FakeClock:
    clock = sandbox.clock
    assert isinstance(clock, FakeClock)
    return clock


async def test_private_chat_burst_of_three_then_one_per_second(
    sandbox_fake_clock: RunningSandbox, limited_api: BotApi
) -> None:
    chat = await sandbox_fake_clock.client.create_private_chat("Ира")
    for _ in range(3):
        await limited_api.ok("sendMessage", chat_id=chat["id"], text="x")
    answer = await limited_api.call("sendMessage", chat_id=chat["id"], text="x")
    assert _retry_after(answer) == 1
    _clock(sandbox_fake_clock).advance(1.0)
    await limited_api.ok("sendMessage", chat_id=chat["id"], text="x")
    assert _retry_after(await limited_api.call("sendMessage", chat_id=chat["id"], text="x")) == 1
    stats = await sandbox_fake_clock.client.stats()
    assert stats["methods"]["sendMessage"]["rate_limited"] == 2
    assert stats["methods"]["sendMessage"]["errors"] == {"429": 2}
    assert len(await sandbox_fake_clock.client.messages(chat["id"])) == 4


async def test_group_twenty_per_minute(
    sandbox_fake_clock: RunningSandbox, limited_api: BotApi
) -> None:
    channel = await sandbox_fake_clock.client.create_channel("Вестник")
    for _ in range(20):
        await limited_api.ok("sendMessage", chat_id=channel["id"], text="x")
    answer = await limited_api.call("sendMessage", chat_id=channel["id"], text="x")
    assert _retry_after(answer) == 3  # one message per 3 s refills the bucket
    _clock(sandbox_fake_clock).advance(2.9)
    assert (await limited_api.call("sendMessage", chat_id=channel["id"], text="x")).status == 429
    _clock(sandbox_fake_clock).advance(0.1)
    await limited_api.ok("sendMessage", chat_id=channel["id"], text="x")


async def test_thirty_per_second_per_bot(
    sandbox_fake_clock: RunningSandbox, limited_api: BotApi
) -> None:
    client = sandbox_fake_clock.client
    channels = [(await client.create_channel(f"Канал {n}"))["id"] for n in range(2)]
    for n in range(30):
        await limited_api.ok("sendMessage", chat_id=channels[n % 2], text="x")
    answer = await limited_api.call("sendMessage", chat_id=channels[0], text="x")
    assert _retry_after(answer) == 1
    _clock(sandbox_fake_clock).advance(1.0)
    await limited_api.ok("sendMessage", chat_id=channels[1], text="x")


async def test_paid_broadcast_goes_past_thirty(
    sandbox_fake_clock: RunningSandbox, limited_api: BotApi
) -> None:
    client = sandbox_fake_clock.client
    channels = [(await client.create_channel(f"Канал {n}"))["id"] for n in range(4)]
    for n in range(60):  # 15 per channel: under each channel's 20/min
        await limited_api.ok(
            "sendMessage", chat_id=channels[n % 4], text="x", allow_paid_broadcast=True
        )
    # Paid calls did not use the 30/s budget: plain sends still pass.
    await limited_api.ok("sendMessage", chat_id=channels[0], text="x")
    await client.set_limits(paid_per_sec=5)
    for n in range(5):
        await limited_api.ok(
            "sendMessage", chat_id=channels[n % 4], text="x", allow_paid_broadcast=True
        )
    answer = await limited_api.call(
        "sendMessage", chat_id=channels[0], text="x", allow_paid_broadcast=True
    )
    assert _retry_after(answer) == 1


async def test_edits_are_not_counted(
    sandbox_fake_clock: RunningSandbox, limited_api: BotApi
) -> None:
    chat = await sandbox_fake_clock.client.create_private_chat("Ира")
    sent = await limited_api.ok("sendMessage", chat_id=chat["id"], text="0")
    for n in range(1, 10):
        await limited_api.ok(
            "editMessageText", chat_id=chat["id"], message_id=sent["message_id"], text=str(n)
        )


async def test_limits_can_be_changed_and_switched_off(
    sandbox_fake_clock: RunningSandbox, limited_api: BotApi
) -> None:
    client = sandbox_fake_clock.client
    chat = await client.create_private_chat("Ира")
    assert (await client.set_limits(private_burst=1))["private_burst"] == 1
    await limited_api.ok("sendMessage", chat_id=chat["id"], text="x")
    assert (await limited_api.call("sendMessage", chat_id=chat["id"], text="x")).status == 429
    await client.set_limits(enabled=False)
    for _ in range(10):
        await limited_api.ok("sendMessage", chat_id=chat["id"], text="x")
    await client.reset()
    assert (await client.limits())["enabled"] is True
    assert (await client.limits())["private_burst"] == 3


async def test_limits_off_by_default_in_the_sandbox_fixture(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    for _ in range(40):
        await api.ok("sendMessage", chat_id=chat["id"], text="x")


def _album(size: int) -> list[dict[str, str]]:
    return [{"type": "photo", "media": f"https://photos.invalid/{n}.jpg"} for n in range(size)]


async def test_photos_count_like_messages(
    sandbox_fake_clock: RunningSandbox, limited_api: BotApi
) -> None:
    chat = await sandbox_fake_clock.client.create_private_chat("Ира")
    photo = "https://photos.invalid/hub.jpg"
    await limited_api.ok("sendMessage", chat_id=chat["id"], text="x")
    for _ in range(2):
        await limited_api.ok("sendPhoto", chat_id=chat["id"], photo=photo)
    answer = await limited_api.call("sendPhoto", chat_id=chat["id"], photo=photo)
    assert _retry_after(answer) == 1
    stats = await sandbox_fake_clock.client.stats()
    assert stats["methods"]["sendPhoto"]["rate_limited"] == 1


async def test_album_costs_one_message_per_item(
    sandbox_fake_clock: RunningSandbox, limited_api: BotApi
) -> None:
    channel = await sandbox_fake_clock.client.create_channel("Вестник")
    for _ in range(15):
        await limited_api.ok("sendMessage", chat_id=channel["id"], text="x")
    # 5 of the channel's 20/min are left; 10 photos need 5 more, one per 3 s.
    answer = await limited_api.call("sendMediaGroup", chat_id=channel["id"], media=_album(10))
    assert _retry_after(answer) == 15
    assert len(await sandbox_fake_clock.client.messages(channel["id"])) == 15
    _clock(sandbox_fake_clock).advance(15.0)
    sent = await limited_api.ok("sendMediaGroup", chat_id=channel["id"], media=_album(10))
    assert len(sent) == 10
    assert _retry_after(await limited_api.call("sendMessage", chat_id=channel["id"], text="x")) == 3
    stats = await sandbox_fake_clock.client.stats()
    assert stats["methods"]["sendMediaGroup"]["rate_limited"] == 1


async def test_album_larger_than_the_burst_goes_then_is_paid_back(
    sandbox_fake_clock: RunningSandbox, limited_api: BotApi
) -> None:
    # A private chat holds a burst of 3: a 10-photo album goes when the bucket is full and
    # costs all 10, so the next message waits until the 7 over the burst are paid back.
    chat = await sandbox_fake_clock.client.create_private_chat("Ира")
    await limited_api.ok("sendMessage", chat_id=chat["id"], text="x")
    answer = await limited_api.call("sendMediaGroup", chat_id=chat["id"], media=_album(10))
    assert _retry_after(answer) == 1  # it waits for a full bucket, not for 10 tokens
    _clock(sandbox_fake_clock).advance(1.0)
    await limited_api.ok("sendMediaGroup", chat_id=chat["id"], media=_album(10))
    assert _retry_after(await limited_api.call("sendMessage", chat_id=chat["id"], text="x")) == 8
    _clock(sandbox_fake_clock).advance(7.9)
    assert (await limited_api.call("sendMessage", chat_id=chat["id"], text="x")).status == 429
    _clock(sandbox_fake_clock).advance(0.1)
    await limited_api.ok("sendMessage", chat_id=chat["id"], text="x")
