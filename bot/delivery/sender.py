"""One delivery attempt through aiogram, and what its outcome means for the job.

`Sender.deliver(job)` performs the Telegram call(s) a job needs (send text/photo, pin, edit,
delete) and turns every answer into one of three results: `Sent`, `Retry` (try again later:
429, network trouble, 5xx) or `Failed` (never will: kicked, blocked, bad request...). It
also handles the answers that are fixed on the spot: unparsable HTML is resent once as plain
text, a migrated group is resent to its new id, "message is not modified" counts as done.
Every request beyond the job's first (a pin, a resend) waits for its own rate-limiter slot
through the `pace` hook, so the extra calls keep to the same limits as the jobs.
Once the message is out, a failing pin never turns the job into a retry (that would post
it twice): it is recorded as `pin_failed`.
The engine turns results into outbox settlements; the sender never touches Redis state
other than the photo file_id cache.
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    AiogramError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    DeleteMessage,
    EditMessageCaption,
    EditMessageText,
    PinChatMessage,
    Response,
    SendMessage,
    SendPhoto,
)
from aiogram.types import InlineKeyboardMarkup, LinkPreviewOptions, Message

from bot.delivery.photos import PhotoKeys, is_file_path
from bot.delivery.replies import engine_calls
from storage.file_ids import FileIdCache
from storage.models.delivery import DeliveryJob
from storage.models.post import LinkPreview, Post

log = logging.getLogger(__name__)

MigrateHook = Callable[[int, int], Awaitable[None]]
PaceHook = Callable[[int], Awaitable[None]]
FloodHook = Callable[[int, float], Awaitable[None]]
_TAG = re.compile(r"<[^>]*>")
_MAX_MIGRATIONS = 2


@dataclass(slots=True)
class Sent:
    """Telegram accepted the job; `message_id` of the sent (or edited) message."""

    message_id: int | None
    detail: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Retry:
    """Try again later. `retry_after`: Telegram's flood wait (429), else None (backoff)."""

    error: str
    description: str
    retry_after: float | None = None


@dataclass(slots=True)
class Failed:
    """The job will never succeed as it is; `reason` goes to the ledger and the stats."""

    reason: str
    description: str


Result = Sent | Retry | Failed


def response_types() -> tuple[type, ...]:
    """The `Response[...]` classes aiogram validates the sender's answers with.

    aiogram builds `Response[<result type>]` for every answer, and pydantic keeps those
    generic classes in a weak cache only: under load the cyclic GC drops them and each
    rebuild costs about 10 ms of CPU (a third of the CPU of a busy engine). Holding a
    reference keeps the cache warm for the whole process.
    """
    methods = (SendMessage, SendPhoto, PinChatMessage, EditMessageText, EditMessageCaption,
               DeleteMessage)  # fmt: skip
    return tuple(Response[method.__returning__] for method in methods)  # type: ignore[name-defined]


def strip_html(text: str) -> str:
    """The plain text of a Telegram-HTML string: tags removed, entities unescaped."""
    return html.unescape(_TAG.sub("", text))


