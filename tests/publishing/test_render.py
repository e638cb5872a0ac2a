"""A signature stored before `/signature` refused references Telegram shows as typed keeps
the channel's posts going: Telegram parses it, and its length is counted as Telegram does."""

from __future__ import annotations

from bot.formatting.post import CAPTION_LIMIT
from bot.formatting.telegram_html import check_html
from bot.publishing.render import render
from sandbox.html_entities import parse_html
from storage.models.article import Article, Rubric
from storage.models.channel import Channel, TemplateSettings

RUBRIC = Rubric(name="Политика", slug="politika", hashtag="#Политика")


def test_a_stored_literal_reference_is_posted_and_measured_as_typed() -> None:
    signature = "Вестник " + "&#x10FFFF;" * 60  # 60 characters by a naive count, 600 in fact
    channel = Channel(id=-1001, template=TemplateSettings(signature=signature))
    lead = "Президент выступил на сессии. " * 20  # ~600 characters
    article = Article(
        rubric="Политика", headline="Заголовок", lead=lead.strip(), photo_file_id="photo"
    )
    post = render(article, RUBRIC, channel)
    check_html(post.text)
    assert post.method == "sendPhoto"
    shown, _ = parse_html(post.text)  # Telegram's parser, as the sandbox ports it
    assert post.length == len(shown) <= CAPTION_LIMIT
