"""The newsroom text format: the real sample, every tolerance, every rejection."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.article_format import ArticleFormatError, parse_article

DATA = Path(__file__).parent / "data"

_PREFIXED = re.compile(r"(?i)\s*(фото|photo|foto|источник|автор|author|текст)")
MINIMAL = "Политика\n\nЗаголовок статьи\n\nФото: assembly.kz\nПервый абзац.\n\nВторой абзац.\n"


def sample_bytes() -> bytes:
    return (DATA / "politika-tokayev-almaty-hub.txt").read_bytes()


# --- the real sample -------------------------------------------------------------------


def test_sample_parts(sample_text: str) -> None:
    article = parse_article(sample_text)
    assert article.rubric == "Политика"
    assert article.headline.startswith("Токаев: Алматы становится")
    assert article.headline.endswith("при поддержке ООН")
    assert article.photo_credit == "assembly.kz"
    assert article.lead.startswith("Во время обращения")
    assert article.lead.endswith("частью общественной жизни.")
    assert len(article.body) == 7
    assert article.body[0].startswith("Как пишет Акорда")
    assert article.body[-1] == (
        "Ранее сообщалось, что Токаев обратился к участникам специальной сессии Генассамблеи ООН."
    )
    assert article.author == "Елена Беляева"
    assert article.author_photo_credit == "Елена Беляева"
    assert article.content_hash == article.compute_hash() != ""


def test_sample_nbsp_becomes_plain_space(sample_text: str) -> None:
    assert "\u00a0" in sample_text  # the real file has one, in the last body paragraph
    article = parse_article(sample_text)
    assert all("\u00a0" not in p for p in [article.lead, *article.body])
    assert "что Токаев обратился" in article.body[-1]


def test_bytes_and_str_give_the_same_article(sample_text: str) -> None:
    assert parse_article(sample_bytes()) == parse_article(sample_text)


# --- tolerated variations ----------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r"), id="old-mac-cr"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.replace("\n", "   \n"), id="trailing-spaces"),
        pytest.param(lambda t: t.replace("\n", " \t\u00a0\n"), id="trailing-tabs-nbsp"),
        pytest.param(lambda t: t.replace("\n\n", "\n\u00a0\u00a0\n"), id="nbsp-only-lines"),
        pytest.param(lambda t: t.replace(" ", "  "), id="double-spaces"),
        pytest.param(lambda t: "\n\n\n" + t + "\n\n\n", id="surrounding-blank-lines"),
        pytest.param(lambda t: t.replace("\n\n", "\n\n\n\n"), id="many-blank-lines"),
        pytest.param(
            lambda t: "\n".join(line for line in t.splitlines() if line.strip()),
            id="no-blank-lines",
        ),
    ],
)
def test_variations_parse_to_the_sample(sample_text: str, variant: Callable[[str], str]) -> None:
    assert parse_article(variant(sample_text)) == parse_article(sample_text)


def test_utf8_bom_bytes(sample_text: str) -> None:
    data = b"\xef\xbb\xbf" + sample_text.encode("utf-8")
    assert parse_article(data) == parse_article(sample_text)


def test_utf16_with_bom_is_read(sample_text: str) -> None:
    assert parse_article(sample_text.encode("utf-16")) == parse_article(sample_text)


def test_crlf_fixture_without_credit() -> None:
    article = parse_article((DATA / "v-mire-crlf-no-credit.txt").read_bytes())
    assert article.rubric == "В мире"
    assert article.headline == "ООН открыла офис программы добровольцев в Алматы"
    assert article.photo_credit is None
    assert article.lead == "Офис станет региональным центром для Центральной Азии."
    assert article.body == ["В церемонии приняли участие представители пяти стран."]
    assert article.author is None


def test_front_matter_fixture() -> None:
    article = parse_article((DATA / "ekonomika-front-matter.txt").read_text(encoding="utf-8"))
    assert article.id == "tenge-rate-1125"
    assert article.source_url == "https://example.kz/news/123"
    assert article.photo_url == "https://example.kz/img/1.jpg"
    assert article.published_at == datetime(2026, 11, 25, 4, 30, tzinfo=UTC)
    assert article.rubric == "Экономика"
    assert article.headline.endswith("& пообещал <пересмотр> в марте")
    assert article.photo_credit == "Reuters"
    # hard-wrapped paragraphs are joined back
    assert article.lead == (
        "Национальный банк Казахстана сохранил базовую ставку на уровне 16,5% годовых, "
        "сообщает пресс-служба регулятора. Решение совпало с ожиданиями аналитиков."
    )
    assert article.body == [
        "По словам председателя Нацбанка, инфляция замедляется, но остается выше целевого коридора."
    ]
    assert article.author == "Айгерим Садыкова"


def test_missing_credit_lead_is_first_paragraph() -> None:
    article = parse_article("Спорт\n\nСборная вышла в финал\n\nЭто случилось вчера.\n\nДальше.")
    assert article.photo_credit is None
    assert article.lead == "Это случилось вчера."
    assert article.body == ["Дальше."]


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Фото: assembly.kz", "assembly.kz"),
        ("фото: assembly.kz", "assembly.kz"),
        ("ФОТО: Пресс-служба Акорды", "Пресс-служба Акорды"),
        ("Фото assembly.kz", "assembly.kz"),
        ("Фото Елена Беляева", "Елена Беляева"),
        ("Фото — Reuters", "Reuters"),
        ("Photo: AP", "AP"),
        ("PHOTO: AP", "AP"),
        ("Источник фото: Reuters", "Reuters"),
        ("источник фото: Reuters", "Reuters"),
        ("Фото:\u00a0assembly.kz", "assembly.kz"),
    ],
)
def test_credit_variants(line: str, credit: str) -> None:
    article = parse_article(f"Политика\n\nЗаголовок\n\n{line}\nЛид статьи.\n\nАбзац.")
    assert article.photo_credit == credit
    assert article.lead == "Лид статьи."


def test_empty_credit_line_is_dropped() -> None:
    article = parse_article("Политика\n\nЗаголовок\n\nФото:\nЛид статьи.")
    assert article.photo_credit is None
    assert article.lead == "Лид статьи."


def test_lead_starting_with_the_word_photo_is_not_a_credit() -> None:
    text = "Общество\n\nЗаголовок\n\nФото с места событий появились в соцсетях.\n\nАбзац."
    article = parse_article(text)
    assert article.photo_credit is None
    assert article.lead == "Фото с места событий появились в соцсетях."
    assert parse_article(text.replace("Фото с", "Фотографии с")).photo_credit is None


def test_html_special_characters_are_kept_raw() -> None:
    text = "Технологии\n\nAT&T <b>не</b> > Apple\n\nЛид с <script>alert(1)</script> & &amp;."
    article = parse_article(text)
    assert article.headline == "AT&T <b>не</b> > Apple"
    assert article.lead == "Лид с <script>alert(1)</script> & &amp;."


def test_long_text_of_100_kb(sample_text: str) -> None:
    paragraph = parse_article(sample_text).body[1]
    body = "\n\n".join(f"{i}. {paragraph}" for i in range(200))
    text = f"Политика\n\nДлинная статья\n\nФото: x.kz\nЛид.\n\n{body}\n\nЕлена Беляева\n"
    assert len(text.encode("utf-8")) > 100_000
    article = parse_article(text)
    assert len(article.body) == 200
    assert article.body[199].startswith("199. ")
    assert article.author == "Елена Беляева"


def test_rubric_line_normalised() -> None:
    article = parse_article("#политика.\n\nЗаголовок\n\nЛид.")
    assert article.rubric == "Политика"


def test_headline_only_article_is_valid() -> None:
    article = parse_article("Политика\nЗаголовок без текста\n")
    assert article.headline == "Заголовок без текста"
    assert (article.lead, article.body) == ("", [])


@pytest.mark.parametrize(
    ("text", "headline", "credit", "lead"),
    [
        (
            "Политика\nЗаголовок строка 1\nстрока 2\n\nФото: x.kz\nЛид.",
            "Заголовок строка 1 строка 2",
            "x.kz",
            "Лид.",
        ),
        (
            "Политика\n\nТокаев: Алматы становится международным хабом\n"
            "сотрудничества при поддержке ООН\nФото: assembly.kz\nЛид статьи.\n\nТело.",
            "Токаев: Алматы становится международным хабом сотрудничества при поддержке ООН",
            "assembly.kz",
            "Лид статьи.",
        ),
        (
            "Политика\nВ Алматы открылся хаб при поддержке\nООН и ЕС\n\nЛид статьи.\n\nТело.",
            "В Алматы открылся хаб при поддержке ООН и ЕС",
            None,
            "Лид статьи.",
        ),
        (  # no blank lines at all: a capitalised sentence after the headline is the lead
            "Политика\nЗаголовок\nЛид первый.\n\nТело.",
            "Заголовок",
            None,
            "Лид первый.",
        ),
        (
            "Политика\nЗаголовок, который\nпродолжается\nЛид начинается тут и\nидёт дальше.",
            "Заголовок, который продолжается",
            None,
            "Лид начинается тут и идёт дальше.",
        ),
    ],
    ids=["wrapped-then-credit", "wrapped-at-credit", "wrapped-capital", "lead", "lowercase"],
)
def test_wrapped_headline_is_joined_and_the_credit_found(
    text: str, headline: str, credit: str | None, lead: str
) -> None:
    article = parse_article(text)
    assert (article.headline, article.photo_credit, article.lead) == (headline, credit, lead)


def test_a_last_photo_credit_line_is_not_the_author() -> None:
    article = parse_article(
        "Политика\n\nЗаголовок\n\nЛид.\n\nПоследний абзац.\n\nФото Елена Беляева"
    )
    assert article.author is None
    assert article.author_photo_credit == "Елена Беляева"
    assert article.body == ["Последний абзац."]


def test_hard_wrapped_lines_join_but_sentence_ends_split() -> None:
    text = (
        "Политика\n\nЗаголовок\n\n"
        "Первая строка лида\nпродолжается здесь.\n"
        "Новый абзац без пустой строки.\n"
        '"Цитата отдельным абзацем", – сказал он.\n'
    )
    article = parse_article(text)
    assert article.lead == "Первая строка лида продолжается здесь."
    assert article.body == [
        "Новый абзац без пустой строки.",
        '"Цитата отдельным абзацем", – сказал он.',
    ]


@pytest.mark.parametrize(
    ("tail", "author", "photo"),
    [
        ("\n\nЕлена Беляева", "Елена Беляева", None),
        ("\nЕлена Беляева", "Елена Беляева", None),
        ("\n\nФото Елена Беляева\nЕлена Беляева", "Елена Беляева", "Елена Беляева"),
        ("\n\nФото: Асет Нуров\nЕ. Беляева", "Е. Беляева", "Асет Нуров"),
        ("\n\nАвтор: Иван Петров-Водкин", "Иван Петров-Водкин", None),
        ("\n\nРедакция", "Редакция", None),
        ("", None, None),
        ("\nконец без точки", None, None),
    ],
)
def test_byline_variants(tail: str, author: str | None, photo: str | None) -> None:
    article = parse_article(f"Политика\n\nЗаголовок\n\nЛид.\n\nПоследний абзац.{tail}")
    assert (article.author, article.author_photo_credit) == (author, photo)
    assert article.lead == "Лид."
    assert article.body[0].startswith("Последний абзац.")


def test_content_hash_ignores_layout_but_not_words(sample_text: str) -> None:
    base = parse_article(sample_text)
    assert parse_article(sample_text.replace("\n", "\r\n")).content_hash == base.content_hash
    edited = parse_article(sample_text.replace("тысячи граждан", "сотни граждан"))
    assert edited.content_hash != base.content_hash


# --- front matter ------------------------------------------------------------------------


def _with_front(*lines: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" + MINIMAL


def test_front_matter_comments_and_blank_lines() -> None:
    article = parse_article(_with_front("# stable id", "", "ID: abc_1-2"))
    assert article.id == "abc_1-2"
    assert article.rubric == "Политика"


def test_naive_published_uses_the_given_zone() -> None:
    zone = ZoneInfo("Asia/Almaty")
    article = parse_article(_with_front("published: 2026-11-25 09:30"), tz=zone)
    assert article.published_at == datetime(2026, 11, 25, 9, 30, tzinfo=zone)


@pytest.mark.parametrize(
    ("lines", "line", "code"),
    [
        (("source: https://a.kz/1", "author: Иван"), 3, "fm_unknown_key"),
        (("sourse: https://a.kz/1",), 2, "fm_unknown_key"),
        (("id: a", "id: b"), 3, "fm_duplicate_key"),
        (("photo:",), 2, "fm_empty_value"),
        (("source: example.kz/news",), 2, "fm_bad_url"),
        (("photo: ftp://a.kz/1.jpg",), 2, "fm_bad_url"),
        (("published: вчера",), 2, "fm_bad_date"),
        (("published: 2026-11-25T09:30:00",), 2, "fm_naive_date"),
        (("id: статья 1",), 2, "fm_bad_id"),
        (("just some words",), 2, "fm_syntax"),
    ],
)
def test_bad_front_matter(lines: tuple[str, ...], line: int, code: str) -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(_with_front(*lines), source="f.txt")
    assert (caught.value.line, caught.value.code) == (line, code)
    assert caught.value.location().startswith(f"f.txt:{line}: ")
    assert caught.value.user_message.startswith(f"Строка {line}: ")


def test_unknown_key_message_names_key_and_allowed_keys() -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(_with_front("author: Иван"))
    assert "'author'" in caught.value.message
    assert "source, photo, published, id" in caught.value.message
    assert "«author»" in caught.value.user_message


def test_unclosed_front_matter() -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article("\n---\nsource: https://a.kz/1\n" + MINIMAL)
    assert (caught.value.line, caught.value.code) == (2, "fm_unclosed")


def test_front_matter_without_article() -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article("---\nid: x\n---\n\n")
    assert caught.value.code == "empty"


# --- rejected input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", ["", "   \n\n\t\n", "\ufeff", b"", b"\xef\xbb\xbf\r\n\r\n", "\u00a0\n\u200b"]
)
def test_empty_file(data: str | bytes) -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(data)
    assert caught.value.line is None
    assert caught.value.code == "empty"
    assert caught.value.user_message == "Файл пустой — в нём нет текста статьи."


def test_only_a_rubric() -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article("\n\nПолитика\n\n")
    assert (caught.value.line, caught.value.code) == (3, "only_rubric")
    assert "«Политика»" in caught.value.user_message


def test_credit_where_the_headline_should_be() -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article("Политика\n\nФото: assembly.kz\nЛид статьи.\n")
    assert (caught.value.line, caught.value.code) == (3, "no_headline")


def test_missing_headline_shows_as_overlong_headline(sample_text: str) -> None:
    lead = parse_article(sample_text).body[1]
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(f"Политика\n\n{lead}\n")
    assert (caught.value.line, caught.value.code) == (3, "headline_too_long")
    assert "blank line" in caught.value.message


def test_a_missing_headline_line_is_refused_with_its_line(sample_text: str) -> None:
    """Without its headline line the lead would become a bold two-sentence headline."""
    article = parse_article(sample_text)
    without_headline = sample_text.replace(article.headline, "", 1).replace(
        f"Фото: {article.photo_credit}\n", "", 1
    )
    short_lead = "Токаев выступил в Алматы. Он говорил о хабе."
    for text, line in ((without_headline, 5), (f"Политика\n\n{short_lead}\n\nТело.\n", 3)):
        with pytest.raises(ArticleFormatError) as caught:
            parse_article(text)
        assert (caught.value.line, caught.value.code) == (line, "headline_full_stop")
        assert caught.value.user_message.startswith(
            f"Строка {line}: заголовок кончается точкой — похоже, это лид"
        )


@pytest.mark.parametrize(
    "headline",
    [
        "Бюджет Казахстана на 2025–2027 гг.",
        "«Что будет дальше?»",
        "Токаев ответил на вопрос о хабе...",
        "Итоги года: экономика, политика и т.д.",
    ],
)
def test_a_headline_may_end_with_an_abbreviation_or_other_marks(headline: str) -> None:
    assert parse_article(f"Политика\n\n{headline}\n\nЛид.\n").headline == headline


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Политика\n\nЗаголовок\n\nЛид с \ud800 внутри.", 5),
        ("\ud800", 1),
        ("---\nsource: https://x.kz/\udfff\n---\nПолитика\n\nЗаголовок\n", 2),
        ("Политика\n\nЗаго\udbffловок\n", 3),
    ],
    ids=["lead", "alone", "front-matter", "headline"],
)
def test_a_lone_surrogate_is_a_clear_error_not_a_crash(text: str, line: int) -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(text)
    assert (caught.value.line, caught.value.code) == (line, "bad_character")
    assert "недопустимый символ U+D" in caught.value.user_message


def test_first_line_is_not_a_rubric(sample_text: str) -> None:
    without_rubric = sample_text.split("\n", 2)[2]
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(without_rubric)
    assert (caught.value.line, caught.value.code) == (1, "no_rubric")
    assert "Токаев: Алматы" in caught.value.message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x00\x01\x02binary\x00\xff", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "word"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        ("текст\x00с нулём", "binary"),
    ],
)
def test_binary_files(data: str | bytes, code: str) -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(data)
    assert (caught.value.line, caught.value.code) == (None, code)
    assert "UTF-8" in caught.value.user_message


def test_not_utf8_reports_the_line(sample_text: str) -> None:
    data = sample_text.encode("cp1251", errors="replace")
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(data, source="cp1251.txt")
    assert caught.value.line == 1
    assert caught.value.code == "encoding"
    mixed = "Политика\n\nЗаголовок\n".encode() + "Лид в cp1251.".encode("cp1251")
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(mixed)
    assert caught.value.line == 4
    assert caught.value.user_message.startswith("Строка 4: файл не в кодировке UTF-8")


def test_too_large() -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article(b"a" * (3 * 1024 * 1024))
    assert caught.value.code == "too_large"


def test_error_messages_localise() -> None:
    with pytest.raises(ArticleFormatError) as caught:
        parse_article("Политика")
    error = caught.value
    assert isinstance(error, ValueError)
    assert str(error) == "line 1: only the rubric 'Политика': no headline and no text"
    assert error.localized("en") == (
        "Line 1: the file holds only the rubric “Политика” — no headline and no text."
    )
    assert error.user_message == (
        "Строка 1: в файле только рубрика «Политика» — нет ни заголовка, ни текста."
    )


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=400),
        st.text(st.characters(codec=None, categories=None), max_size=400),  # surrogates too
        st.binary(max_size=400),
    )
)
def test_any_input_parses_or_raises_the_one_error(data: str | bytes) -> None:
    try:
        article = parse_article(data)
    except ArticleFormatError as error:
        assert error.message
        assert error.line is None or error.line >= 1
        assert error.user_message
    else:
        assert article.rubric and article.headline
        assert article.content_hash == article.compute_hash()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp", "Cf"]), min_size=1),
        min_size=1,
        max_size=6,
    )
)
def test_body_text_survives(paragraphs: list[str]) -> None:
    """Whatever the paragraphs say, their words come back (in the lead, body or byline)."""
    assume(not any(_PREFIXED.match(p) for p in paragraphs))  # credit/author prefixes are eaten
    text = "Политика\n\nЗаголовок\n\n" + "\n\n".join(paragraphs)
    try:
        article = parse_article(text)
    except ArticleFormatError:
        return
    extras = [article.photo_credit, article.author, article.author_photo_credit]
    words = " ".join([article.lead, *article.body, *(e for e in extras if e)]).split()
    expected = " ".join(paragraphs).split()
    assert sorted(words) == sorted(w for w in expected if w)


def test_published_offset_is_kept() -> None:
    article = parse_article(_with_front("published: 2026-11-25T09:30:00+05:00"))
    assert article.published_at is not None
    assert article.published_at.utcoffset() == timedelta(hours=5)
