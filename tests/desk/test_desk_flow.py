"""The editor's desk end to end: `/new` with «Назад», times, the preview as the channel shows
it, a `.txt` upload, a forwarded post, the queue buttons, «Срочно» with a push and its
progress message, `/edit` and `/retract`. One app serves the whole module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from babel.dates import format_datetime

from bot.desk.when import parse_when
from storage.models.article import Article
from tests.desk.world import (
    ADMIN_A,
    EDITOR_A,
    DeskWorld,
    Person,
    desk_world,
    text_of,
)
from tests.harness import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")
SAMPLE = Path(__file__).parent.parent / "data" / "politika-tokayev-almaty-hub.txt"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(redis_server: Any) -> AsyncIterator[DeskWorld]:
    async with desk_world(redis_server.url) as running:
        yield running


def joined(messages: list[dict[str, Any]]) -> str:
    return "\n".join(text_of(m) for m in messages)


async def channel_posts(world: DeskWorld) -> list[dict[str, Any]]:
    return list(await world.client.bot_messages(world.channel_a, include_deleted=True))


async def compose_until_preview(editor: Person, headline: str) -> list[dict[str, Any]]:
    """Run `/new` through every step (with one «Назад»); returns the preview messages."""
    started = await editor.say("/new", replies=3)
    assert "Черновик №" in text_of(started[0])
    assert text_of(started[1]) == "Канал: «Вестник А»."
    [asked] = await editor.press(started[2], "Политика")
    assert text_of(asked) == "Заголовок — одной строкой:"
    [lead_prompt] = await editor.say("Черновой заголовок")
    assert text_of(lead_prompt) == "Лид — первый абзац:"
    [again] = await editor.press(lead_prompt, "Назад")  # back to the headline
    assert text_of(again).startswith("Заголовок — одной строкой:")
    assert "Сейчас: Черновой заголовок" in text_of(again)
    await editor.say(headline)
    [photo_prompt] = await editor.say("Президент выступил на сессии ООН в Нью-Йорке.")
    assert "Без фото" in str(photo_prompt["reply_markup"])
    [credit_prompt] = await editor.say("https://example.kz/img/hub.jpg")
    assert "Подпись к фото" in text_of(credit_prompt)
    [source_prompt] = await editor.say("Фото: assembly.kz")
    return await editor.press(source_prompt, "Пропустить", replies=2)


async def test_new_dialogue_with_back_and_a_timed_post(world: DeskWorld) -> None:
    reader = int((await world.client.create_private_chat("Читатель"))["id"])
    subscriptions = world.service("subscriptions")
    await subscriptions.subscribe(reader, "politika")
    try:
        await _a_timed_post(world)
    finally:
        await subscriptions.unsubscribe(reader, "politika")


async def _a_timed_post(world: DeskWorld) -> None:
    editor = world.person(EDITOR_A)
    preview = await compose_until_preview(editor, "Алматы станет хабом ООН")
    assert text_of(preview[0]) == "Предпросмотр — так пост выйдет в канале:"
    post = preview[1]
    assert post["photo"]["url"] == "https://example.kz/img/hub.jpg"
    assert "<b>Алматы станет хабом ООН</b>" in post["html"]
    assert "Фото: assembly.kz" in post["caption"]
    assert "#Политика" in post["caption"]
    [ask] = await editor.press(post, "Ко времени")
    assert "Когда опубликовать?" in text_of(ask)
    [unclear] = await editor.say("когда-нибудь")
    assert text_of(unclear) == "Не понял время. Напишите, например: «завтра в 9:00»."
    [past] = await editor.say("2020-01-01 10:00")
    assert "уже прошло" in text_of(past)
    now = world.app.ctx.clock.now()
    [done] = await editor.say("завтра в 9:00")
    assert "выйдет в канале «Вестник А»" in text_of(done)
    expected = parse_when("завтра в 9:00", now, ZoneInfo("Asia/Almaty"))
    queue = await world.service("publisher").list_queue(world.channel_a)
    timed = [p for p in queue if p.mode == "at"]
    assert [p.due_at for p in timed] == [expected.timestamp()]
    assert await world.service("desk").drafts.drafts_of(EDITOR_A) == []  # submitted
    # Nothing public before its time: no reader path shows it until it is out.
    article = await world.service("articles").get(timed[0].article_id)
    assert article.state == "embargoed" and article.embargo_until == expected
    assert await world.service("subscriber_service").full_post(article.id) is None
    found = await world.service("search").search("Алматы станет хабом")
    assert article.id not in [a.id for a in found.articles]
    outbox = world.service("outbox")
    assert not await outbox.redis.exists(outbox.keys.outbox_payload(f"push-{article.id}"))


async def test_preview_is_exactly_what_the_channel_gets(world: DeskWorld) -> None:
    editor = world.person(EDITOR_A)
    preview = await compose_until_preview(editor, "Предпросмотр совпадает с постом")
    before = len(await channel_posts(world))
    [sent] = await editor.press(preview[1], "Опубликовать сейчас")
    assert "отправлена в канал «Вестник А»" in text_of(sent)
    posts = await eventually(lambda: _newer(world, before))
    published = posts[-1]
    assert published["html"] == preview[1]["html"]
    assert published["photo"]["url"] == preview[1]["photo"]["url"]
    assert published["disable_notification"] is True  # a slot-like post goes silently


async def _newer(world: DeskWorld, before: int) -> list[dict[str, Any]]:
    posts = await channel_posts(world)
    return posts[before:] if len(posts) > before else []


async def _has_buttons(world: DeskWorld, user_id: int, message: dict[str, Any]) -> bool:
    """Whether the message, as the chat shows it now, still carries buttons."""
    for current in await world.client.bot_messages(user_id):
        if current["message_id"] == message["message_id"]:
            return bool((current.get("reply_markup") or {}).get("inline_keyboard"))
    raise AssertionError(f"message {message['message_id']} is not in the chat")


async def test_cancel_keeps_the_draft(world: DeskWorld) -> None:
    editor = world.person(EDITOR_A)
    started = await editor.say("/new", replies=3)
    [headline_prompt] = await editor.press(started[2], "Экономика")
    [lead_prompt] = await editor.say("Заголовок брошенного черновика")
    assert not await _has_buttons(world, EDITOR_A, started[2])  # answered steps lose them
    assert not await _has_buttons(world, EDITOR_A, headline_prompt)
    [cancelled] = await editor.press(lead_prompt, "Отмена")
    assert "сохранён — он в /drafts" in text_of(cancelled)
    assert not await _has_buttons(world, EDITOR_A, lead_prompt)
    [listing] = await editor.say("/drafts")
    assert "«Заголовок брошенного черновика»" in text_of(listing)
    reopened = await editor.press(listing, "Открыть", replies=2)  # straight to the preview
    assert "Предпросмотр" in text_of(reopened[0])
    assert "<b>Заголовок брошенного черновика</b>" in reopened[1]["html"]
    [deleted] = await editor.press(listing, "Удалить")
    assert "удалён" in text_of(deleted)


async def test_txt_upload_previews_and_publishes(world: DeskWorld) -> None:
    editor = world.person(EDITOR_A)
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "Токаев: Алматы становится", "Токаев (загрузка): Алматы становится"
    )
    replies = await editor.send_file("tokayev.txt", text.encode(), replies=3)
    assert text_of(replies[0]).startswith("Файл разобран: черновик №")
    assert "Предпросмотр" in text_of(replies[1])
    post = replies[2]
    assert "Фото: assembly.kz" in text_of(post)
    before = len(await channel_posts(world))
    await editor.press(post, "Опубликовать сейчас")
    published = (await eventually(lambda: _newer(world, before)))[-1]
    assert published["html"] == post["html"]


async def test_txt_with_an_error_names_the_line(world: DeskWorld) -> None:
    editor = world.person(EDITOR_A)
    [answer] = await editor.send_file("broken.txt", "Политика\n".encode())
    assert text_of(answer) == (
        "Файл не разобран. Строка 1: в файле только рубрика «Политика» — нет ни заголовка, "
        "ни текста."
    )
    [not_txt] = await editor.send_file("photo.pdf", b"%PDF-1.4")
    assert "файлом .txt" in text_of(not_txt)


async def test_forwarded_post_becomes_a_draft(world: DeskWorld) -> None:
    editor = world.person(EDITOR_A)
    before = len(await editor.bot_messages())
    await world.client.send_user_message(
        EDITOR_A,
        "Переслано: Курс тенге укрепился\nНацбанк сообщил о росте резервов.",
        from_id=EDITOR_A,
        forward_from_chat_id=world.channel_b,
    )
    replies = await editor.wait_new(before, 2)
    assert "сохранён как черновик №" in text_of(replies[0])
    assert text_of(replies[1]) == "Рубрика:"
    shown = await editor.press(replies[1], "Экономика", replies=2)
    assert "<b>Переслано: Курс тенге укрепился</b>" in shown[1]["html"]
    assert "Нацбанк сообщил о\u00a0росте резервов." in shown[1]["html"]


async def test_a_forwarded_vestnik_post_becomes_a_draft_through_its_formatting(
    world: DeskWorld,
) -> None:
    editor = world.person(EDITOR_A)
    before = len(await editor.bot_messages())
    text = (
        "#Политика\nСенат одобрил поправки\n\nЗакон вступит в силу в январе.\n\n"
        "Фото: senate.kz\n\nЧитать полностью"
    )
    entities = [
        {"type": "bold", "offset": 10, "length": 22},
        {"type": "italic", "offset": 66, "length": 15},
        {"type": "text_link", "offset": 83, "length": 16, "url": "https://senate.kz/1"},
    ]
    await world.client.send_user_message(
        EDITOR_A, text, entities=entities, from_id=EDITOR_A, forward_from_chat_id=world.channel_b
    )
    replies = await editor.wait_new(before, 3)
    assert "сохранён как черновик №" in text_of(replies[0])
    assert text_of(replies[1]) == "Предпросмотр — так пост выйдет в канале:"  # rubric known
    html = replies[2]["html"]
    assert "<b>Сенат одобрил поправки</b>" in html
    assert "#Политика" in html and "<b>#Политика</b>" not in html
    assert "<i>Фото: senate.kz</i>" in html
    assert 'href="https://senate.kz/1"' in html


async def _queued_articles(world: DeskWorld, *headlines: str) -> list[str]:
    service = world.service("article_service")
    publisher = world.service("publisher")
    ids = []
    for headline in headlines:
        result = await service.import_article(Article(rubric="Общество", headline=headline))
        await publisher.queue_article(result.article_id, world.channel_a, "next_slot")
        ids.append(result.article_id)
    return ids


async def test_queue_buttons_move_reschedule_and_cancel(world: DeskWorld) -> None:
    publisher = world.service("publisher")
    for post in await publisher.list_queue(world.channel_a):
        await publisher.cancel(post.id)
    await _queued_articles(world, "Первый в очереди", "Второй в очереди")
    editor = world.person(EDITOR_A)
    listing = await editor.say("/queue", replies=3)
    assert text_of(listing[0]) == "В очереди канала «Вестник А» 2 поста:"
    assert "«Первый в очереди»" in text_of(listing[1])
    [moved] = await editor.press(listing[1], "Ниже")
    assert "опущен ниже" in text_of(moved)
    order = [p.article_id for p in await publisher.list_queue(world.channel_a)]
    heads = [(await world.service("articles").get(a)).headline for a in order]
    assert heads == ["Второй в очереди", "Первый в очереди"]
    [ask] = await editor.press(listing[2], "Перенести")
    assert "Новое время" in text_of(ask)
    [bad] = await editor.say("31 ноября 10:00")
    assert "Такой даты нет" in text_of(bad)
    started = world.app.ctx.clock.time()
    [done] = await editor.say("через 2 часа")
    assert "выйдет" in text_of(done)
    timed = [p for p in await publisher.list_queue(world.channel_a) if p.mode == "at"]
    assert len(timed) == 1 and abs(timed[0].due_at - (started + 7200)) < 5
    [cancelled] = await editor.press(listing[1], "Отменить")
    assert "снят с очереди" in text_of(cancelled)


async def test_breaking_pushes_with_one_progress_message(world: DeskWorld) -> None:
    subscriptions = world.service("subscriptions")
    readers = list(range(7_100_001, 7_100_006))
    for reader in readers:
        await world.client.create_private_chat("Читатель", id=reader)
        await subscriptions.subscribe(reader, "politika")
    editor = world.person(EDITOR_A)
    preview = await compose_until_preview(editor, "Срочная новость с рассылкой")
    before = len(await editor.bot_messages())
    await editor.press(preview[1], "Срочно", replies=2)
    status = await eventually(lambda: _summary(editor, before, "Рассылка завершена"), timeout=20)
    # channel + every instant subscriber of «Политика» (5 readers + the module's subscriber)
    assert text_of(status) == "Рассылка завершена: доставлено 7."
    progress = [m for m in (await editor.bot_messages())[before:] if "Рассылка" in text_of(m)]
    assert len(progress) == 1  # one status message, edited in place
    posts = await channel_posts(world)
    assert posts[-1]["disable_notification"] is False and posts[-1]["pinned"] is True


async def _summary(editor: Person, before: int, fragment: str) -> dict[str, Any] | None:
    for message in (await editor.bot_messages())[before:]:
        if fragment in text_of(message):
            return message
    return None


async def test_edit_changes_the_published_post_in_place(world: DeskWorld) -> None:
    admin = world.person(ADMIN_A)
    [ask] = await admin.say(f"/edit {world.article_id}")
    assert "Сейчас: Токаев: Алматы становится хабом" in text_of(ask)
    [lead] = await admin.say(".")
    assert "Новый лид" in text_of(lead)
    [done] = await admin.say("Президент выступил на юбилейной сессии ООН.")
    assert text_of(done) == (f"Статья №{world.article_id} исправлена — правка уходит в 1 канал.")
    copy = await world.service("ledger").published_copies(world.article_id)

    async def edited() -> dict[str, Any] | None:
        for message in await channel_posts(world):
            if message["message_id"] == copy[world.channel_a] and message["edited"]:
                return message
        return None

    message = await eventually(edited)
    assert "юбилейной сессии" in text_of(message)
    assert "Токаев: Алматы становится хабом" in text_of(message)


async def test_retract_asks_then_deletes_with_progress(world: DeskWorld) -> None:
    service = world.service("article_service")
    publisher = world.service("publisher")
    ledger = world.service("ledger")
    # «Культура» is routed to channel A only (B publishes «Спорт»), so A's editor may retract.
    article = Article(rubric="Культура", headline="Снимаемая новость")
    result = await service.import_article(article)
    await publisher.queue_article(result.article_id, world.channel_a, "now")
    await eventually(lambda: ledger.has_published(result.article_id, world.channel_a))
    message_id = (await ledger.published_copies(result.article_id))[world.channel_a]
    editor = world.person(EDITOR_A)
    [question] = await editor.say(f"/retract {result.article_id}")
    assert text_of(question).startswith(f"Снять статью №{result.article_id}?")
    [kept] = await editor.press(question, "Нет")
    assert "остаётся" in text_of(kept)
    before = len(await editor.bot_messages())
    await editor.press(question, "Да, снять")
    status = await eventually(lambda: _summary(editor, before, "Снятие завершено"), timeout=20)
    assert text_of(status) == "Снятие завершено: удалена 1 копия."
    deleted = [m for m in await channel_posts(world) if m["message_id"] == message_id]
    assert deleted[0]["deleted"] is True


async def test_invite_link_makes_an_editor_once(world: DeskWorld) -> None:
    from tests.desk.world import NEWCOMER, STRANGER

    admin = world.person(ADMIN_A)
    [invite] = await admin.say("/grant")
    link = next(w for w in text_of(invite).split() if "?start=inv_" in w)
    code = link.split("?start=")[1]
    [welcome] = await world.person(NEWCOMER).say(f"/start {code}")
    assert text_of(welcome).startswith("Готово: теперь вы редактор канала «Вестник А»")
    assert await world.service("roles").role_in(NEWCOMER, world.channel_a) == "editor"
    [refused] = await world.person(STRANGER).say(f"/start {code}")
    assert "уже использовано или истекло" in text_of(refused)
    assert await world.service("roles").role_in(STRANGER, world.channel_a) is None
    await world.service("roles").revoke(world.channel_a, NEWCOMER)


async def test_grant_by_username_learned_from_updates(world: DeskWorld) -> None:
    from tests.desk.world import STRANGER

    await world.person(STRANGER).say("/help")  # the bot sees @stepan_x
    [granted] = await world.person(ADMIN_A).say("/grant @stepan_x")
    assert "Степан (@stepan_x" in text_of(granted)
    assert await world.service("roles").role_in(STRANGER, world.channel_a) == "editor"
    [revoked] = await world.person(ADMIN_A).say("/revoke @Stepan_X")
    assert "больше не редактор" in text_of(revoked)
    [unknown] = await world.person(ADMIN_A).say("/grant @nobody_here")
    assert "Не знаю пользователя @nobody_here" in text_of(unknown)


async def test_stats_in_russian(world: DeskWorld) -> None:
    [stats] = await world.person(ADMIN_A).say("/stats @vestnik_a month")
    text = text_of(stats)
    assert text.startswith("Статистика канала «Вестник А» за месяц:")
    assert "По всему боту, не только в этом канале:" in text
    assert "Подписчики рубрик, которые публикует канал:\n• Политика — " in text
    [usage] = await world.person(ADMIN_A).say("/stats @vestnik_a year")
    assert "/stats неделя" in text_of(usage)


async def test_english_speaker_gets_english(world: DeskWorld) -> None:
    await world.client.create_private_chat("Jane", id=7_200_001, language_code="en")
    await world.service("roles").grant(world.channel_a, 7_200_001)
    jane = Person(world, 7_200_001)
    [answer] = await jane.say("/retract")
    assert text_of(answer) == "Give the article's number: /retract 42"
    await world.service("roles").revoke(world.channel_a, 7_200_001)


async def test_desk_post_goes_only_where_its_editor_may_publish(world: DeskWorld) -> None:
    """Channel B routes «Спорт»; a «Спорт» post from A's editor is withdrawn from B's queue."""
    editor = world.person(EDITOR_A)
    text = "Спорт\n\nСборная вышла в финал\n\nФото: olympic.kz\nКоманда обыграла соперника.\n"
    replies = await editor.send_file("sport.txt", text.encode(), replies=3)
    [queued] = await editor.press(replies[2], "В ближайший слот")
    assert "в очереди канала «Вестник А»" in text_of(queued)
    article_id = text_of(queued).split("№")[1].split()[0]
    publisher = world.service("publisher")
    assert set(await publisher.queue.links(article_id)) == {world.channel_a}
    events = await world.service("ledger").events(article_id)
    in_b = [(e.status, e.reason) for e in events if e.chat_id == world.channel_b]
    assert in_b == [("queued", None), ("skipped", "cancelled")]  # routed, then withdrawn


async def test_desk_help_shows_admin_commands_to_admins_only(world: DeskWorld) -> None:
    [editor_help] = await world.person(EDITOR_A).say("/desk")
    assert "/new — новый пост" in text_of(editor_help)
    assert "/slots" not in text_of(editor_help)
    [admin_help] = await world.person(ADMIN_A).say("/desk")
    assert "/new — новый пост" in text_of(admin_help) and "/audit — журнал" in text_of(admin_help)


async def _start_new(editor: Person) -> list[dict[str, Any]]:
    """`/new` for A's editor (one channel): the draft, the channel, the rubric picker."""
    started = await editor.say("/new", replies=3)
    assert text_of(started[2]) == "Рубрика:"
    return started


