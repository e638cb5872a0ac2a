"""Articles and rubrics."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

# What an article id looks like: the counter's numbers, or a front matter `id:`.
ARTICLE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")

# `public`: readers may see it; `embargoed`: queued for later, no reader path shows it yet.
ArticleState = Literal["public", "embargoed"]


def is_article_id(text: str) -> bool:
    """Whether `text` can name an article (so it is safe as a key part, too)."""
    return ARTICLE_ID.fullmatch(text) is not None


class Article(BaseModel):
    """One news article as the newsroom wrote it (plain text, not yet typographed or escaped).

    `state`, `embargo_until` and `public_at` are storage's: an article imported with a plan
    for later is `embargoed` until its first channel post goes out or `embargo_until` (its
    own publication time) comes; `public_at` is when it became public.
    """

    id: str | None = None
    rubric: str
    headline: str
    lead: str = ""
    body: list[str] = Field(default_factory=list)
    photo_url: str | None = None
    photo_file_id: str | None = None
    photo_credit: str | None = None
    author: str | None = None
    author_photo_credit: str | None = None
    source_url: str | None = None
    published_at: datetime | None = None
    imported_at: datetime | None = None  # when this version was stored (set by the service)
    content_hash: str = ""
    state: ArticleState = "public"
    embargo_until: datetime | None = None
    public_at: datetime | None = None

    @property
    def is_public(self) -> bool:
        """Whether readers may see it (pushes, digests, /latest, /article, /search)."""
        return self.state == "public"

    @property
    def shown_at(self) -> datetime | None:
        """The time readers see it dated by: its publication time, else when it became
        public, else when it was imported."""
        return self.published_at or self.public_at or self.imported_at

    def compute_hash(self) -> str:
        """A stable digest of the content, used to detect a re-import of the same article."""
        parts = [self.rubric, self.headline, self.lead, *self.body, self.photo_credit or ""]
        blob = "\x1f".join(_single_spaced(p) for p in parts)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]

    def with_hash(self) -> Article:
        """A copy whose `content_hash` matches its content."""
        return self.model_copy(update={"content_hash": self.compute_hash()})


def _single_spaced(text: str) -> str:
    """`" ".join(text.split())`, without the work when `text` is already like that.

    The only printable whitespace character is the plain space, so printable text without
    doubled, leading or trailing spaces is its own normal form (as parsed articles are).
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


class Rubric(BaseModel):
    """A rubric: display name, URL-safe slug and hashtag (`Политика`/`politika`/`#Политика`)."""

    name: str
    slug: str
    hashtag: str
