"""Texts shared by every audience."""

from __future__ import annotations

from bot.i18n import Catalog

CATALOG: Catalog = {
    "articles.count": {
        "ru": {
            "one": "{n} статья",
            "few": "{n} статьи",
            "many": "{n} статей",
            "other": "{n} статьи",
        },
        "en": {"one": "{n} article", "other": "{n} articles"},
    },
    "error.internal": {
        "ru": "Что-то пошло не так — мы уже разбираемся. Попробуйте ещё раз чуть позже.",
        "en": "Something went wrong — we are looking into it. Please try again a bit later.",
    },
}
