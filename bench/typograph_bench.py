"""Typograph throughput: ~2,000 generated news paragraphs, on one core.

Paragraphs are built from the real sample's sentences plus the material the rules work on
(straight and nested quotes, spaced hyphens, year/day/time ranges, initials, numbers with
units, URLs, phone numbers, e-mails), 1 to 4 sentences each. Time is `time.process_time`
(CPU of this single-threaded process), best of a few rounds as the machine is shared.
The article pipeline target (parse + typograph + build_post >= 5,000 articles/s) leaves the
typograph roughly 100 µs per article (headline, lead and credit).

Run: `python -m bench typograph` (or `python -m bench.typograph_bench`).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.formatting.typograph import typograph

SAMPLE = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "politika-tokayev-almaty-hub.txt"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…»\"])\s+(?=[«\"А-ЯЁA-Z])")
EXTRAS = (
    'Компания "Рога и копыта" сообщила о "новом "старом" курсе".',
    "В 1941-1945 гг. погибли миллионы; форум пройдет 5-7 ноября с 9:00-18:00.",
    "К. Токаев и А. С. Пушкин - это имена, а XIX-XX вв. - эпоха.",
    "Бюджет составит 5 тыс. тенге, 10 млн долларов и 3 млрд руб. на 200 км дорог.",
    "Подробности на https://www.inform.kz/ru/news?id=5 и по телефону +7 (727) 123-45-67.",
    "Пишите на press@akorda.kz... или звоните 8 (717) 274-55-11 - ответим.",
    "- Вы были в Алматы? - спросил он. - Да, на ул. Абая, д. 5, в № 12.",
    "Он бы сказал, что же делать, но так ли это?",
)


def sample_sentences() -> list[str]:
    """The sample article's sentences, without the first lines (rubric, headline, credit)."""
    text = SAMPLE.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if len(p.strip()) > 80]
    sentences = _SENTENCE_END.split(" ".join(paragraphs))
    return [s for s in sentences if len(s) > 20]


def generate_paragraphs(count: int = 2000, seed: int = 20261125) -> list[str]:
    """`count` paragraphs of 1-4 sentences; one in three carries a rule-heavy extra."""
    rng = random.Random(seed)
    sentences = sample_sentences()
    out: list[str] = []
    for _ in range(count):
        parts = [rng.choice(sentences) for _ in range(rng.randint(1, 4))]
        if rng.random() < 1 / 3:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(EXTRAS))
        out.append(" ".join(parts))
    return out


def _best_cpu(fn: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def _typograph_all(paragraphs: Sequence[str]) -> None:
    for paragraph in paragraphs:
        typograph(paragraph)


def run(count: int = 2000, rounds: int = 5) -> dict[str, float | str]:
    """Paragraphs and characters per CPU second through `typograph`, and a second pass
    over its own output (idempotent text: the cost of re-typographing an edited article)."""
    paragraphs = generate_paragraphs(count)
    done = [typograph(p) for p in paragraphs]
    chars = sum(len(p) for p in paragraphs)
    cpu = _best_cpu(lambda: _typograph_all(paragraphs), rounds)
    again = _best_cpu(lambda: _typograph_all(done), rounds)
    return {
        "paragraphs": count,
        "avg_paragraph_chars": round(chars / count),
        "paragraphs_per_sec_cpu": count / cpu,
        "chars_per_sec_cpu": chars / cpu,
        "us_per_paragraph": cpu / count * 1e6,
        "us_per_1000_chars": cpu / chars * 1e9,
        "second_pass_us_per_paragraph": again / count * 1e6,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
