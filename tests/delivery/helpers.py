"""Builders shared by the delivery tests."""

from __future__ import annotations

from storage.models.delivery import DeliveryJob, JobKind, Lane
from storage.models.post import Post

T0 = 1_700_000_000.0


def text_post(text: str = "<b>Заголовок</b> — новость") -> Post:
    """A plain HTML text post."""
    return Post(method="sendMessage", text=text, length=len(text))


def photo_post(url: str, caption: str = "<b>Фото</b> дня") -> Post:
    """A photo post by URL."""
    return Post(method="sendPhoto", text=caption, photo=url, length=len(caption))


def job(
    chat_id: int,
    article_id: str | None = "a1",
    *,
    job_id: str = "",
    kind: JobKind = "channel_post",
    lane: Lane = "channel",
    not_before: float = 0.0,
    text: str = "<b>Заголовок</b> — новость",
    **extra: object,
) -> DeliveryJob:
    """A delivery job with a text post."""
    return DeliveryJob(
        id=job_id,
        kind=kind,
        chat_id=chat_id,
        article_id=article_id,
        lane=lane,
        not_before=not_before,
        post=text_post(text),
        **extra,
    )
