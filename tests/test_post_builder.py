"""The post builder: structure, escaping, Telegram's limits, truncation, template options."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.article_format import parse_article
from bot.formatting.post import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    PostTemplate,
    build_full_post,
    build_post,
)
from bot.formatting.telegram_html import check_html, plain_text, telegram_length, utf16_length
from bot.formatting.truncate import cut_text
from bot.formatting.typograph import typograph
from sandbox.entity_rules import trim
from sandbox.html_entities import parse_html
from storage.models.article import Article, Rubric

NB = "\u00a0"
SIGNATURE = '<a href="https://t.me/vestnik">Вестник</a>'
POLITIKA = Rubric(name="Политика", slug="politika", hashtag="#Политика")

SAMPLE_POST = (
    "<b>Токаев: Алматы становится международным хабом сотрудничества при\u00a0поддержке ООН</b>"
    "\n\n"
    "Во\u00a0время обращения к\u00a0участникам специальной сессии Генеральной Ассамблеи ООН, "
    "посвященной открытию Международного года добровольцев в\u00a0целях устойчивого развития, "
    "президент РК\u00a0Касым-Жомарт Токаев заявил, что в\u00a0Казахстане волонтерство стало "
    "неотъемлемой частью общественной жизни."
    "\n\n"
    "<i>Фото: assembly.kz</i>"
    "\n\n"
    "#Политика\n"
    '<a href="https://www.inform.kz/ru/tokaev?utm=tg&amp;x=1">Читать полностью</a>\n'
    '<a href="https://t.me/vestnik">Вестник</a>'
)


@pytest.fixture
def sample(sample_text: str) -> Article:
    """The real newsroom sample, with a photo and a source link as an editor would add them."""
    article = parse_article(sample_text)
    return article.model_copy(
        update={
            "photo_file_id": "AgACAgIAAxkBAAIBQ2",
            "source_url": "https://www.inform.kz/ru/tokaev?utm=tg&x=1",
        }
    )


def _article(**fields: object) -> Article:
    base: dict[str, object] = {
        "rubric": "Политика",
        "headline": "Заголовок новости",
        "lead": "Первое предложение лида.",
        "photo_credit": "assembly.kz",
    }
    return Article.model_validate(base | fields)


def test_sample_article_yields_exactly_the_expected_post(sample: Article) -> None:
    post = build_post(sample, POLITIKA, template=PostTemplate(signature=SIGNATURE))
    assert post.method == "sendPhoto"
    assert post.photo == "AgACAgIAAxkBAAIBQ2"
    assert post.parse_mode == "HTML"
    assert post.text == SAMPLE_POST
    assert post.length == telegram_length(SAMPLE_POST)
    check_html(post.text)


def test_hashtag_is_derived_from_the_article_rubric_without_a_rubric() -> None:
    post = build_post(_article(rubric="В мире"))
    assert post.text.startswith("<b>Заголовок новости</b>\n\n")
    assert post.text.endswith("\n\n#ВМире")


def test_the_first_line_a_notification_shows_is_the_headline(sample: Article) -> None:
    post = build_post(sample, POLITIKA, template=PostTemplate(signature=SIGNATURE))
    first_line = plain_text(post.text).split("\n")[0]
    assert first_line == typograph(sample.headline)
    # the rubric hashtag closes the text, above the read-more link and the signature
    assert plain_text(post.text).endswith("#Политика\nЧитать полностью\nВестник")


def test_a_channel_may_put_the_hashtag_on_top() -> None:
    post = build_post(_article(), POLITIKA, template=PostTemplate(hashtag_position="top"))
    assert post.text.startswith("#Политика\n<b>Заголовок новости</b>\n\n")
    assert post.text.count("#Политика") == 1


def test_a_breaking_post_starts_with_the_channel_marker_before_the_headline() -> None:
    article = _article()
    post = build_post(article, POLITIKA, breaking=True)
    assert post.text.startswith("⚡️ Срочно: <b>Заголовок новости</b>\n\n")
    assert plain_text(post.text).split("\n")[0] == "⚡️ Срочно: Заголовок новости"
    assert post.length == telegram_length(post.text)
    # the marker is the channel's: an emoji alone stands as it is, text is escaped
    own = build_post(article, template=PostTemplate(breaking_marker="⚡️"), breaking=True)
    assert own.text.startswith("⚡️ <b>Заголовок новости</b>")
    odd = build_post(article, template=PostTemplate(breaking_marker="<Молния>"), breaking=True)
    assert odd.text.startswith("&lt;Молния&gt; <b>")
    check_html(odd.text)
    none = build_post(article, template=PostTemplate(breaking_marker=None), breaking=True)
    assert none.text.startswith("<b>Заголовок новости</b>")
    # an ordinary post has no marker
    assert build_post(article, POLITIKA).text.startswith("<b>Заголовок новости</b>")


def test_the_breaking_marker_is_kept_when_the_caption_is_full() -> None:
    article = _article(headline="Заголовок " * 200, photo_file_id="f")
    post = build_post(article, breaking=True)
    assert post.length <= CAPTION_LIMIT
    assert post.text.startswith("⚡️ Срочно: <b>Заголовок Заголовок")
    check_html(post.text)


def test_link_preview_follows_the_channel_setting() -> None:
    article = _article(source_url="https://x.kz/a?b=1&c=2")
    below = build_post(article).link_preview
    assert below is not None
    assert (below.is_disabled, below.url, below.show_above_text) == (
        False,
        "https://x.kz/a?b=1&c=2",
        False,
    )
    above = build_post(article, template=PostTemplate(link_preview="above")).link_preview
    assert above is not None and (above.url, above.show_above_text) == (article.source_url, True)
    off = build_post(article, template=PostTemplate(link_preview="off")).link_preview
    assert off is not None and off.is_disabled
    # no usable source link: no preview at all (never the signature's link by default)
    template = PostTemplate(link_preview="above", signature=SIGNATURE)
    for source in (None, "javascript:alert(1)"):
        chosen = build_post(_article(source_url=source), template=template).link_preview
        assert chosen is not None and chosen.is_disabled
    # a full article is a text message too; a photo post has no link preview to choose
    full = build_full_post(article, template=PostTemplate(link_preview="above")).link_preview
    assert full is not None and full.show_above_text
    assert build_post(_article(source_url="https://x.kz/a", photo_file_id="f")).link_preview is None


def test_photo_url_makes_a_photo_post_and_no_photo_a_text_message() -> None:
    assert build_post(_article(photo_url="https://x.kz/p.jpg")).method == "sendPhoto"
    post = build_post(_article())
    assert post.method == "sendMessage"
    assert post.photo is None


def test_markup_in_article_text_stays_literal_for_the_reader() -> None:
    article = _article(
        headline="<script>alert(1)</script> & &amp;",
        lead="Цена <b>5</b> &lt; 6",
        photo_credit="A&B",
    )
    post = build_post(article)
    check_html(post.text)
    shown = plain_text(post.text)
    assert "<script>alert(1)</script> & &amp;" in shown
    assert "Цена <b>5</b> &lt; 6" in shown
    assert "Фото: A&B" in shown
    assert "<script>" not in post.text


def test_long_lead_is_cut_at_a_sentence_boundary_to_fit_a_caption() -> None:
    sentence = "Президент заявил, что волонтерство стало частью общественной жизни. "
    article = _article(lead=sentence * 30, photo_file_id="f")
    post = build_post(article)
    assert post.length <= CAPTION_LIMIT
    assert post.length == telegram_length(post.text)
    lead = plain_text(post.text).split("\n\n")[1]
    assert lead.endswith("общественной жизни…")
    assert lead.count("Президент") == lead.count("жизни")  # whole sentences only
    assert CAPTION_LIMIT - post.length < len(sentence) + 2  # and as many as fit
    assert "<i>Фото: assembly.kz</i>" in post.text


@pytest.mark.parametrize(
    ("text", "wrong_end"),
    [
        ("Вчера в Алматы выступил президент К.\u00a0Токаев и рассказал о планах на год.", "К…"),
        ("Вчера в Алматы выступил президент К. Токаев и рассказал о планах на год.", "К…"),
        ("Рекорд поставлен в\u00a02024\u00a0г. и повторён потом ещё не раз за год.", "г…"),
        ("Все виды работ, т. е. ремонт и стройку, закончат ещё до конца этого года.", "е…"),
        ("Сумма составила 150\u00a0тыс. и выросла на треть за один лишь этот год.", "тыс…"),
    ],
)
def test_initials_and_abbreviations_are_no_sentence_ends(text: str, wrong_end: str) -> None:
    limit = text.index(wrong_end.removesuffix("…") + ".") + len(wrong_end) + 8
    cut = cut_text(text, limit)  # the abbreviation's dot sits late enough to be worth a cut
    assert len(cut) <= limit
    assert cut.endswith("…")
    assert not cut.endswith(wrong_end)
    assert text.startswith(cut.removesuffix("…"))


def test_typographed_lead_is_not_cut_at_an_initial() -> None:
    lead = "слово " * 140 + "так заявил президент К. Токаев, выступая на сессии " + "слово " * 100
    post = build_post(_article(lead=lead, photo_file_id="f"))
    shown = plain_text(post.text).split("\n\n")[1]
    assert "К…" not in shown
    assert "президент К.\u00a0Токаев, выступая на\u00a0сессии слово" in shown
    assert shown.endswith("слово…")


@pytest.mark.parametrize(
    ("sentence", "ending"),
    [
        ("Что будет с ценами дальше? ", "дальше?.."),
        ("Цены выросли снова! ", "снова!.."),
        ("Цены выросли снова. ", "снова…"),
        ("Он сказал: «Цены выросли снова». ", "снова»…"),
        ("Он спросил: «Что дальше?» ", "дальше?..»"),
    ],
)
def test_a_cut_lead_always_shows_that_it_was_cut(sentence: str, ending: str) -> None:
    post = build_post(_article(lead=sentence * 60, photo_file_id="f"))
    lead = plain_text(post.text).split("\n\n")[1]
    assert post.length <= CAPTION_LIMIT
    assert lead.endswith(ending)


def test_lead_without_sentence_ends_is_cut_at_a_word() -> None:
    article = _article(lead="слово " * 400, photo_file_id="f")
    post = build_post(article)
    assert post.length <= CAPTION_LIMIT
    lead = plain_text(post.text).split("\n\n")[1]
    assert lead.endswith("слово…")
    assert "слов…" not in lead


def test_cut_never_splits_an_entity() -> None:
    article = _article(lead="a&b <c> " * 300, photo_file_id="f")
    post = build_post(article)
    check_html(post.text)
    assert post.length <= CAPTION_LIMIT
    lead = plain_text(post.text).split("\n\n")[1]
    assert article.lead.startswith(lead.removesuffix("…"))
    assert re.search(r"(a&amp;b|&lt;c&gt;)…", post.text)


def test_cut_closes_an_open_quote() -> None:
    article = _article(lead='"' + "слово " * 400 + '"', photo_file_id="f")
    lead = plain_text(build_post(article).text).split("\n\n")[1]
    assert lead.startswith("«")
    assert lead.endswith("слово…»")


def test_emoji_lead_is_counted_in_code_points() -> None:
    article = _article(lead="😀" * 2000, photo_file_id="f")
    post = build_post(article)
    check_html(post.text)
    assert post.length <= CAPTION_LIMIT
    assert post.length > CAPTION_LIMIT - 10  # the room is used, counted per code point
    assert utf16_length(plain_text(post.text)) > CAPTION_LIMIT  # offsets would be UTF-16
    assert "😀…" in post.text


def test_headline_and_credit_are_kept_when_the_lead_has_no_room() -> None:
    headline = "Очень длинный заголовок " * 41  # 983 characters: no room left for a lead
    post = build_post(_article(headline=headline, lead="Лид. " * 100, photo_file_id="f"))
    assert post.length <= CAPTION_LIMIT
    assert plain_text(post.text).startswith(f"{headline.strip()}\n")
    assert "<i>Фото: assembly.kz</i>" in post.text
    assert "Лид" not in post.text


def test_headline_longer_than_a_caption_is_cut_as_a_last_resort() -> None:
    post = build_post(_article(headline="Заголовок " * 200, photo_file_id="f"))
    assert post.length <= CAPTION_LIMIT
    check_html(post.text)
    assert "Заголовок…</b>" in post.text
    assert "<i>Фото: assembly.kz</i>" in post.text


def test_huge_credit_and_signature_still_fit() -> None:
    article = _article(headline="Заголовок", photo_credit="Кредит " * 500, photo_file_id="f")
    post = build_post(article, template=PostTemplate(signature="<b>" + "П" * 1100 + "</b>"))
    assert post.length <= CAPTION_LIMIT
    check_html(post.text)
    assert "<b>Заголовок</b>" in post.text
    assert "Фото: Кредит" in post.text


def test_text_message_allows_4096() -> None:
    lead = "Предложение номер один. " * 160  # ~3840 characters
    post = build_post(_article(lead=lead))
    assert post.method == "sendMessage"
    assert 3800 < post.length <= MESSAGE_LIMIT
    assert not plain_text(post.text).split("\n\n")[1].endswith("…")


def test_template_switches() -> None:
    article = _article(source_url="https://x.kz/a", lead='Он сказал: "да"')
    plain = PostTemplate(
        show_hashtag=False, show_credit=False, typography=False, read_more_label="Подробнее"
    )
    post = build_post(article, template=plain)
    assert post.text == (
        '<b>Заголовок новости</b>\n\nОн сказал: "да"\n\n<a href="https://x.kz/a">Подробнее</a>'
    )


def test_read_more_link_only_for_web_urls() -> None:
    post = build_post(_article(source_url="javascript:alert(1)"))
    assert "<a " not in post.text
    check_html(post.text)


def test_credit_that_names_itself_is_not_prefixed_twice() -> None:
    post = build_post(_article(photo_credit="Фото: Елена Беляева"))
    assert "<i>Фото: Елена Беляева</i>" in post.text


def test_signature_must_be_telegram_html() -> None:
    with pytest.raises(ValidationError, match="unsupported tag"):
        PostTemplate(signature="<div>Вестник</div>")
    with pytest.raises(ValidationError, match="unescaped"):
        PostTemplate(signature="Рога & копыта")


def test_full_post_has_every_paragraph_of_the_sample(sample: Article) -> None:
    post = build_full_post(sample, POLITIKA)
    check_html(post.text)
    assert post.method == "sendMessage"
    assert post.photo is None
    shown = plain_text(post.text)
    # head | lead | body paragraphs | byline | credit | link
    assert shown.count("\n\n") == 1 + len(sample.body) + 3
    assert "«Таза Қазақстан»" in shown
    assert shown.endswith("Читать полностью")
    assert "<i>Текст и\u00a0фото: Елена Беляева</i>\n\n<i>Фото: assembly.kz</i>" in post.text


def test_the_full_post_names_its_author_the_channel_post_does_not() -> None:
    article = _article(author="Айгерим Садыкова", author_photo_credit="Ержан Ахметов")
    full = plain_text(build_full_post(article).text)
    assert "Текст: Айгерим Садыкова, фото: Ержан Ахметов" in full
    assert "Садыкова" not in plain_text(build_post(article).text)
    alone = plain_text(build_full_post(_article(author="Редакция")).text)
    assert "Автор: Редакция" in alone
    assert "Автор" not in plain_text(build_full_post(_article()).text)


def test_full_post_is_cut_by_paragraphs_then_sentences_and_keeps_the_link() -> None:
    paragraph = "Это предложение абзаца. " * 20  # ~480 characters
    article = _article(body=[paragraph] * 20, source_url="https://x.kz/a")
    post = build_full_post(article)
    assert post.length <= MESSAGE_LIMIT
    check_html(post.text)
    blocks = plain_text(post.text).split("\n\n")
    assert blocks[-1] == "#Политика\nЧитать полностью"
    assert blocks[-2] == "Фото: assembly.kz"
    text_blocks = blocks[2:-2]
    assert all(b == paragraph.strip() for b in text_blocks[:-1])
    assert text_blocks[-1].endswith("абзаца…")
    assert MESSAGE_LIMIT - post.length < 30


_TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(['"', "<", ">", "&", "&amp;", "😀", "👨\u200d👩\u200d👧", " ", ". ", "\n"]),
        st.sampled_from(["слово ", "в ", "Токаев. ", "<b>", "https://x.kz/a ", " - "]),
    ),
    max_size=700,
).map("".join)
_ARTICLES = st.builds(
    Article,
    rubric=st.text(max_size=30),
    headline=st.text(max_size=400) | _TEXT,
    lead=_TEXT | _TEXT.map(lambda t: (t + ". ") * 8),
    body=st.lists(_TEXT, max_size=6),
    photo_credit=st.none() | st.text(max_size=200),
    photo_file_id=st.none() | st.just("file-id"),
    source_url=st.none() | st.just("https://x.kz/a?b=1&c=2") | st.text(max_size=20),
)


@settings(max_examples=200, deadline=None)
@given(_ARTICLES, st.booleans(), st.booleans())
def test_any_article_builds_valid_html_within_its_limit(
    article: Article, full: bool, breaking: bool
) -> None:
    post = build_full_post(article) if full else build_post(article, breaking=breaking)
    check_html(post.text)
    limit = CAPTION_LIMIT if post.method == "sendPhoto" else MESSAGE_LIMIT
    assert post.length == telegram_length(post.text) <= limit
    # The sandbox's independent port of Telegram's parser agrees on the text and its length.
    shown, entities = parse_html(post.text)
    assert shown == plain_text(post.text)
    assert len(shown) == post.length
    trimmed, _ = trim(shown, entities)
    assert len(trimmed) <= limit
    headline = typograph(" ".join(article.headline.split()))
    if headline:
        _assert_kept(_tag_text("b", post.text), headline)
    credit = " ".join((article.photo_credit or "").split())
    if credit:
        assert "Фото" in _tag_text("i", post.text)


def _tag_text(tag: str, html: str) -> str:
    match = re.search(f"<{tag}>(.*?)</{tag}>", html, re.S)
    assert match is not None, f"no <{tag}> in the post"
    return plain_text(match.group(1))


def _assert_kept(shown: str, full: str) -> None:
    """`shown` is `full`, or a prefix of it cut with `…` (plus closing quotes)."""
    if shown != full:
        core = shown.rstrip("»“").removesuffix("…")
        assert shown.rstrip("»“").endswith("…")
        assert full.startswith(core)
