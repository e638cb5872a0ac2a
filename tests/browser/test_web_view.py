"""The sandbox's web view in headless Chromium: what a person sees and what their clicks do.

The sandbox runs in the test's event loop; every Selenium call is blocking, so each one goes
through ``asyncio.to_thread`` (see ``webview.py``) and the loop keeps serving the browser.
"""

from __future__ import annotations

import asyncio
import os

import pytest
from aiogram import Bot
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)

from sandbox.testing import RunningSandbox
from tests.browser.webview import Page, gradient_png, picked_user_chat, row, updates_of

pytestmark = pytest.mark.browser

HEADLINE = "Токаев: Алматы становится международным хабом сотрудничества при поддержке ООН"
CREDIT = "Фото: assembly.kz"
LINK = "https://example.org/politika/tokayev-almaty-hub"
PHOTO_SIZE = (320, 180)


async def test_channel_post_shows_formatting_photo_and_caption(
    sandbox: RunningSandbox, bot: Bot, page: Page
) -> None:
    channel = await sandbox.client.create_channel("Вестник: Политика", username="vestnik_pol")
    post = (
        f'<b>{HEADLINE}</b>\n\nЛид новости. <a href="{LINK}">Подробнее</a> '
        f"&lt;script&gt;alert(1)&lt;/script&gt;\n\n<i>{CREDIT}</i>"
    )
    text_post = await bot.send_message(channel["id"], post, parse_mode="HTML")
    photo_post = await bot.send_photo(
        channel["id"],
        BufferedInputFile(gradient_png(*PHOTO_SIZE), "almaty.png"),
        caption="<b>Алматы</b> — вид на город\n<i>Фото: Елена Беляева</i>",
        parse_mode="HTML",
    )
    await page.open(channel["id"])

    bold = await page.wait_texts(f"{row(text_post.message_id)} .text b", "the bold headline")
    assert bold == [HEADLINE]
    assert await page.texts(f"{row(text_post.message_id)} .text i") == [CREDIT]
    link = await page.js(
        "const a = document.querySelector(arguments[0]);"
        "return a && [a.getAttribute('href'), a.target, a.textContent];",
        f"{row(text_post.message_id)} .text a",
    )
    assert link == [LINK, "_blank", "Подробнее"]
    text = (await page.texts(f"{row(text_post.message_id)} .text"))[0]
    assert "<script>alert(1)</script>" in text, "escaped markup must show as plain text"
    assert await page.texts(".messages script") == []
    assert await page.texts(f"{row(text_post.message_id)} .post-author") == ["Вестник: Политика"]

    photo = row(photo_post.message_id)
    width = await page.wait(
        lambda d: d.execute_script(
            "const i = document.querySelector(arguments[0]); return i && i.naturalWidth;",
            f"{photo} img.photo",
        ),
        "the photo to load",
    )
    assert width == PHOTO_SIZE[0]
    caption = (await page.texts(f"{photo} .text"))[0]
    assert caption == "Алматы — вид на город\nФото: Елена Беляева"
    assert await page.texts(f"{photo} .text b") == ["Алматы"]
    item = f'.chat-item[data-chat-id="{channel["id"]}"]'
    assert await page.texts(f"{item} .chat-item-title") == ["Вестник: Политика"]
    assert await page.texts(f"{item} .chat-item-count") == ["2"]
    screenshot = os.environ.get("VESTNIK_WEBVIEW_SCREENSHOT")
    if screenshot:
        await asyncio.to_thread(page.driver.save_screenshot, screenshot)


async def test_edits_deletions_pins_and_silent_posts_are_marked_live(
    sandbox: RunningSandbox, bot: Bot, page: Page
) -> None:
    channel = await sandbox.client.create_channel("Вестник: Экономика")
    first = await bot.send_message(channel["id"], "Курс тенге: черновик")
    second = await bot.send_message(channel["id"], "Ошибочная публикация")
    await page.open(channel["id"])
    await page.wait_texts(row(second.message_id), "both posts")
    assert await page.texts(".mark-edited") == []

    await bot.edit_message_text(
        "Курс тенге: итог дня", chat_id=channel["id"], message_id=first.message_id
    )
    await bot.delete_message(channel["id"], second.message_id)
    await bot.pin_chat_message(channel["id"], first.message_id)
    silent = await bot.send_message(channel["id"], "Ночной дайджест", disable_notification=True)

    await page.wait_texts(f"{row(silent.message_id)} .mark-silent", "the silent post, live")
    assert await page.texts(f"{row(first.message_id)} .mark-edited") == ["изменено"]
    assert await page.texts(f"{row(first.message_id)} .text") == ["Курс тенге: итог дня"]
    assert await page.texts(f"{row(second.message_id)} .mark-edited") == []
    assert await page.texts(f"{row(second.message_id)} .mark-deleted") != []
    assert await page.texts(f"{row(first.message_id)} .mark-pinned") != []
    assert await page.texts("#pinned-bar:not([hidden]) .pinned-bar-text") == [
        "Курс тенге: итог дня"
    ]
    assert await page.texts(f"{row(first.message_id)} .mark-silent") == []


