"""No pattern of the typograph or the article parser backtracks badly.

Every adversarial input of `bench/adversarial.py` (a short pump repeated to the 2 MB upload
limit, after a line that opens every rule group's gate) must come out right at full size. A
pattern that backtracks quadratically takes hours on 2 MB (the e-mail pattern once took 5 s
on 40,000 letters), so the per-test timeout fails it; how long each takes is measured in the
bench (`python -m bench typograph`), not here.
"""

from __future__ import annotations

import pytest

from bench.adversarial import PUMPS, TOKEN_PUMPS, TRIGGERS, adversarial, grouped
from bot.article_format import ArticleFormatError, parse_article
from bot.article_format_input import MAX_BYTES
from bot.formatting.truncate import cut_text
from bot.formatting.typograph import typograph

FIRST_LINE = typograph(TRIGGERS)


_PLAIN = [name for name in PUMPS if name not in TOKEN_PUMPS]
# Four pumps a document: each run is 512 KB of a 2 MB text (a quadratic pattern takes hours).
GROUPS = [_PLAIN[i : i + 4] for i in range(0, len(_PLAIN), 4)]


@pytest.mark.parametrize("names", GROUPS, ids=[", ".join(group) for group in GROUPS])
def test_typograph_on_2_mb_of_adversarial_runs(names: list[str]) -> None:
    text = grouped(names)
    assert MAX_BYTES - 100 < len(text.encode()) <= MAX_BYTES
    lines = typograph(text).split("\n")
    assert lines[0] == FIRST_LINE  # the rules ran; what precedes the runs is untouched by them
    assert len(lines) == len(names) + 1 and all(line.endswith("!") for line in lines[1:])


@pytest.mark.parametrize("name", sorted(TOKEN_PUMPS))
def test_typograph_on_2_mb_of_protected_fragments(name: str) -> None:
    """Past 65,534 protected fragments the text is returned as it is, at once."""
    text = adversarial(PUMPS[name])
    assert typograph(text) == text


@pytest.mark.parametrize("name", ["cyrillic letters", "dots", "question marks", "ellipses"])
def test_cutting_2_mb_of_an_adversarial_run(name: str) -> None:
    text = PUMPS[name] * (MAX_BYTES // len(PUMPS[name].encode()))
    assert len(cut_text(text, 4096)) <= 4096


@pytest.mark.parametrize("name", list(PUMPS))
def test_parser_on_2_mb_of_an_adversarial_run(name: str) -> None:
    """The run as the lead, as the last line (author and credit checks) and in front matter."""
    body = PUMPS[name] * ((MAX_BYTES - 200) // len(PUMPS[name].encode()))
    head = "Политика\n\nЗаголовок новости\n\n"
    shapes = {
        "lead": f"{head}{body}\n",
        "last line": f"{head}Лид новости.\n\n{body}",
        "front matter": f"---\nsource: {body}\n---\n{head}Лид.",
    }
    for shape, text in shapes.items():
        try:
            article = parse_article(text)
        except ArticleFormatError as error:
            assert error.code, shape  # a clear error is a right answer to a bad file
        else:
            assert article.headline == "Заголовок новости", shape
