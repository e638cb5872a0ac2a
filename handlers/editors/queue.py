"""`/queue [channel]`: the waiting posts with their times, and a button row under each.

Buttons: publish now, move up or down, reschedule (a time in natural Russian), edit the
article, cancel. Every button re-checks the editor role for the post's channel; «Отменить»
is destructive, so it re-checks the Telegram admins with the cache bypassed.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command as CommandFilter
from aiogram.types import CallbackQuery, Message

from bot.desk.audit import DONE, Result, failed
from bot.desk.keyboards import PickChannel, QueueAction, queue_keyboard
from bot.desk.when import WhenError, parse_when
from bot.publishing.errors import PublishingError
from handlers.editors.common import (
    Command,
    Env,
    args_of,
    authorize,
    iso_example,
    local_time,
    pending_args,
    publishing_error,
    run_command,
    title,
    with_channel,
)
from handlers.editors.states import QueueEdit
from storage.models.channel import Channel
from storage.models.queue import QueuedPost

LISTED = 10
DESTRUCTIVE = frozenset({"cancel"})


def register(router: Router) -> None:
    """Attach `/queue`, its channel picker, its buttons and the reschedule step."""
    router.message.register(queue_command, CommandFilter("queue"))
    router.callback_query.register(picked, PickChannel.filter(F.purpose == "queue"))
    router.callback_query.register(queue_button, QueueAction.filter())
    router.message.register(got_time, QueueEdit.when, F.text, ~F.text.startswith("/"))


async def show_queue(env: Env, channel: Channel, args: list[str]) -> Result:
    """List the channel's waiting posts, one message (with buttons) per post."""
    del args
    posts = await env.desk.publisher.list_queue(channel.id)
    if not posts:
        await env.say("desk.queue.empty", title=title(channel))
        return DONE
    await env.say("desk.queue.title", title=title(channel), n=len(posts))
    for post in posts[:LISTED]:
        await env.send(
            await describe(env, post, channel), queue_keyboard(post, env.i18n, env.locale)
        )
    if len(posts) > LISTED:
        await env.say("desk.queue.more", n=len(posts) - LISTED)
    return DONE


async def describe(env: Env, post: QueuedPost, channel: Channel) -> str:
    """`№7 · «Заголовок» — 26 ноября, 12:00 (в очереди)`."""
    articles = env.desk.service("articles")
    article = await articles.get(post.article_id) if articles is not None else None
    headline = article.headline[:80] if article is not None else post.article_id
    return env.t(
        "desk.queue.line",
        id=post.id,
        headline=headline,
        when=local_time(env, post.eta, channel.timezone),
        state=env.t(f"desk.queue.state.{post.state}"),
    )


QUEUE = Command("queue", "editor", show_queue, mutates=False)


async def queue_command(message: Message, **data: Any) -> None:
    """`/queue [@channel]`."""
    await with_channel(Env.of(message, data), QUEUE, args_of(message.text))


async def picked(query: CallbackQuery, callback_data: PickChannel, **data: Any) -> None:
    """The channel picked for `/queue`."""
    env = Env.of(query, data)
    await env.ack()
    channel = await env.desk.channels.get(callback_data.chat_id)
    if channel is None:
        await env.say("desk.channel.unknown", ref=str(callback_data.chat_id))
        return
    await run_command(env, QUEUE, channel, await pending_args(env, "queue"))


async def queue_button(query: CallbackQuery, callback_data: QueueAction, **data: Any) -> None:
    """A button under a queued post (role re-checked for the post's channel)."""
    env = Env.of(query, data)
    try:
        post = await env.desk.publisher.post(callback_data.post_id)
    except PublishingError as exc:
        await env.ack()
        await env.send(publishing_error(env, exc))
        return
    action = callback_data.action
    name = f"/queue:{action}"
    fresh = action in DESTRUCTIVE
    decision = await authorize(env, post.chat_id, name, "editor", fresh=fresh, audit_allowed=False)
    if not decision.allowed:
        return
    await env.ack()
    if action == "resched":
        await _ask_time(env, post)  # audited once the new time is given
    elif action == "edit":
        from handlers.editors.articles import start_edit

        await start_edit(env, post.article_id)  # audited when the edit is stored
    elif action in CHANGES:
        await env.roles.audit.result(env.actor, name, post.chat_id, await _act(env, post, action))
    else:
        await env.say("desk.stale")


CHANGES = frozenset({"now", "up", "down", "cancel"})


async def _act(env: Env, post: QueuedPost, action: str) -> Result:
    """Publish now, move or cancel a queued post; what came of it."""
    publisher = env.desk.publisher
    try:
        if action == "now":
            await publisher.publish_now(post.id)
        elif action in ("up", "down"):
            await publisher.move(post.id, -1 if action == "up" else 1)
        else:
            await publisher.cancel(post.id)
    except PublishingError as exc:
        await env.send(publishing_error(env, exc))
        return failed(exc.code, post.id)
    await env.say(f"desk.queue.done.{action}", id=post.id)
    return DONE


async def _ask_time(env: Env, post: QueuedPost) -> None:
    if env.state is not None:
        await env.state.set_state(QueueEdit.when)
        await env.state.update_data(post_id=post.id)
    channel = await env.desk.publisher.channel(post.chat_id)
    await env.say("desk.when.ask_resched", id=post.id, iso=iso_example(env, channel.timezone))


async def got_time(message: Message, **data: Any) -> None:
    """The new time of a queued post, in its channel's zone."""
    env = Env.of(message, data)
    post_id = (await env.state.get_data()).get("post_id") if env.state is not None else None
    try:
        post = await env.desk.publisher.post(str(post_id))
    except PublishingError as exc:
        await env.send(publishing_error(env, exc))
        return
    action = "/queue:resched"
    decision = await authorize(env, post.chat_id, action, "editor", audit_allowed=False)
    if not decision.allowed:
        return
    channel = await env.desk.publisher.channel(post.chat_id)
    try:
        at = parse_when(message.text or "", env.desk.clock.now(), ZoneInfo(channel.timezone))
        await env.desk.publisher.reschedule(post.id, at)
    except WhenError as exc:
        await env.say(f"desk.when.{exc.code}", example=exc.example)
        return  # asked again: nothing happened yet
    except PublishingError as exc:
        await env.send(publishing_error(env, exc))
        await env.roles.audit.result(env.actor, action, post.chat_id, failed(exc.code, post.id))
        return
    await env.roles.audit.result(env.actor, action, post.chat_id, DONE)
    if env.state is not None:
        await env.state.clear()
    await env.say("desk.queue.done.resched", id=post.id, when=local_time(env, at, channel.timezone))
