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

from bot.desk.article_rights import Reach, RightsRefused
from bot.desk.audit import DONE, Result, failed
from bot.desk.keyboards import Confirm, confirm_keyboard
from bot.desk.progress import ProgressSample, track
from bot.publishing.errors import PublishingError
from handlers.editors.common import Env, args_of, deny, publishing_error
from handlers.editors.states import EditArticle

KEEP = "."


def register(router: Router) -> None:
    """Attach `/edit`, `/retract` and their steps."""
    router.message.register(edit_command, Command("edit"))
    router.message.register(got_headline, EditArticle.headline, F.text, ~F.text.startswith("/"))
    router.message.register(got_lead, EditArticle.lead, F.text, ~F.text.startswith("/"))
    router.message.register(retract_command, Command("retract"))
    router.callback_query.register(confirmed, Confirm.filter(F.action == "retract"))


async def allowed_everywhere(
    env: Env, article_id: str, action: str, *, fresh: bool = False
) -> Reach | None:
    """The article's reach when the user may edit it in every channel there, else None
    after a polite refusal naming the first channel refused (every refusal is audited)."""
    verdict = await env.desk.rights.check(env.actor, article_id, action, fresh=fresh)
    if verdict.refused_in is not None and verdict.decision is not None:
        await deny(env, verdict.decision, verdict.refused_in)
        return None
    return verdict.reach


async def audit_done(env: Env, action: str, reach: Reach, result: Result = DONE) -> None:
    """What came of an allowed edit or retraction, once per channel it concerns."""
    for chat_id in sorted(reach.channels):
        await env.roles.audit.result(env.actor, action, chat_id, result)


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
    reach = await allowed_everywhere(env, article_id, "/edit")
    if reach is None:
        return
    if not reach.channels:
        await env.say("desk.article.nowhere", id=article_id)
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
    text = (message.text or "").strip()
    changes = {"headline": saved.get("headline") or article.headline}
    changes["lead"] = article.lead if text == KEEP else text
    await env.state.clear()
    await _apply_edit(env, article.model_copy(update=changes))


async def _apply_edit(env: Env, updated: Any) -> None:
    """Replace the article in place under its id, if the user may still edit it everywhere.

    The rights are checked again in the same step as the store (admin cache bypassed): a
    copy that appeared meanwhile in a channel where they have no role refuses the edit.
    The import tells every listener the article changed: publishing's routing listener calls
    `publisher.edit_article` (one edit job per published copy, same template as the post),
    subscribers re-index it for search. Calling `edit_article` here too would edit twice.
    """
    rights = env.desk.rights
    try:
        result = await rights.edit_as(env.actor, updated, "/edit")
    except RightsRefused as exc:
        await deny(env, exc.decision, exc.chat_id)
        return
    reach = await rights.reach(str(updated.id))
    if not result.changed:
        await audit_done(env, "/edit", reach, failed("unchanged"))
        await env.say("desk.edit.unchanged")
        return
    await audit_done(env, "/edit", reach)
    key = "desk.edit.done" if reach.published else "desk.edit.done.none"
    await env.say(key, id=result.article_id, n=len(reach.published))


async def retract_command(message: Message, **data: Any) -> None:
    """`/retract <id>`: check roles (cache bypassed), then ask for a confirmation."""
    env = Env.of(message, data)
    args = args_of(message.text)
    if not args:
        await env.say("desk.retract.usage")
        return
    article_id = args[0]
    reach = await allowed_everywhere(env, article_id, "/retract", fresh=True)
    if reach is None:
        return
    if not reach.channels:
        await env.say("desk.article.nowhere", id=article_id)
        return
    keyboard = confirm_keyboard("retract", article_id, 0, env.i18n, env.locale)
    key = "desk.retract.confirm" if reach.published else "desk.retract.confirm.queued_only"
    await env.say(key, keyboard, id=article_id, n=len(reach.published))


async def confirmed(query: CallbackQuery, callback_data: Confirm, **data: Any) -> None:
    """«Да, снять» / «Нет» under the retract question."""
    env = Env.of(query, data)
    await env.ack()
    article_id = callback_data.target
    if not callback_data.yes:
        await env.say("desk.retract.kept", id=article_id)
        return
    reach = await allowed_everywhere(env, article_id, "/retract", fresh=True)
    if reach is None:
        return
    if not reach.channels:
        await env.say("desk.article.nowhere", id=article_id)
        return
    try:
        result = await env.desk.publisher.retract_article(article_id)
    except PublishingError as exc:
        await audit_done(env, "/retract", reach, failed(exc.code))
        await env.send(publishing_error(env, exc))
        return
    await audit_done(env, "/retract", reach)
    if result.cancelled:
        await env.say("desk.retract.unqueued", n=len(result.cancelled))
    if result.deleted:
        _follow_retract(env, article_id, result.deleted)


def _follow_retract(env: Env, article_id: str, chats: list[int]) -> None:
    reporter = env.desk.reporter(env.chat_id, env.locale)

    async def sample() -> ProgressSample:
        return await env.desk.admin.retract_sample(article_id, chats)

    env.desk.spawn(track(reporter, "retract", sample), f"desk-retract-{article_id}")
