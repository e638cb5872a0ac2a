"""Rendering an article for one channel: its rubric and its post template."""

from __future__ import annotations

from pydantic import ValidationError

from bot.formatting.post import PostTemplate, build_post
from bot.publishing.errors import PublishingError
from bot.publishing.ports import Rubrics
from storage.models.article import Article, Rubric
from storage.models.channel import Channel, TemplateSettings
from storage.models.post import Post
from storage.text import hashtag, normalize_rubric_name, slugify


async def rubric_of(article: Article, rubrics: Rubrics) -> Rubric:
    """The article's registered rubric, or one derived from its name (slug + hashtag)."""
    found = await rubrics.find(article.rubric)
    if found is not None:
        return found
    name = normalize_rubric_name(article.rubric)
    return Rubric(name=name, slug=slugify(name), hashtag=hashtag(name))


def template_of(settings: TemplateSettings) -> PostTemplate:
    """Stored template settings as the formatter's `PostTemplate` (validates the signature)."""
    try:
        return PostTemplate(**settings.model_dump())
    except ValidationError as exc:
        detail = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise PublishingError("bad_value", f"invalid post template: {detail}") from None


def render(article: Article, rubric: Rubric, channel: Channel, *, breaking: bool = False) -> Post:
    """The post exactly as this channel publishes it (a `breaking` one with its marker)."""
    template = template_of(channel.template)
    return build_post(article, rubric, template=template, breaking=breaking)
