"""The Telegram post builder: an `Article` becomes a `Post` (HTML caption or message).

Layout (blocks separated by a blank line)::

    <b>Headline</b>

    Lead (or, for the full post, the lead and the body paragraphs)

    <i>Текст и фото: Елена Беляева</i>   (the byline: the full post only)

    <i>Фото: assembly.kz</i>

    #Политика
    <a href="source">Читать полностью</a>
    signature

The headline comes first because a phone's notification, the chat list and the pinned bar
show a message's first line. A channel may put the hashtag on top instead (its own line above
the headline). A breaking post starts with the channel's marker: `⚡️ Срочно: <b>Headline</b>`
(the marker stays outside the bold, which is the headline alone).

Article text is typographed (if the template says so), cut to fit, then escaped; lengths are
the ones Telegram counts (code points after entity parsing). A photo post is limited to 1024
characters, a text message to 4096. The lead gives way first, then (last resort) the headline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from pydantic import field_validator

from bot.formatting.telegram_html import (
    check_html,
    escape_attr,
    escape_html,
    telegram_length,
)
from bot.formatting.truncate import cut_text, cut_words
from bot.formatting.typograph import typograph
from bot.slug import hashtag as rubric_hashtag
from storage.models.article import Article, Rubric
from storage.models.channel import TemplateSettings
from storage.models.post import LinkPreview, Post

__all__ = [
    "CAPTION_LIMIT",
    "MESSAGE_LIMIT",
    "PostTemplate",
    "breaking_prefix",
    "build_full_post",
    "build_post",
    "link_preview",
]

CAPTION_LIMIT = 1024
MESSAGE_LIMIT = 4096
_BLOCK_SEP = "\n\n"
# Below this many characters of room a cut lead is not worth showing.
_MIN_PARAGRAPH_ROOM = 30
_SAFE_URL = re.compile(r"https?://[^\s<>\"]+\Z", re.I)
_SPACES = re.compile(r"\s+")


# A signature goes under every post, captions (1,024 characters) included: longer than this
# it would crowd out the lead, or be dropped from photo posts to make them fit. `/signature`
# refuses a longer one (counted as Telegram counts it); the builder still fits any.
SIGNATURE_MAX = 200


class PostTemplate(TemplateSettings):
    """A channel's post settings. `signature` is trusted Telegram HTML from the channel admin.

    The fields are the stored `TemplateSettings`; this adds the check that Telegram would
    parse the signature.
    """

    @field_validator("signature")
    @classmethod
    def _valid_signature(cls, value: str | None) -> str | None:
        if value is not None:
            check_html(value)
        return value or None


@dataclass(frozen=True)
class _Parts:
    """The post's pieces: plain text (escaped on render) or ready HTML (`*_html`)."""

    hashtag: str
    hashtag_on_top: bool
    marker: str
    headline: str
    paragraphs: tuple[str, ...]
    credit: str
    read_more_html: str
    signature_html: str
    byline: str = ""

    @cached_property
    def html(self) -> str:
        """The post's HTML."""
        top, end = (self.hashtag, "") if self.hashtag_on_top else ("", self.hashtag)
        headline = _wrap("b", self.headline)
        if self.marker:
            headline = f"{escape_html(self.marker)} {headline}".rstrip()
        head = "\n".join(x for x in (escape_html(top), headline) if x)
        tail = (escape_html(end), self.read_more_html, self.signature_html)
        footer = "\n".join(x for x in tail if x)
        blocks = [
            head,
            *map(escape_html, self.paragraphs),
            _wrap("i", self.byline),
            _wrap("i", self.credit),
            footer,
        ]
        return _BLOCK_SEP.join(b for b in blocks if b)

    @cached_property
    def length(self) -> int:
        """The length Telegram counts for `html`."""
        return telegram_length(self.html)


