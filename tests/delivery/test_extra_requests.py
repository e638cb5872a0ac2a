"""Requests beyond a job's own (pin, plain-text resend, migration resend) take limiter slots.

The sandbox counts only accepted sends against its limits (a refused send and a pin cost
nothing there), so a missing slot would not show as a 429 here; the test watches the
requests themselves and checks that all of them together keep Telegram's pace.
"""

from __future__ import annotations

from redis.asyncio import Redis

from sandbox.testing import RunningSandbox
from storage.keys import Keys
from storage.ratelimit import RateLimits
from tests.delivery.engine_kit import make_kit
from tests.delivery.helpers import job
from tests.delivery.request_log import RequestLog, most_in_any_window
from tests.delivery.test_engine_sandbox import bot_texts, new_channel, new_user
from tests.fixtures_sandbox import sandbox_bot

PINNED = 40
BAD_HTML = 10
SLACK = 0.05  # a request starts at its slot or a little later, never earlier
# A request can start late on a loaded machine while the next one keeps its slot, so two
# starts may be closer than their slots by that lateness; without a slot the extra request
# would follow within milliseconds.
LATENESS = 0.5


async def test_pins_and_resends_keep_the_global_and_per_chat_pace(
    sandbox_limited: RunningSandbox, redis: Redis, keys: Keys
) -> None:
    sandbox = sandbox_limited
    channels = [await new_channel(sandbox, f"Канал {i}") for i in range(PINNED)]
    users = [await new_user(sandbox, f"Читатель {i}") for i in range(BAD_HTML)]
    group = int((await sandbox.client.create_group("Редакция"))["id"])
    supergroup = int((await sandbox.client.migrate(group))["id"])
    limits = RateLimits()
    requests = RequestLog()
    bot = sandbox_bot(sandbox.base_url)
    bot.session.middleware(requests)
    try:
        kit = make_kit(redis, keys, bot, limits=limits)
        for i, channel in enumerate(channels):
            await kit.enqueue(job(channel, f"breaking{i}", pin=True, text=f"Молния {i}"))
        for i, user in enumerate(users):
            await kit.enqueue(job(user, "bad", kind="push", lane="push",
                                  text=f"<div>Рынок {i}</div> &amp; цены"))  # fmt: skip
        await kit.enqueue(job(group, "g1", text="Новость для группы"))
        assert await kit.engine.drain(timeout=30)
    finally:
        await bot.session.close()

    # everything arrived: pinned posts, plain-text resends, the post in the supergroup
    for i, channel in enumerate(channels):
        [post] = await sandbox.client.bot_messages(channel)
        assert (post["text"], post["pinned"]) == (f"Молния {i}", True)
    for i, user in enumerate(users):
        assert bot_texts(await sandbox.client.messages(user)) == [f"Рынок {i} & цены"]
    assert bot_texts(await sandbox.client.messages(supergroup)) == ["Новость для группы"]

    # all requests together: at most 30 in any second (plus the lateness of a slot)
    chat_requests = requests.to_chats()
    assert len(chat_requests) == 2 * PINNED + 2 * BAD_HTML + 2
    busiest = most_in_any_window((r.start for r in chat_requests), 1.0)
    assert busiest <= limits.global_per_sec * (1 + 4 * SLACK) + 1, busiest
    # per chat: a channel's pin waits its 20/min turn, a private resend its 1/s turn
    for channel in channels:
        [sent] = requests.of("sendMessage", chat_id=channel)
        [pin] = requests.of("pinChatMessage", chat_id=channel)
        assert pin.start - sent.start >= 60 / limits.chat_per_min - LATENESS
    for user in users:
        refused, resent = requests.of("sendMessage", chat_id=user)
        assert refused.error == "400" and resent.ok
        assert resent.start - refused.start >= 1 / limits.private_per_sec - LATENESS
    [_, moved] = [r for r in requests.to_chats() if r.chat_id in (group, supergroup)]
    assert moved.chat_id == supergroup and moved.ok

    methods = (await sandbox.client.stats())["methods"]
    assert all(m["rate_limited"] == 0 and "429" not in m["errors"] for m in methods.values())
