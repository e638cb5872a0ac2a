"""Slot precision: how late a slot post becomes visible in the chat, in real time.

Setup: the sandbox in its own process (limits off), a fresh `redis-server`, and in this
process the delivery engine plus the publishing scheduler (APScheduler CronTriggers per slot)
on the real clock. 30 slots two seconds apart over ~60 s, spread round-robin over six
channels (so each channel's posts are 12 s apart, inside Telegram's 20/min per channel),
each channel's queue holding one article per slot.

Measured per post: slot time -> the moment the message first shows up in the sandbox's
message list (polled every 20 ms, so up to ~20 ms of the figure is the polling itself), and
slot time -> the moment the tick handed the post to the outbox. Target: p99 lateness <= 1 s.
"""

from __future__ import annotations

import asyncio
import math
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import create_bot
from bot.clock import SystemClock
from bot.config import Settings
from bot.context import AppContext, Feature
from bot.delivery import wiring as delivery_wiring
from bot.publishing import wiring as publishing_wiring
from bot.publishing.service import PublishingService
from bot.redis_conn import redis_from_url
from bot.redis_server import RedisServerProcess
from bot.texts import build_i18n
from sandbox.client import SandboxClient
from sandbox.testing import sandbox_process
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.models.article import Article
from storage.models.channel import Channel

TOKEN = "424242:BENCH-slots"
CHANNELS = 6
SLOTS = 30
SPACING = 2.0  # seconds between consecutive slots (across channels)
LEAD = 6.0  # seconds from setup to the first slot
POLL = 0.02
TZ = "Asia/Almaty"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


async def _channels(client: SandboxClient, publisher: PublishingService) -> list[int]:
    """Sandbox channels where the bot may post, registered with the publisher."""
    ids: list[int] = []
    for i in range(CHANNELS):
        chat = await client.create_channel(f"Канал {i}")
        ids.append(int(chat["id"]))
        await publisher.channels.save(Channel(id=ids[-1], title=f"Канал {i}", timezone=TZ))
    return ids


async def _queue_articles(ctx: AppContext, publisher: PublishingService, chats: list[int]) -> None:
    articles = ArticleRepo(ctx.redis, ctx.keys, now=ctx.clock.now)
    for k in range(SLOTS):
        article = Article(rubric="Политика", headline=f"Новость {k}", lead=f"Лид новости {k}.")
        stored = await articles.store(article)
        await publisher.queue_article(stored.article_id, chats[k % CHANNELS])


async def _set_slots(publisher: PublishingService, chats: list[int]) -> list[datetime]:
    """Slot k at first + k * SPACING in channel k % CHANNELS; the slot moments, in order."""
    first = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=math.ceil(LEAD))
    moments = [first + timedelta(seconds=k * SPACING) for k in range(SLOTS)]
    tz = ZoneInfo(TZ)
    for index, chat in enumerate(chats):
        mine = moments[index::CHANNELS]
        await publisher.set_slots(chat, [m.astimezone(tz).strftime("%H:%M:%S") for m in mine])
    return moments


async def _watch(
    client: SandboxClient, chats: list[int], deadline: float
) -> dict[int, list[float]]:
    """chat -> wall-clock times its bot messages first appeared, polled until all arrive."""
    seen: dict[int, list[float]] = {chat: [] for chat in chats}
    while time.time() < deadline and sum(map(len, seen.values())) < SLOTS:
        for chat in chats:
            count = len(await client.bot_messages(chat))
            now = time.time()
            seen[chat] += [now] * (count - len(seen[chat]))
        await asyncio.sleep(POLL)
    return seen


def _lateness(
    moments: list[datetime], chats: list[int], seen: dict[int, list[float]]
) -> list[float]:
    late: list[float] = []
    for index, chat in enumerate(chats):
        slots = moments[index::CHANNELS]
        late += [t - s.timestamp() for s, t in zip(slots, seen[chat], strict=False)]
    return late


async def _dispatch_delays(
    publisher: PublishingService, moments: list[datetime], chats: list[int]
) -> list[float]:
    """Slot -> the tick's enqueue, from the posts' `dispatched_at` (post ids 1..SLOTS)."""
    posts = await publisher.queue.get_many([str(i) for i in range(1, SLOTS + 1)])
    delays: list[float] = []
    for index, chat in enumerate(chats):
        times = sorted(p.dispatched_at for p in posts if p.chat_id == chat and p.dispatched_at)
        slots = moments[index::CHANNELS]
        delays += [t - s.timestamp() for t, s in zip(times, slots, strict=False)]
    return delays


def _features(ctx: AppContext) -> list[Feature]:
    delivery = delivery_wiring.build(ctx, {})
    publishing = publishing_wiring.build(ctx, dict(delivery.workflow_data))
    return [delivery, publishing]


async def _measure(base_url: str, redis_url: str) -> dict[str, float]:
    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        telegram_api_url=base_url,
        redis_url=redis_url,
        timezone=TZ,
    )
    redis = redis_from_url(redis_url)
    ctx = AppContext(
        settings=settings,
        redis=redis,
        keys=Keys(settings.redis_prefix),
        clock=SystemClock(),
        bot=create_bot(TOKEN, base_url),
        i18n=build_i18n("ru"),
    )
    features = _features(ctx)
    publisher: PublishingService = features[1].workflow_data["publisher"]
    client = SandboxClient(base_url)
    tasks = [asyncio.create_task(t()) for f in features for t in f.tasks]
    try:
        await client.register_bot(TOKEN)
        chats = await _channels(client, publisher)
        await _queue_articles(ctx, publisher, chats)
        moments = await _set_slots(publisher, chats)
        deadline = moments[-1].timestamp() + 10.0
        seen = await _watch(client, chats, deadline)
        late = _lateness(moments, chats, seen)
        dispatch = await _dispatch_delays(publisher, moments, chats)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for feature in features:
            for closer in feature.closers:
                await closer()
        await client.close()
        await ctx.bot.session.close()
        await redis.aclose()
    return _summary(late, dispatch)


def _summary(late: list[float], dispatch: list[float]) -> dict[str, float]:
    if not late:
        return {"slots": float(SLOTS), "delivered": 0.0}
    return {
        "slots": float(SLOTS),
        "delivered": float(len(late)),
        "lateness_p50_s": round(percentile(late, 0.50), 3),
        "lateness_p99_s": round(percentile(late, 0.99), 3),
        "lateness_max_s": round(max(late), 3),
        "late_over_1s": float(sum(1 for x in late if x > 1.0)),
        "tick_enqueue_p99_s": round(percentile(dispatch, 0.99), 3) if dispatch else -1.0,
        "target_p99_s": 1.0,
    }


def run() -> dict[str, float]:
    """Run the measurement (about 75 s of real time) and return the figures."""
    with tempfile.TemporaryDirectory() as tmp, sandbox_process(limits=False) as base_url:
        server = RedisServerProcess(Path(tmp), persistent=False)
        server.start()
        try:
            return asyncio.run(_measure(base_url, server.url))
        finally:
            server.stop()


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