async def test_back_from_the_rubric_and_channel_steps(world: DeskWorld) -> None:
    editor = world.person(EDITOR_A)
    started = await _start_new(editor)
    draft_id = text_of(started[0]).split("№")[1].rstrip(".")
    [channel_step] = await editor.press(started[2], "Назад")  # rubric -> channel
    assert text_of(channel_step) == "Для какого канала пост?"
    assert "Вестник А" in str(channel_step["reply_markup"])
    assert not await _has_buttons(world, EDITOR_A, started[2])
    assert "Назад" not in str(channel_step["reply_markup"])  # the channel is the first step
    picked = await editor.press(channel_step, "Вестник А", replies=2)
    assert [text_of(m) for m in picked] == ["Канал: «Вестник А».", "Рубрика:"]
    assert not await _has_buttons(world, EDITOR_A, channel_step)
    [cancelled] = await editor.press(picked[1], "Отмена")
    assert text_of(cancelled) == f"Диалог закрыт. Черновик №{draft_id} сохранён — он в /drafts."
    drafts = await world.service("desk").drafts.drafts_of(EDITOR_A)
    assert [d.id for d in drafts][:1] == [draft_id] and drafts[0].chat_id == world.channel_a


async def test_back_from_photo_preview_and_time_steps(world: DeskWorld) -> None:
    editor = world.person(EDITOR_A)
    started = await _start_new(editor)
    await editor.press(started[2], "Политика")
    await editor.say("Заголовок для шагов назад")
    [photo] = await editor.say("Лид для шагов назад.")
    [lead_again] = await editor.press(photo, "Назад")  # photo -> lead, keeping what was typed
    assert text_of(lead_again) == "Лид — первый абзац:\n\nСейчас: Лид для шагов назад."
    [photo] = await editor.say("Лид, исправленный.")
    [source] = await editor.press(photo, "Без фото")
    preview = await editor.press(source, "Пропустить", replies=2)
    [source_again] = await editor.press(preview[1], "Назад")  # preview -> source
    assert text_of(source_again).startswith("Ссылка на источник")
    preview = await editor.press(source_again, "Пропустить", replies=2)
    [when] = await editor.press(preview[1], "Ко времени")
    assert text_of(when).startswith("Когда опубликовать? Например: «завтра в 9:00»")
    back = await editor.press(when, "Назад", replies=2)  # time -> the preview again
    assert text_of(back[0]) == "Предпросмотр — так пост выйдет в канале:"
    assert "шагов назад</b>" in back[1]["html"]
    assert "Лид, исправленный." in text_of(back[1])
    [cancelled] = await editor.press(back[1], "Отмена")  # «Отмена» under the preview
    assert "сохранён — он в /drafts" in text_of(cancelled)
    assert "Заголовок для шагов назад" not in await _headlines_in_queue(world)  # not sent
    [listing] = await editor.say("/drafts")
    assert "«Заголовок для шагов назад»" in text_of(listing)


