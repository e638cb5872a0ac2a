"""What the authorization matrix modules share: the people, who may do what, the seeds.

Each module runs its own app (module-scoped `world`); `make_seeds` prepares what buttons
and commands act on: two queued posts in channel A and one draft for A per person.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage.models.article import Article
from tests.desk.world import (
    ADMIN_A,
    ADMIN_B,
    EDITOR_A,
    EDITOR_B,
    OWNER,
    STRANGER,
    SUBSCRIBER,
    DeskWorld,
)

ROLES = {
    "owner": OWNER,
    "admin_a": ADMIN_A,
    "editor_a": EDITOR_A,
    "editor_b": EDITOR_B,
    "admin_b": ADMIN_B,
    "subscriber": SUBSCRIBER,
    "stranger": STRANGER,
}
AUDIENCES = {
    "admin": frozenset({"owner", "admin_a"}),  # admin of channel A
    "editor": frozenset({"owner", "admin_a", "editor_a"}),  # may edit channel A
    "admins": frozenset({"owner", "admin_a", "admin_b"}),  # admin of some channel
    "members": frozenset({"owner", "admin_a", "editor_a", "editor_b", "admin_b"}),
    "author": frozenset({"editor_a"}),  # the person whose draft it is
}
DESK_MEMBERS = AUDIENCES["members"]

REFUSAL = "нет прав"
UNVERIFIED = "Не удалось проверить права в Telegram — попробуйте позже"
FALLTHROUGH = "Команды {command} нет"
STALE_BUTTON = "Эта кнопка устарела"
DRAFT_GONE = "Черновик не найден"


@dataclass
class Seeds:
    """What the module's buttons act on: queued posts in A and everyone's own draft for A."""

    posts: list[str]
    drafts: dict[str, str]


async def make_seeds(world: DeskWorld) -> Seeds:
    """Two queued posts in A (its only slot a day away) and one draft for A per person."""
    publisher = world.service("publisher")
    local = datetime.now(ZoneInfo("Asia/Almaty")) - timedelta(hours=1)
    await publisher.set_slots(world.channel_a, [f"{local:%H}:00"])  # nothing goes out by itself
    service = world.service("article_service")
    for headline in ("Первый в очереди", "Второй в очереди"):
        await service.import_article(Article(rubric="Общество", headline=headline))
    posts = [p.id for p in await publisher.list_queue(world.channel_a)]
    assert len(posts) == 2
    drafts = world.service("desk").drafts
    made = {}
    for role, user_id in ROLES.items():
        draft = await drafts.start(user_id, chat_id=world.channel_a)
        draft = await drafts.update(draft, rubric="ekonomika", headline=f"Черновик {role}")
        made[role] = draft.id
    return Seeds(posts=posts, drafts=made)


async def quiescent(world: DeskWorld) -> None:
    """Wait until background work (delivery, its follow-ups) stops changing Redis."""
    last = await world.snapshot()
    calm = 0
    for _ in range(100):
        await asyncio.sleep(0.05)
        now = await world.snapshot()
        calm = calm + 1 if now == last else 0
        if calm >= 3:
            return
        last = now
    raise AssertionError("Redis never settled")


async def denials_since(world: DeskWorld, audit_before: int, user_id: int) -> list[Any]:
    return [
        e for e in await world.audit_since(audit_before) if e.user_id == user_id and not e.allowed
    ]


async def queue_of_a(world: DeskWorld) -> list[str]:
    return [p.id for p in await world.service("publisher").list_queue(world.channel_a)]
