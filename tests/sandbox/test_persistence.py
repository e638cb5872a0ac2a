"""State persistence: a sandbox restarted on the same state file shows the same world."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from sandbox.autosave import AUTOSAVE_KEY
from sandbox.config import LimitsConfig, SandboxConfig
from sandbox.testing import RunningSandbox, running_sandbox, sandbox_process
from tests.fixtures_sandbox import BOT_TOKEN
from tests.sandbox.conftest import BotApi, open_api, until

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
OTHER_PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
KEYBOARD = {"inline_keyboard": [[{"text": "Подробнее", "callback_data": "more:1"}]]}
COMMANDS = [{"command": "latest", "description": "Последние новости"}]


async def _upload_photo(running: RunningSandbox, chat_id: int, data: bytes) -> dict[str, Any]:
    """sendPhoto with a multipart upload, as aiogram sends it."""
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat_id))
    form.add_field("caption", "<i>Фото: ТАСС</i>")
    form.add_field("parse_mode", "HTML")
    form.add_field("photo", data, filename="hub.png", content_type="image/png")
    async with aiohttp.ClientSession() as session:
        url = f"{running.base_url}/bot{BOT_TOKEN}/sendPhoto"
        async with session.post(url, data=form) as resp:
            body = await resp.json()
    assert body["ok"] is True, body
    result: dict[str, Any] = body["result"]
    return result


async def _download(running: RunningSandbox, file_id: str, api: BotApi) -> bytes:
    """The bytes behind ``getFile``'s ``file_path``, the way a bot downloads them."""
    found = await api.ok("getFile", file_id=file_id)
    url = f"{running.base_url}/file/bot{BOT_TOKEN}/{found['file_path']}"
    async with api.session.get(url) as resp:
        assert resp.status == 200
        return await resp.read()


async def _world(running: RunningSandbox) -> dict[str, Any]:
    """Everything the control API shows about chats, messages, people and bots."""
    client = running.client
    chats = await client.chats()
    bots = [
        {key: bot[key] for key in ("id", "username", "first_name", "commands")}
        for bot in await client.bots()
    ]
    return {
        "chats": chats,
        "messages": {chat["id"]: await client.messages(chat["id"]) for chat in chats},
        "users": await client.request("GET", "users"),
        "bots": bots,
    }


async def _populate(running: RunningSandbox, api: BotApi) -> dict[str, Any]:
    """A newsroom: a reader, a channel with an editor, a group; posts, edits, a deletion, a pin."""
    client = running.client
    reader = await client.create_private_chat("Ирина", username="irina", language_code="ru")
    channel = await client.create_channel("Вестник: Политика", username="vestnik_politika")
    await client.add_admin(channel["id"], 100001, status="creator", first_name="Айгуль")
    group = await client.create_group("Редакция", supergroup=True)
    await client.set_bot_status(group["id"], "administrator", can_pin_messages=True)
    await client.create_user("Пётр", username="petr")
    post = await api.ok(
        "sendMessage",
        chat_id=channel["id"],
        text="<b>Токаев</b> открыл хаб",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )
    photo = await _upload_photo(running, channel["id"], PNG)
    doomed = await api.ok("sendMessage", chat_id=channel["id"], text="Опечатка")
    await api.ok(
        "editMessageText",
        chat_id=channel["id"],
        message_id=post["message_id"],
        text="<b>Токаев</b> открыл цифровой хаб в Алматы",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
    )
    await api.ok("deleteMessage", chat_id=channel["id"], message_id=doomed["message_id"])
    await api.ok("pinChatMessage", chat_id=channel["id"], message_id=photo["message_id"])
    question = await client.send_user_message(reader["id"], "/latest")
    await api.ok(
        "sendMessage",
        chat_id=reader["id"],
        text="Вот последние новости",
        reply_parameters={"message_id": question["message_id"]},
    )
    await api.ok("setMyCommands", commands=COMMANDS)
    return {"reader": reader, "channel": channel, "group": group, "photo": photo}


async def test_world_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "sandbox-state.json"
    async with (
        running_sandbox(bot_token=BOT_TOKEN, state_file=state_file) as first,
        open_api(first, BOT_TOKEN) as api,
    ):
        made = await _populate(first, api)
        before = await _world(first)
    assert state_file.is_file()

    async with running_sandbox(bot_token=BOT_TOKEN, state_file=state_file) as second:
        after = await _world(second)
        assert after == before
        channel_id = made["channel"]["id"]
        post, photo, doomed = after["messages"][channel_id]
        assert post["edited"] is True
        assert post["text"] == "Токаев открыл цифровой хаб в Алматы"
        assert post["edit_history"] == ["Токаев открыл хаб"]
        assert post["entities"] == [{"type": "bold", "offset": 0, "length": 6}]
        assert post["reply_markup"] == KEYBOARD
        assert photo["pinned"] is True and photo["caption"] == "Фото: ТАСС"
        assert doomed["deleted"] is True
        question, reply = after["messages"][made["reader"]["id"]]
        assert question["text"] == "/latest" and not question["from"]["is_bot"]
        assert reply["reply_to_message_id"] == question["message_id"]
        assert after["bots"][0]["commands"][0]["commands"] == COMMANDS