async def _fresh_queue(world: DeskWorld, *headlines: str) -> list[str]:
    publisher = world.service("publisher")
    for post in await publisher.list_queue(world.channel_a):
        await publisher.cancel(post.id)
    return await _queued_articles(world, *headlines)


async def _headlines_in_queue(world: DeskWorld) -> list[str]:
    articles = world.service("articles")
    posts = await world.service("publisher").list_queue(world.channel_a)
    return [(await articles.get(p.article_id)).headline for p in posts]


async def test_queue_up_now_and_edit_buttons(world: DeskWorld) -> None:
    await _fresh_queue(world, "Первый пост", "Второй пост", "Третий пост")
    editor = world.person(EDITOR_A)
    listing = await editor.say("/queue", replies=4)
    assert text_of(listing[0]) == "В очереди канала «Вестник А» 3 поста:"
    [up] = await editor.press(listing[3], "Выше")
    assert "поднят выше" in text_of(up)
    assert await _headlines_in_queue(world) == ["Первый пост", "Третий пост", "Второй пост"]
    [ask] = await editor.press(listing[2], "Править")  # a queued, unpublished article
    assert text_of(ask) == "Новый заголовок (точка «.» — оставить как есть).\nСейчас: Второй пост"
    await editor.say("Второй пост, исправленный")
    [done] = await editor.say(".")
    assert "исправлена. В каналах она ещё не выходила" in text_of(done)
    before = len(await channel_posts(world))
    [now] = await editor.press(listing[2], "Сейчас")
    assert "отправлен" in text_of(now)
    published = (await eventually(lambda: _newer(world, before)))[-1]
    assert "<b>Второй пост, исправленный</b>" in published["html"]  # the edit went out
    assert await _headlines_in_queue(world) == ["Первый пост", "Третий пост"]


