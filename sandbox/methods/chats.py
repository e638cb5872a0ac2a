"""getChat, getChatMember(s), getChatAdministrators, leaveChat, answerCallbackQuery, getFile."""

from __future__ import annotations

from sandbox.errors import bad_request
from sandbox.methods.call import Call
from sandbox.models import Chat, JsonDict, Membership
from sandbox.notify import member_changed
from sandbox.serialize import chat_full_api, member_api

QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


def get_chat(call: Call) -> JsonDict:
    """Full information about a chat the bot can see."""
    return chat_full_api(call.visible_chat())


def _member_of(call: Call, chat: Chat, user_id: int) -> JsonDict:
    if user_id == call.bot.id:
        return member_api(call.bot.user.api(), chat.membership(call.bot.id))
    user = call.state.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    membership = chat.admins.get(user_id)
    if membership is None:
        membership = Membership("member" if user_id in chat.members else "left")
    return member_api(user.api(), membership)


def get_chat_member(call: Call) -> JsonDict:
    """A user's (or the bot's own) status in a chat."""
    chat = call.visible_chat()
    return _member_of(call, chat, call.params.require_int("user_id"))


def get_chat_administrators(call: Call) -> list[JsonDict]:
    """Creator and administrators (the bot too, when it is one)."""
    chat = call.visible_chat()
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    admins = [_member_of(call, chat, user_id) for user_id in chat.admins]
    if chat.membership(call.bot.id).status in ("administrator", "creator"):
        admins.append(_member_of(call, chat, call.bot.id))
    return admins


def get_chat_member_count(call: Call) -> int:
    """Members known to the sandbox, bots included."""
    chat = call.visible_chat()
    bots = sum(1 for m in chat.bots.values() if m.status in ("member", "administrator"))
    return len(chat.members | set(chat.admins)) + bots


def leave_chat(call: Call) -> bool:
    """The bot leaves a group or channel (a ``my_chat_member`` update follows)."""
    chat = call.visible_chat()
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    old = chat.membership(call.bot.id)
    if old.status in ("left", "kicked"):
        raise bad_request("bot is not a member of the chat")
    new = Membership("left")
    chat.bots[call.bot.id] = new
    member_changed(call.state, call.bot, chat, call.bot.user, old, new)
    return True


def answer_callback_query(call: Call) -> bool:
    """Answer a button press once; the answer shows in the control API."""
    query_id = call.params.get_str("callback_query_id") or ""
    record = call.state.callbacks.get(query_id)
    if record is None or record.bot_id != call.bot.id or record.answer is not None:
        raise bad_request(QUERY_INVALID)
    answer: JsonDict = {"callback_query_id": query_id, "date": call.state.now()}
    for key in ("text", "url"):
        value = call.params.get_str(key)
        if value is not None:
            answer[key] = value
    answer["show_alert"] = call.params.get_bool("show_alert")
    record.answer = answer
    record.message.callback_answers.append(answer)
    call.state.events.add(
        "callback_answer", chat_id=record.message.chat.id, message_id=record.message.message_id
    )
    return True


def get_file(call: Call) -> JsonDict:
    """File info with a ``file_path`` for ``/file/bot<token>/<file_path>`` (uploads only)."""
    media = call.state.files.get(call.params.get_str("file_id") or "")
    if media is None:
        raise bad_request("invalid file_id")
    if media.data is None:
        raise bad_request("wrong file_id or the file is temporarily unavailable")
    return {
        "file_id": media.file_id,
        "file_unique_id": media.file_unique_id,
        "file_size": media.size,
        "file_path": call.state.files.path_of(media),
    }