class Sender:
    """Carries out delivery jobs with one aiogram `Bot`.

    Hooks (the engine sets them): `on_migrate(old, new)` when a group became a supergroup;
    `pace(chat_id)` waits for a rate-limiter slot before any request beyond the job's own
    (pin, plain-text resend, migration resend, upload after a refused file_id);
    `on_flood(chat_id, retry_after)` records a 429 answered to such an extra request.
    """

    def __init__(
        self,
        bot: Bot,
        file_ids: FileIdCache,
        *,
        paid_broadcast: bool = False,
        on_migrate: MigrateHook | None = None,
        pace: PaceHook | None = None,
        on_flood: FloodHook | None = None,
    ) -> None:
        self.bot = bot
        self.file_ids = file_ids
        self.paid_broadcast = paid_broadcast
        self.on_migrate = on_migrate
        self.pace = pace
        self.on_flood = on_flood
        self._response_types = response_types()
        self._photos = PhotoKeys()
        self._photo_locks: dict[str, asyncio.Lock] = {}

    async def prepare(self, jobs: Sequence[DeliveryJob]) -> None:
        """Warm the file_id cache for every photo in a batch (one HMGET)."""
        sources = {job.post.photo for job in jobs if job.post is not None and job.post.photo}
        if sources:
            await self.file_ids.get_many([await self._photos.key(src) for src in sources])

    async def deliver(self, job: DeliveryJob) -> Result:
        """One attempt at the job; never raises for a Telegram or network error.

        Its calls are the engine's own (paced and retried by the engine, not by the
        `ReplyPacer` every other call goes through)."""
        with engine_calls():
            return await self._deliver(job)

    async def _deliver(self, job: DeliveryJob) -> Result:
        try:
            return await self._attempt(job, migrations=0)
        except TelegramRetryAfter as exc:
            return Retry("retry_after", exc.message, retry_after=float(exc.retry_after))
        except (TelegramNetworkError, TelegramServerError) as exc:
            name = "network" if isinstance(exc, TelegramNetworkError) else "server_error"
            return Retry(name, exc.message)
        except TelegramForbiddenError as exc:
            return Failed("forbidden", exc.message)
        except TelegramBadRequest as exc:
            return _bad_request(job, exc.message)
        except (TelegramNotFound, TelegramUnauthorizedError, TelegramConflictError) as exc:
            return Failed(type(exc).__name__.removeprefix("Telegram").lower(), exc.message)
        except AiogramError as exc:  # undecodable answer (a proxy's error page...)
            return Retry("server_error", str(exc))

    async def _attempt(self, job: DeliveryJob, migrations: int) -> Result:
        try:
            if job.kind == "delete":
                return await self._delete(job)
            if job.post is None:
                return Failed(
                    "no_payload", f"job {job.id} has no post (payload missing or expired)"
                )
            if job.kind == "edit":
                return await self._edit(job, job.post)
            return await self._send(job, job.post)
        except TelegramMigrateToChat as exc:
            if migrations >= _MAX_MIGRATIONS:
                return Failed("migrated", exc.message)
            await self._migrated(job, exc.migrate_to_chat_id)
            await self._extra_request(job.chat_id)
            return await self._attempt(job, migrations + 1)

    async def _migrated(self, job: DeliveryJob, new_chat_id: int) -> None:
        old = job.chat_id
        log.info("chat %s migrated to %s; resending job %s", old, new_chat_id, job.id)
        job.chat_id = new_chat_id
        if self.on_migrate is not None:
            try:
                await self.on_migrate(old, new_chat_id)
            except Exception:
                log.exception("migrate hook failed for %s -> %s", old, new_chat_id)

    async def _extra_request(self, chat_id: int) -> None:
        """Wait for a rate slot for one more request to `chat_id` (none without a pace hook)."""
        if self.pace is not None:
            await self.pace(chat_id)

    # --- sending ----------------------------------------------------------------------
    async def _send(self, job: DeliveryJob, post: Post) -> Result:
        try:
            message = await self._send_post(job, post, post.text, post.parse_mode)
            detail: dict[str, object] = {}
        except TelegramBadRequest as exc:
            if not _is_parse_error(exc.message) or post.parse_mode is None:
                raise
            log.warning("job %s: %s; resending as plain text", job.id, exc.message)
            await self._extra_request(job.chat_id)
            message = await self._send_post(job, post, strip_html(post.text), None)
            detail = {"plain_text": True}
        if job.pin:
            detail.update(await self._pin(job, message.message_id))
        return Sent(message.message_id, detail)

    def _send_post(
        self, job: DeliveryJob, post: Post, text: str, parse_mode: str | None
    ) -> Awaitable[Message]:
        """The call that sends the post (not a coroutine of its own: one less per message)."""
        if post.method == "sendPhoto" and post.photo:
            return self._send_photo(job, post.photo, text, parse_mode)
        return self.bot.send_message(
            job.chat_id,
            text,
            parse_mode=parse_mode,
            link_preview_options=preview_options(post),
            disable_notification=_silent(job),
            reply_markup=_markup(job),
            allow_paid_broadcast=self._paid(),
        )

    async def _send_photo(
        self, job: DeliveryJob, source: str, caption: str, parse_mode: str | None
    ) -> Message:
        key = await self._photos.key(source)
        cached = await self.file_ids.get(key)
        if cached is not None:
            try:
                return await self._photo_call(job, cached, caption, parse_mode)
            except TelegramBadRequest as exc:
                if not _is_bad_file_id(exc.message):
                    raise
                log.warning("file_id of %s refused (%s); sending it anew", source, exc.message)
                await self.file_ids.forget(key)
                await self._extra_request(job.chat_id)
        lock = self._photo_locks.setdefault(key, asyncio.Lock())
        async with lock:  # the first send of a new photo gives the file_id the others reuse
            cached = await self.file_ids.get(key)
            if cached is not None:
                message = await self._photo_call(job, cached, caption, parse_mode)
            else:
                message = await self._first_photo_send(job, source, key, caption, parse_mode)
        if not lock.locked():
            self._photo_locks.pop(key, None)
        return message

    async def _first_photo_send(
        self, job: DeliveryJob, source: str, key: str, caption: str, parse_mode: str | None
    ) -> Message:
        """Upload a local file (or hand Telegram the URL) and remember the file_id it gives."""
        photo: Any = source
        if is_file_path(source):
            key, photo = await self._photos.upload(source)
        message = await self._photo_call(job, photo, caption, parse_mode)
        if message.photo:
            await self.file_ids.put(key, message.photo[-1].file_id)
        return message

    async def _photo_call(
        self, job: DeliveryJob, photo: Any, caption: str, parse_mode: str | None
    ) -> Message:
        return await self.bot.send_photo(
            job.chat_id,
            photo,
            caption=caption,
            parse_mode=parse_mode,
            disable_notification=_silent(job),
            reply_markup=_markup(job),
            allow_paid_broadcast=self._paid(),
        )

    async def _pin(self, job: DeliveryJob, message_id: int) -> dict[str, object]:
        """Pin the message just sent; never raises (the post is out, it must not be resent).

        After a 429 the wait is recorded through `on_flood` and the pin tried once more.
        """
        outcome = await self._try_pin(job, message_id)
        if isinstance(outcome, float) and self.on_flood is not None:
            await self.on_flood(job.chat_id, outcome)
            outcome = await self._try_pin(job, message_id)
        if isinstance(outcome, float):
            return self._pin_failed(job, f"Too Many Requests: retry after {outcome:g}")
        return outcome

    async def _try_pin(self, job: DeliveryJob, message_id: int) -> dict[str, object] | float:
        """One pin request in its own rate slot: the ledger detail, or Telegram's flood wait."""
        await self._extra_request(job.chat_id)
        try:
            await self.bot.pin_chat_message(
                job.chat_id, message_id, disable_notification=_silent(job)
            )
        except TelegramRetryAfter as exc:
            return float(exc.retry_after)
        except AiogramError as exc:
            return self._pin_failed(job, getattr(exc, "message", str(exc)))
        return {"pinned": True}

    def _pin_failed(self, job: DeliveryJob, description: str) -> dict[str, object]:
        log.warning("job %s: pin failed in chat %s: %s", job.id, job.chat_id, description)
        return {"pin_failed": description}

    def _paid(self) -> bool | None:
        return True if self.paid_broadcast else None

    # --- editing and deleting -----------------------------------------------------------
    async def _edit(self, job: DeliveryJob, post: Post) -> Result:
        assert job.message_id is not None
        try:
            await self._edit_post(job, post, post.text, post.parse_mode)
        except TelegramBadRequest as exc:
            if _is_not_modified(exc.message):
                return Sent(job.message_id, {"not_modified": True})
            if not _is_parse_error(exc.message) or post.parse_mode is None:
                raise
            log.warning("job %s: %s; editing as plain text", job.id, exc.message)
            await self._extra_request(job.chat_id)
            await self._edit_post(job, post, strip_html(post.text), None)
            return Sent(job.message_id, {"plain_text": True})
        return Sent(job.message_id)

    async def _edit_post(self, job: DeliveryJob, post: Post, text: str, mode: str | None) -> None:
        assert job.message_id is not None
        markup = _markup(job)
        if post.method == "sendPhoto":
            await self.bot.edit_message_caption(
                chat_id=job.chat_id,
                message_id=job.message_id,
                caption=text,
                parse_mode=mode,
                reply_markup=markup,
            )
        else:
            await self.bot.edit_message_text(
                text=text,
                chat_id=job.chat_id,
                message_id=job.message_id,
                parse_mode=mode,
                link_preview_options=preview_options(post),
                reply_markup=markup,
            )

    async def _delete(self, job: DeliveryJob) -> Result:
        assert job.message_id is not None
        try:
            await self.bot.delete_message(job.chat_id, job.message_id)
        except TelegramBadRequest as exc:
            if "message to delete not found" in exc.message.lower():
                return Sent(job.message_id, {"already_deleted": True})
            raise
        return Sent(job.message_id)


