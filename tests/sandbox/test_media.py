"""Photos and documents: uploads, URLs (never fetched), file_id reuse, albums, getFile."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from sandbox.testing import RunningSandbox
from tests.sandbox.conftest import BotApi

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


async def _upload_photo(sandbox: RunningSandbox, token: str, chat_id: int) -> dict[str, Any]:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat_id))
    form.add_field("caption", "<i>Фото: ТАСС</i>")
    form.add_field("parse_mode", "HTML")
    form.add_field("photo", PNG, filename="hub.png", content_type="image/png")
    async with aiohttp.ClientSession() as session:
        url = f"{sandbox.base_url}/bot{token}/sendPhoto"
        async with session.post(url, data=form) as resp:
            body = await resp.json()
    assert body["ok"] is True, body
    result: dict[str, Any] = body["result"]
    return result


async def test_upload_then_resend_by_file_id(
    sandbox: RunningSandbox, api: BotApi, bot_token: str
) -> None:
    channel = await sandbox.client.create_channel("Вестник")
    sent = await _upload_photo(sandbox, bot_token, channel["id"])
    assert sent["caption"] == "Фото: ТАСС"
    assert sent["caption_entities"] == [{"type": "italic", "offset": 0, "length": 10}]
    sizes = sent["photo"]
    assert len(sizes) >= 2 and all(s["file_id"] and s["width"] for s in sizes)
    again = await api.ok("sendPhoto", chat_id=channel["id"], photo=sizes[-1]["file_id"])
    assert again["photo"][-1]["file_id"] == sizes[-1]["file_id"]
    small = await api.ok("sendPhoto", chat_id=channel["id"], photo=sizes[0]["file_id"])
    assert small["photo"] == sizes
    stored = await sandbox.client.messages(channel["id"])
    assert stored[0]["photo"]["url"] == f"/sandbox/files/{sizes[-1]['file_id']}"
    assert await sandbox.client.file_bytes(sizes[-1]["file_id"]) == PNG


async def test_url_photo_is_recorded_not_fetched(sandbox: RunningSandbox, api: BotApi) -> None:
    channel = await sandbox.client.create_channel("Вестник")
    url = "https://photos.invalid/almaty-hub.jpg"  # .invalid never resolves: nothing is fetched
    sent = await api.ok("sendPhoto", chat_id=channel["id"], photo=url, caption="Хаб")
    stored = (await sandbox.client.messages(channel["id"]))[0]
    assert stored["photo"]["url"] == url
    assert stored["caption"] == "Хаб"
    again = await api.ok("sendPhoto", chat_id=channel["id"], photo=sent["photo"][-1]["file_id"])
    assert again["photo"] == sent["photo"]


async def test_unknown_file_id_and_wrong_kind(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    answer = await api.fail("sendPhoto", 400, chat_id=chat["id"], photo="AgACnope")
    assert answer.description == "Bad Request: wrong file identifier/HTTP URL specified"
    doc = await api.ok("sendDocument", chat_id=chat["id"], document="https://e.org/a.pdf")
    answer = await api.fail("sendPhoto", 400, chat_id=chat["id"], photo=doc["document"]["file_id"])
    assert answer.description == "Bad Request: can't use file of type Document as Photo"
    answer = await api.fail("sendPhoto", 400, chat_id=chat["id"])
    assert answer.description == "Bad Request: there is no photo in the request"


async def test_media_group(sandbox: RunningSandbox, api: BotApi) -> None:
    channel = await sandbox.client.create_channel("Вестник")
    media = [
        {
            "type": "photo",
            "media": "https://e.org/1.jpg",
            "caption": "<b>Один</b>",
            "parse_mode": "HTML",
        },
        {"type": "photo", "media": "https://e.org/2.jpg"},
    ]
    sent = await api.ok("sendMediaGroup", chat_id=channel["id"], media=media)
    assert len(sent) == 2
    assert sent[0]["media_group_id"] == sent[1]["media_group_id"]
    assert sent[0]["caption_entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    answer = await api.fail("sendMediaGroup", 400, chat_id=channel["id"], media=media[:1])
    assert answer.description.startswith("Bad Request: media group")
    answer = await api.fail("sendMediaGroup", 400, chat_id=channel["id"], media=media * 6)
    assert answer.description == "Bad Request: too much messages to send as an album"


async def test_user_document_can_be_downloaded_by_the_bot(
    sandbox: RunningSandbox, api: BotApi, bot_token: str
) -> None:
    chat = await sandbox.client.create_private_chat("Редактор")
    content = "Заголовок\nЛид".encode()
    sent = await sandbox.client.send_user_message(chat["id"], document=("article.txt", content))
    update = (await api.ok("getUpdates"))[0]
    document = update["message"]["document"]
    assert document["file_name"] == "article.txt" and document["file_size"] == len(content)
    info = await api.ok("getFile", file_id=document["file_id"])
    async with aiohttp.ClientSession() as session:
        url = f"{sandbox.base_url}/file/bot{bot_token}/{info['file_path']}"
        async with session.get(url) as resp:
            assert await resp.read() == content
    assert sent["document"]["file_id"] == document["file_id"]


async def _post_form(
    sandbox: RunningSandbox, token: str, method: str, form: aiohttp.FormData
) -> Any:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{sandbox.base_url}/bot{token}/{method}", data=form) as resp,
    ):
        body = await resp.json()
    assert resp.status == 200 and body["ok"] is True, body
    return body["result"]


async def test_document_upload_in_a_multipart_body(
    sandbox: RunningSandbox, api: BotApi, bot_token: str
) -> None:
    channel = await sandbox.client.create_channel("Вестник")
    content = "Заголовок\nЛид".encode()
    form = aiohttp.FormData()
    form.add_field("chat_id", str(channel["id"]))
    form.add_field("caption", "<b>Материал</b>")
    form.add_field("parse_mode", "HTML")
    form.add_field("document", content, filename="article.txt", content_type="text/plain")
    sent = await _post_form(sandbox, bot_token, "sendDocument", form)
    document = sent["document"]
    assert document["file_name"] == "article.txt"
    assert document["mime_type"] == "text/plain" and document["file_size"] == len(content)
    assert sent["caption_entities"] == [{"type": "bold", "offset": 0, "length": 8}]
    assert await sandbox.client.file_bytes(document["file_id"]) == content
    again = await api.ok("sendDocument", chat_id=channel["id"], document=document["file_id"])
    assert again["document"]["file_id"] == document["file_id"]


async def test_media_group_with_attach_uploads(
    sandbox: RunningSandbox, api: BotApi, bot_token: str
) -> None:
    channel = await sandbox.client.create_channel("Вестник")
    second = PNG + b"second"
    media = [
        {
            "type": "photo",
            "media": "attach://first",
            "caption": "<i>Один</i>",
            "parse_mode": "HTML",
        },
        {"type": "photo", "media": "attach://second"},
        {"type": "photo", "media": "https://photos.invalid/3.jpg"},
    ]
    form = aiohttp.FormData()
    form.add_field("chat_id", str(channel["id"]))
    form.add_field("media", json.dumps(media))
    form.add_field("first", PNG, filename="1.png", content_type="image/png")
    form.add_field("second", second, filename="2.png", content_type="image/png")
    sent = await _post_form(sandbox, bot_token, "sendMediaGroup", form)
    assert len(sent) == 3 and len({m["media_group_id"] for m in sent}) == 1
    assert sent[0]["caption"] == "Один"
    ids = [m["photo"][-1]["file_id"] for m in sent]
    assert await sandbox.client.file_bytes(ids[0]) == PNG
    assert await sandbox.client.file_bytes(ids[1]) == second
    stored = await sandbox.client.messages(channel["id"])
    assert stored[2]["photo"]["url"] == "https://photos.invalid/3.jpg"
    missing = [{"type": "photo", "media": "attach://nothing"}, media[2]]
    answer = await api.fail("sendMediaGroup", 400, chat_id=channel["id"], media=missing)
    assert answer.description == "Bad Request: wrong file identifier/HTTP URL specified"
