"""The typograph's worst case at the 2 MB size limit, over the adversarial inputs.

Each input of `bench/adversarial.py` (a short pump repeated to 2 MB after a line that opens
every rule group) goes through `typograph` once; the slowest, the median and the 2 MB text of
plain news sentences are reported, in CPU seconds of this single-threaded process. A pattern
that backtracked quadratically would take hours here; linear ones take seconds at most. The
article parser gets the same inputs as a lead.

Run: `python -m bench typograph_worst` (or `python -m bench.typograph_worst_bench`).
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable

from bench.adversarial import documents
from bench.typograph_bench import generate_paragraphs
from bot.article_format import ArticleFormatError, parse_article
from bot.article_format_input import MAX_BYTES
from bot.formatting.typograph import typograph


def _cpu(fn: Callable[[], object]) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def _parse(text: str) -> None:
    with contextlib.suppress(ArticleFormatError):  # a clear error is an answer too
        parse_article(f"Политика\n\nЗаголовок\n\n{text}")


def run(size: int = MAX_BYTES) -> dict[str, float | str]:
    """Worst and median typograph time over the adversarial 2 MB inputs, and a news text."""
    times: dict[str, float] = {}
    parse_times: dict[str, float] = {}
    for name, text in documents(size):
        times[name] = _cpu(lambda text=text: typograph(text))  # type: ignore[misc]
        parse_times[name] = _cpu(lambda text=text: _parse(text))  # type: ignore[misc]
    news = "\n".join(generate_paragraphs(6000))
    news = news.encode()[:size].decode(errors="ignore")
    worst = max(times, key=times.__getitem__)
    worst_parse = max(parse_times, key=parse_times.__getitem__)
    return {
        "input_bytes": size,
        "inputs": len(times),
        "worst_typograph_s": times[worst],
        "worst_typograph_input": worst,
        "median_typograph_s": statistics.median(times.values()),
        "news_2mb_typograph_s": _cpu(lambda: typograph(news)),
        "worst_parse_s": parse_times[worst_parse],
        "worst_parse_input": worst_parse,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