async def test_queue_with_several_channels_asks_which_one(world: DeskWorld) -> None:
    roles = world.service("roles")
    await roles.grant(world.channel_b, EDITOR_A)
    try:
        editor = world.person(EDITOR_A)
        [picker] = await editor.say("/queue")
        assert text_of(picker) == "Какой канал?"
        labels = [b["text"] for row in picker["reply_markup"]["inline_keyboard"] for b in row]
        assert sorted(labels) == ["Вестник А", "Вестник Б"]
        [empty] = await editor.press(picker, "Вестник Б")
        assert text_of(empty) == "В очереди канала «Вестник Б» ничего нет."
        await _fresh_queue(world, "Пост для А")
        listing = await editor.say("/queue", replies=1)
        answer = await editor.press(listing[0], "Вестник А", replies=2)
        assert text_of(answer[0]) == "В очереди канала «Вестник А» 1 пост:"
    finally:
        await roles.revoke(world.channel_b, EDITOR_A)


async def test_times_are_read_and_shown_in_the_channels_zone(world: DeskWorld) -> None:
    """The server runs on Asia/Almaty; channel A is set to New York (10 or 11 hours behind)."""
    publisher = world.service("publisher")
    zone = ZoneInfo("America/New_York")
    await publisher.set_timezone(world.channel_a, "America/New_York")
    try:
        editor = world.person(EDITOR_A)
        preview = await compose_until_preview(editor, "Новость по нью-йоркскому времени")
        [ask] = await editor.press(preview[1], "Ко времени")
        tomorrow = (world.app.ctx.clock.now().astimezone(zone)).date() + timedelta(days=1)
        assert f"или {tomorrow:%Y-%m-%d} 09:00." in text_of(ask)  # an ISO example that works
        now = world.app.ctx.clock.now()
        [done] = await editor.say("завтра в 9:00")
        expected = parse_when("завтра в 9:00", now, zone)
        assert expected.hour == 9 and expected.tzinfo is not None
        shown = format_datetime(expected, "d MMMM, HH:mm", locale="ru")
        assert text_of(done).endswith(f"выйдет в канале «Вестник А» {shown}.")
        timed = [p for p in await publisher.list_queue(world.channel_a) if p.mode == "at"]
        assert expected.timestamp() in [p.due_at for p in timed]
        listing = await editor.say(
            "/queue", replies=1 + len(await publisher.list_queue(world.channel_a))
        )
        assert any(f"— {shown} (ко времени)" in text_of(m) for m in listing)
    finally:
        await publisher.set_timezone(world.channel_a, "Asia/Almaty")


