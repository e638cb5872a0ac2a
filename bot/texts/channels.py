"""Texts for the channels audience: what channel admins are told about their channels.

Notices are sent with HTML parse mode: `{title}` arrives already escaped.
"""

from __future__ import annotations

from bot.i18n import Catalog

CATALOG: Catalog = {
    "channels.registered": {
        "ru": (
            "Канал «{title}» подключён к «Вестнику», а вы — его первый администратор.\n\n"
            "Что дальше:\n"
            "• /slots — время публикаций (сейчас: {slots});\n"
            "• /route — какие рубрики выходят в канале (сейчас: {routing}).\n\n"
            "Новости из этих рубрик будут выходить в канале в эти часы."
        ),
        "en": (
            "The channel “{title}” is connected to Vestnik, and you are its first admin.\n\n"
            "What next:\n"
            "• /slots — publication times (now: {slots});\n"
            "• /route — which rubrics the channel publishes (now: {routing}).\n\n"
            "News from these rubrics will appear in the channel at these times."
        ),
    },
    "channels.registered_no_rights": {
        "ru": (
            "Меня добавили в канал «{title}», но без права публиковать сообщения — "
            "пока я ничего туда не отправлю. Откройте настройки администраторов канала "
            "и включите мне «Публикацию сообщений».\n\n"
            "Потом настройте /slots (время публикаций) и /route (рубрики)."
        ),
        "en": (
            "I was added to the channel “{title}” without the right to post messages, so I "
            "cannot publish there yet. Open the channel's admin settings and let me "
            "post messages.\n\nThen set /slots (publication times) and /route (rubrics)."
        ),
    },
    "channels.deactivated": {
        "ru": (
            "Публикации в канале «{title}» остановлены: {reason}.\n\n"
            "Ничего не потеряно: очередь ({queued}) сохранится и выйдет, когда бот снова "
            "станет администратором с правом публиковать сообщения."
        ),
        "en": (
            "Publishing in the channel “{title}” has stopped: {reason}.\n\n"
            "Nothing is lost: the queue ({queued}) is kept and will go out once the bot "
            "is an admin with the right to post messages again."
        ),
    },
    "channels.reactivated": {
        "ru": "Канал «{title}» снова подключён — публикации продолжаются. В очереди: {queued}.",
        "en": "The channel “{title}” is connected again — publishing resumes. Queued: {queued}.",
    },
    "channels.reason.removed": {
        "ru": "бота удалили из канала",
        "en": "the bot was removed from the channel",
    },
    "channels.reason.demoted": {
        "ru": "бот больше не администратор канала",
        "en": "the bot is no longer an admin of the channel",
    },
    "channels.reason.no_post_right": {
        "ru": "у бота нет права публиковать сообщения",
        "en": "the bot may not post messages",
    },
    "channels.reason.forbidden": {
        "ru": "Telegram не дал опубликовать пост («{detail}»)",
        "en": "Telegram refused a post (“{detail}”)",
    },
    "channels.posts": {
        "ru": {
            "one": "{n} публикация",
            "few": "{n} публикации",
            "many": "{n} публикаций",
            "other": "{n} публикации",
        },
        "en": {"one": "{n} post", "other": "{n} posts"},
    },
    "channels.routing.all": {"ru": "все рубрики", "en": "all rubrics"},
    "channels.slots.none": {"ru": "слотов нет", "en": "no slots"},
}
