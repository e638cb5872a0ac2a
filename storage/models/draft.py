"""An editor's draft post: composed step by step with /new, uploaded as .txt, or forwarded."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

DraftOrigin = Literal["new", "txt", "forward"]
DraftStatus = Literal["draft", "queued"]


class Draft(BaseModel):
    """What the editor has entered so far; nothing here is typographed or escaped yet."""

    id: str
    user_id: int
    created_at: float
    updated_at: float
    origin: DraftOrigin = "new"
    status: DraftStatus = "draft"
    chat_id: int | None = None
    rubric: str | None = None
    headline: str = ""
    lead: str = ""
    body: list[str] = []
    photo_url: str | None = None
    photo_file_id: str | None = None
    photo_credit: str | None = None
    source_url: str | None = None
    author: str | None = None
    article_ref: str | None = None  # the `id:` an uploaded file names (a re-import in place)
    article_id: str | None = None
