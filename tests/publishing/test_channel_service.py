"""Channel registration and status changes, and the delivery engine's hooks (real Redis)."""

from __future__ import annotations

from bot.i18n import I18n
from bot.publishing.channel_service import ChannelService, MembershipChange
from bot.texts import build_i18n
from bot.texts.channels import CATALOG
from storage.models.channel import ChannelRights
from storage.models.delivery import DeliveryJob
from tests.publishing.conftest import World

CHAT, ADMIN = -1001234, 501


def service(world: World) -> ChannelService:
    return ChannelService(
        channels=world.channels,
        queue=world.queue,
        outbox=world.outbox,
        i18n=build_i18n("ru"),
        clock=world.clock,
        default_timezone="Asia/Almaty",
    )


def change(status: str, can_post: bool = True, **fields: object) -> MembershipChange:
    rights = ChannelRights(status=status, can_post_messages=can_post)
    values: dict[str, object] = {
        "chat_id": CHAT,
        "chat_type": "channel",
        "title": "Вестник <Алматы>",
        "username": "vestnik_almaty",
        "rights": rights,
        "user_id": ADMIN,
        "user_language": "ru",
    }
    values.update(fields)
    return MembershipChange(**values)  # type: ignore[arg-type]


async def notices(world: World) -> list[DeliveryJob]:
    jobs = await world.outbox.claim(world.clock.time(), 100, "test", 30.0)
    for job in jobs:
        await world.outbox.complete(job, 1, world.clock.time())
    return [j for j in jobs if j.kind == "notice"]


async def test_added_as_admin_registers_the_channel_and_welcomes_the_adder(world: World) -> None:
    assert await service(world).membership_changed(change("administrator")) == "registered"
    channel = await world.channels.get(CHAT)
    assert channel is not None
    assert (channel.status, channel.title, channel.username) == (
        "active",
        "Вестник <Алматы>",
        "vestnik_almaty",
    )
    assert (channel.added_by, channel.added_at, channel.timezone) == (
        ADMIN,
        world.clock.time(),
        "Asia/Almaty",
    )
    assert channel.rights.can_post_messages and channel.routing is None
    assert await world.channels.admins(CHAT) == {ADMIN}
    [welcome] = await notices(world)
    assert welcome.chat_id == ADMIN and welcome.post is not None
    text = welcome.post.text
    assert "«Вестник &lt;Алматы&gt;» подключён" in text
    assert "/slots" in text and "09:00, 12:00, 15:00, 18:00" in text
    assert "/route" in text and "все рубрики" in text


async def test_english_speaking_adder_gets_the_english_notice(world: World) -> None:
    await service(world).membership_changed(change("administrator", user_language="en-US"))
    [welcome] = await notices(world)
    assert welcome.post is not None and "is connected to Vestnik" in welcome.post.text


async def test_demotion_removal_and_promotion_change_status_and_tell_admins(
    world: World,
) -> None:
    svc = service(world)
    await svc.membership_changed(change("administrator"))
    await world.channels.add_admin(CHAT, 777)
    await notices(world)

    assert await svc.membership_changed(change("administrator", can_post=False)) == "deactivated"
    told = await notices(world)
    assert sorted(j.chat_id for j in told) == [ADMIN, 777]
    assert told[0].post is not None and "нет права публиковать" in told[0].post.text
    stored = await world.channels.get(CHAT)
    assert stored is not None and (stored.status, stored.inactive_reason) == (
        "inactive",
        "no_post_right",
    )

    assert await svc.membership_changed(change("left", user_id=None)) == "updated"
    assert await notices(world) == []  # already inactive: nobody is told twice
    stored = await world.channels.get(CHAT)
    assert stored is not None and stored.inactive_reason == "removed"

    assert await svc.membership_changed(change("administrator")) == "reactivated"
    told = await notices(world)
    assert len(told) == 2 and told[0].post is not None and "снова подключён" in told[0].post.text

    assert await svc.membership_changed(change("kicked", user_id=None)) == "deactivated"
    told = await notices(world)
    assert told[0].post is not None and "бота удалили из канала" in told[0].post.text


async def test_forbidden_hook_deactivates_once_and_ignores_private_chats(world: World) -> None:
    svc = service(world)
    await svc.membership_changed(change("administrator"))
    await notices(world)
    job = DeliveryJob(id="post-1", kind="channel_post", chat_id=CHAT, article_id="1")
    description = "Forbidden: bot was kicked from the channel chat"
    await svc.on_forbidden(CHAT, job, description)
    await svc.on_forbidden(CHAT, job, description)
    [told] = await notices(world)
    assert told.post is not None and "bot was kicked" in told.post.text
    stored = await world.channels.get(CHAT)
    assert stored is not None and (stored.status, stored.inactive_reason) == (
        "inactive",
        "forbidden",
    )
    await svc.on_forbidden(ADMIN, job, "Forbidden: bot was blocked by the user")
    assert await world.channels.get(ADMIN) is None


async def test_a_bot_added_as_a_plain_member_is_not_registered(world: World) -> None:
    outcome = await service(world).membership_changed(change("member", chat_type="group"))
    assert outcome == "ignored"
    assert await world.channels.all() == []


async def test_every_channel_text_has_russian_and_english() -> None:
    i18n = I18n(CATALOG)
    for key in CATALOG:
        assert set(i18n.entry(key)) == {"ru", "en"}, key
    assert i18n("channels.posts", "ru", n=1) == "1 публикация"
    assert i18n("channels.posts", "ru", n=3) == "3 публикации"
    assert i18n("channels.posts", "ru", n=11) == "11 публикаций"
    assert i18n("channels.posts", "en", n=2) == "2 posts"
