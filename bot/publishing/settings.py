"""Channel publishing settings: slots, routing, pause, quiet hours, interval, catch-up, template.

The base of `PublishingService`: each setter validates its input (PublishingError with a
clear message), stores the change atomically and tells the change listeners (the scheduler
rebuilds its slot triggers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError

from bot.clock import Clock
from bot.formatting.post import SIGNATURE_MAX
from bot.formatting.telegram_html import literal_references, telegram_length
from bot.publishing.errors import PublishingError
from bot.publishing.ports import Rubrics
from bot.publishing.render import template_of
from bot.publishing.slots import SlotError, normalize_slots, parse_quiet
from bot.timezones import iana_name
from storage.channels import ChannelRepo
from storage.models.channel import CATCHUP_POLICIES, Channel, TemplateSettings
from storage.queue import QueueRepo

Listener = Callable[[], None]


class ChannelSettings:
    """Reads and changes channels' publishing settings."""

    def __init__(
        self, *, channels: ChannelRepo, queue: QueueRepo, rubrics: Rubrics, clock: Clock
    ) -> None:
        self.channels = channels
        self.queue = queue
        self.rubrics = rubrics
        self.clock = clock
        self._listeners: list[Listener] = []

    def add_change_listener(self, listener: Listener) -> None:
        """Call `listener()` after any schedule-affecting change (e.g. to rebuild triggers)."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    async def channel(self, chat_id: int) -> Channel:
        """A registered channel, or `unknown_channel`."""
        channel = await self.channels.get(chat_id)
        if channel is None:
            raise PublishingError("unknown_channel", f"no channel with id {chat_id}")
        return channel

    async def _update(self, chat_id: int, **changes: Any) -> Channel:
        await self.channel(chat_id)

        def apply(channel: Channel) -> Channel:
            return Channel.model_validate({**dict(channel), **changes})

        stored = await self.channels.update(chat_id, apply)
        if stored is None:
            raise PublishingError("unknown_channel", f"no channel with id {chat_id}")
        self._changed()
        return stored

    async def set_slots(self, chat_id: int, times: Sequence[str]) -> Channel:
        """Set the channel's slot times (`HH:MM` local); slots already past today are not due."""
        try:
            slots = normalize_slots(times)
        except SlotError as exc:
            raise PublishingError("bad_slot", str(exc)) from None
        channel = await self._update(chat_id, slots=slots)
        await self.queue.raise_mark(chat_id, self.clock.time())
        return channel

    async def set_routing(self, chat_id: int, rubrics: Sequence[str] | None) -> Channel:
        """Publish only these rubrics (names, slugs or hashtags); None publishes every rubric."""
        if rubrics is None:
            return await self._update(chat_id, routing=None)
        slugs: list[str] = []
        for query in rubrics:
            rubric = await self.rubrics.find(query)
            if rubric is None:
                raise PublishingError("unknown_rubric", f"no rubric {query!r}")
            if rubric.slug not in slugs:
                slugs.append(rubric.slug)
        return await self._update(chat_id, routing=slugs)

    async def pause(self, chat_id: int) -> Channel:
        """Stop publishing (posts keep queueing; slots while paused count as missed)."""
        return await self._update(chat_id, paused=True)

    async def resume(self, chat_id: int) -> Channel:
        """Publish again; the channel's catch-up policy decides about missed slots."""
        return await self._update(chat_id, paused=False)

    async def set_quiet(self, chat_id: int, start: str | None, end: str | None = None) -> Channel:
        """Quiet hours `start`-`end` (local, may wrap midnight); None clears them.

        `start` alone may be a whole range, `23:00-07:00`.
        """
        if start is None:
            return await self._update(chat_id, quiet=None)
        text = start if end is None else f"{start}-{end}"
        try:
            quiet = parse_quiet(text)
        except SlotError as exc:
            raise PublishingError("bad_quiet", str(exc)) from None
        return await self._update(chat_id, quiet=quiet)

    async def set_min_interval(self, chat_id: int, seconds: int) -> Channel:
        """The least time between two queued posts (alone, the whole schedule)."""
        if seconds < 0:
            raise PublishingError("bad_value", "the interval cannot be negative")
        return await self._update(chat_id, min_interval=int(seconds))

    async def set_catchup(self, chat_id: int, policy: str, max_age: int | None = None) -> Channel:
        """`publish_now`, `spread` or `skip_older` (with `max_age` seconds) after downtime."""
        if policy not in CATCHUP_POLICIES:
            raise PublishingError(
                "bad_value", f"unknown catch-up policy {policy!r} ({', '.join(CATCHUP_POLICIES)})"
            )
        changes: dict[str, Any] = {"catchup": policy}
        if max_age is not None:
            if max_age <= 0:
                raise PublishingError("bad_value", "the age limit must be positive")
            changes["catchup_max_age"] = int(max_age)
        return await self._update(chat_id, **changes)

    async def set_timezone(self, chat_id: int, timezone: str) -> Channel:
        """The channel's time zone (IANA name, e.g. Asia/Almaty) for slots and quiet hours."""
        name = iana_name(timezone)
        if name is None:
            raise PublishingError("bad_value", f"unknown time zone {timezone!r}")
        channel = await self._update(chat_id, timezone=name)
        await self.queue.raise_mark(chat_id, self.clock.time())
        return channel

    async def set_silent_slot_posts(self, chat_id: int, silent: bool) -> Channel:
        """Whether slot (non-breaking) posts go out without a notification sound."""
        return await self._update(chat_id, silent_slot_posts=silent)

    async def set_pin_breaking(self, chat_id: int, pin: bool) -> Channel:
        """Whether breaking posts are pinned (the desk's «Срочно» and `queue --breaking`)."""
        return await self._update(chat_id, pin_breaking=pin)

    async def set_template(self, chat_id: int, **fields: Any) -> Channel:
        """Change post template fields (signature, hashtag_position, breaking_marker,
        link_preview, ...); a value the template refuses is `bad_value`."""
        current = (await self.channel(chat_id)).template.model_dump()
        unknown = set(fields) - set(current)
        if unknown:
            raise PublishingError("bad_value", f"unknown template field(s): {sorted(unknown)}")
        try:
            template = TemplateSettings.model_validate({**current, **fields})
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"])
            raise PublishingError("bad_value", f"{where}: {error['msg']}") from None
        template_of(template)  # refuses a signature Telegram would not parse
        if fields.get("signature"):
            check_signature(fields["signature"])
        return await self._update(chat_id, template=template)


def check_signature(signature: str) -> None:
    """What `/signature` refuses beyond Telegram's parser: a reference Telegram would show as
    typed (the admin meant a character), and a signature too long for a caption's footer,
    counted as Telegram counts it."""
    if literal := literal_references(signature):
        raise PublishingError(
            "bad_value",
            f"invalid post template: unsupported entity {literal[0]!r} (Telegram shows it "
            "as typed)",
        )
    length = telegram_length(signature)
    if length > SIGNATURE_MAX:
        raise PublishingError(
            "bad_value",
            f"invalid post template: the signature is {length} characters as Telegram "
            f"counts them (limit {SIGNATURE_MAX})",
        )
