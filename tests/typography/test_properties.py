"""Properties of the typograph as a whole: idempotent, safe on any text, right on the sample."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.formatting.typograph import typograph

NB = "\u00a0"

_PIECES = st.sampled_from(
    [
        " ", " ", " ", "\u00a0", "\n", '"', "«", "»", "„", "“", "”", "'", "-", "–", "—", "--",
        "...", "…", ".", ",", ":", ";", "!", "?", "(", ")", "в", "и", "на", "для", "бы", "ли",
        "же", "а", "но", "Токаев", "слово", "К.", "А.", "С.", "т.", "д.", "1941", "1945", "2019",
        "гг.", "г.", "5", "7", "12", "ноября", "мая", "июнь", "июль", "9:00", "18:00", "XIX",
        "XX", "вв.", "века", "№", "§", "тыс.", "млн", "тенге", "%", "км", "км2", "кг", "ул.",
        "https://a.kz/x", "a@b.kz", "@user", "#тег", "+7 (727) 123-45-67", "`x`", "<b>", "</b>",
        "&amp;", "Су-27", "из-за", "кто", "то", "как", "ООО", "ТОО", "😀", "\ufeff", "ль",
        "Куда?", "т. д.", 'x="y"', "-ый", "x", "1/2", "->", "(c)", "100000", "15 000",
        "2024-05-12", "год", "We", "are", "The",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_idempotent_on_typographic_material(text: str) -> None:
    once = typograph(text)
    assert typograph(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_idempotent_on_any_text(text: str) -> None:
    once = typograph(text)
    assert typograph(once) == once


def test_sample_paragraphs(sample_text: str) -> None:
    out = typograph(sample_text)
    assert "«Таза Қазақстан»" in out
    assert f"партнерства»,{NB}— заявил Токаев." in out
    assert f"государствами{NB}— членами ООН" in out
    assert "80-летия" in out
    assert '"' not in out and " – " not in out


def test_empty_and_plain_text() -> None:
    assert typograph("") == ""
    assert typograph("   \ufeff  ") == ""
    assert typograph("Текст для проверки") == f"Текст для{NB}проверки"
    assert typograph("Просто текст") == "Просто текст"


def test_too_many_protected_fragments_leave_the_text_as_it_is() -> None:
    text = " ".join(f"a{i}@b.kz" for i in range(70_000)) + ' - "да"'
    assert typograph(text) == text
