"""The send check of pushes and digests: at send time, does the reader still want this?

A push may wait hours for quiet hours to end. When it is due, the delivery engine asks this
check (`DeliveryEngine.add_send_check`); a reader who left (/stop), unsubscribed from the
article's rubric or switched to digest only meanwhile does not get it, nor does anyone get
a push of an article that is stored but not public (embargoed) — the engine records the
push as `skipped` with the reason in the ledger. A push whose article is gone is left
alone (nothing to check it against).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.subscribers.ports import Articles
from storage.models.delivery import DeliveryJob
from storage.subscriptions import SubscriptionRepo
from storage.text import slugify

STOPPED = "stopped"
UNSUBSCRIBED = "unsubscribed"
DIGEST_ONLY = "digest_only"
NOT_PUBLIC = "not_public"


class StillWanted:
    """`check(jobs) -> {job_id: reason}` for the pushes and digests nobody wants any more."""

    def __init__(self, subscriptions: SubscriptionRepo, articles: Articles) -> None:
        self._subs = subscriptions
        self._articles = articles

    async def __call__(self, jobs: Sequence[DeliveryJob]) -> dict[str, str]:
        """Reasons by job id; other kinds of jobs (channel posts...) are never named."""
        mine = [j for j in jobs if j.kind in ("push", "digest") and j.chat_id > 0]
        if not mine:
            return {}
        readers = sorted({j.chat_id for j in mine})
        known = dict(zip(readers, await self._subs.known(readers), strict=True))
        unwanted = {j.id: STOPPED for j in mine if not known[j.chat_id]}
        pushes = [j for j in mine if j.kind == "push" and known[j.chat_id] and j.article_id]
        unwanted.update(await self._unwanted_pushes(pushes))
        return unwanted

    async def _unwanted_pushes(self, pushes: list[DeliveryJob]) -> dict[str, str]:
        slugs = await self._slugs(j.article_id for j in pushes if j.article_id)
        unwanted = {j.id: NOT_PUBLIC for j in pushes if slugs.get(str(j.article_id)) == ""}
        checked = [(j, slugs[str(j.article_id)]) for j in pushes if slugs.get(str(j.article_id))]
        states = await self._subs.push_states([(j.chat_id, slug) for j, slug in checked])
        for (job, _), (subscribed, instant) in zip(checked, states, strict=True):
            if not subscribed:
                unwanted[job.id] = UNSUBSCRIBED
            elif not instant:
                unwanted[job.id] = DIGEST_ONLY
        return unwanted

    async def _slugs(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The rubric slug of each article still stored (as the fan-out computed it); an
        empty slug for one that is not public."""
        slugs: dict[str, str] = {}
        for article_id in sorted(set(article_ids)):
            article = await self._articles.get(article_id)
            if article is not None:
                slugs[article_id] = slugify(article.rubric) if article.is_public else ""
        return slugs
