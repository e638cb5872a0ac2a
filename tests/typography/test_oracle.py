"""Vestnik's typograph against Typograf, the reference Russian typographer, on the corpus.

Typograf (npm, pinned in tests/typograf/package-lock.json) runs under node as an oracle. The
corpus (tests/data/typography-corpus.jsonl) holds news sentences with the hard cases. Where
the outputs differ, the difference must be one that docs/typography.md lists with its reason
(`tests/typograf/differences.py` tells them apart); the rest must agree, on 97% of the corpus
at least. Without node the test is skipped on a developer's machine and fails in CI.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from bot.formatting.typograph import typograph
from tests.typograf import corpus, differences, oracle

DOCS = Path(__file__).resolve().parents[2] / "docs" / "typography.md"
MIN_AGREEMENT = 0.97


@pytest.fixture(scope="module")
def outputs() -> list[tuple[str, str, str]]:
    """(input, Typograf's output, ours) for every corpus sentence."""
    try:
        oracle.node_and_npm()
    except oracle.OracleUnavailable as error:
        if oracle.in_ci():
            pytest.fail(f"CI must run the Typograf oracle: {error}")
        pytest.skip(f"Typograf oracle not run: {error}")
    texts = [entry["text"] for entry in corpus.load()]
    return list(zip(texts, oracle.typograf(texts), map(typograph, texts), strict=True))


def test_corpus_is_big_and_covers_the_hard_cases() -> None:
    entries = corpus.load()
    kinds = collections.Counter(entry["kind"] for entry in entries)
    assert len(entries) >= 2000
    for kind in ("quotes", "dash", "years", "centuries", "months", "decades", "units", "abbr"):
        assert kinds[kind] >= 10, kind
    for kind in ("ellipsis", "punct", "legal", "ordinals", "percent", "numero", "thousands"):
        assert kinds[kind] >= 10, kind
    assert kinds["verbatim"] >= 10 and kinds["english"] >= 4


def test_agrees_with_typograf_on_97_percent(outputs: list[tuple[str, str, str]]) -> None:
    agreeing = sum(1 for _, ref, ours in outputs if ref == ours)
    share = agreeing / len(outputs)
    assert share >= MIN_AGREEMENT, f"{agreeing}/{len(outputs)} = {share:.2%} agree"


def test_every_disagreement_is_a_documented_difference(
    outputs: list[tuple[str, str, str]],
) -> None:
    documented = DOCS.read_text(encoding="utf-8")
    unexplained = []
    for text, ref, ours in outputs:
        if ref == ours:
            continue
        names = differences.explain(ours, ref)
        if names is None:
            unexplained.append(f"{text!r}\n  Typograf: {ref!r}\n  Vestnik:  {ours!r}")
            continue
        for name in names:
            assert f"`{name}`" in documented, f"difference {name} is not in {DOCS.name}"
    assert not unexplained, "\n".join(unexplained[:20])


def test_the_corpus_file_is_what_the_generator_writes() -> None:
    assert corpus.generate() == corpus.load()