async def test_inline_button_click_reaches_the_bot_and_shows_its_answer(
    sandbox: RunningSandbox, bot: Bot, page: Page
) -> None:
    anna = await sandbox.client.create_private_chat("Анна")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Политика", callback_data="sub:politika"),
                InlineKeyboardButton(text="Экономика", callback_data="sub:ekonomika"),
            ]
        ]
    )
    sent = await bot.send_message(anna["id"], "Выберите рубрику:", reply_markup=keyboard)
    await page.open(anna["id"])
    await page.wait_texts(f"{row(sent.message_id)} .kb-button", "the inline keyboard")

    await page.click('.kb-button[data-callback-data="sub:ekonomika"]')
    update = await updates_of(bot, lambda u: u.callback_query is not None)

    query = update.callback_query
    assert query is not None and query.message is not None
    assert (query.data, query.from_user.id, query.message.message_id) == (
        "sub:ekonomika",
        anna["id"],
        sent.message_id,
    )
    await bot.answer_callback_query(query.id, text="Вы подписались на рубрику «Экономика»")
    toast = await page.wait_texts(
        '#toast[data-kind="answer"]:not([hidden])', "the bot's answer toast"
    )
    assert toast == ["Вы подписались на рубрику «Экономика»"]


async def test_new_user_typing_a_command_sends_a_message_update(
    sandbox: RunningSandbox, bot: Bot, page: Page
) -> None:
    channel = await sandbox.client.create_channel("Вестник: Политика")
    await page.open(channel["id"])
    await page.type("#new-user-name", "Вера")
    await page.click("#new-user-button")
    picked = await page.wait(picked_user_chat("Вера"), "Вера picked and her chat open")
    vera_id = int(str(picked).removeprefix("#chat="))

    await page.type("#composer-input", "/start")
    await page.click("#composer-send")
    update = await updates_of(bot, lambda u: u.message is not None)

    message = update.message
    assert message is not None and message.from_user is not None
    assert (message.text, message.chat.type, message.chat.id) == ("/start", "private", vera_id)
    assert message.from_user.first_name == "Вера"
    assert await page.wait_texts(".msg-row.out .text", "her message in the feed") == ["/start"]


async def test_typing_in_a_group_posts_to_that_group(
    sandbox: RunningSandbox, bot: Bot, page: Page
) -> None:
    await sandbox.client.create_private_chat("Борис")
    group = await sandbox.client.create_group("Редакция", supergroup=True)
    await page.open(group["id"])
    target = await page.wait_texts("#composer-target", "the composer's target")
    assert target == ["→ в группу «Редакция»"]

    await page.type("#composer-input", "Кто дежурит сегодня?")
    await page.click("#composer-send")
    update = await updates_of(bot, lambda u: u.message is not None)

    message = update.message
    assert message is not None and message.from_user is not None
    assert (message.chat.id, message.text) == (group["id"], "Кто дежурит сегодня?")
    assert message.from_user.first_name == "Борис"


async def test_unsafe_links_are_not_clickable_and_replies_quote_their_message(
    sandbox: RunningSandbox, page: Page
) -> None:
    anna = await sandbox.client.create_private_chat("Анна")
    trap = {"type": "text_link", "offset": 0, "length": 7, "url": "javascript:alert(1)"}
    first = await sandbox.client.send_user_message(anna["id"], "Нажмите сюда", entities=[trap])
    reply = await sandbox.client.send_user_message(
        anna["id"],
        document=("press-release.pdf", b"%PDF-1.4 press release"),
        caption="Пресс-релиз",
        reply_to_message_id=first["message_id"],
    )
    assert first["html"].startswith('<a href="javascript:'), "the trap must reach the page"
    await page.open(anna["id"])
    await page.wait_texts(row(reply["message_id"]), "both messages")

    assert await page.texts(f"{row(first['message_id'])} .text") == ["Нажмите сюда"]
    assert await page.js("return document.querySelectorAll('[href^=\"javascript\"]').length") == 0
    assert await page.texts(f"{row(first['message_id'])} .text a") == []
    chip = f"{row(reply['message_id'])} .document-chip"
    assert await page.texts(f"{chip} .document-name") == ["press-release.pdf"]
    quoted = await page.texts(f"{row(reply['message_id'])} .reply-quote-text")
    assert quoted == ["Нажмите сюда"]
