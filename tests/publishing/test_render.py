"""A channel's stored signature that today's check refuses (stored before it was stricter)
never stops the channel's posts: they go out without it."""

from __future__ import annotations

import logging

import pytest

from bot.formatting.telegram_html import check_html, plain_text
from bot.publishing.render import render
from storage.models.article import Article, Rubric
from storage.models.channel import Channel, TemplateSettings

RUBRIC = Rubric(name="Политика", slug="politika", hashtag="#Политика")
ARTICLE = Article(rubric="Политика", headline="Заголовок", lead="Лид.")


@pytest.mark.parametrize("stored", ["Вестник &#x10FFFF;", "&#X41; Вестник", "Вестник &#0;"])
def test_a_signature_refused_today_is_left_out_not_fatal(
    stored: str, caplog: pytest.LogCaptureFixture
) -> None:
    channel = Channel(id=-1001, template=TemplateSettings(signature=stored))
    with caplog.at_level(logging.WARNING):
        post = render(ARTICLE, RUBRIC, channel)
    check_html(post.text)
    assert "Заголовок" in plain_text(post.text) and "Вестник" not in plain_text(post.text)
    assert "posting without the signature" in caplog.text


def test_a_valid_signature_is_kept() -> None:
    channel = Channel(id=-1001, template=TemplateSettings(signature="<b>Вестник</b> &#8212;"))
    assert plain_text(render(ARTICLE, RUBRIC, channel).text).endswith("Вестник —")
