"""The desk's texts: both languages everywhere, Russian plurals complete, Russian typography."""

from __future__ import annotations

import re

import pytest

from bot.texts import build_i18n
from bot.texts.editors import CATALOG

I18N = build_i18n()
RU_FORMS = {"one", "few", "many", "other"}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_key_has_russian_and_english(key: str) -> None:
    entry = CATALOG[key]
    assert set(entry) == {"ru", "en"}
    ru, en = entry["ru"], entry["en"]
    if isinstance(ru, str):
        assert isinstance(en, str)
        assert _fields(ru) == _fields(en), key
    else:
        assert set(ru) == RU_FORMS, key
        assert not isinstance(en, str) and {"one", "other"} <= set(en)


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_russian_uses_guillemets_not_straight_quotes(key: str) -> None:
    ru = CATALOG[key]["ru"]
    for text in [ru] if isinstance(ru, str) else list(ru.values()):
        assert '"' not in text and " - " not in text, key


_CHANNEL_WORDS = {"канал", "канала", "канале", "каналом", "Канал", "Канал:"}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_a_channel_title_comes_with_the_word_kanal(key: str) -> None:
    """A channel's title is a name in quotes, which Russian cannot decline: «У канала
    «Вестник: Политика»», never «У «Вестник: Политика»». Only a list line may start with it."""
    ru = CATALOG[key]["ru"]
    for text in [ru] if isinstance(ru, str) else list(ru.values()):
        for line in text.split("\n"):
            for found in re.finditer(r"«\{title\}»", line):
                before = line[: found.start()].split()
                assert not before or before[-1] in _CHANNEL_WORDS, (key, line)


def _fields(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "У канала «А» 1 редактор:"),
        (2, "У канала «А» 2 редактора:"),
        (5, "У канала «А» 5 редакторов:"),
        (11, "У канала «А» 11 редакторов:"),
        (21, "У канала «А» 21 редактор:"),
        (22, "У канала «А» 22 редактора:"),
    ],
)
def test_russian_plurals(n: int, expected: str) -> None:
    assert I18N("admin.editors.title", "ru", title="А", n=n) == expected


def test_english_plurals() -> None:
    assert I18N("admin.editors.title", "en", title="A", n=1) == "“A” has 1 editor:"
    assert I18N("admin.editors.title", "en", title="A", n=3) == "“A” has 3 editors:"


def test_channel_notices_in_english_use_english_quotes() -> None:
    from bot.texts.channels import CATALOG as CHANNELS

    for key, entry in CHANNELS.items():
        en = entry["en"]
        for text in [en] if isinstance(en, str) else list(en.values()):
            assert "«" not in text and "»" not in text, key
    assert I18N("channels.reactivated", "en", title="A", queued="2 posts").startswith(
        "The channel “A” is connected again"
    )


@pytest.mark.parametrize(
    ("key", "n", "expected"),
    [
        ("admin.channels.title.one", 1, "Ваш канал:"),
        ("admin.channels.title", 2, "Ваши каналы (2):"),
        ("admin.channels.title", 21, "Ваши каналы (21):"),
        ("admin.audit.title.one", 1, "Журнал «А», последнее действие:"),
        ("admin.audit.title", 21, "Журнал «А», последние действия (21):"),
    ],
)
def test_counted_titles_read_well_for_any_number(key: str, n: int, expected: str) -> None:
    assert I18N(key, "ru", n=n, scope="«А»") == expected


def test_zero_copies_have_their_own_sentences() -> None:
    assert I18N("desk.retract.confirm.queued_only", "ru", id="7") == (
        "Снять статью №7? Она ещё нигде не опубликована — её уберут из очередей."
    )
    assert "0 канал" not in I18N("desk.edit.done.none", "ru", id="7")


def test_statistics_say_za_segodnya() -> None:
    period = I18N("admin.period.day", "ru")
    title = I18N("admin.stats.title", "ru", title="А", period=period)
    assert title == "Статистика канала «А» за сегодня:"


def test_the_time_question_has_an_iso_example_in_both_languages() -> None:
    for locale in ("ru", "en"):
        assert "2027-01-05 09:00" in I18N("desk.when.ask", locale, iso="2027-01-05 09:00")


# One signature per reason the HTML check gives (bot.formatting.telegram_html).
_BAD_SIGNATURES = [
    "<b>Вестник",
    "Вестник</b>",
    "<b><i>x</b></i>",
    "a < b",
    "AT&T",
    "&nbsp;",
    "&#x10FFFF;",
    "&#xD800;",
    "<marquee>x</marquee>",
    "<B>x</B>",
    "</b foo>",
    '<a href="https://x.kz" target="_blank">x</a>',
    "<a>x</a>",
    '<a href="javascript:x">x</a>',
    '<a href="https://x.kz/?a=1&b=2">x</a>',
    '<span class="x">y</span>',
    '<pre><code class="x">y</code></pre>',
    '<tg-emoji emoji-id="abc">x</tg-emoji>',
    "<code><i>x</i></code>",
    "<pre><b>x</b></pre>",
    '<a href="https://a.kz"><a href="https://b.kz">x</a></a>',
    "&#X41;",
    "Вестник " * 30,
]


@pytest.mark.parametrize("signature", _BAD_SIGNATURES)
def test_every_signature_problem_is_explained_in_russian(signature: str) -> None:
    from bot.formatting.post import PostTemplate
    from bot.publishing.errors import PublishingError
    from bot.publishing.settings import check_signature
    from handlers.channel_admins.options import html_problem

    try:
        PostTemplate(signature=signature)
        check_signature(signature)
    except ValueError as exc:
        detail = str(exc).split("Value error, ", 1)[-1].split("\n")[0]
    except PublishingError as exc:
        detail = exc.message.removeprefix("invalid post template: ")
    else:
        raise AssertionError(f"{signature!r} was accepted")
    key, what = html_problem(detail)
    assert key != "admin.signature.bad.other", detail
    assert I18N.has(key)
    assert (what and what in signature) or what.isdigit(), (detail, what)
