"""`/edit <id>` changes a published article in place in every channel; `/retract <id>` deletes it.

Both need the editor role in EVERY channel that holds (or waits for) a copy. Retract is
destructive: it asks for a confirmation, checks the roles again with the admin cache
bypassed, and follows the deletions in one progress message.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.desk.keyboards import Confirm, confirm_keyboard
from bot.desk.progress import ProgressSample, track
from bot.publishing.errors import PublishingError
from handlers.editors.common import Env, args_of, authorize, publishing_error
from handlers.editors.states import EditArticle

KEEP = "."


def register(router: Router) -> None:
    """Attach `/edit`, `/retract` and their steps."""
    router.message.register(edit_command, Command("edit"))
    router.message.register(got_headline, EditArticle.headline, F.text, ~F.text.startswith("/"))
    router.message.register(got_lead, EditArticle.lead, F.text, ~F.text.startswith("/"))
    router.message.register(retract_command, Command("retract"))
    router.callback_query.register(confirmed, Confirm.filter(F.action == "retract"))


async def copies_of(env: Env, article_id: str) -> tuple[dict[int, int], set[int]]:
    """Published channel copies (chat -> message) and every channel holding or awaiting one.

    The ledger also lists pushes to subscribers' private chats: those are not channels and
    need no role.
    """
    publisher = env.desk.publisher
    known = {c.id for c in await env.desk.channels.all()}
    copies = {
        chat: message
        for chat, message in (await publisher.ledger.published_copies(article_id)).items()
        if chat in known
    }
    waiting = {chat for chat in await publisher.queue.links(article_id) if chat in known}
    return copies, set(copies) | waiting


async def allowed_everywhere(
    env: Env, chats: set[int], action: str, *, fresh: bool = False, audit: bool = True
) -> bool:
    """The editor role in every one of `chats` (the first refusal stops and is explained)."""
    for chat_id in sorted(chats):
        decision = await authorize(env, chat_id, action, "editor", fresh=fresh, audit_allowed=audit)
        if not decision.allowed:
            return False
    return True


async def edit_command(message: Message, **data: Any) -> None:
    """`/edit <id>`."""
    env = Env.of(message, data)
    args = args_of(message.text)
    if not args:
        await env.say("desk.edit.usage")
        return
    await start_edit(env, args[0])


async def start_edit(env: Env, article_id: str) -> None:
    """Check the roles for every copy, then ask for the new headline."""
    article = await env.desk.service("articles").get(article_id)
    if article is None:
        await env.say("desk.article.unknown", id=article_id)
        return
    _, chats = await copies_of(env, article_id)
    if not chats:
        await env.say("desk.article.nowhere", id=article_id)
        return
    if not await allowed_everywhere(env, chats, "/edit", audit=False):
        return
    if env.state is not None:
        await env.state.set_state(EditArticle.headline)
        await env.state.set_data({"article_id": article_id})
    await env.say("desk.edit.headline", current=article.headline)


async def got_headline(message: Message, **data: Any) -> None:
    """The new headline («.» keeps it)."""
    env = Env.of(message, data)
    if env.state is None:
        return
    article_id = (await env.state.get_data()).get("article_id")
    article = await env.desk.service("articles").get(str(article_id))
    if article is None:
        await env.state.clear()
        await env.say("desk.article.unknown", id=str(article_id))
        return
    text = (message.text or "").strip()
    await env.state.update_data(headline=article.headline if text == KEEP else text)
    await env.state.set_state(EditArticle.lead)
    await env.say("desk.edit.lead", current=article.lead or "—")


async def got_lead(message: Message, **data: Any) -> None:
    """The new lead («.» keeps it): store the article, edit every published copy."""
    env = Env.of(message, data)
    if env.state is None:
        return
    saved = await env.state.get_data()
    article_id = str(saved.get("article_id"))
    article = await env.desk.service("articles").get(article_id)
    if article is None:
        await env.state.clear()
        await env.say("desk.article.unknown", id=article_id)
        return
    _, chats = await copies_of(env, article_id)
    if not await allowed_everywhere(env, chats, "/edit"):
        await env.state.clear()
        return
    text = (message.text or "").strip()
    changes = {"headline": saved.get("headline") or article.headline}
    changes["lead"] = article.lead if text == KEEP else text
    await env.state.clear()
    await _apply_edit(env, article.model_copy(update=changes))


async def _apply_edit(env: Env, updated: Any) -> None:
    """Replace the article in place under its id.

    The import tells every listener the article changed: publishing's routing listener calls
    `publisher.edit_article` (one edit job per published copy, same template as the post),
    subscribers re-index it for search. Calling `edit_article` here too would edit twice.
    """
    copies, _ = await copies_of(env, str(updated.id))
    result = await env.desk.service("article_service").import_article(updated)
    if not result.changed:
        await env.say("desk.edit.unchanged")
        return
    key = "desk.edit.done" if copies else "desk.edit.done.none"
    await env.say(key, id=result.article_id, n=len(copies))


async def retract_command(message: Message, **data: Any) -> None:
    """`/retract <id>`: check roles (cache bypassed), then ask for a confirmation."""
    env = Env.of(message, data)
    args = args_of(message.text)
    if not args:
        await env.say("desk.retract.usage")
        return
    article_id = args[0]
    copies, chats = await copies_of(env, article_id)
    if not chats:
        await env.say("desk.article.nowhere", id=article_id)
        return
    if not await allowed_everywhere(env, chats, "/retract", fresh=True, audit=False):
        return
    keyboard = confirm_keyboard("retract", article_id, 0, env.i18n, env.locale)
    key = "desk.retract.confirm" if copies else "desk.retract.confirm.queued_only"
    await env.say(key, keyboard, id=article_id, n=len(copies))


async def confirmed(query: CallbackQuery, callback_data: Confirm, **data: Any) -> None:
    """«Да, снять» / «Нет» under the retract question."""
    env = Env.of(query, data)
    await env.ack()
    article_id = callback_data.target
    if not callback_data.yes:
        await env.say("desk.retract.kept", id=article_id)
        return
    _, chats = await copies_of(env, article_id)
    if not chats:
        await env.say("desk.article.nowhere", id=article_id)
        return
    if not await allowed_everywhere(env, chats, "/retract", fresh=True):
        return
    try:
        result = await env.desk.publisher.retract_article(article_id)
    except PublishingError as exc:
        await env.send(publishing_error(env, exc))
        return
    if result.cancelled:
        await env.say("desk.retract.unqueued", n=len(result.cancelled))
    if result.deleted:
        _follow_retract(env, article_id, result.deleted)


def _follow_retract(env: Env, article_id: str, chats: list[int]) -> None:
    reporter = env.desk.reporter(env.chat_id, env.locale)

    async def sample() -> ProgressSample:
        return await env.desk.admin.retract_sample(article_id, chats)

    env.desk.spawn(track(reporter, "retract", sample), f"desk-retract-{article_id}")
