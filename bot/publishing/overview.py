"""Reading the schedule: a channel's next slot, the channels overview, the next due time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.publishing.settings import ChannelSettings
from bot.publishing.slots import next_slot as slot_after
from storage.models.channel import Channel


@dataclass(frozen=True)
class ChannelOverview:
    """One line of `vestnik channels` / `/channels`."""

    channel: Channel
    queue_length: int
    timed: int
    next_slot: datetime | None
    admins: int


class ScheduleReading(ChannelSettings):
    """When channels publish next (the base of `PublishingService`)."""

    async def next_slot(self, chat_id: int, after: datetime | None = None) -> datetime | None:
        """When the channel's queue is next served after `after` (default: now)."""
        channel = await self.channel(chat_id)
        moment = after or self.clock.now()
        if channel.slots:
            return slot_after(channel.slots, ZoneInfo(channel.timezone), moment, channel.quiet)
        last = await self.queue.last_post(chat_id)
        start = max(moment.timestamp(), float(last) + channel.min_interval if last else 0.0)
        return datetime.fromtimestamp(start, UTC)

    async def channel_overview(self) -> list[ChannelOverview]:
        """Every channel with its queue length, timed posts and next slot."""
        timed_ids = [pid for pid, _ in await self.queue.scheduled_all()]
        timed = await self.queue.get_many(timed_ids)
        rows: list[ChannelOverview] = []
        for channel in await self.channels.all():
            rows.append(
                ChannelOverview(
                    channel=channel,
                    queue_length=await self.queue.queue_length(channel.id),
                    timed=sum(1 for p in timed if p.chat_id == channel.id),
                    next_slot=await self.next_slot(channel.id) if channel.active else None,
                    admins=len(await self.channels.admins(channel.id)),
                )
            )
        return rows

    async def next_due(self) -> float | None:
        """The earliest time a timed or interval post could go out (for the scheduler's wake-up)."""
        first = await self.queue.next_scheduled()
        times = [first] if first is not None else []
        for channel in await self.channels.active():
            if (
                not channel.slots
                and not channel.paused
                and await self.queue.queue_length(channel.id)
            ):
                last = await self.queue.last_post(channel.id)
                times.append(float(last) + channel.min_interval if last else self.clock.time())
        return min(times) if times else None