async def test_restored_sandbox_serves_files_and_continues_ids(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    async with (
        running_sandbox(bot_token=BOT_TOKEN, state_file=state_file) as first,
        open_api(first, BOT_TOKEN) as api,
    ):
        made = await _populate(first, api)
    channel_id = made["channel"]["id"]
    photo_id = made["photo"]["photo"][-1]["file_id"]

    async with (
        running_sandbox(bot_token=BOT_TOKEN, state_file=state_file) as second,
        open_api(second, BOT_TOKEN) as api,
    ):
        assert await second.client.file_bytes(photo_id) == PNG
        assert await _download(second, photo_id, api) == PNG
        again = await api.ok("sendPhoto", chat_id=channel_id, photo=photo_id)
        assert again["message_id"] == 4
        assert again["photo"] == made["photo"]["photo"]
        text = await api.ok("sendMessage", chat_id=channel_id, text="Новость дня")
        assert text["message_id"] == 5
        new_upload = await _upload_photo(second, channel_id, OTHER_PNG)
        new_id = new_upload["photo"][-1]["file_id"]
        assert new_id != photo_id
        assert await second.client.file_bytes(new_id) == OTHER_PNG
        assert await second.client.file_bytes(photo_id) == PNG
        pinned = await api.ok("getChat", chat_id=channel_id)
        assert pinned["pinned_message"]["message_id"] == made["photo"]["message_id"]
        other = await second.client.create_channel("Вестник: Экономика")
        assert other["id"] not in {made["channel"]["id"], made["group"]["id"]}
        commands = await api.ok("getMyCommands")
        assert commands == COMMANDS


async def test_corrupt_file_is_set_aside_and_sandbox_starts_empty(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_bytes(b'{"format": "vestnik-sandbox-state", "chats": [')
    with caplog.at_level(logging.WARNING, logger="sandbox"):
        async with running_sandbox(bot_token=BOT_TOKEN, state_file=state_file) as running:
            assert await running.client.chats() == []
            assert not state_file.exists()
            channel = await running.client.create_channel("Вестник")
    aside = tmp_path / "state.json.corrupt"
    assert aside.read_bytes() == b'{"format": "vestnik-sandbox-state", "chats": ['
    assert any("unreadable" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)

    async with running_sandbox(bot_token=BOT_TOKEN, state_file=state_file) as running:
        assert [chat["id"] for chat in await running.client.chats()] == [channel["id"]]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: [data], id="not-an-object"),
        pytest.param(lambda data: {**data, "version": 99}, id="future-version"),
        pytest.param(lambda data: {**data, "files": []}, id="dangling-file-reference"),
        pytest.param(lambda data: {**data, "counters": "many"}, id="wrong-type"),
    ],
)
async def test_inconsistent_file_loads_nothing(tmp_path: Path, damage: Any) -> None:
    state_file = tmp_path / "state.json"
    async with (
        running_sandbox(bot_token=BOT_TOKEN, state_file=state_file) as first,
        open_api(first, BOT_TOKEN) as api,
    ):
        await _populate(first, api)
    (tmp_path / "state.json.corrupt").write_text("an older casualty")
    broken = json.dumps(damage(json.loads(state_file.read_bytes())))
    state_file.write_text(broken)

    async with running_sandbox(bot_token=BOT_TOKEN, state_file=state_file) as second:
        assert await second.client.chats() == []
        assert await second.client.request("GET", "users") == []
    assert (tmp_path / "state.json.corrupt").read_text() == "an older casualty"
    assert (tmp_path / "state.json.corrupt.1").read_text() == broken


async def test_periodic_save_keeps_changes_without_a_clean_shutdown(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    killed_copy = tmp_path / "as-left-by-a-kill.json"
    config = SandboxConfig(
        limits=LimitsConfig(enabled=False), state_file=state_file, state_save_interval=0.05
    )
    async with (
        running_sandbox(bot_token=BOT_TOKEN, config=config) as running,
        open_api(running, BOT_TOKEN) as api,
    ):
        autosave = running.app[AUTOSAVE_KEY]
        channel = await running.client.create_channel("Вестник")
        await api.ok("sendMessage", chat_id=channel["id"], text="Срочно: хаб открыт")
        await until(lambda: state_file.is_file() and "хаб открыт" in state_file.read_text())
        shutil.copy(state_file, killed_copy)  # what a kill -9 would leave behind now

        saves, inode = autosave.saves, state_file.stat().st_ino
        for _ in range(3):
            await running.client.chats()
            await running.client.messages(channel["id"])
        await asyncio.sleep(config.state_save_interval * 4)  # four idle autosave ticks
        assert autosave.saves == saves, "reads alone must not rewrite the file"
        assert state_file.stat().st_ino == inode

    async with running_sandbox(bot_token=BOT_TOKEN, state_file=killed_copy) as restored:
        messages = await restored.client.messages(channel["id"])
        assert [m["text"] for m in messages] == ["Срочно: хаб открыт"]


def _post_json(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        return json.load(resp)


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.load(resp)


def test_command_line_state_flag(tmp_path: Path) -> None:
    state_file = tmp_path / "cli-state.json"
    with sandbox_process(uvloop=False, state_file=state_file) as base_url:
        channel = _post_json(
            f"{base_url}/sandbox/chats",
            {"type": "channel", "title": "Вестник", "bot_status": "administrator"},
        )
        sent = _post_json(
            f"{base_url}/bot{BOT_TOKEN}/sendMessage",
            {"chat_id": channel["id"], "text": "Из командной строки"},
        )
        assert sent["ok"] is True
    with sandbox_process(uvloop=False, state_file=state_file) as base_url:
        messages = _get_json(f"{base_url}/sandbox/chats/{channel['id']}/messages")
        assert [m["text"] for m in messages] == ["Из командной строки"]
