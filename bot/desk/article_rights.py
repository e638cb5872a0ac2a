"""Rights over an article that channels already hold: one rule for every way in.

An article published in a channel, or waiting in its queue, belongs to that channel too.
Anything that would touch it — an import that matches it (same source, same content, or its
`id:`), an edit, a retraction, a withdrawal — needs the editor role in EVERY channel that
holds a copy or waits for one. Without it:
- an import is stored apart, as a new article of its own (the matched one, its copies and
  its indexes stay as they are), and the audit names each channel it was kept away from;
- an edit or a retraction is refused, and the refusal is audited per channel.
The desk (upload, `/new`, forwards, `/edit`, `/retract`) and the coming HTTP API call this
service, so the rule lives in one place. Copies pushed to subscribers' private chats are not
channels and need no role.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from bot.desk.audit import Actor
from bot.desk.roles import Decision, RoleService
from bot.publishing.errors import PublishingError
from bot.publishing.service import PublishingService
from storage.channels import ChannelRepo
from storage.models.article import Article

if TYPE_CHECKING:
    from bot.articles.service import ArticleService, ImportResult, Plan

GONE_STATES = frozenset({"cancelled", "skipped"})


@dataclass(frozen=True)
class Reach:
    """The channels an article is in: published copies (chat -> message) and waiting posts."""

    published: dict[int, int]
    waiting: frozenset[int]

    @property
    def channels(self) -> set[int]:
        """Every channel that holds a copy or waits for one."""
        return set(self.published) | set(self.waiting)


@dataclass(frozen=True)
class Verdict:
    """Whether the actor may touch the article everywhere it is; if not, where and why."""

    reach: Reach
    refused_in: int | None = None
    decision: Decision | None = None

    @property
    def allowed(self) -> bool:
        """The editor role in every channel of the reach."""
        return self.refused_in is None


class RightsRefused(Exception):
    """An edit of an article the actor has no rights to everywhere (nothing was changed)."""

    def __init__(self, article_id: str, chat_id: int, decision: Decision) -> None:
        super().__init__(f"article {article_id}: {decision.reason} in {chat_id}")
        self.article_id = article_id
        self.chat_id = chat_id
        self.decision = decision


@dataclass
class _Toucher:
    """The `may_touch` question asked by the article store, remembering the refusals."""

    rights: ArticleRights
    actor: Actor
    fresh: bool
    raise_refusal: bool = False
    refused: dict[int, Decision] = field(default_factory=dict)

    async def __call__(self, article_id: str) -> bool:
        self.refused = await self.rights.refusals(self.actor, article_id, fresh=self.fresh)
        if self.refused and self.raise_refusal:
            chat_id, decision = next(iter(self.refused.items()))
            raise RightsRefused(article_id, chat_id, decision)
        return not self.refused


class ArticleRights:
    """The reach of an article and the actor's rights over all of it (audited)."""

    def __init__(
        self,
        roles: RoleService,
        publisher: PublishingService,
        channels: ChannelRepo,
        services: Mapping[str, Any],
    ) -> None:
        self._roles = roles
        self._publisher = publisher
        self._channels = channels
        self._services = services

    def _import_service(self) -> ArticleService:
        service = self._services.get("article_service")
        if service is None:
            raise RuntimeError("the desk needs the 'article_service', which is not built")
        return cast("ArticleService", service)

    async def reach(self, article_id: str) -> Reach:
        """The known channels with a live copy of the article or a post of it still going.

        A cancelled or skipped post no longer ties the article to its channel; subscribers'
        private chats are not channels.
        """
        known = {c.id for c in await self._channels.all()}
        published = {
            chat: message
            for chat, message in (await self._publisher.ledger.published_copies(article_id)).items()
            if chat in known
        }
        links = await self._publisher.queue.links(article_id)
        posts = await self._publisher.queue.get_many([links[c] for c in links if c in known])
        waiting = frozenset(p.chat_id for p in posts if p.state not in GONE_STATES)
        return Reach(published=published, waiting=waiting - set(published))

    async def refusals(
        self, actor: Actor, article_id: str, *, fresh: bool = False
    ) -> dict[int, Decision]:
        """Every channel of the article's reach where the actor lacks the editor role."""
        refused: dict[int, Decision] = {}
        for chat_id in sorted((await self.reach(article_id)).channels):
            decision = await self._roles.decide(actor.user_id, chat_id, "editor", fresh=fresh)
            if not decision.allowed:
                refused[chat_id] = decision
        return refused

    async def check(
        self, actor: Actor, article_id: str, action: str, *, fresh: bool = False
    ) -> Verdict:
        """Whether the actor may edit or retract the article; a refusal is audited.

        The first channel refused is the one named to the person (as before: one polite
        refusal); every channel refused gets its audit entry.
        """
        reach = await self.reach(article_id)
        first: tuple[int, Decision] | None = None
        for chat_id in sorted(reach.channels):
            decision = await self._roles.decide(actor.user_id, chat_id, "editor", fresh=fresh)
            if decision.allowed:
                continue
            await self._roles.audit.record_by(
                actor, action, chat_id, outcome="denied", detail=decision.reason
            )
            first = first or (chat_id, decision)
        if first is None:
            return Verdict(reach)
        return Verdict(reach, refused_in=first[0], decision=first[1])

    async def may_publish(self, actor: Actor, chat_id: int) -> bool:
        """The editor role in one channel (where a fresh article may stay routed)."""
        return (await self._roles.decide(actor.user_id, chat_id, "editor")).allowed

    async def import_as(
        self, actor: Actor, article: Article, action: str, *, plan: Plan | None = None
    ) -> ImportResult:
        """Import an article for the actor (with its `plan`, see `ArticleService`): matched
        articles they may not touch stay apart.

        Returns the articles feature's `ImportResult`; with `apart_from` set, each channel
        of the matched article where the actor has no role gets a `kept_apart` audit entry.
        """
        toucher = _Toucher(self, actor, fresh=False)
        service = self._import_service()
        result = await service.import_article(article, plan=plan, may_touch=toucher)
        if result.apart_from:
            for chat_id, decision in toucher.refused.items():
                detail = f"{decision.reason}: {result.apart_from}→{result.article_id}"
                await self._roles.audit.record_by(
                    actor, action, chat_id, outcome="kept_apart", detail=detail
                )
        return result

    async def edit_as(self, actor: Actor, article: Article, action: str) -> ImportResult:
        """Store a changed version of an article under its id, if the actor may touch it
        everywhere at this moment (checked with the admin cache bypassed, in the same step
        as the store); otherwise raise `RightsRefused` (audited) and change nothing."""
        toucher = _Toucher(self, actor, fresh=True, raise_refusal=True)
        try:
            return await self._import_service().import_article(article, may_touch=toucher)
        except RightsRefused as exc:
            for chat_id, decision in toucher.refused.items():
                await self._roles.audit.record_by(
                    actor, action, chat_id, outcome="denied", detail=decision.reason
                )
            raise exc from None

    async def withdraw_fresh_copies(self, actor: Actor, article_id: str, keep: int) -> list[int]:
        """Cancel the routed posts of a NEW article in channels where the actor may not
        publish (the import routed it to every channel of its rubric); `keep` is the
        channel it was submitted for. Only call this for an article the import created:
        an existing article's posts are never withdrawn on someone's behalf."""
        withdrawn: list[int] = []
        for chat_id, post_id in (await self._publisher.queue.links(article_id)).items():
            if chat_id == keep or await self.may_publish(actor, chat_id):
                continue
            if await self._cancel(post_id):
                withdrawn.append(chat_id)
        return withdrawn

    async def _cancel(self, post_id: str) -> bool:
        try:
            await self._publisher.cancel(post_id)
        except PublishingError:
            return False
        return True
