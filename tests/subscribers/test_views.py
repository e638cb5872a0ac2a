"""Rendered texts: escaping, «» quotes, plurals, local times, the digest's length limit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.formatting.telegram_html import check_html, telegram_length
from bot.i18n import I18n
from bot.subscribers import views
from bot.subscribers.search import SearchResult
from bot.subscribers.service import LatestPage, RubricChange
from bot.texts import build_i18n
from storage.models.article import Article, Rubric
from storage.models.subscriber import Subscriber

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
POLITIKA = Rubric(name="Политика", slug="politika", hashtag="#Политика")
ECONOMY = Rubric(name="Экономика", slug="ekonomika", hashtag="#Экономика")


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return build_i18n("ru")


def test_unknown_rubric_with_suggestions_and_escaping(i18n: I18n) -> None:
    change = RubricChange("unknown", query="<Полит>", suggestions=[POLITIKA, ECONOMY])
    text = views.subscribe_text(i18n, "ru", change)
    assert text == (
        "Рубрики «&lt;Полит&gt;» нет. Возможно, вы имели в виду «Политика» или «Экономика»?"
    )
    check_html(text)
    en = views.subscribe_text(i18n, "en", change)
    assert en == "There is no rubric “&lt;Полит&gt;”. Did you mean “Politics” or “Economy”?"


def test_a_very_long_query_is_echoed_shortened(i18n: I18n) -> None:
    change = RubricChange("unknown", query="Погода " * 600, available=[POLITIKA])
    text = views.subscribe_text(i18n, "ru", change)
    shown = "Погода " * 8 + "Погода"
    assert text.startswith(f"Рубрики «{shown[:59].rstrip()}…» нет.")
    assert len(text) < 200
    search = views.search_text(i18n, "ru", ALMATY, "слово " * 700, SearchResult(0, []), {}, NOW)
    assert len(search) < 200 and "…»" in search


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Вы отписались от рубрики «Политика». Осталась 1 подписка."),
        (2, "Вы отписались от рубрики «Политика». Остались 2 подписки."),
        (5, "Вы отписались от рубрики «Политика». Осталось 5 подписок."),
        (21, "Вы отписались от рубрики «Политика». Осталась 21 подписка."),
        (0, "Вы отписались от рубрики «Политика». Других подписок у вас нет — выбрать: /rubrics."),
    ],
)
def test_unsubscribed_sentence_agrees_with_the_number(
    i18n: I18n, count: int, expected: str
) -> None:
    change = RubricChange("done", POLITIKA, count=count)
    assert views.unsubscribe_text(i18n, "ru", change) == expected


def test_english_reader_sees_english_rubric_names_and_quotes(i18n: I18n) -> None:
    change = RubricChange("done", POLITIKA, subscribed=True, count=2)
    assert views.subscribe_text(i18n, "en", change) == (
        "Done — you are subscribed to “Politics”. You now have 2 subscriptions."
    )
    assert views.subscribe_text(i18n, "ru", change) == (
        "Готово — вы подписаны на рубрику «Политика». Всего у вас 2 подписки."
    )
    odd = Rubric(name="Погода", slug="pogoda", hashtag="#Погода")
    assert views.rubric_label(i18n, "en", odd) == "Погода"  # no translation: its own name


def test_latest_shows_local_times_and_escapes_headlines(i18n: I18n) -> None:
    today = Article(id="1", rubric="Политика", headline="A & B <i>", published_at=NOW)
    earlier = Article(
        id="2",
        rubric="Политика",
        headline="Вчера",
        published_at=datetime(2026, 11, 24, 6, 0, tzinfo=UTC),
    )
    page = LatestPage("ok", articles=[today, earlier], rubric=POLITIKA, scope="rubric")
    text = views.latest_text(i18n, "ru", ALMATY, page, {"Политика": POLITIKA}, NOW)
    check_html(text)
    assert "1. A &amp; B &lt;i&gt; <i>— Политика, сегодня, 11:00</i>" in text
    assert "2. Вчера <i>— Политика, 24 ноября, 11:00</i>" in text
    en = views.latest_text(i18n, "en", ALMATY, page, {"Политика": POLITIKA}, NOW)
    assert en.startswith("<b>Latest news — Politics</b>")
    assert "2. Вчера <i>— Politics, 24 November, 11:00</i>" in en


def test_articles_without_a_publication_time_are_dated_by_when_they_became_public(
    i18n: I18n,
) -> None:
    imported = datetime(2026, 11, 25, 4, 15, tzinfo=UTC)
    released = datetime(2026, 11, 24, 3, 40, tzinfo=UTC)
    plain = Article(id="1", rubric="Политика", headline="Импорт", imported_at=imported)
    slot = Article(
        id="2", rubric="Политика", headline="Из очереди", imported_at=imported, public_at=released
    )
    page = LatestPage("ok", articles=[plain, slot], rubric=POLITIKA, scope="rubric")
    text = views.latest_text(i18n, "ru", ALMATY, page, {"Политика": POLITIKA}, NOW)
    assert "1. Импорт <i>— Политика, сегодня, 09:15</i>" in text
    assert "2. Из очереди <i>— Политика, 24 ноября, 08:40</i>" in text
    assert "без даты" not in text
    found = views.search_text(i18n, "ru", ALMATY, "импорт", SearchResult(1, [plain]), {}, NOW)
    assert "1. Импорт <i>— Политика, сегодня, 09:15</i>" in found


def test_search_counts_agree(i18n: I18n) -> None:
    hits = [Article(id=str(i), rubric="Спорт", headline=f"Матч {i}") for i in range(10)]
    text = views.search_text(i18n, "ru", ALMATY, "матч", SearchResult(21, hits), {}, NOW)
    assert text.startswith("По запросу «матч» найдена 21 статья:")
    assert "Показаны самые новые" in text


def test_digest_fits_telegram_limit(i18n: I18n) -> None:
    view = views.DigestView(i18n, "ru", "Asia/Almaty")
    long = "Очень длинный заголовок новости о важном событии " * 4
    items = [
        Article(id=f"a{i}", rubric="Политика", headline=long, published_at=NOW) for i in range(20)
    ]
    post = view(Subscriber(user_id=1), date(2026, 11, 25), items, 25)
    assert post.length == telegram_length(post.text) <= 4096
    check_html(post.text)
    shown = post.text.count("/article_a")
    assert 1 <= shown < 20
    assert post.text.startswith("<b>Дайджест за 25 ноября</b> — 25 статей")
    assert post.text.endswith(i18n("sub.digest.more", "ru", n=25 - shown))


def test_digest_in_english_and_ids_that_cannot_be_commands(i18n: I18n) -> None:
    view = views.DigestView(i18n, "ru", "Asia/Almaty")
    items = [Article(id="with-dash", rubric="Sport", headline="Match", published_at=NOW)]
    post = view(Subscriber(user_id=1, language="en"), date(2026, 11, 25), items, 1)
    assert post.text.startswith("<b>Digest for 25 November</b> — 1 article")
    assert "/article_" not in post.text


def test_settings_text(i18n: I18n) -> None:
    sub = Subscriber(user_id=1, pushes=False, digest_at=510, quiet_from=1380, quiet_to=480)
    text = views.settings_text(i18n, "ru", sub, ALMATY)
    for part in ("Новости — только дайджест", "Дайджест — в 08:30", "Тихие часы — 23:00–08:00"):
        assert part in text
    check_html(text)
