"""The preview of a draft (exactly as the channel will show it) and what to do with it.

«Опубликовать сейчас», «В ближайший слот», «Ко времени…» (then a time in natural Russian,
in the channel's time zone), «Срочно» (at once, with sound, pinned, and a progress report of
the push to subscribers), «Отмена», «Назад».
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message

from bot.delivery.sender import preview_options
from bot.desk.audit import Result, failed
from bot.desk.drafts import DraftError
from bot.desk.keyboards import SubmitDraft, step_keyboard, submit_keyboard
from bot.desk.progress import track
from bot.desk.when import WhenError, parse_when
from bot.publishing.errors import PublishingError
from handlers.editors.common import (
    Env,
    authorize,
    current_draft,
    iso_example,
    local_time,
    own_draft,
    publishing_error,
    title,
)
from handlers.editors.prompts import remember_prompt, retire_prompt
from handlers.editors.states import Compose
from storage.models.channel import Channel
from storage.models.draft import Draft
from storage.models.queue import PostMode

MODES: tuple[PostMode, ...] = ("now", "next_slot", "at", "breaking")


def register(router: Router) -> None:
    """Attach the submission handlers (the `when` state comes from `compose`)."""
    router.callback_query.register(submitted, SubmitDraft.filter(F.mode.in_(MODES)))
    router.message.register(got_when, Compose.when, F.text, ~F.text.startswith("/"))


async def show_preview(env: Env, draft: Draft) -> int | None:
    """Send the post as the channel will publish it, with the submission buttons under it;
    the id of that message (None when there is no preview)."""
    try:
        post = await env.desk.drafts.preview(draft)
    except DraftError as exc:
        await env.say(f"desk.draft.{exc.code}")
        return None
    keyboard = submit_keyboard(draft.id, env.i18n, env.locale)
    await env.say("desk.preview.title")
    try:
        if post.method == "sendPhoto" and post.photo:
            sent = await env.bot.send_photo(
                env.chat_id,
                post.photo,
                caption=post.text,
                parse_mode=post.parse_mode,
                reply_markup=keyboard,
            )
        else:
            sent = await env.bot.send_message(
                env.chat_id,
                post.text,
                parse_mode=post.parse_mode,
                link_preview_options=preview_options(post),
                reply_markup=keyboard,
            )
    except TelegramBadRequest as exc:
        await env.say("desk.preview.failed", detail=exc.message)
        return None
    return sent.message_id


async def submitted(query: CallbackQuery, callback_data: SubmitDraft, **data: Any) -> None:
    """A submission button under the preview."""
    env = Env.of(query, data)
    draft = await own_draft(env, callback_data.draft_id, f"/new:{callback_data.mode}")
    if draft is None or draft.chat_id is None:
        await env.ack("desk.draft.gone")
        return
    action = f"/new:{callback_data.mode}"
    decision = await authorize(env, draft.chat_id, action, "editor", audit_allowed=False)
    if not decision.allowed:
        return
    await env.ack()
    if callback_data.mode == "at":
        await ask_when(env, draft)
        return
    await submit(env, draft, _mode(callback_data.mode), None)


async def ask_when(env: Env, draft: Draft) -> None:
    """«Когда опубликовать?» with examples; the answer arrives in the `when` state."""
    await retire_prompt(env)
    if env.state is not None:
        await env.state.set_state(Compose.when)
        await env.state.update_data(draft_id=draft.id)
    iso = iso_example(env, await _zone_name(env, draft))
    keyboard = step_keyboard(env.i18n, env.locale, draft.id)
    await remember_prompt(env, await env.say("desk.when.ask", keyboard, iso=iso))


async def _zone_name(env: Env, draft: Draft) -> str:
    """The draft's channel's time zone (the server's when the channel is gone)."""
    channel = await env.desk.channels.get(draft.chat_id) if draft.chat_id else None
    return channel.timezone if channel is not None else str(env.data["settings"].timezone)


async def got_when(message: Message, **data: Any) -> None:
    """A time for «Ко времени…»: parsed in the channel's zone; unclear or past → asked again."""
    env = Env.of(message, data)
    draft = await current_draft(env)
    if draft is None or draft.chat_id is None:
        await env.say("desk.draft.gone")
        return
    tz = ZoneInfo(await _zone_name(env, draft))
    try:
        at = parse_when(message.text or "", env.desk.clock.now(), tz)
    except WhenError as exc:
        await env.say(f"desk.when.{exc.code}", example=exc.example)
        return
    await submit(env, draft, "at", at)


async def submit(env: Env, draft: Draft, mode: PostMode, at: Any) -> None:
    """Import and plan the draft; tell the editor when it goes out (and the audit log)."""
    action, chat_id = f"/new:{mode}", draft.chat_id
    try:
        result = await env.desk.drafts.submit(draft, mode, at, actor=env.actor)
    except PublishingError as exc:
        await env.roles.audit.result(env.actor, action, chat_id, failed(exc.code, draft.id))
        await env.send(publishing_error(env, exc))
        return
    except DraftError as exc:
        await env.roles.audit.result(env.actor, action, chat_id, failed(exc.code, draft.id))
        await env.say(f"desk.draft.{exc.code}")
        return
    await env.roles.audit.result(env.actor, action, chat_id, Result(given=result.article_id))
    await retire_prompt(env)  # the preview (or the time question) is answered
    if env.state is not None:
        await env.state.clear()
    if result.apart_from:
        await env.say("desk.sent.apart", id=result.article_id)
    channel = await env.desk.drafts.channel(draft)
    if result.updated:
        await env.say("desk.sent.updated", id=result.article_id, title=title(channel))
        return
    post = result.posts[0] if result.posts else None
    when = await _eta(env, channel, post.id if post else None)
    sent = "breaking_unpinned" if mode == "breaking" and not channel.pin_breaking else mode
    await env.say(f"desk.sent.{sent}", title=title(channel), id=result.article_id, when=when)
    if mode == "breaking":
        await _report_push(env, channel, draft, result.article_id)


async def _eta(env: Env, channel: Channel, post_id: str | None) -> str:
    for queued in await env.desk.publisher.list_queue(channel.id):
        if queued.id == post_id:
            return local_time(env, queued.eta, channel.timezone)
    return "—"


async def _report_push(env: Env, channel: Channel, draft: Draft, article_id: str) -> None:
    """Follow the breaking post and its push in one status message."""
    recipients = [channel.id, *await env.desk.admin.push_recipients(draft.rubric)]
    if len(recipients) < 2:
        return
    reporter = env.desk.reporter(env.chat_id, env.locale)

    async def sample() -> Any:
        return await env.desk.admin.delivery_sample(article_id, len(recipients), recipients)

    env.desk.spawn(track(reporter, "push", sample), f"desk-push-{article_id}")


def _mode(value: str) -> PostMode:
    for mode in MODES:
        if mode == value:
            return mode
    return "next_slot"
