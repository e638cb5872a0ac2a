"""A forwarded post read through its formatting (pure functions: no Redis, no Telegram)."""

from __future__ import annotations

from typing import Any

from bot.article_format import parse_article
from bot.desk.forwarded import Entity, read_forward
from bot.formatting.post import build_post
from bot.formatting.typograph import typograph
from sandbox.html_entities import parse_html
from storage.models.article import Article, Rubric
from tests.conftest import DATA

POLITIKA = Rubric(name="Политика", slug="politika", hashtag="#Политика")


def as_forwarded(html: str) -> tuple[str, list[Entity]]:
    """What a forwarded copy of a post carries: its text and Telegram's entities."""
    text, entities = parse_html(html)
    return text, [_entity(e) for e in entities]


def flat(text: str) -> str:
    """Single-spaced (a draft keeps plain spaces; the post builder binds words again)."""
    return " ".join(text.split())


def _entity(e: dict[str, Any]) -> Entity:
    return Entity(e["type"], e["offset"], e["length"], e.get("url"))


def test_a_vestnik_post_gives_back_its_headline_credit_rubric_and_source() -> None:
    sample = parse_article((DATA / "politika-tokayev-almaty-hub.txt").read_bytes())
    article = sample.model_copy(update={"source_url": "https://example.kz/news/hub"})
    text, entities = as_forwarded(build_post(article, POLITIKA).text)
    assert text.endswith("#Политика\nЧитать полностью")  # the rubric closes the post
    post = read_forward(text, entities)
    assert post.headline == flat(typograph(article.headline))
    assert post.photo_credit == "assembly.kz"
    assert post.hashtag == "#Политика"
    assert post.source_url == "https://example.kz/news/hub"
    assert post.lead == flat(typograph(article.lead))
    assert post.body == []


def test_a_breaking_posts_marker_is_neither_headline_nor_lead() -> None:
    article = Article(rubric="Политика", headline="Парламент принял бюджет", lead="Лид новости.")
    text, entities = as_forwarded(build_post(article, POLITIKA, breaking=True).text)
    assert text.startswith("⚡️ Срочно: Парламент")
    post = read_forward(text, entities)
    assert (post.headline, post.lead, post.body) == ("Парламент принял бюджет", "Лид новости.", [])
    assert post.hashtag == "#Политика"


def test_the_layout_does_not_matter_only_the_formatting() -> None:
    html = (
        "🔥 <b>Курс тенге укрепился</b>\n\n"
        "Нацбанк сообщил о росте резервов.\n\n"
        "Аналитики ждут продолжения.\n\n"
        "<i>Фото — Reuters</i>\n\n"
        "#Экономика"
    )
    text, entities = as_forwarded(html)
    post = read_forward(text, entities)  # offsets after an emoji are UTF-16 ones
    assert post.headline == "Курс тенге укрепился"
    assert post.lead == "Нацбанк сообщил о росте резервов."
    assert post.body == ["Аналитики ждут продолжения."]
    assert post.photo_credit == "Reuters"
    assert post.hashtag == "#Экономика"
    assert post.source_url is None


def test_without_bold_the_first_line_that_is_not_a_hashtag_is_the_headline() -> None:
    text = "#Политика\nСенат одобрил закон\n\nЗакон вступит в силу в январе. Подробности позже."
    post = read_forward(text, [Entity("hashtag", 0, 9)])
    assert post.headline == "Сенат одобрил закон"
    assert post.hashtag == "#Политика"
    assert post.lead == "Закон вступит в силу в январе. Подробности позже."


def test_a_hashtag_inside_a_sentence_stays_in_the_text() -> None:
    text = "Заголовок\n\nВ #Алматы открылся хаб.\n\nФото: assembly.kz"
    post = read_forward(text, [Entity("bold", 0, 9), Entity("hashtag", 13, 7)])
    assert post.lead == "В #Алматы открылся хаб."
    assert post.hashtag == "#Алматы"
    assert post.photo_credit is None  # not italic: a line of the text
    assert post.body == ["Фото: assembly.kz"]


def test_an_article_without_a_photo_or_link_and_an_empty_post() -> None:
    article = Article(rubric="Спорт", headline="Матч перенесли", lead="Из-за погоды.")
    text, entities = as_forwarded(build_post(article).text)
    post = read_forward(text, entities)
    assert (post.headline, post.lead, post.photo_credit) == (
        "Матч перенесли",
        "Из-за погоды.",
        None,
    )
    assert read_forward("   \n#Спорт\n", []).headline == ""
