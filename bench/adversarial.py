"""Adversarial inputs for the typograph and the article parser, up to the 2 MB upload limit.

A regular expression backtracks badly when it can start at many places of a long run and scan
far before failing at each (`[\\w.+-]+@…` on 40,000 letters took 5 s). Each input here is a
"pump" (a short string a pattern might loop over) repeated to the size limit, after a prefix
that holds every character a rule group waits for, so every gate opens and every pattern of
the typograph sees the run. `tests/typography/test_linear.py` checks that each one comes out
right at full size (a quadratic pattern would take hours); `python -m bench typograph` times
them and reports the worst.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.article_format_input import MAX_BYTES

# Every trigger the rule groups check for, so no group is skipped.
TRIGGERS = (
    'Он сказал: "Да" - и ушёл... 1941-1945 гг., XIX-XX вв., 5-7 мая, 9:00-18:00, июнь-июль, '
    "К. Токаев, т. д., ул. Абая, № 5, § 3, 15 кг, 10 %, 3.5%, 5-ый, 3 x 4, 1/2, (c), ->, "
    "https://a.kz/x a@b.kz @user #tag +7 (727) 123-45-67 `x` <b>b</b> &amp; Су-27 кто то "
    "ООО «Ромашка» 2024-05-12 1000000 Да!! Что?.. P.S. см. им. мкр Самал дом 5 а но ли бы\n"
)

# Short strings a pattern might loop over; the last character of a run is often what makes
# a match fail at its end.
PUMPS: dict[str, str] = {
    "cyrillic letters": "а",
    "latin letters": "a",
    "capitals": "А",
    "digits": "7",
    "spaces": " ",
    "no-break spaces": "\u00a0",
    "dots": ".",
    "hyphens": "-",
    "dashes": "–",
    "straight quotes": '"',
    "guillemets": "«",
    "word and dot": "a.",
    "cyrillic word and dot": "т.",
    "digit and hyphen": "1-",
    "letter and hyphen": "a-",
    "digit and space": "1 ",
    "short words": "в ",
    "initials": "А. ",
    "quote and word": '"а ',
    "at signs": "a@",
    "e-mail local parts": "a.b+",
    "domains": "ab.",
    "url tails": 'http://a/?x="',
    "tags": "<a ",
    "comments": "<!--",
    "backticks": "`a",
    "code fences": "```",
    "hashtags": "#a",
    "entities": "&a",
    "phones": "+7 1-",
    "digit groups": "123 ",
    "times": "12:",
    "roman numerals": "X-",
    "ellipses": "…",
    "question marks": "?",
    "brackets": "( ",
    "placeholders": "\U000f0000",
}
# Pumps that make a protected fragment of every few characters: past 65,534 fragments the
# typograph returns the text as it is (there are no more placeholder characters).
TOKEN_PUMPS = frozenset({"backticks", "code fences", "placeholders"})


def adversarial(pump: str, size: int = MAX_BYTES) -> str:
    """The triggers, then `pump` repeated until the text is `size` bytes in UTF-8, then `!`."""
    room = size - len(TRIGGERS.encode()) - 1
    count = max(1, room // len(pump.encode()))
    return TRIGGERS + pump * count + "!"


def documents(size: int = MAX_BYTES) -> Iterator[tuple[str, str]]:
    """(name, text) for every pump."""
    for name, pump in PUMPS.items():
        yield name, adversarial(pump, size)


def grouped(names: list[str], size: int = MAX_BYTES) -> str:
    """The triggers, then a line for each pump of `names` (each run `size / len(names)`
    bytes long, ending in `!`), `size` bytes in all: several pumps for the price of one."""
    room = (size - len(TRIGGERS.encode())) // len(names) - 2
    lines = (PUMPS[name] * max(1, room // len(PUMPS[name].encode())) + "!" for name in names)
    return TRIGGERS + "\n".join(lines)
