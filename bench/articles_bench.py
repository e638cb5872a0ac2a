"""Articles per second through parse + typograph + build_post, on one core.

A corpus of ~2,000 newsroom texts is generated from the real sample's sentences (varied
lengths, with and without photo credit, byline and front matter, some with CRLF line ends
or without blank lines). Each stage is timed alone and the whole pipeline together, with
`time.process_time` (CPU of this single-threaded process) and wall time; the best of a few
rounds is reported, as the machine is shared. Target: >= 5,000 articles/s.

Run: `python -m bench articles` (or `python -m bench.articles_bench`).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.article_format import parse_article
from bot.config import DEFAULT_RUBRICS
from storage.models.article import Article
from storage.rubrics import make_rubric

SAMPLE = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "politika-tokayev-almaty-hub.txt"
)
TARGET_PER_SEC = 5000.0
_SENTENCE_END = re.compile(r"(?<=[.!?…»\"])\s+(?=[«\"А-ЯЁA-Z])")
CREDITS = ("Фото: assembly.kz", "Фото: Akorda", "Источник фото: Reuters", "Photo: AP", None)
AUTHORS = ("Елена Беляева", "Айгерим Садыкова", "Иван Петров", None)


def sample_sentences() -> list[str]:
    """The sample article's sentences (lead and body), the bricks of the corpus."""
    article = parse_article(SAMPLE.read_bytes())
    text = " ".join([article.lead, *article.body])
    return [s for s in _SENTENCE_END.split(text) if len(s) > 20]


def generate_corpus(count: int = 2000, seed: int = 20261125) -> list[str]:
    """`count` article texts of varied shape and length (about 0.3 to 9 KB)."""
    rng = random.Random(seed)
    sentences = sample_sentences()
    return [_article_text(rng, sentences, n) for n in range(count)]


def _article_text(rng: random.Random, sentences: Sequence[str], n: int) -> str:
    def paragraph() -> str:
        return " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 3)))

    headline = " ".join(rng.choice(sentences).rstrip(".").split()[: rng.randint(5, 14)])
    parts = [rng.choice(DEFAULT_RUBRICS), f"{headline} ({n})"]
    credit = rng.choice(CREDITS)
    lead = paragraph()
    parts.append(f"{credit}\n{lead}" if credit else lead)
    parts += [paragraph() for _ in range(int(rng.expovariate(1 / 5)))]
    author = rng.choice(AUTHORS)
    if author:
        parts.append(f"Фото {author}\n{author}" if rng.random() < 0.5 else author)
    text = "\n\n".join(parts) + "\n"
    if rng.random() < 0.2:
        text = f"---\nsource: https://example.kz/news/{n}\nid: bench-{n}\n---\n" + text
    if rng.random() < 0.15:
        text = text.replace("\n\n", "\n")
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
    return text


def _timed(fn: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """Best (CPU seconds, wall seconds) over `rounds` runs of `fn`."""
    best_cpu = best_wall = float("inf")
    for _ in range(rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        fn()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall


def run(count: int = 2000, rounds: int = 3) -> dict[str, float | str]:
    """Time parse, typograph, build_post and the whole pipeline on the generated corpus."""
    from bot.formatting.post import build_post
    from bot.formatting.typograph import typograph

    corpus = generate_corpus(count)
    articles = [parse_article(text) for text in corpus]
    rubrics = {a.rubric: make_rubric(a.rubric) for a in articles}

    def parse_all() -> None:
        for text in corpus:
            parse_article(text)

    def typograph_all() -> None:
        for article in articles:
            _typograph_article(typograph, article)

    def build_all() -> None:
        for article in articles:
            build_post(article, rubrics[article.rubric])

    def pipeline() -> None:
        for text in corpus:
            article = parse_article(text)
            build_post(article, rubrics[article.rubric])

    return _report(count, corpus, parse_all, typograph_all, build_all, pipeline, rounds)


def _typograph_article(typograph: Callable[[str], str], article: Article) -> None:
    """What a post typographs: headline, lead and credit."""
    typograph(article.headline)
    typograph(article.lead)
    if article.photo_credit:
        typograph(article.photo_credit)


def _report(
    count: int,
    corpus: Sequence[str],
    parse_all: Callable[[], None],
    typograph_all: Callable[[], None],
    build_all: Callable[[], None],
    pipeline: Callable[[], None],
    rounds: int,
) -> dict[str, float | str]:
    parse_cpu, _ = _timed(parse_all, rounds)
    typo_cpu, _ = _timed(typograph_all, rounds)
    build_cpu, _ = _timed(build_all, rounds)
    total_cpu, total_wall = _timed(pipeline, rounds)
    per_sec = count / total_cpu
    return {
        "articles": count,
        "avg_article_bytes": round(sum(len(t.encode()) for t in corpus) / count),
        "parse_per_sec_cpu": count / parse_cpu,
        "typograph_per_sec_cpu": count / typo_cpu,
        "build_post_per_sec_cpu": count / build_cpu,
        "pipeline_per_sec_cpu": per_sec,
        "pipeline_per_sec_wall": count / total_wall,
        "parse_us_per_article": parse_cpu / count * 1e6,
        "build_post_us_per_article": build_cpu / count * 1e6,
        "target_per_sec": TARGET_PER_SEC,
        "meets_target": "yes" if per_sec >= TARGET_PER_SEC else "NO",
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