def build_post(
    article: Article,
    rubric: Rubric | None = None,
    *,
    template: PostTemplate | None = None,
    breaking: bool = False,
) -> Post:
    """The channel/subscriber post: bold headline, lead, photo credit, hashtag, link, signature.

    A photo post (`photo_file_id` or `photo_url`) is a sendPhoto caption (1024 characters),
    otherwise a sendMessage text (4096) with the template's link preview. A lead that does
    not fit is cut at a sentence, else a word, with `…`; the headline and credit are always
    kept (cut only as a last resort). A `breaking` post carries the template's marker.
    """
    template = template or PostTemplate()
    photo = article.photo_file_id or article.photo_url
    limit = CAPTION_LIMIT if photo else MESSAGE_LIMIT
    parts = _parts(article, rubric, template, (article.lead,), breaking=breaking)
    fitted = _fit(parts, limit)
    if photo:
        return Post(method="sendPhoto", text=fitted.html, photo=photo, length=fitted.length)
    return Post(
        method="sendMessage",
        text=fitted.html,
        length=fitted.length,
        link_preview=link_preview(article, template),
    )


def build_full_post(
    article: Article, rubric: Rubric | None = None, template: PostTemplate | None = None
) -> Post:
    """The whole article as one text message (subscribers' "show full article").

    Lead and body paragraphs, cut to 4096 characters by whole paragraphs, then at a sentence;
    the headline, byline, credit, read-more link and signature are kept.
    """
    template = template or PostTemplate()
    parts = _parts(article, rubric, template, (article.lead, *article.body))
    fix = typograph if template.typography else _identity
    parts = replace(parts, byline=fix(_byline(article)))
    fitted = _fit(parts, MESSAGE_LIMIT)
    return Post(
        method="sendMessage",
        text=fitted.html,
        length=fitted.length,
        link_preview=link_preview(article, template),
    )


def link_preview(article: Article, template: PostTemplate) -> LinkPreview:
    """The text message's link preview as the channel chose it: the source link's preview
    above or below the text, or none (also when the article has no usable source link, so
    Telegram never previews some other link, such as one in the signature)."""
    url = (article.source_url or "").strip()
    if template.link_preview == "off" or not _SAFE_URL.match(url):
        return LinkPreview(is_disabled=True)
    return LinkPreview(url=url, show_above_text=template.link_preview == "above")


def _parts(
    article: Article,
    rubric: Rubric | None,
    template: PostTemplate,
    paragraphs: Sequence[str],
    *,
    breaking: bool = False,
) -> _Parts:
    """Typographed plain pieces and the template's HTML pieces of one post."""
    fix = typograph if template.typography else _identity
    texts = (p.strip() for p in paragraphs)
    return _Parts(
        hashtag=_hashtag(article, rubric) if template.show_hashtag else "",
        hashtag_on_top=template.hashtag_position == "top",
        marker=breaking_prefix(template.breaking_marker) if breaking else "",
        headline=fix(_SPACES.sub(" ", article.headline).strip()),
        paragraphs=tuple(fix(t) for t in texts if t),
        credit=fix(_credit(article, template)) if template.show_credit else "",
        read_more_html=_read_more(article, template),
        signature_html=template.signature or "",
    )


def _fit(parts: _Parts, limit: int) -> _Parts:
    """Cut paragraphs, then (last resort) headline and credit, until the post fits `limit`."""
    if parts.length <= limit:
        return parts
    bare = replace(parts, paragraphs=())
    room = limit - bare.length - len(_BLOCK_SEP)
    kept = _fit_paragraphs(parts.paragraphs, room)
    if kept:
        return replace(parts, paragraphs=kept)
    if bare.length <= limit:
        return bare
    return _shrink_head(bare, limit)


