"""Russian news typography: a reviewable table of rules, protected fragments, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.formatting.typograph import typograph

NB = "\u00a0"  # no-break space
NN = "\u202f"  # narrow no-break space

# (input, expected). Expected strings spell every non-breaking space as \u00a0 so a reviewer
# sees exactly where the typograph ties words.
CASES: list[tuple[str, str]] = [
    # quotes
    ('акция "Таза Қазақстан" объединила', "акция «Таза Қазақстан» объединила"),
    ('"Компания "Рога""', "«Компания „Рога“»"),
    ('Он сказал: "Приходите".', "Он\u00a0сказал: «Приходите»."),
    ('Он сказал:"Приходите"', "Он\u00a0сказал:«Приходите»"),
    ('("Казатомпром")', "(«Казатомпром»)"),
    ('"Да!" "Нет?"', "«Да!» «Нет?»"),
    ("фильм “Мамы”, сериал “Школа”", "фильм «Мамы», сериал «Школа»"),
    ("«Корпорация «Амбрелла»»", "«Корпорация „Амбрелла“»"),
    (
        '"Лермонтов в "предисловии", что это "шутка!""',
        "«Лермонтов в\u00a0„предисловии“, что это „шутка!“»",
    ),
    ('"...и так далее"', "«…и так далее»"),
    ('"Он сказал: "Я "не" пойду""', "«Он\u00a0сказал: „Я\u00a0„не“ пойду“»"),
    ("«Ёлка «Зима «Лето»»»", "«Ёлка „Зима „Лето““»"),
    ('\ufeff"Текст" тут', "«Текст» тут"),
    # em dash between words, dialogue, direct speech
    ("Алматы - город", "Алматы\u00a0— город"),
    ("Алматы – город", "Алматы\u00a0— город"),
    ("Алматы -- город", "Алматы\u00a0— город"),
    ("- Где вы были?", "—\u00a0Где вы\u00a0были?"),
    ("– Дома.", "—\u00a0Дома."),
    ('"Мы готовы", – заявил Токаев.', "«Мы\u00a0готовы»,\u00a0— заявил Токаев."),
    ("Мы готовы, - сказал он.", "Мы\u00a0готовы,\u00a0— сказал он."),
    ("Он ушёл. - Куда?", "Он\u00a0ушёл. —\u00a0Куда?"),
    ("Куда? - спросил он.", "Куда?\u00a0— спросил он."),
    ("В 2024 г. - рекорд.", "В\u00a02024\u00a0г.\u00a0— рекорд."),
    ("В 2024 г. - Рекорд.", "В\u00a02024\u00a0г.\u00a0— Рекорд."),
    ("и т. д. - это", "и\u00a0т.\u00a0д.\u00a0— это"),
    ("Пишет Пушкин А. С. - Поэт", "Пишет Пушкин\u00a0А.\u00a0С.\u00a0— Поэт"),
    ("в 150 тыс. - Это", "в\u00a0150\u00a0тыс.\u00a0— Это"),
    ("государствами – членами ООН", "государствами\u00a0— членами ООН"),
    ("Алматы-Астана", "Алматы-Астана"),
    # en dash in ranges
    ("1941-1945 гг.", "1941–1945\u00a0гг."),
    ("в 1941 - 1945 годах", "в\u00a01941–1945\u00a0годах"),
    ("1945-1941 гг.", "1945-1941\u00a0гг."),
    ("5-7 ноября", "5–7\u00a0ноября"),
    ("с 15 - 17 мая", "с\u00a015–17\u00a0мая"),
    ("9:00-18:00", "9:00–18:00"),
    ("с 9:00 - 18:00", "с\u00a09:00–18:00"),
    ("XIX-XX вв.", "XIX–XX\u00a0вв."),
    ("в XX веке", "в\u00a0XX\u00a0веке"),
    # short words and prepositions
    ("в доме и на улице", "в\u00a0доме и\u00a0на\u00a0улице"),
    ("В Алматы", "В\u00a0Алматы"),
    ("к нам у дома", "к\u00a0нам у\u00a0дома"),
    ("не до того", "не\u00a0до\u00a0того"),
    ("для граждан без визы", "для\u00a0граждан без\u00a0визы"),
    ("под Алматы при поддержке", "под\u00a0Алматы при\u00a0поддержке"),
    ("из-за угла", "из-за\u00a0угла"),
    ("сказал ООН", "сказал ООН"),
    # particles
    ("Он бы сказал", "Он\u00a0бы сказал"),
    ("Так ли?", "Так\u00a0ли?"),
    ("Тогда же решили", "Тогда\u00a0же решили"),
    ("Верно ль это", "Верно\u00a0ль это"),
    ("Верно ль?", "Верно\u00a0ль?"),
    ("Пошёл ж он", "Пошёл\u00a0ж он"),
    ("Сказал б он", "Сказал\u00a0б он"),
    # initials
    ("К. Токаев", "К.\u00a0Токаев"),
    ("К.-Ж. Токаев", "К.-Ж.\u00a0Токаев"),
    ("А. С. Пушкин", "А.\u00a0С.\u00a0Пушкин"),
    ("А.С. Пушкин", "А.\u00a0С.\u00a0Пушкин"),
    ("Пушкин А. С. писал", "Пушкин\u00a0А.\u00a0С. писал"),
    ("корреспондентом РАН. Читайте", "корреспондентом РАН. Читайте"),
    # numbers, units, abbreviations
    ("5 тыс. тенге", "5\u00a0тыс.\u00a0тенге"),
    ("10 млн долларов", "10\u00a0млн\u00a0долларов"),
    ("3 млрд", "3\u00a0млрд"),
    ("80-летия ООН", "80-летия ООН"),
    ("200 км", "200\u00a0км"),
    ("50 м²", "50\u00a0м²"),
    ("15 кг", "15\u00a0кг"),
    ("рост 5 %", "рост 5\u00a0%"),
    ("рост 5%", "рост 5%"),
    ("2024 г.", "2024\u00a0г."),
    ("100 руб.", "100\u00a0руб."),
    ("100 долл.", "100\u00a0долл."),
    ("7 ноября", "7\u00a0ноября"),
    ("5 минут", "5 минут"),
    ("и т. д.", "и\u00a0т.\u00a0д."),
    ("т. е. так", "т.\u00a0е. так"),
    ("т.е. так", "т.\u00a0е. так"),
    ("ул. Абая, д. 5", "ул.\u00a0Абая, д.\u00a05"),
    ("г. Алматы", "г.\u00a0Алматы"),
    # ellipsis and the number sign
    ("Подождите...", "Подождите…"),
    ("Что?..", "Что?.."),
    ("№ 5", f"№{NN}5"),
    ("№5", f"№{NN}5"),
]


@pytest.mark.parametrize(
    ("text", "expected"), CASES, ids=[f"case{i:02d}" for i in range(len(CASES))]
)
def test_rule_table(text: str, expected: str) -> None:
    assert typograph(text) == expected


def test_table_is_big_enough_to_cover_every_rule() -> None:
    assert len(CASES) >= 40


UNTOUCHED = [
    "https://example.com/a-b?x=1&y=2",
    'https://example.com/a-b--c?x="y"',
    'example.com/search?q="vestnik"&p=2',
    "www.akorda.kz/ru/news",
    "assembly.kz",
    "press@akorda.kz",
    "+7 (727) 123-45-67",
    "8 (727) 123-45-67",
    "123-45-67",
    '`a - b ... "c"`',
    '<a href="https://t.me/x">ссылка</a>',
    "&amp;",
]


@pytest.mark.parametrize("fragment", UNTOUCHED)
def test_protected_fragments_stay_untouched(fragment: str) -> None:
    text = f'Смотрите {fragment} - и "читайте" в доме'
    out = typograph(text)
    assert fragment in out
    assert "«читайте»" in out  # the rest of the sentence is still typographed


def test_quotes_around_a_url_stay_text_quotes() -> None:
    assert typograph('См. "https://x.kz", "тут"') == "См. «https://x.kz», «тут»"
    assert typograph("Сайт https://x.kz/a. Далее") == "Сайт https://x.kz/a. Далее"


def test_tags_are_kept_and_quotes_around_them_are_fixed() -> None:
    assert typograph('<b>"Жирный"</b> и "<i>курсив</i>"') == (
        "<b>«Жирный»</b> и\u00a0«<i>курсив</i>»"
    )


def test_phone_is_not_an_en_dash_range() -> None:
    assert typograph("звоните 123-45-67") == "звоните 123-45-67"


def test_private_use_characters_in_input_survive() -> None:
    text = "знак \U000f0000 и \U000f0001 - тут"
    assert typograph(text) == "знак \U000f0000 и\u00a0\U000f0001\u00a0— тут"


def test_sample_paragraphs(sample_text: str) -> None:
    out = typograph(sample_text)
    assert "«Таза Қазақстан»" in out
    assert "партнерства»,\u00a0— заявил Токаев." in out
    assert "государствами\u00a0— членами ООН" in out
    assert "80-летия" in out
    assert '"' not in out and " – " not in out


def test_empty_and_plain_text() -> None:
    assert typograph("") == ""
    assert typograph("Текст для проверки") == "Текст для\u00a0проверки"
    assert typograph("Просто текст") == "Просто текст"


_PIECES = st.sampled_from(
    [
        " ", " ", "\u00a0", "\n", '"', "«", "»", "„", "“", "”", "-", "–", "—", "--", "...",
        ".", ",", ":", "!", "?", "(", ")", "в", "и", "на", "для", "бы", "ли", "же", "Токаев",
        "слово", "К.", "А.", "С.", "т.", "д.", "1941", "1945", "гг.", "г.", "5", "7", "ноября",
        "9:00", "18:00", "XIX", "XX", "вв.", "№", "тыс.", "млн", "тенге", "%", "км", "ул.",
        "https://a.kz/x", "a@b.kz", "+7 (727) 123-45-67", "`x`", "<b>", "</b>", "&amp;",
        "из-за", "😀", "\ufeff", "ль", "ж", "б", "Куда?", "т. д.", 'x="y"', "https://a.kz/?q=",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_idempotent_on_typographic_material(text: str) -> None:
    once = typograph(text)
    assert typograph(once) == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_idempotent_on_any_text(text: str) -> None:
    once = typograph(text)
    assert typograph(once) == once
