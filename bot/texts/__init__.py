"""Every user-facing text, one catalogue module per audience."""

from __future__ import annotations

from bot.i18n import I18n


def build_i18n(default_locale: str = "ru") -> I18n:
    """The application's texts from every audience's catalogue."""
    from bot import article_format_texts
    from bot.texts import channels, common, editors, layout, subscribers

    return I18n(
        common.CATALOG,
        article_format_texts.CATALOG,
        subscribers.CATALOG,
        channels.CATALOG,
        editors.CATALOG,
        layout.CATALOG,
        default_locale=default_locale,
    )
