"""/latest with ◀ ▶ paging, and the whole article: /article <id>, /article_<id>, a headline tap."""

from __future__ import annotations

import re

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.i18n import I18n
from bot.subscribers import views
from bot.subscribers.keyboards import LatestNav, OpenArticle, latest_keyboard
from bot.subscribers.service import LatestPage, Profile, SubscriberService
from handlers.subscribers.common import answer, command_args, send_post, show

_ARTICLE_COMMAND = re.compile(r"^article_([A-Za-z0-9_]+)$")


def create_router() -> Router:
    """Handlers of /latest, its buttons and the whole-article commands."""
    router = Router(name="subscribers.reading")
    router.message.register(latest, Command("latest"))
    router.message.register(article, Command("article"))
    router.message.register(article, Command(_ARTICLE_COMMAND))
    router.callback_query.register(latest_page, LatestNav.filter())
    router.callback_query.register(open_article, OpenArticle.filter())
    return router


async def _render(
    service: SubscriberService, i18n: I18n, profile: Profile, page: LatestPage, clock: Clock
) -> tuple[str, InlineKeyboardMarkup | None]:
    names = await service.rubric_names()
    text = views.latest_text(i18n, profile.locale, profile.tz, page, names, clock.now())
    markup = latest_keyboard(page, i18n, profile.locale) if page.status == "ok" else None
    return text, markup


async def latest(
    message: Message,
    command: CommandObject,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    clock: Clock,
) -> None:
    """/latest [rubric] [N]: the newest headlines, paged."""
    page = await subscriber_service.latest(profile.user_id, command_args(command))
    text, markup = await _render(subscriber_service, i18n, profile, page, clock)
    await message.answer(text, reply_markup=markup)


async def latest_page(
    callback: CallbackQuery,
    callback_data: LatestNav,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    clock: Clock,
    bot: Bot,
) -> None:
    """◀ ▶: the neighbouring page, edited in place."""
    data = callback_data
    page = await subscriber_service.page(profile.user_id, data.rubric, data.offset, data.size)
    if page.status != "ok":
        key = "sub.latest.too_far" if page.status == "too_far" else "sub.stale_button"
        await answer(callback, i18n(key, profile.locale), alert=True)
        return
    await answer(callback)
    text, markup = await _render(subscriber_service, i18n, profile, page, clock)
    await show(bot, callback, text, markup)


async def _send_article(
    bot: Bot, service: SubscriberService, i18n: I18n, profile: Profile, article_id: str
) -> None:
    post = await service.full_post(article_id)
    if post is None:
        text = i18n("sub.article.not_found", profile.locale, id=views.echo(article_id))
        await bot.send_message(chat_id=profile.user_id, text=text)
        return
    await send_post(bot, profile.user_id, post)


async def article(
    message: Message,
    command: CommandObject,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    bot: Bot,
) -> None:
    """/article <id>, or /article_<id> (the clickable form used in digests): the whole
    formatted article."""
    match = command.regexp_match
    if match is not None:
        article_id = match.group(1)
    else:
        args = command_args(command)
        if not args:
            await message.answer(i18n("sub.article.usage", profile.locale))
            return
        article_id = args.split()[0]
    await _send_article(bot, subscriber_service, i18n, profile, article_id)


async def open_article(
    callback: CallbackQuery,
    callback_data: OpenArticle,
    subscriber_service: SubscriberService,
    i18n: I18n,
    profile: Profile,
    bot: Bot,
) -> None:
    """A tap on a headline: the whole article as a new message (an alert if it is gone)."""
    post = await subscriber_service.full_post(callback_data.id)
    if post is None:
        text = i18n("sub.article.not_found", profile.locale, id=views.clip(callback_data.id))
        await answer(callback, text, alert=True)
        return
    await answer(callback)
    await send_post(bot, profile.user_id, post)