def _fit_paragraphs(paragraphs: Sequence[str], room: int) -> tuple[str, ...]:
    """Whole paragraphs while they fit in `room`, then the next one cut if room allows."""
    kept: list[str] = []
    used = 0
    for paragraph in paragraphs:
        sep = len(_BLOCK_SEP) if kept else 0
        if used + sep + len(paragraph) <= room:
            kept.append(paragraph)
            used += sep + len(paragraph)
            continue
        left = room - used - sep
        if left >= _MIN_PARAGRAPH_ROOM:
            kept.append(cut_text(paragraph, left))
        break
    return tuple(kept)


def _shrink_head(parts: _Parts, limit: int) -> _Parts:
    """Last resort: cut the headline and credit (dropping decorations if even they overflow)."""
    for level in range(4):
        parts = _undecorated(parts, level)
        room = limit - _overhead(parts)
        if room >= 2:
            break
    headline_room, credit_room = _share(parts.headline, parts.credit, max(room, 0))
    return replace(
        parts,
        headline=cut_words(parts.headline, headline_room),
        credit=cut_words(parts.credit, credit_room),
    )


def _undecorated(parts: _Parts, level: int) -> _Parts:
    """Level 1 drops the signature and byline, 2 also the read-more link, 3 also the hashtag."""
    return replace(
        parts,
        signature_html="" if level >= 1 else parts.signature_html,
        byline="" if level >= 1 else parts.byline,
        read_more_html="" if level >= 2 else parts.read_more_html,
        hashtag="" if level >= 3 else parts.hashtag,
    )


def _overhead(parts: _Parts) -> int:
    """The length of everything but the headline's and credit's own characters."""
    probe = replace(parts, headline="x", credit="x" if parts.credit else "")
    return probe.length - (2 if parts.credit else 1)


def _share(headline: str, credit: str, room: int) -> tuple[int, int]:
    """Split `room` between headline and credit: the credit gets up to a quarter (more when
    the headline is short), the headline the rest."""
    if len(headline) + len(credit) <= room:
        return len(headline), len(credit)
    credit_room = min(len(credit), max(room // 4, room - len(headline)))
    return room - credit_room, credit_room


def breaking_prefix(marker: str | None) -> str:
    """The marker as it stands before the headline: `⚡️ Срочно:` (a colon after a word;
    a marker that ends in an emoji or a sign stands as it is: `⚡️`, `Молния!`)."""
    marker = _SPACES.sub(" ", marker or "").strip()
    if marker and marker[-1].isalnum():
        return f"{marker}:"
    return marker


def _hashtag(article: Article, rubric: Rubric | None) -> str:
    if rubric is not None and rubric.hashtag.strip():
        return rubric.hashtag.strip()
    return rubric_hashtag(article.rubric) if article.rubric.strip() else ""


def _byline(article: Article) -> str:
    """Who wrote the article (and took its photos): `Автор: …`, `Текст и фото: …`, or
    `Текст: …, фото: …` when they differ; empty when the article names nobody."""
    author = _SPACES.sub(" ", article.author or "").strip()
    photos = _SPACES.sub(" ", article.author_photo_credit or "").strip()
    if author and photos:
        if author.casefold() == photos.casefold():
            return f"Текст и фото: {author}"
        return f"Текст: {author}, фото: {photos}"
    if author:
        return f"Автор: {author}"
    return f"Фото: {photos}" if photos else ""


def _credit(article: Article, template: PostTemplate) -> str:
    """`Фото: assembly.kz` (a credit that already names itself a photo credit is kept as is)."""
    credit = _SPACES.sub(" ", article.photo_credit or "").strip()
    if not credit or credit.lower().startswith(template.credit_label.lower()):
        return credit
    return f"{template.credit_label}: {credit}"


def _read_more(article: Article, template: PostTemplate) -> str:
    url = (article.source_url or "").strip()
    label = template.read_more_label.strip()
    if not label or not _SAFE_URL.match(url):
        return ""
    return f'<a href="{escape_attr(url)}">{escape_html(label)}</a>'


def _wrap(tag: str, text: str) -> str:
    return f"<{tag}>{escape_html(text)}</{tag}>" if text else ""


def _identity(text: str) -> str:
    return text
