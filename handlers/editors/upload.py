"""A `.txt` file in the newsroom format, or a forwarded post, becomes a draft to preview.

A file that does not parse gets the parser's message with its line number; a parsed one goes
to the channel choice (or straight to the preview when the editor has one channel).
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.types import Message

from bot.article_format_errors import ArticleFormatError
from bot.desk.drafts import DraftError
from bot.desk.forwarded import Entity
from handlers.editors.common import Env
from handlers.editors.compose import ask, first_missing
from handlers.editors.errors import draft_error_key
from storage.models.draft import Draft

MAX_TXT_BYTES = 512 * 1024


def register(router: Router) -> None:
    """Attach the upload and forward handlers."""
    router.message.register(got_document, F.document)
    router.message.register(got_forward, F.forward_origin)


def _is_text_file(message: Message) -> bool:
    document = message.document
    if document is None:
        return False
    name = (document.file_name or "").lower()
    return name.endswith(".txt") or document.mime_type == "text/plain"


async def got_document(message: Message, **data: Any) -> None:
    """Parse an uploaded `.txt` article into a draft."""
    env = Env.of(message, data)
    document = message.document
    if document is None or not _is_text_file(message):
        await env.say("desk.upload.not_txt")
        return
    if (document.file_size or 0) > MAX_TXT_BYTES:
        await env.say("desk.upload.too_big")
        return
    buffer = await env.bot.download(document)
    raw = buffer.read() if buffer is not None else b""
    try:
        draft = await env.desk.drafts.from_text(env.user.id, raw, document.file_name or "upload")
    except ArticleFormatError as exc:
        await env.say("desk.upload.bad", reason=exc.localized(env.locale))
        return
    except DraftError as exc:  # parsed, but a part no draft can take (a lead over the limit)
        await env.say("desk.upload.bad", reason=env.t(draft_error_key(exc)))
        return
    await env.say("desk.upload.ok", id=draft.id, headline=draft.headline[:120])
    await continue_draft(env, draft)


async def got_forward(message: Message, **data: Any) -> None:
    """A forwarded post becomes a draft, read through its formatting (bold headline,
    italic credit, hashtag rubric, source link)."""
    env = Env.of(message, data)
    text = message.text or message.caption or ""
    marks = message.entities if message.text else message.caption_entities
    entities = [Entity(e.type, e.offset, e.length, e.url) for e in marks or ()]
    photo = message.photo[-1].file_id if message.photo else None
    try:
        draft = await env.desk.drafts.from_forward(
            env.user.id, text, photo, _source(message), entities
        )
    except DraftError as exc:
        await env.say(f"desk.draft.{exc.code}")
        return
    await env.say("desk.forward.ok", id=draft.id)
    await continue_draft(env, draft)


def _source(message: Message) -> str | None:
    """`https://t.me/<channel>/<id>` for a post forwarded from a public channel."""
    origin = message.forward_origin
    chat = getattr(origin, "chat", None)
    message_id = getattr(origin, "message_id", None)
    if chat is not None and chat.username and message_id:
        return f"https://t.me/{chat.username}/{message_id}"
    return None


async def continue_draft(env: Env, draft: Draft) -> None:
    """Pick the channel (automatic with one), then the first step still missing."""
    mine = await env.roles.channels_for(env.user.id, "editor")
    if draft.chat_id is None and len(mine) == 1:
        draft = await env.desk.drafts.update(draft, chat_id=mine[0].id)
    await ask(env, draft, first_missing(draft))