async def test_a_time_next_year_is_shown_with_its_year(world: DeskWorld) -> None:
    editor = world.person(EDITOR_A)
    preview = await compose_until_preview(editor, "Новость на будущий год")
    await editor.press(preview[1], "Ко времени")
    year = world.app.ctx.clock.now().astimezone(ZoneInfo("Asia/Almaty")).year + 1
    [done] = await editor.say(f"15 января {year} 10:00")
    assert text_of(done).endswith(f"выйдет в канале «Вестник А» 15 января {year} г., 10:00.")


async def test_audit_names_people_and_asks_which_channel(world: DeskWorld) -> None:
    from tests.desk.world import EDITOR_B, OWNER

    [refused] = await world.person(EDITOR_B).say("/pause @vestnik_a")
    assert "нет прав" in text_of(refused)
    [log] = await world.person(ADMIN_A).say("/audit")  # one channel: no question
    lines = text_of(log).split("\n")
    assert lines[0].startswith("Журнал канала «Вестник А"), lines[0]
    refusals = lines[lines.index("Отказы, последние:") + 1]
    assert " · Борис (@boris_editor) · /pause · Вестник А · отказано: нет прав" in refusals
    assert all(" · 7000004 · " not in line for line in lines)  # no bare ids for known people
    [picker] = await world.person(OWNER).say("/audit")  # two channels: which one?
    assert text_of(picker) == "Какой канал?"
    labels = [b["text"] for row in picker["reply_markup"]["inline_keyboard"] for b in row]
    assert sorted(labels) == ["Вестник А", "Вестник Б", "Все каналы"]
    [only_b] = await world.person(OWNER).press(picker, "Вестник Б")
    assert text_of(only_b).startswith("Журнал канала «Вестник Б»")
    assert "/pause · Вестник А" not in text_of(only_b)
    [everything] = await world.person(OWNER).press(picker, "Все каналы")
    assert text_of(everything).startswith("Журнал всех каналов"), text_of(everything)
    assert "Борис (@boris_editor) · /pause · Вестник А · отказано" in text_of(everything)


async def test_retracting_an_article_that_only_waits_in_the_queue(world: DeskWorld) -> None:
    [article_id] = await _fresh_queue(world, "Ещё не вышедшая новость")
    editor = world.person(EDITOR_A)
    [question] = await editor.say(f"/retract {article_id}")
    assert text_of(question) == (
        f"Снять статью №{article_id}? Она ещё нигде не опубликована — её уберут из очередей."
    )
    [unqueued] = await editor.press(question, "Да, снять")
    assert text_of(unqueued) == "Из очередей убрана 1 копия."
    assert await _headlines_in_queue(world) == []