def _silent(job: DeliveryJob) -> bool | None:
    """`disable_notification` for the job: True, or left out (Telegram's default is to
    notify), so an ordinary send carries one parameter less to encode."""
    return True if job.silent else None


def preview_options(post: Post) -> LinkPreviewOptions | None:
    """The post's `link_preview_options` (None: left out, Telegram's default)."""
    return None if post.link_preview is None else _preview_options(post.link_preview)


@functools.lru_cache(maxsize=256)
def _preview_options(chosen: LinkPreview) -> LinkPreviewOptions:
    """aiogram's options for a preview choice, made once per choice (a fan-out sends the
    same one to every reader)."""
    return LinkPreviewOptions(**chosen.model_dump(exclude_defaults=True))


def _markup(job: DeliveryJob) -> InlineKeyboardMarkup | None:
    """The job's own keyboard, else its post's (a fan-out's buttons live in the payload)."""
    markup = job.reply_markup
    if markup is None and job.post is not None:
        markup = job.post.reply_markup
    if markup is None:
        return None
    return InlineKeyboardMarkup.model_validate(markup)


def _is_parse_error(description: str) -> bool:
    return "can't parse entities" in description.lower()


def _is_bad_file_id(description: str) -> bool:
    lowered = description.lower()
    return "file" in lowered and "identifier" in lowered


def _is_not_modified(description: str) -> bool:
    return "message is not modified" in description.lower()


_BAD_REQUEST_REASONS = (
    ("chat not found", "chat_not_found"),
    ("message to edit not found", "message_not_found"),
    ("message to delete not found", "message_not_found"),
    ("message can't be deleted", "cannot_delete"),
    ("can't parse entities", "parse_error"),
    ("too long", "too_long"),
    ("need administrator rights", "forbidden"),
    ("not enough rights", "forbidden"),
)


def _bad_request(job: DeliveryJob, description: str) -> Failed:
    lowered = description.lower()
    for fragment, reason in _BAD_REQUEST_REASONS:
        if fragment in lowered:
            return Failed(reason, description)
    log.warning("job %s to chat %s refused: %s", job.id, job.chat_id, description)
    return Failed("bad_request", description)


__all__ = [
    "Failed", "FloodHook", "MigrateHook", "PaceHook", "Result", "Retry", "Sender", "Sent",
    "preview_options", "response_types", "strip_html",
]  # fmt: skip
