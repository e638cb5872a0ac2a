"""Who may send what where: lengths, chats, rights, blocks, kicks, migrations."""

from __future__ import annotations

import aiohttp
import pytest

from sandbox.testing import RunningSandbox
from tests.sandbox.conftest import BotApi

EMOJI = "😀"  # one code point, two UTF-16 units: limits count code points


async def test_text_of_4096_code_points_passes_4097_fails(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    result = await api.ok("sendMessage", chat_id=chat["id"], text=EMOJI * 4096)
    assert len(result["text"]) == 4096
    answer = await api.fail("sendMessage", 400, chat_id=chat["id"], text=EMOJI * 4097)
    assert answer.description == "Bad Request: message is too long"


async def test_length_counts_after_entity_parsing(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    markup = "<b>" + "я" * 4096 + "</b>"
    result = await api.ok("sendMessage", chat_id=chat["id"], text=markup, parse_mode="HTML")
    assert result["entities"] == [{"type": "bold", "offset": 0, "length": 4096}]


async def test_caption_limit_is_1024(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    photo = "https://example.org/photo.jpg"
    await api.ok("sendPhoto", chat_id=chat["id"], photo=photo, caption=EMOJI * 1024)
    answer = await api.fail("sendPhoto", 400, chat_id=chat["id"], photo=photo, caption=EMOJI * 1025)
    assert answer.description == "Bad Request: message caption is too long"


async def test_caption_length_counts_after_entity_parsing(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    photo = "https://example.org/photo.jpg"
    markup = '<b>Фото:</b> <a href="https://e.org/">' + "я" * 1018 + "</a>"  # 1024 after parsing
    sent = await api.ok(
        "sendPhoto", chat_id=chat["id"], photo=photo, caption=markup, parse_mode="HTML"
    )
    assert len(sent["caption"]) == 1024
    assert [e["type"] for e in sent["caption_entities"]] == ["bold", "text_link"]
    answer = await api.fail(
        "sendPhoto",
        400,
        chat_id=chat["id"],
        photo=photo,
        caption="<i>я</i>" + markup,
        parse_mode="HTML",
    )
    assert answer.description == "Bad Request: message caption is too long"


@pytest.mark.parametrize("text", ["", "  \n ", "<b> </b>"])
async def test_empty_text_is_refused(sandbox: RunningSandbox, api: BotApi, text: str) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    answer = await api.fail("sendMessage", 400, chat_id=chat["id"], text=text, parse_mode="HTML")
    assert answer.description == "Bad Request: message text is empty"


async def test_text_is_trimmed_and_entities_follow(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    result = await api.ok(
        "sendMessage", chat_id=chat["id"], text="\n  <b>x</b> \n", parse_mode="HTML"
    )
    assert result["text"] == "x"
    assert result["entities"] == [{"type": "bold", "offset": 0, "length": 1}]


async def test_unknown_chat(api: BotApi) -> None:
    answer = await api.fail("sendMessage", 400, chat_id=424242, text="x")
    assert answer.description == "Bad Request: chat not found"
    answer = await api.fail("sendMessage", 400, chat_id="@nobody_here", text="x")
    assert answer.description == "Bad Request: chat not found"


async def test_channel_by_username(sandbox: RunningSandbox, api: BotApi) -> None:
    channel = await sandbox.client.create_channel("Вестник", username="vestnik_news")
    result = await api.ok("sendMessage", chat_id="@vestnik_news", text="Новость")
    assert result["chat"]["id"] == channel["id"]
    assert result["sender_chat"]["id"] == channel["id"]
    assert "from" not in result


async def test_channel_rights(sandbox: RunningSandbox, api: BotApi) -> None:
    client = sandbox.client
    channel = await client.create_chat("channel", title="Вестник")
    assert channel["bot"]["status"] == "left"
    answer = await api.fail("sendMessage", 403, chat_id=channel["id"], text="x")
    assert answer.description == "Forbidden: bot is not a member of the channel chat"

    await client.set_bot_status(channel["id"], "member")
    answer = await api.fail("sendMessage", 400, chat_id=channel["id"], text="x")
    assert answer.description == "Bad Request: need administrator rights in the channel chat"

    await client.set_bot_status(channel["id"], "administrator", can_post_messages=False)
    answer = await api.fail("sendMessage", 400, chat_id=channel["id"], text="x")
    assert answer.description == "Bad Request: need administrator rights in the channel chat"

    await client.set_bot_status(channel["id"], "administrator", can_post_messages=True)
    await api.ok("sendMessage", chat_id=channel["id"], text="x")

    await client.set_bot_status(channel["id"], "kicked")
    answer = await api.fail("sendMessage", 403, chat_id=channel["id"], text="x")
    assert answer.description == "Forbidden: bot was kicked from the channel chat"


@pytest.mark.parametrize("kind", ["group", "supergroup"])
async def test_kicked_from_group(sandbox: RunningSandbox, api: BotApi, kind: str) -> None:
    group = await sandbox.client.create_chat(kind, title="Редакция")
    await api.ok("sendMessage", chat_id=group["id"], text="x")
    await sandbox.client.set_bot_status(group["id"], "kicked")
    answer = await api.fail("sendMessage", 403, chat_id=group["id"], text="x")
    assert answer.description == f"Forbidden: bot was kicked from the {kind} chat"
    answer = await api.fail("getChat", 403, chat_id=group["id"])
    assert answer.description == f"Forbidden: bot was kicked from the {kind} chat"


async def test_blocked_by_user_and_unblocked(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    await sandbox.client.block(chat["id"])
    assert (await sandbox.client.chat(chat["id"]))["blocked"] is True
    answer = await api.fail("sendMessage", 403, chat_id=chat["id"], text="x")
    assert answer.description == "Forbidden: bot was blocked by the user"
    await sandbox.client.unblock(chat["id"])
    await api.ok("sendMessage", chat_id=chat["id"], text="x")


async def test_migrated_group_points_to_supergroup(sandbox: RunningSandbox, api: BotApi) -> None:
    group = await sandbox.client.create_group("Редакция")
    supergroup = await sandbox.client.migrate(group["id"])
    assert supergroup["type"] == "supergroup"
    assert supergroup["id"] < -1_000_000_000_000
    answer = await api.fail("sendMessage", 400, chat_id=group["id"], text="x")
    assert answer.description == "Bad Request: group chat was upgraded to a supergroup chat"
    assert answer.body["parameters"] == {"migrate_to_chat_id": supergroup["id"]}
    result = await api.ok("sendMessage", chat_id=supergroup["id"], text="x")
    assert result["chat"]["type"] == "supergroup"


async def test_bad_callback_data_is_refused(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    markup = {"inline_keyboard": [[{"text": "Да", "callback_data": "x" * 65}]]}
    answer = await api.fail("sendMessage", 400, chat_id=chat["id"], text="?", reply_markup=markup)
    assert answer.description == "Bad Request: BUTTON_DATA_INVALID"


async def test_form_fields_are_typed_like_aiogram_sends_them(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    result = await api.ok(
        "sendMessage",
        chat_id=str(chat["id"]),
        text="Новость",
        disable_notification="true",
        reply_markup='{"inline_keyboard": [[{"text": "Читать", "url": "https://e.org"}]]}',
        link_preview_options='{"is_disabled": true}',
    )
    answer = await api.call(
        "sendMessage", form=True, chat_id=chat["id"], text="Вторая", disable_notification="true"
    )
    assert answer.status == 200, answer.body
    assert result["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://e.org"
    assert result["link_preview_options"] == {"is_disabled": True}
    stored = await sandbox.client.messages(chat["id"])
    assert [m["disable_notification"] for m in stored] == [True, True]


async def test_method_names_ignore_case_and_unknown_is_404(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    me = await api.ok("GETME")
    assert me["id"] == 123456 and me["is_bot"] is True
    answer = await api.fail("sendTelepathy", 404)
    assert answer.description == "Not Found"


async def test_get_works_with_query_string(sandbox: RunningSandbox, bot_token: str) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    async with aiohttp.ClientSession() as session:
        url = f"{sandbox.base_url}/bot{bot_token}/sendMessage"
        async with session.get(url, params={"chat_id": chat["id"], "text": "GET"}) as resp:
            body = await resp.json()
    assert body["ok"] is True and body["result"]["text"] == "GET"


@pytest.mark.parametrize("token", ["abc", "123456", "123456:", ":secret", "0:secret", "x1:y"])
async def test_malformed_token_is_401(sandbox: RunningSandbox, token: str) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{sandbox.base_url}/bot{token}/getMe") as resp,
    ):
        assert resp.status == 401
        assert await resp.json() == {
            "ok": False,
            "error_code": 401,
            "description": "Unauthorized",
        }
    assert sandbox.state.bots.keys() == {123456}  # no bot was registered for it


async def test_no_method_answers_the_json_404(sandbox: RunningSandbox, bot_token: str) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sandbox.base_url}/bot{bot_token}/") as resp,
    ):
        assert resp.status == 404
        assert resp.content_type == "application/json"
        assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
