"""End to end: readers talk to the whole application through the sandbox, over real HTTP + Redis."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiogram.types import (
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from bot.subscribers.keyboards import SettingsPage
from storage.models.article import Article
from storage.models.subscriber import Subscriber
from storage.subscriptions import SubscriptionRepo
from tests.harness import RunningApp, eventually, running_app
from tests.subscribers.e2e import Reader, body, button, buttons

HEADLINE = "Токаев: Алматы становится"


@pytest.fixture
async def app(
    redis: Redis, redis_server: RedisServerProcess, sandbox: object
) -> AsyncIterator[RunningApp]:
    async with running_app(redis_server.url, sandbox) as running:
        yield running


async def _import_many(app: RunningApp, rubric: str, count: int) -> list[str]:
    service = app.services["article_service"]
    now = datetime.now(UTC)
    ids = []
    for i in range(count):
        item = Article(
            rubric=rubric,
            headline=f"{rubric}: новость номер {i}",
            lead=f"Подробности события номер {i}.",
            published_at=now - timedelta(minutes=count - i),
        )
        ids.append((await service.import_article(item)).article_id)
    return ids


async def test_start_help_and_rubric_keyboard(app: RunningApp) -> None:
    reader = await Reader.create(app, "Айгуль")
    welcome = await reader.say("/start")
    assert "«Вестник»" in body(welcome)
    assert [b["text"] for b in buttons(welcome)][:2] == ["Политика", "Экономика"]
    pressed = await reader.press(welcome, button(welcome, "Политика"))
    assert pressed["callback_answers"][-1]["text"] == "Вы подписаны на рубрику «Политика»"
    edited = await reader.edited(welcome["message_id"], "Сейчас у вас 1 подписка")
    assert "✓ Политика" in [b["text"] for b in buttons(edited)]
    assert len(await reader.bot_messages()) == 1  # edited in place, nothing new sent
    await reader.press(edited, button(edited, "Спорт"))
    await reader.edited(welcome["message_id"], "2 подписки")
    help_text = body(await reader.say("/help"))
    for command in ("/rubrics", "/subscribe", "/latest", "/search", "/digest", "/stop"):
        assert command in help_text
    # placeholders are italics, not quotes a reader would copy into the command
    assert "«" not in help_text
    assert "/unsubscribe рубрика — отписаться, /unsubscribe все — от всех рубрик" in help_text
    listing = await reader.say("/rubrics")
    assert {"✓ Политика", "✓ Спорт", "Экономика"} <= {b["text"] for b in buttons(listing)}


async def test_subscribe_and_unsubscribe_commands(app: RunningApp) -> None:
    reader = await Reader.create(app, "Ерлан")
    assert body(await reader.say("/subscribe политика")) == (
        "Готово — вы подписаны на рубрику «Политика». Всего у вас 1 подписка."
    )
    assert "уже подписаны" in body(await reader.say("/subscribe #Политика"))
    miss = body(await reader.say("/subscribe Политка"))
    assert miss == "Рубрики «Политка» нет. Возможно, вы имели в виду «Политика»?"
    await reader.say("/subscribe v-mire")
    await reader.say("/subscribe «Спорт»")
    assert body(await reader.say("/unsubscribe Политика")) == (
        "Вы отписались от рубрики «Политика». Остались 2 подписки."
    )
    assert body(await reader.say("/unsubscribe Спорт")) == (
        "Вы отписались от рубрики «Спорт». Осталась 1 подписка."
    )
    usage = await reader.say("/subscribe")
    assert "/subscribe Политика" in body(usage) and buttons(usage)
    assert body(await reader.say("/unsubscribe «все»")).endswith("снята 1 подписка.")
    assert "нет подписок" in body(await reader.say("/unsubscribe all"))


async def test_english_user_and_language_switch(app: RunningApp) -> None:
    reader = await Reader.create(app, "John", language="en")
    help_text = body(await reader.say("/help"))
    assert help_text.startswith("What I can do")
    # the examples the English help gives work as written
    assert "e.g. /subscribe Politics" in help_text and "e.g. /latest Sport 5" in help_text
    assert body(await reader.say("/subscribe Politics")) == (
        "Done — you are subscribed to “Politics”. You now have 1 subscription."
    )
    latest = await reader.say("/latest Sport 5")
    assert body(latest).startswith("Latest news — Sport")
    menu = await reader.say("/rubrics")
    assert {"✓ Politics", "World", "Economy"} <= {b["text"] for b in buttons(menu)}
    miss = body(await reader.say("/subscribe Weather"))
    assert miss.startswith("There is no rubric “Weather”. The rubrics are: “Politics”, “Economy”")
    settings = await reader.say("/settings")
    assert "Language — English" in body(settings)
    await reader.press(settings, button(settings, "Русский"))
    switched = await reader.edited(settings["message_id"], "Язык — русский")
    assert "✓ Русский" in [b["text"] for b in buttons(switched)]
    assert body(await reader.say("/help")).startswith("Что я умею")


async def test_settings_quiet_hours_and_digest_only(app: RunningApp) -> None:
    reader = await Reader.create(app, "Дана")
    settings = await reader.say("/settings")
    await reader.press(settings, button(settings, "23:00–08:00"))
    quiet = await reader.edited(settings["message_id"], "Тихие часы — 23:00–08:00")
    await reader.press(quiet, button(quiet, "Только дайджест"))
    final = await reader.edited(settings["message_id"], "Новости — только дайджест")
    assert "Дайджест — в 09:00" in body(final)
    stored = await app.services["subscriptions"].get(reader.chat_id)
    assert stored.quiet_from == 23 * 60 and not stored.pushes and stored.digest_at == 540
    await reader.press(final, button(final, "Сразу"))
    instant = await reader.edited(settings["message_id"], "Новости — сразу после публикации")
    assert "✓ Сразу" in [b["text"] for b in buttons(instant)]
    await reader.press(instant, button(instant, "Без тихих часов"))
    calm = await reader.edited(settings["message_id"], "Тихие часы — выключены")
    assert "✓ Без тихих часов" in [b["text"] for b in buttons(calm)]
    stored = await app.services["subscriptions"].get(reader.chat_id)
    assert stored.pushes and not stored.has_quiet_hours and stored.digest_at == 540
    # «Назад» on a message that is not the time-zone page (a keyboard left from before)
    back = SettingsPage(page="main").pack()
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="◀ Назад к настройкам", callback_data=back)]]
    )
    old = await app.ctx.bot.send_message(reader.chat_id, "старое меню", reply_markup=markup)
    sent = len(await reader.bot_messages())
    await reader.press(await reader.message(old.message_id), back)
    redrawn = await reader.edited(old.message_id, "Тихие часы — выключены")
    assert body(redrawn).startswith("Настройки") and "Новости — сразу после публикации" in body(
        redrawn
    )
    assert "✓ Сразу" in [b["text"] for b in buttons(redrawn)]
    assert len(await reader.bot_messages()) == sent  # edited in place


async def test_push_reaches_instant_subscribers_and_quiet_hours_defer(
    app: RunningApp, sample_text: str
) -> None:
    awake = await Reader.create(app, "Асель")
    sleepy = await Reader.create(app, "Марат")
    digest_only = await Reader.create(app, "Ляззат")
    for reader in (awake, sleepy, digest_only):
        await reader.say("/subscribe Политика")
    subs: SubscriptionRepo = app.services["subscriptions"]
    # quiet right now, whatever the time: from this minute to the one before it
    minute = datetime.now(app.ctx.settings.tz).hour * 60 + datetime.now(app.ctx.settings.tz).minute
    await subs.save(
        Subscriber(user_id=sleepy.chat_id, quiet_from=minute, quiet_to=(minute - 1) % 1440),
        digest_due=None,
    )
    await subs.save(Subscriber(user_id=digest_only.chat_id, pushes=False), digest_due=None)
    before = len(await awake.bot_messages())
    result = await app.services["article_service"].import_text(sample_text)
    push = await awake.next_message(before)
    assert HEADLINE in body(push)
    outbox = app.services["outbox"]
    job_id = f"push-{result.article_id}-{sleepy.chat_id}"
    assert await outbox.state(job_id) == "ready"  # deferred to the end of quiet hours, kept
    assert not any(HEADLINE in body(m) for m in await sleepy.bot_messages())
    assert not any(HEADLINE in body(m) for m in await digest_only.bot_messages())


async def test_latest_paging_and_the_whole_article(app: RunningApp) -> None:
    reader = await Reader.create(app, "Тимур")
    await reader.say("/subscribe Экономика")
    ids = await _import_many(app, "Экономика", 5)
    await _import_many(app, "Спорт", 1)
    await reader.pushes(5)  # let the pushes land: a late one must not be taken for a reply
    first = await reader.say("/latest 2")
    assert "Последние новости ваших рубрик" in body(first)
    assert "1. Экономика: новость номер 4" in body(first)
    assert "Экономика: новость номер 2" not in body(first)
    assert "сегодня" in body(first)
    assert {b["text"] for b in buttons(first)} >= {"Ранее ▶"}
    assert "◀ Новее" not in {b["text"] for b in buttons(first)}
    second = await reader.press(first, button(first, "Ранее ▶"))
    second = await reader.edited(first["message_id"], "3. Экономика: новость номер 2")
    assert {"◀ Новее", "Ранее ▶"} <= {b["text"] for b in buttons(second)}
    last = await reader.press(second, button(second, "Ранее ▶"))
    last = await reader.edited(first["message_id"], "5. Экономика: новость номер 0")
    assert "Ранее ▶" not in {b["text"] for b in buttons(last)}
    back = await reader.press(last, button(last, "◀ Новее"))
    back = await reader.edited(first["message_id"], "3. Экономика: новость номер 2")
    assert "5. Экономика" not in body(back)
    assert {"◀ Новее", "Ранее ▶"} <= {b["text"] for b in buttons(back)}
    last = await reader.press(back, button(back, "Ранее ▶"))
    last = await reader.edited(first["message_id"], "5. Экономика: новость номер 0")
    before = len(await reader.bot_messages())
    await reader.press(last, button(last, "новость номер 0"))
    full = await reader.next_message(before)
    # the whole article is typographed: a number is bound to the word before it
    assert "Экономика: новость номер\xa00" in body(full)
    assert "Подробности события номер\xa00." in body(full)
    by_id = await reader.say(f"/article {ids[3]}")
    assert "новость номер\xa03" in body(by_id)
    assert body(await reader.say("/article 99999")) == (
        "Статья «99999» не найдена — возможно, её удалили."
    )
    sport = await reader.say("/latest спорт")
    assert "Последние новости — Спорт" in body(sport)
    count_first = await reader.say("/latest 1 Экономика")
    assert "Последние новости — Экономика" in body(count_first)
    assert "1. Экономика: новость номер 4" in body(count_first)
    assert "2. " not in body(count_first)


async def test_a_push_opens_the_whole_article_and_an_edit_reaches_it(
    app: RunningApp, sample_text: str
) -> None:
    reader = await Reader.create(app, "Динара")
    await reader.say("/subscribe Политика")
    source = "https://example.kz/news/hub"
    front = f"---\nsource: {source}\n---\n"
    service = app.services["article_service"]
    await service.import_text(front + sample_text)
    push = await app.wait_for_text(reader.chat_id, HEADLINE)
    assert [(b["text"], b.get("url")) for b in buttons(push)] == [
        ("Читать полностью", None),
        ("Источник", source),
    ]
    before = len(await reader.bot_messages())
    await reader.press(push, button(push, "Читать полностью"))
    full = await reader.next_message(before)
    assert "Ранее сообщалось, что Токаев" in body(full)  # the body, not just the lead
    assert "Елена Беляева" in body(full)  # the byline
    changed = sample_text.replace("Ранее сообщалось", "Как сообщалось")
    updated = changed.replace("Во время обращения", "Выступая перед")
    await service.import_text(front + updated)
    edited = await reader.edited(push["message_id"], "Выступая перед")
    assert buttons(edited) == buttons(push)
    assert sum(HEADLINE in body(m) for m in await reader.bot_messages()) == 2  # no second push


async def test_search_by_word_forms(app: RunningApp, sample_text: str) -> None:
    reader = await Reader.create(app, "Гульнара")
    await app.services["article_service"].import_text(sample_text)
    await _import_many(app, "Спорт", 2)
    found = await reader.say("/search Токаева")
    assert body(found).startswith("По запросу «Токаева» найдена 1 статья:")
    assert HEADLINE in body(found)
    assert HEADLINE in body(await reader.say("/search хабом"))
    assert "найдено 2 статьи" in body(await reader.say("/search новостями"))
    assert "ничего не нашлось" in body(await reader.say("/search футбол"))
    assert body(await reader.say("/search")) == "Напишите, что искать, — например, /search Токаев."
    before = len(await reader.bot_messages())
    await reader.press(found, button(found, "Токаев"))
    full = await reader.next_message(before)
    assert HEADLINE in body(full) and "Ранее сообщалось, что Токаев" in body(full)


async def test_digest_command(app: RunningApp) -> None:
    reader = await Reader.create(app, "Алия")
    assert "Дайджест выключен" in body(await reader.say("/digest"))
    set_reply = body(await reader.say("/digest 08:30"))
    assert set_reply.startswith(
        "Готово — дайджест будет приходить каждый день в 08:30 (Asia/Almaty)"
    )
    assert "08:30 (Asia/Almaty)" in body(await reader.say("/digest"))
    assert body(await reader.say("/digest 25:61")) == (
        "Не понял время «25:61». Напишите, например, /digest 08:30 или /digest off."
    )
    assert body(await reader.say("/digest off")) == "Дайджест выключен."
    assert await app.services["subscriptions"].next_digest(reader.chat_id) is None


async def test_stop_asks_then_deletes_everything(app: RunningApp) -> None:
    reader = await Reader.create(app, "Бауыржан")
    await reader.say("/subscribe Политика")
    await reader.say("/digest 09:00")
    ask = await reader.say("/stop")
    await reader.press(ask, button(ask, "Нет"))
    await reader.edited(ask["message_id"], "всё остаётся как было")
    subs: SubscriptionRepo = app.services["subscriptions"]
    assert await subs.rubrics_of(reader.chat_id) == ["politika"]
    older = await reader.say("/stop")
    again = await reader.say("/stop")
    # «yes» on the older of two confirmations: only the latest one counts
    refused = await reader.press(older, button(older, "Да, удалить"))
    assert refused["callback_answers"][-1]["text"] == (
        "Это подтверждение уже недействительно — чтобы удалить данные, отправьте /stop ещё раз."
    )
    assert await subs.rubrics_of(reader.chat_id) == ["politika"]
    await reader.press(again, button(again, "Да, удалить"))
    await reader.edited(again["message_id"], "подписки и данные удалены")
    assert await subs.rubrics_of(reader.chat_id) == []
    assert await subs.get(reader.chat_id) is None
    assert await subs.next_digest(reader.chat_id) is None


async def test_bad_input_gets_polite_replies_and_logs_no_errors(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    reader = await Reader.create(app, "Саша")
    victim = await Reader.create(app, "Жертва")
    await victim.say("/subscribe Политика")
    replies = {
        "/subscribe Погода": "Рубрики «Погода» нет. Есть такие рубрики:",
        "/unsubscribe": "Напишите рубрику или «все»",
        "/latest 0": "Укажите число от 1 до 20",
        "/latest Политика 500": "Укажите число от 1 до 20",
        "/latest <b>Спорт</b>": "Рубрики «&lt;b&gt;Спорт&lt;/b&gt;» нет.",
        "/article": "Укажите номер статьи",
        "/article ../../etc:passwd{}": "не найдена",
        "/search и в на": "Напишите, что искать",
        "/digest завтра": "Не понял время «завтра»",
        "/frobnicate": "Команды /frobnicate нет.",
        "/subscribe " + "Погода" * 700: "Рубрики «" + "Погода" * 9 + "Погод…» нет.",
        "/latest " + "Спорт" * 800 + " 5": "Рубрики «" + "Спорт" * 11 + "Спор…» нет.",
        "/search " + "новость " * 600: "По запросу «" + "новость " * 12 + "нов…» ничего",
        "/digest " + "9" * 4000: "Не понял время «" + "9" * 39 + "…»",
        "/timezone " + "Europe/" * 600: "Не знаю часового пояса «" + "Europe/" * 8 + "Eur…»",
        "/article " + "x" * 4000: "Статья «" + "x" * 59 + "…» не найдена",
        "/" + "x" * 4000: "Команды /" + "x" * 38 + "… нет.",
        "привет, бот": "Не понимаю это сообщение.",
    }
    for text, expected in replies.items():
        reply = await reader.say(text)
        assert expected.replace("&lt;", "<").replace("&gt;", ">") in body(reply), text
    await reader.say("/subscribe Спорт")
    # forged and stale callback data, on a keyboard the bot "sent before a restart"
    stale = "Эта кнопка устарела — откройте меню заново (/help)."
    too_far = "Так далеко назад я не листаю — откройте /latest заново."
    forged = {
        "sr:no-such-rubric": "Такой рубрики больше нет — вот актуальный список.",
        "sr:politika:extra": stale,
        "sl:politika:-5:3": too_far,
        "sl::99999999999999999999:5": too_far,
        "sl::10001:5": too_far,
        "sl::0:999": stale,
        "sl::0:99999999999999999999": stale,
        "sa:nope": "Статья «nope» не найдена — возможно, её удалили.",
        "ss:lang:de": stale,
        "ss:evil:1": stale,
        "sx:maybe": stale,
        "sx:1": "Это подтверждение уже недействительно — чтобы удалить данные, "
        "отправьте /stop ещё раз.",
        "garbage": stale,
        "sr:": "Такой рубрики больше нет — вот актуальный список.",
    }
    for data, expected in forged.items():
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="старая кнопка", callback_data=data)]]
        )
        old = await app.ctx.bot.send_message(
            reader.chat_id, "старая клавиатура", reply_markup=markup
        )
        pressed = await reader.press(await reader.message(old.message_id), data)
        answer = pressed["callback_answers"][-1]
        assert (answer.get("text"), answer.get("show_alert")) == (expected, True), data
    assert await app.services["subscriptions"].rubrics_of(victim.chat_id) == ["politika"]
    assert await app.services["subscriptions"].rubrics_of(reader.chat_id) == ["sport"]
    photo = len(await reader.bot_messages())
    await app.client.send_user_message(reader.chat_id, None, photo="https://example.com/p.jpg")
    assert "Не понимаю" in body(await reader.next_message(photo))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


async def test_user_who_blocked_the_bot_is_unsubscribed_on_403(
    app: RunningApp, sample_text: str
) -> None:
    reader = await Reader.create(app, "Нурлан")
    await reader.say("/subscribe Политика")
    await app.client.add_fault(
        method="sendMessage",
        count=1,
        error_code=403,
        description="Forbidden: bot was blocked by the user",
    )
    await app.services["article_service"].import_text(sample_text)
    subs: SubscriptionRepo = app.services["subscriptions"]

    async def unsubscribed() -> bool:
        return await subs.rubrics_of(reader.chat_id) == []

    await eventually(unsubscribed, what="the forbidden hook to unsubscribe the user")


async def test_blocking_in_telegram_unsubscribes(app: RunningApp) -> None:
    reader = await Reader.create(app, "Азамат")
    await reader.say("/subscribe Спорт")
    await app.client.block(reader.chat_id)
    subs: SubscriptionRepo = app.services["subscriptions"]

    async def unsubscribed() -> bool:
        return await subs.rubrics_of(reader.chat_id) == []

    await eventually(unsubscribed, what="my_chat_member kicked to unsubscribe the user")


async def test_commands_menu_in_both_languages(app: RunningApp) -> None:
    bot = app.ctx.bot

    private = BotCommandScopeAllPrivateChats()

    async def published() -> bool:
        return bool(await bot.get_my_commands(scope=private, language_code="en"))

    await eventually(published, what="setMyCommands")
    ru = {c.command: c.description for c in await bot.get_my_commands(scope=private)}
    en = {
        c.command: c.description
        for c in await bot.get_my_commands(scope=private, language_code="en")
    }
    assert ru["latest"] == "Последние новости" and en["latest"] == "Latest news"
    assert set(ru) == set(en) and {"start", "help", "search", "stop"} <= set(ru)
    # the readers' menu is for private chats only: groups and channels do not get it
    assert await bot.get_my_commands(scope=BotCommandScopeDefault()) == []
    assert await bot.get_my_commands(scope=BotCommandScopeDefault(), language_code="en") == []


async def test_group_chats_are_not_the_subscribers_audience(app: RunningApp) -> None:
    reader = await Reader.create(app, "Арман")
    group = await app.client.create_group("Редакционный чат")
    await app.client.send_user_message(int(group["id"]), "/help", from_id=reader.chat_id)
    await app.client.send_user_message(int(group["id"]), "/subscribe Спорт", from_id=reader.chat_id)
    assert body(await reader.say("/help")).startswith("Что я умею")
    await asyncio.sleep(0.2)
    assert await app.client.bot_messages(int(group["id"])) == []
    assert await app.services["subscriptions"].rubrics_of(reader.chat_id) == []
