"""Attaching a file in the web view's message box, and photos given by URL, in Chromium.

A person picks a `.txt` or a photo with the paperclip button: the bot receives a document or a
photo (with the typed text as its caption) and downloads exactly the bytes picked. So the
desk's «Файл .txt» route and photo uploads are tried without Telegram — end to end with
the running Vestnik below. A photo Telegram would fetch from a URL was never fetched by the
sandbox: the feed shows a placeholder with its address, not a broken image.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from selenium.webdriver.remote.webdriver import WebDriver

from bot.demo import DEMO_CHANNEL_ID, DEMO_EDITOR_ID, seed_demo
from sandbox.testing import RunningSandbox, running_sandbox
from tests.browser.webview import Page, gradient_png, row, updates_of
from tests.harness import TEST_TOKEN, eventually, running_app

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "politika-tokayev-almaty-hub.txt"
PHOTO_URL = "https://example.kz/img/almaty-hub.jpg"


async def open_as(page: Page, chat_id: int, name: str) -> None:
    """The page with `name`'s private chat open and `name` picked as the writer."""
    await page.open(chat_id)
    script = (
        "return document.getElementById('user-picker').value === arguments[0]"
        " && document.getElementById('chat-title').textContent === arguments[1]"
    )
    await page.wait(
        lambda d: d.execute_script(script, str(chat_id), name), f"{name} picked, her chat open"
    )


async def test_a_txt_file_from_the_message_box_reaches_the_bot_with_its_caption(
    sandbox: RunningSandbox, bot: Bot, page: Page, tmp_path: Path
) -> None:
    anna = await sandbox.client.create_private_chat("Анна")
    article = tmp_path / "statya.txt"
    article.write_bytes(SAMPLE.read_bytes())
    await open_as(page, anna["id"], "Анна")
    await page.type("#composer-input", "Статья на завтра")
    await page.type("#composer-file", str(article))

    update = await updates_of(bot, lambda u: u.message is not None and bool(u.message.document))
    message = update.message
    assert message is not None and message.document is not None
    assert (message.chat.id, message.document.file_name) == (anna["id"], "statya.txt")
    assert message.caption == "Статья на завтра"
    downloaded = await bot.download(message.document)
    assert downloaded is not None and downloaded.read() == SAMPLE.read_bytes()

    name = await page.wait_texts(
        f"{row(message.message_id)} .document-name", "the file in the feed"
    )
    assert name == ["statya.txt"]
    assert await page.js("return document.getElementById('composer-input').value") == ""


async def test_a_photo_from_the_message_box_reaches_the_bot_and_shows(
    sandbox: RunningSandbox, bot: Bot, page: Page, tmp_path: Path
) -> None:
    anna = await sandbox.client.create_private_chat("Анна")
    picture = tmp_path / "almaty.png"
    picture.write_bytes(gradient_png(320, 180))
    await open_as(page, anna["id"], "Анна")
    await page.type("#composer-file", str(picture))

    update = await updates_of(bot, lambda u: u.message is not None and bool(u.message.photo))
    message = update.message
    assert message is not None and message.photo and message.document is None
    downloaded = await bot.download(message.photo[-1])
    assert downloaded is not None and downloaded.read() == picture.read_bytes()
    width = await page.wait(
        lambda d: d.execute_script(
            "const i = document.querySelector(arguments[0]); return i && i.naturalWidth;",
            f"{row(message.message_id)} img.photo",
        ),
        "the photo to load in the feed",
    )
    assert width == 320


async def test_a_photo_given_by_url_shows_a_placeholder_with_its_address(
    sandbox: RunningSandbox, bot: Bot, page: Page
) -> None:
    channel = await sandbox.client.create_channel("Вестник: Политика")
    post = await bot.send_photo(channel["id"], PHOTO_URL, caption="Алматы — вид на город")
    await page.open(channel["id"])
    where = row(post.message_id)
    url = await page.wait_texts(f"{where} .photo-placeholder-url", "the photo's placeholder")
    assert url == [PHOTO_URL]
    label = await page.texts(f"{where} .photo-placeholder-label")
    assert label == ["Фото по ссылке — песочница его не загружает"]
    assert await page.texts(f"{where} img") == []  # no broken image
    assert await page.texts(f"{where} .text") == ["Алматы — вид на город"]


async def test_the_desks_txt_route_tried_from_the_web_view(
    chrome: WebDriver, redis_server: Any, tmp_path: Path
) -> None:
    """The demo's editor attaches a newsroom .txt, gets the preview and publishes it."""
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "Токаев: Алматы становится", "Из песочницы: Алматы становится"
    )
    upload = tmp_path / "iz-pesochnicy.txt"
    upload.write_text(text, encoding="utf-8")
    async with (
        running_sandbox(bot_token=TEST_TOKEN) as sandbox,
        running_app(
            redis_server.url, sandbox, admin_ids=[DEMO_EDITOR_ID], redis_prefix="webview-desk"
        ) as app,
    ):
        await seed_demo(app.app, sandbox.client)
        page = Page(chrome, sandbox.base_url)
        try:
            await open_as(page, DEMO_EDITOR_ID, "Айгуль")
            await page.type("#composer-file", str(upload))
            parsed = await page.wait_texts(".msg-row.in .text", "the bot's answer to the file")
            await page.wait(
                lambda d: d.execute_script(
                    "return [...document.querySelectorAll('.kb-button')]"
                    ".some(b => b.textContent.includes('Опубликовать сейчас'))"
                ),
                "the preview's buttons",
            )
            answers = await page.texts(".msg-row.in .text")
            assert any(a.startswith("Файл разобран: черновик №") for a in answers), parsed
            await page.js(
                "[...document.querySelectorAll('.kb-button')]"
                ".find(b => b.textContent.includes('Опубликовать сейчас')).click()"
            )

            async def published() -> bool:
                posts = await sandbox.client.bot_messages(DEMO_CHANNEL_ID)
                return any("песочницы: Алматы" in (m.get("text") or "") for m in posts)

            await eventually(published, what="the uploaded article in the channel")
        finally:
            await page.close()
