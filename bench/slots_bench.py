"""Slot precision: how late a slot post becomes visible in the chat, in real time.

Setup: the sandbox in its own process (limits off), a fresh `redis-server`, and in this
process the delivery engine plus the publishing scheduler (APScheduler CronTriggers per slot)
on the real clock. 200 slots over 40 s: every second, five of 25 channels have a slot (so a
tick serves five posts at once, and each channel posts every 5 s, inside Telegram's 20/min
per channel); each channel's queue holds one article per slot.

Measured per post: slot time -> the moment the sandbox reports the message (its event feed,
long-polled, so the figure is not a polling interval), and slot time -> the moment the tick
handed the post to the outbox. 200 samples make the nearest-rank p99 the second-worst post,
not the maximum. Target: p99 lateness <= 1 s. About 50 s of real time.
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
PER_SECOND = 5  # channels with a slot in each second
GROUPS = 5  # a channel's slots are GROUPS seconds apart
CHANNELS = PER_SECOND * GROUPS
SECONDS = 40
SLOTS = PER_SECOND * SECONDS
LEAD = 5.0  # seconds from setup to the first slot
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


def _seconds_of(index: int) -> list[int]:
    """The slot seconds (offsets from the first slot) of channel `index`."""
    return list(range(index // PER_SECOND, SECONDS, GROUPS))


async def _queue_articles(ctx: AppContext, publisher: PublishingService, chats: list[int]) -> None:
    """One article per slot in each channel's queue (post ids 1..SLOTS)."""
    articles = ArticleRepo(ctx.redis, ctx.keys, now=ctx.clock.now)
    for index, chat in enumerate(chats):
        for k in range(len(_seconds_of(index))):
            article = Article(
                rubric="Политика", headline=f"Новость {index}-{k}", lead=f"Лид {index}-{k}."
            )
            stored = await articles.store(article)
            await publisher.queue_article(stored.article_id, chat)


async def _set_slots(publisher: PublishingService, chats: list[int]) -> dict[int, list[float]]:
    """Each channel's slots from a whole second LEAD seconds ahead; chat -> slot moments."""
    first = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=math.ceil(LEAD))
    tz = ZoneInfo(TZ)
    moments: dict[int, list[float]] = {}
    for index, chat in enumerate(chats):
        mine = [first + timedelta(seconds=s) for s in _seconds_of(index)]
        await publisher.set_slots(chat, [m.astimezone(tz).strftime("%H:%M:%S") for m in mine])
        moments[chat] = [m.timestamp() for m in mine]
    return moments


async def _watch(
    client: SandboxClient, chats: list[int], deadline: float
) -> dict[int, list[float]]:
    """chat -> wall-clock times its messages appeared, from the sandbox's event feed."""
    wanted = set(chats)
    seen: dict[int, list[float]] = {chat: [] for chat in chats}
    since = int((await client.events())["last"])
    while time.time() < deadline and sum(map(len, seen.values())) < SLOTS:
        feed = await client.events(since, timeout=min(2.0, max(0.05, deadline - time.time())))
        now = time.time()
        since = int(feed["last"])
        for event in feed["events"]:
            if event["type"] == "message" and event.get("chat_id") in wanted:
                seen[int(event["chat_id"])].append(now)
    return seen


def _lateness(moments: dict[int, list[float]], seen: dict[int, list[float]]) -> list[float]:
    late: list[float] = []
    for chat, slots in moments.items():
        late += [t - s for s, t in zip(slots, seen[chat], strict=False)]
    return late


async def _dispatch_delays(
    publisher: PublishingService, moments: dict[int, list[float]]
) -> list[float]:
    """Slot -> the tick's enqueue, from the posts' `dispatched_at`."""
    posts = await publisher.queue.get_many([str(i) for i in range(1, SLOTS + 1)])
    delays: list[float] = []
    for chat, slots in moments.items():
        times = sorted(p.dispatched_at for p in posts if p.chat_id == chat and p.dispatched_at)
        delays += [t - s for t, s in zip(times, slots, strict=False)]
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
        deadline = max(max(m) for m in moments.values()) + 10.0
        seen = await _watch(client, chats, deadline)
        late = _lateness(moments, seen)
        dispatch = await _dispatch_delays(publisher, moments)
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
        "tick_enqueue_p50_s": round(percentile(dispatch, 0.50), 3) if dispatch else -1.0,
        "tick_enqueue_p99_s": round(percentile(dispatch, 0.99), 3) if dispatch else -1.0,
        "target_p99_s": 1.0,
    }


def run() -> dict[str, float]:
    """Run the measurement (about 50 s of real time) and return the figures."""
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
