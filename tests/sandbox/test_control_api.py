"""The control API: chats, admins, users writing and pressing buttons, reset, events."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from sandbox.client import SandboxError
from sandbox.testing import RunningSandbox
from tests.sandbox.conftest import BotApi, until


async def test_chat_ids_follow_telegram_shapes(sandbox: RunningSandbox) -> None:
    client = sandbox.client
    user = await client.create_private_chat("Ира", username="ira", language_code="ru")
    group = await client.create_group("Редакция")
    channel = await client.create_channel("Вестник")
    assert user["id"] > 0 and group["id"] < 0 and str(channel["id"]).startswith("-100")
    chats = {chat["id"]: chat for chat in await client.chats()}
    assert chats[user["id"]]["first_name"] == "Ира" and chats[user["id"]]["language_code"] == "ru"
    assert chats[channel["id"]]["bot"] == {
        "status": "administrator",
        "rights": pytest.approx(chats[channel["id"]]["bot"]["rights"]),
    }
    assert chats[channel["id"]]["bot"]["rights"]["can_post_messages"] is True
    with pytest.raises(SandboxError) as caught:
        await client.create_chat("private", first_name="Дубль", id=user["id"])
    assert caught.value.status == 400


async def test_from_id_of_a_status_change_is_the_update_sender(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    client = sandbox.client
    owner = await client.create_user("Главред")
    deputy = await client.create_user("Заместитель")
    channel = await client.create_chat("channel", title="Вестник")
    await client.add_admin(channel["id"], owner["id"], status="creator")
    await client.add_admin(channel["id"], deputy["id"])
    await client.set_bot_status(
        channel["id"], "administrator", can_post_messages=True, from_id=deputy["id"]
    )
    update = (await api.ok("getUpdates"))[0]["my_chat_member"]
    assert update["from"]["id"] == deputy["id"]
    assert update["from"]["first_name"] == "Заместитель"
    assert update["new_chat_member"]["status"] == "administrator"


async def test_bot_status_change_emits_my_chat_member(sandbox: RunningSandbox, api: BotApi) -> None:
    client = sandbox.client
    owner = await client.create_user("Главред")
    channel = await client.create_chat("channel", title="Вестник")
    await client.add_admin(channel["id"], owner["id"], status="creator")
    await client.set_bot_status(channel["id"], "administrator", can_post_messages=True)
    update = (await api.ok("getUpdates"))[0]["my_chat_member"]
    assert update["from"]["id"] == owner["id"]
    assert update["old_chat_member"]["status"] == "left"
    assert update["new_chat_member"]["status"] == "administrator"
    assert update["new_chat_member"]["can_post_messages"] is True
    await client.set_bot_status(channel["id"], "administrator", can_post_messages=True)
    assert len(await api.ok("getUpdates")) == 1  # no change, no new update


async def test_admins_seen_by_the_bot(sandbox: RunningSandbox, api: BotApi) -> None:
    client = sandbox.client
    group = await client.create_group("Редакция", supergroup=True)
    editor = await client.create_user("Анна")
    await client.add_admin(group["id"], editor["id"])
    admins = await api.ok("getChatAdministrators", chat_id=group["id"])
    assert [(a["user"]["id"], a["status"]) for a in admins] == [(editor["id"], "administrator")]
    member = await api.ok("getChatMember", chat_id=group["id"], user_id=editor["id"])
    assert member["status"] == "administrator"
    await client.remove_admin(group["id"], editor["id"])
    member = await api.ok("getChatMember", chat_id=group["id"], user_id=editor["id"])
    assert member["status"] == "member"


async def test_button_press_and_answer(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    keyboard = {"inline_keyboard": [[{"text": "Политика", "callback_data": "rubric:politika"}]]}
    sent = await api.ok("sendMessage", chat_id=chat["id"], text="Рубрика?", reply_markup=keyboard)
    query_id = await sandbox.client.press_button(chat["id"], sent["message_id"], "rubric:politika")
    query = (await api.ok("getUpdates"))[0]["callback_query"]
    assert query["id"] == query_id and query["data"] == "rubric:politika"
    assert query["message"]["message_id"] == sent["message_id"]
    await api.ok("answerCallbackQuery", callback_query_id=query_id, text="Готово")
    answer = await api.fail("answerCallbackQuery", 400, callback_query_id=query_id)
    assert "query ID is invalid" in answer.description
    stored = (await sandbox.client.messages(chat["id"]))[0]
    assert stored["callback_answers"][0]["text"] == "Готово"
    with pytest.raises(SandboxError):
        await sandbox.client.press_button(chat["id"], sent["message_id"], "no-such-button")


async def test_forward_from_channel(sandbox: RunningSandbox, api: BotApi) -> None:
    client = sandbox.client
    channel = await client.create_channel("Вестник")
    post = await api.ok("sendMessage", chat_id=channel["id"], text="Пост")
    chat = await client.create_private_chat("Админ")
    await client.send_user_message(chat["id"], forward_from_chat_id=channel["id"])
    message = (await api.ok("getUpdates"))[0]["message"]
    assert message["text"] == "Пост"
    assert message["forward_origin"]["type"] == "channel"
    assert message["forward_origin"]["chat"]["id"] == channel["id"]
    assert message["forward_origin"]["message_id"] == post["message_id"]


async def test_group_messages_and_channel_posts(sandbox: RunningSandbox, api: BotApi) -> None:
    client = sandbox.client
    group = await client.create_group("Редакция")
    author = await client.create_user("Анна")
    await client.send_user_message(group["id"], "/stats@vestnik_sandbox_bot", from_id=author["id"])
    channel = await client.create_channel("Вестник")
    await client.send_user_message(channel["id"], "от админа", from_id=author["id"])
    updates = await api.ok("getUpdates")
    assert updates[0]["message"]["from"]["id"] == author["id"]
    assert updates[0]["message"]["entities"][0]["type"] == "bot_command"
    assert updates[1]["channel_post"]["text"] == "от админа"


async def test_blocked_user_message_is_refused(sandbox: RunningSandbox) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    await sandbox.client.block(chat["id"])
    with pytest.raises(SandboxError) as caught:
        await sandbox.client.send_user_message(chat["id"], "привет")
    assert caught.value.status == 409


async def test_reset_empties_everything(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    await sandbox.client.send_user_message(chat["id"], "x")
    await sandbox.client.add_fault("getMe", error_code=500)
    await sandbox.client.reset()
    assert await sandbox.client.chats() == []
    assert await api.ok("getUpdates") == []
    await api.ok("getMe")
    assert set((await sandbox.client.stats())["methods"]) == {"getUpdates", "getMe"}


async def test_events_feed_long_polls(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    since = (await sandbox.client.events())["last"]
    waiting = asyncio.create_task(sandbox.client.events(since, timeout=20))
    await until(lambda: sandbox.state.events.waiting > 0)
    assert not waiting.done()
    await api.ok("sendMessage", chat_id=chat["id"], text="x")
    feed = await waiting
    assert feed["events"][0] == {
        "seq": since + 1,
        "type": "message",
        "chat_id": chat["id"],
        "message_id": 1,
    }
    assert feed["last"] == since + 1


async def test_web_view_is_served(sandbox: RunningSandbox) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(sandbox.base_url + "/") as resp:
            assert resp.status == 200
            assert "<html" in (await resp.text()).lower()
        async with session.get(sandbox.base_url + "/web/../app.py") as resp:
            assert resp.status == 404


async def test_leave_chat_and_members(sandbox: RunningSandbox, api: BotApi) -> None:
    group = await sandbox.client.create_group("Редакция", supergroup=True)
    author = await sandbox.client.create_user("Анна")
    await sandbox.client.send_user_message(group["id"], "привет", from_id=author["id"])
    member = await api.ok("getChatMember", chat_id=group["id"], user_id=author["id"])
    assert member["status"] == "member"
    answer = await api.fail("getChatMember", 400, chat_id=group["id"], user_id=999)
    assert answer.description == "Bad Request: user not found"
    assert await api.ok("leaveChat", chat_id=group["id"]) is True
    updates = await api.ok("getUpdates")
    left = updates[-1]["my_chat_member"]
    assert (left["old_chat_member"]["status"], left["new_chat_member"]["status"]) == (
        "member",
        "left",
    )
    answer = await api.fail("sendMessage", 403, chat_id=group["id"], text="x")
    assert answer.description == "Forbidden: bot is not a member of the supergroup chat"


async def test_bots_survive_reset(sandbox: RunningSandbox, api: BotApi) -> None:
    await sandbox.client.reset()
    chat = await sandbox.client.create_private_chat("Ира")
    await sandbox.client.send_user_message(chat["id"], "/start")
    assert [b["username"] for b in await sandbox.client.bots()] == ["vestnik_sandbox_bot"]
    sent = await api.ok(
        "sendMessage",
        chat_id=chat["id"],
        text='<a href="tg://user?id=123456">бот</a>',
        parse_mode="HTML",
    )
    assert sent["entities"][0]["type"] == "text_mention"
    assert sent["entities"][0]["user"]["is_bot"] is True


async def test_a_lone_surrogate_is_refused_and_poisons_nothing(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    """JSON can escape a lone surrogate (`"\\ud800"`); stored, it would make every later
    answer holding it fail (getUpdates, the chat's messages, the saved state)."""
    client = sandbox.client
    user = await client.create_private_chat("Ира")
    for text in ("\ud800", "Привет \udfff", "a\ud83dz"):
        with pytest.raises(SandboxError) as caught:
            await client.send_user_message(user["id"], text)
        assert caught.value.status == 400
        assert "invalid text: a lone surrogate" in caught.value.message
    with pytest.raises(SandboxError) as caught:
        await client.create_private_chat("\ud800")
    assert caught.value.status == 400
    await client.send_user_message(user["id"], "Привет 😀")  # a valid pair is fine
    [update] = await api.ok("getUpdates")
    assert update["message"]["text"] == "Привет 😀"
    assert [m["text"] for m in await client.messages(user["id"])] == ["Привет 😀"]
    for params in (
        {"chat_id": user["id"], "text": "\ud800"},
        {"chat_id": user["id"], "text": "x", "reply_markup": '{"inline_keyboard": '
         '[[{"text": "\\ud800", "callback_data": "a"}]]}'},
    ):  # fmt: skip
        refused = await api.fail("sendMessage", 400, **params)
        assert refused.body["description"] == "Bad Request: strings must be encoded in UTF-8"
    assert len(await client.messages(user["id"])) == 1
    assert await api.ok("getUpdates", offset=update["update_id"] + 1) == []
