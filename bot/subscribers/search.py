"""Russian morphological search: a word finds an article in any of its grammatical forms.

Each word becomes a set of terms: its lower-cased surface form plus the normal form (lemma)
of every analysis pymorphy3 offers, with `ё` read as `е`. An article is indexed under the
terms of all its words; a query word matches when any of its terms does, so `Токаева`
(lemmas `токаева`, `токаев`) finds `Токаев` (surface `токаев`) and `хабом` finds `хаб`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from storage.models.article import Article
from storage.search_index import SearchIndex

_WORD = re.compile(r"[^\W\d_]+|\d+")
_FUNCTION_WORDS = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})
_CACHE_LIMIT = 50_000
MAX_QUERY_WORDS = 8


class ArticleSource(Protocol):
    """The part of the article repository search needs."""

    async def get_many(self, ids: Sequence[str]) -> Any:
        """Articles by id (missing ones left out or None)."""
        ...


@cache
def shared_morph() -> Any:
    """The process's pymorphy3 analyser, built on first use (loading takes up to a second)."""
    from pymorphy3 import MorphAnalyzer

    return MorphAnalyzer(lang="ru")


def tokenize(text: str) -> list[str]:
    """Words (letters) and numbers of a text, lower-cased, `ё` as `е`, hyphens split."""
    return [w.lower().replace("ё", "е") for w in _WORD.findall(text)]


class Lemmatizer:
    """Turns words into search terms with a pymorphy3 MorphAnalyzer (built once, in wiring)."""

    def __init__(self, morph: Any) -> None:
        self._morph = morph
        self._cache: dict[str, tuple[frozenset[str], bool]] = {}

    def analyse(self, word: str) -> tuple[frozenset[str], bool]:
        """The terms of one (tokenized) word and whether it is a function word."""
        hit = self._cache.get(word)
        if hit is None:
            hit = self._analyse(word)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = hit
        return hit

    def _analyse(self, word: str) -> tuple[frozenset[str], bool]:
        if word.isdigit():
            return frozenset({word}), False
        parses = self._morph.parse(word)
        terms = {word} | {p.normal_form.replace("ё", "е") for p in parses}
        stop = bool(parses) and str(parses[0].tag.POS) in _FUNCTION_WORDS
        return frozenset(terms), stop

    def document_terms(self, texts: Iterable[str]) -> set[str]:
        """Every term of every content word in `texts` (what an article is indexed under)."""
        terms: set[str] = set()
        for text in texts:
            for word in tokenize(text):
                word_terms, stop = self.analyse(word)
                if not stop:
                    terms |= word_terms
        return terms

    def query_groups(self, text: str) -> list[list[str]]:
        """One group of alternative terms per content word of a query (at most 8 words)."""
        groups: list[list[str]] = []
        for word in tokenize(text):
            word_terms, stop = self.analyse(word)
            if not stop and sorted(word_terms) not in groups:
                groups.append(sorted(word_terms))
        return groups[:MAX_QUERY_WORDS]


def article_texts(article: Article) -> list[str]:
    """The parts of an article that are searchable."""
    return [article.rubric, article.headline, article.lead, *article.body, article.author or ""]


def article_score(article: Article, fallback: float) -> float:
    """The index score: publication time (unix seconds), or `fallback` when unknown."""
    return article.published_at.timestamp() if article.published_at else fallback


@dataclass
class SearchResult:
    """One page of hits, newest first, and how many there are in all."""

    total: int
    articles: list[Article] = field(default_factory=list)
    empty_query: bool = False


class SearchService:
    """Indexes stored articles and answers `/search`."""

    def __init__(self, index: SearchIndex, articles: ArticleSource, lemmatizer: Lemmatizer):
        self._index = index
        self._articles = articles
        self._lemmatizer = lemmatizer

    async def index_article(self, article: Article, *, now: float) -> None:
        """(Re)index one stored article; `now` scores articles without a publication time."""
        if article.id is None:
            return
        terms = self._lemmatizer.document_terms(article_texts(article))
        await self._index.index(article.id, terms, article_score(article, now))

    async def remove(self, article_id: str) -> None:
        """Drop an article from the index."""
        await self._index.remove(article_id)

    async def search(self, text: str, *, offset: int = 0, limit: int = 10) -> SearchResult:
        """Articles containing every content word of `text` in any form, newest first."""
        groups = self._lemmatizer.query_groups(text)
        if not groups:
            return SearchResult(total=0, empty_query=True)
        total, ids = await self._index.search(groups, offset=offset, limit=limit)
        found = await self._articles.get_many(ids) if ids else []
        articles = [a for a in found if a is not None]
        await self._forget_missing(ids, articles)
        return SearchResult(total=total, articles=articles)

    async def _forget_missing(self, ids: Sequence[str], found: list[Article]) -> None:
        """Unindex hits whose article is gone (deleted or purged by retention)."""
        present = {a.id for a in found}
        for article_id in ids:
            if article_id not in present:
                await self._index.remove(article_id)
