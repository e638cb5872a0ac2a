"""Texts for channel admins about how posts look: `/hashtag`, `/breaking`, `/preview`.

Russian first, English second; sent as plain text (no HTML escaping needed).
"""

from __future__ import annotations

from bot.i18n import Catalog, Entry
from bot.texts.editors import _en, _ru, _t

_HINT_RU = "\nИзменить: /hashtag конец, /hashtag начало или /hashtag выкл."
_HINT_EN = "\nTo change: /hashtag end, /hashtag top or /hashtag off."


def _with_hint(ru: str, en: str) -> dict[str, Entry]:
    """A `/hashtag` answer followed by how to change the setting."""
    return _t(ru + _HINT_RU, en + _HINT_EN)


CATALOG: Catalog = {
    # /hashtag
    "admin.hashtag.show.end": _with_hint(
        "Хештег рубрики в постах канала «{title}» стоит в конце, под текстом.",
        "The rubric hashtag in posts of “{title}” comes at the end, below the text.",
    ),
    "admin.hashtag.show.top": _with_hint(
        "Хештег рубрики в постах канала «{title}» стоит в начале, над заголовком — в "
        "уведомлении читатель увидит хештег, а не заголовок.",
        "The rubric hashtag in posts of “{title}” comes first, above the headline — a "
        "notification shows the hashtag, not the headline.",
    ),
    "admin.hashtag.show.off": _with_hint(
        "В постах канала «{title}» нет хештега рубрики.",
        "Posts of “{title}” carry no rubric hashtag.",
    ),
    "admin.hashtag.set.end": _t(
        "Готово: хештег рубрики в постах канала «{title}» будет в конце, под текстом.",
        "Done: the rubric hashtag in posts of “{title}” will come at the end, below the text.",
    ),
    "admin.hashtag.set.top": _t(
        "Готово: хештег рубрики в постах канала «{title}» будет в начале, над заголовком. "
        "Учтите: в уведомлении и в списке чатов читатель увидит хештег, а не заголовок.",
        "Done: the rubric hashtag in posts of “{title}” will come first, above the headline. "
        "Note: notifications and the chat list will show the hashtag, not the headline.",
    ),
    "admin.hashtag.set.off": _t(
        "Готово: посты канала «{title}» будут без хештега рубрики.",
        "Done: posts of “{title}” will carry no rubric hashtag.",
    ),
    "admin.hashtag.usage": _t(
        "Не понял. Пришлите /hashtag конец — хештег под текстом, /hashtag начало — над "
        "заголовком — или /hashtag выкл — без хештега. Ничего не изменено.",
        "I didn't understand. Send /hashtag end — the hashtag below the text, /hashtag top — "
        "above the headline — or /hashtag off — no hashtag. Nothing was changed.",
    ),
    # /breaking
    "admin.breaking.show": _t(
        "Срочные посты канала «{title}»: {marker}; {pin}.\n"
        "Изменить: /breaking и новая метка (например, /breaking ⚡️ Молния), /breaking выкл — "
        "без метки, /breaking закреплять да или /breaking закреплять нет.",
        "Breaking posts of “{title}”: {marker}; {pin}.\n"
        "To change: /breaking and a new marker (e.g. /breaking ⚡️ Breaking), /breaking off — "
        "no marker, /breaking pin on or /breaking pin off.",
    ),
    "admin.breaking.marker": _t(
        "перед заголовком стоит метка «{marker}»", "the headline follows the marker “{marker}”"
    ),
    "admin.breaking.no_marker": _t("без метки", "no marker"),
    "admin.breaking.pin.on": _t(
        "закрепляются в канале — и из редакции («Срочно»), и из командной строки",
        "pinned in the channel — from the desk («Срочно») and from the command line alike",
    ),
    "admin.breaking.pin.off": _t("не закрепляются", "not pinned"),
    "admin.breaking.example": _t("Заголовок новости", "The headline"),
    "admin.breaking.set": _t(
        "Готово: срочные посты канала «{title}» будут начинаться так:\n{example}",
        "Done: breaking posts of “{title}” will start like this:\n{example}",
    ),
    "admin.breaking.cleared": _t(
        "Готово: срочные посты канала «{title}» будут без метки.",
        "Done: breaking posts of “{title}” will carry no marker.",
    ),
    "admin.breaking.too_long": _t(
        _ru(
            "Метка слишком длинная: {n} символ, а можно не больше {max}. Ничего не изменено.",
            "Метка слишком длинная: {n} символа, а можно не больше {max}. Ничего не изменено.",
            "Метка слишком длинная: {n} символов, а можно не больше {max}. Ничего не изменено.",
        ),
        _en(
            "The marker is too long: {n} character, at most {max} fit. Nothing was changed.",
            "The marker is too long: {n} characters, at most {max} fit. Nothing was changed.",
        ),
    ),
    "admin.breaking.pin_set.on": _t(
        "Готово: срочные посты канала «{title}» будут закрепляться — и из редакции "
        "(«Срочно»), и из командной строки (vestnik queue --breaking).",
        "Done: breaking posts of “{title}” will be pinned — from the desk («Срочно») and from "
        "the command line (vestnik queue --breaking) alike.",
    ),
    "admin.breaking.pin_set.off": _t(
        "Готово: срочные посты канала «{title}» не будут закрепляться.",
        "Done: breaking posts of “{title}” will not be pinned.",
    ),
    "admin.breaking.pin_usage": _t(
        "Не понял. Пришлите /breaking закреплять да — срочные посты закрепляются — или "
        "/breaking закреплять нет. Ничего не изменено.",
        "I didn't understand. Send /breaking pin on — breaking posts are pinned — or "
        "/breaking pin off. Nothing was changed.",
    ),
    # /preview
    "admin.preview.show": _t(
        "Превью ссылки на источник в текстовых постах канала «{title}»: {mode}. В постах с "
        "фото превью нет — там фото.\n"
        "Изменить: /preview сверху, /preview снизу или /preview выкл.",
        "The source link's preview in text posts of “{title}”: {mode}. Photo posts have no "
        "preview — the photo is there.\n"
        "To change: /preview above, /preview below or /preview off.",
    ),
    "admin.preview.set": _t(
        "Готово: превью ссылки на источник в текстовых постах канала «{title}» — {mode}.",
        "Done: the source link's preview in text posts of “{title}”: {mode}.",
    ),
    "admin.preview.off": _t("выключено", "off"),
    "admin.preview.above": _t("над текстом", "above the text"),
    "admin.preview.below": _t("под текстом", "below the text"),
    "admin.preview.usage": _t(
        "Не понял. Пришлите /preview сверху — превью над текстом, /preview снизу — под "
        "текстом — или /preview выкл — без превью. Ничего не изменено.",
        "I didn't understand. Send /preview above — the preview above the text, /preview "
        "below — under it — or /preview off — no preview. Nothing was changed.",
    ),
}
