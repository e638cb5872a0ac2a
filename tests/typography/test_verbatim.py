"""What the typograph never touches: links, addresses, handles, code, markup, identifiers,
quotations in English. Each fragment stays byte for byte while the sentence around it is
typographed."""

from __future__ import annotations

import pytest

from bot.formatting.typograph import typograph

NB = "\u00a0"

FRAGMENTS = [
    "https://example.com/a-b?x=1&y=2",
    'https://example.com/a-b--c?x="y"',
    "https://inform.kz/ru/news/2014-2016...x",
    'example.com/search?q="vestnik"&p=2',
    "www.akorda.kz/ru/news",
    "assembly.kz",
    "press@akorda.kz",
    "a.ivanova-2@mail.ru",
    "@vestnik_kz",
    "#выборы2024",
    "#COP29",
    "+7 (727) 123-45-67",
    "8 (727) 123-45-67",
    "123-45-67",
    '`a - b ... "c" 5-ый`',
    "```\nx = 1 - 2\n```",
    '<a href="https://t.me/x">ссылка</a>',
    "<!-- в т.е. - -->",
    "&amp;",
    "&#8212;",
    "Су-27",
    "COVID-19",
    "KC-901",
    "A1000-2000",
    "X5-10",
    "Ил-76МД",
]


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_protected_fragments_stay_untouched(fragment: str) -> None:
    text = f'Смотрите {fragment} - и "читайте" в доме'
    out = typograph(text)
    assert fragment in out
    assert f"{NB}— и{NB}«читайте» в{NB}доме" in out  # the rest is still typographed


def test_quotation_in_english_keeps_its_inside() -> None:
    out = typograph('Он написал: "We will not give up - ever... I\'m sure".')
    assert out == f"Он{NB}написал: «We will not give up - ever... I'm sure»."


def test_english_title_in_quotes_gets_russian_quotes() -> None:
    assert typograph('Газета "The New York Times" пишет') == "Газета «The New York Times» пишет"


def test_quotes_around_a_url_stay_text_quotes() -> None:
    assert typograph('См. "https://x.kz", "тут"') == "См. «https://x.kz», «тут»"
    assert typograph("Сайт https://x.kz/a. Далее") == "Сайт https://x.kz/a. Далее"


def test_tags_are_kept_and_quotes_around_them_are_fixed() -> None:
    assert typograph('<b>"Жирный"</b> и "<i>курсив</i>"') == (
        f"<b>«Жирный»</b> и{NB}«<i>курсив</i>»"
    )


def test_phone_is_not_an_en_dash_range() -> None:
    assert typograph("звоните 123-45-67") == "звоните 123-45-67"


def test_codes_are_not_grouped_but_amounts_are() -> None:
    out = typograph("ИИН 900101300123, индекс 050000, сумма 1500000 тенге")
    assert "900101300123" in out and "050000" in out
    assert "1\u202f500\u202f000" in out


def test_private_use_characters_in_input_survive() -> None:
    text = "знак \U000f0000 и \U000f0001 - тут"
    assert typograph(text) == f"знак \U000f0000 и{NB}\U000f0001{NB}— тут"
