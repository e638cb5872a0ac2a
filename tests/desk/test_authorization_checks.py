"""Authorization beyond the matrix: fresh checks past a stale admin cache, Telegram down,
refusals that name the channel, old pickers and stale draft buttons.
"""

from __future__ import annotations

import pytest

from tests.desk.matrix import (
    REFUSAL,
    UNVERIFIED,
    Seeds,
    denials_since,
    queue_of_a,
)
from tests.desk.world import (
    ADMIN_A,
    ADMIN_B,
    EDITOR_A,
    EDITOR_B,
    OWNER,
    DeskWorld,
    callback_answers,
    text_of,
)
from tests.harness import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_editor_asking_for_an_admin_command_is_refused_naming_the_channel(
    world: DeskWorld,
) -> None:
    saved = await world.snapshot()
    audit_before = await world.audit_count()
    [answer] = await world.person(EDITOR_A).say("/slots 08:00")  # no channel named
    assert text_of(answer) == (
        "Извините, у вас нет прав на это в канале «Вестник А». Ничего не изменено."
    )
    assert await world.snapshot() == saved
    entries = await world.audit_since(audit_before)
    assert [(e.user_id, e.action, e.chat_id, e.allowed, e.username) for e in entries] == [
        (EDITOR_A, "/slots", world.channel_a, False, "erlan_editor")
    ]


async def test_channels_lists_only_the_admins_channels(world: DeskWorld) -> None:
    owner = "\n".join(text_of(m) for m in await world.person(OWNER).say("/channels"))
    assert "«Вестник А»" in owner and "«Вестник Б»" in owner
    admin_a = "\n".join(text_of(m) for m in await world.person(ADMIN_A).say("/channels"))
    assert "«Вестник А»" in admin_a and "«Вестник Б»" not in admin_a
    editor = "\n".join(text_of(m) for m in await world.person(EDITOR_A).say("/channels"))
    assert editor == "Извините, у вас нет прав на это в канале «Вестник А». Ничего не изменено."


async def test_old_channel_button_after_revoke_is_refused(world: DeskWorld) -> None:
    """A picker shown while the editor had two channels, pressed after losing channel A."""
    roles = world.service("roles")
    person = world.person(EDITOR_B)
    saved = await world.snapshot()
    await roles.grant(world.channel_a, EDITOR_B)
    replies = await person.say("/new", replies=2)
    picker = replies[-1]
    assert "Вестник А" in str(picker["reply_markup"])
    await roles.revoke(world.channel_a, EDITOR_B)
    before = await world.snapshot()
    audit_before = await world.audit_count()
    answer = await person.press(picker, "Вестник А")
    assert REFUSAL in text_of(answer[-1])
    assert await world.snapshot() == before
    denials = await world.audit_since(audit_before)
    assert [(e.user_id, e.action, e.chat_id) for e in denials if not e.allowed] == [
        (EDITOR_B, "/new", world.channel_a)
    ]
    await world.restore(saved)


async def _cached_admin_of_a(world: DeskWorld, user_id: int) -> None:
    """Make `user_id` a Telegram admin of A, cached, then remove them in Telegram only."""
    roles = world.service("roles")
    await world.client.add_admin(world.channel_a, user_id)
    await roles.repo.forget_admins(world.channel_a)
    assert await roles.role_in(user_id, world.channel_a) == "admin"
    await world.client.remove_admin(world.channel_a, user_id)
    assert await roles.role_in(user_id, world.channel_a) == "admin"  # the cache still says so


async def test_pause_rechecks_telegram_admins_bypassing_the_cache(world: DeskWorld) -> None:
    """Admin of B was also admin of A a moment ago (cached): /pause for A is still refused."""
    client = world.client
    person = world.person(ADMIN_B)
    saved = await world.snapshot()
    roles = world.service("roles")
    await client.add_admin(world.channel_a, ADMIN_B)
    await roles.repo.forget_admins(world.channel_a)
    replies = await person.say("/pause", replies=1)  # two channels: a picker
    picker = replies[-1]
    assert "Вестник А" in str(picker["reply_markup"])
    await client.remove_admin(world.channel_a, ADMIN_B)
    assert await roles.role_in(ADMIN_B, world.channel_a) == "admin"  # the cache still says so
    answer = await person.press(picker, "Вестник А")
    assert REFUSAL in text_of(answer[-1])
    assert not (await world.service("channels").get(world.channel_a)).paused
    await world.restore(saved)
    await roles.repo.forget_admins(world.channel_a)


async def test_cancel_rechecks_telegram_admins_bypassing_the_cache(
    world: DeskWorld, seeds: Seeds
) -> None:
    """Removed as admin of A in Telegram, still cached: «Отменить» is refused and audited."""
    person = world.person(ADMIN_B)
    saved = await world.snapshot()
    await world.client.add_admin(world.channel_a, ADMIN_B)
    await world.service("roles").repo.forget_admins(world.channel_a)
    try:
        listing = await person.say("/queue @vestnik_a", replies=3)
        await world.client.remove_admin(world.channel_a, ADMIN_B)
        assert await world.service("roles").role_in(ADMIN_B, world.channel_a) == "admin"
        before = await world.snapshot()
        audit_before = await world.audit_count()
        [answer] = await person.press(listing[1], "Отменить")
        assert text_of(answer) == (
            "Извините, у вас нет прав на это в канале «Вестник А». Ничего не изменено."
        )
        assert await world.snapshot() == before
        assert await queue_of_a(world) == seeds.posts
        denials = await denials_since(world, audit_before, ADMIN_B)
        assert [(e.action, e.chat_id, e.detail) for e in denials] == [
            ("/queue:cancel", world.channel_a, "no_role")
        ]
    finally:
        await world.restore(saved)
        await world.service("roles").repo.forget_admins(world.channel_a)


async def test_telegram_down_refuses_destructive_actions_politely(
    world: DeskWorld, seeds: Seeds
) -> None:
    """Telegram cannot list A's admins: A's admin may read, but not pause, change or cancel."""
    person = world.person(ADMIN_A)
    saved = await world.snapshot()
    listing = await person.say("/queue @vestnik_a", replies=3)
    await world.client.add_fault("getChatAdministrators", count=1000, error_code=502)
    try:
        before = await world.snapshot()
        audit_before = await world.audit_count()
        for command in ("/pause @vestnik_a", "/slots @vestnik_a 07:00"):
            [answer] = await person.say(command)
            assert UNVERIFIED in text_of(answer), text_of(answer)
        [answer] = await person.press(listing[1], "Отменить")
        assert UNVERIFIED in text_of(answer)
        assert await world.snapshot() == before
        denials = await denials_since(world, audit_before, ADMIN_A)
        assert [(e.action, e.chat_id, e.detail) for e in reversed(denials)] == [
            ("/pause", world.channel_a, "unverified"),
            ("/slots", world.channel_a, "unverified"),
            ("/queue:cancel", world.channel_a, "unverified"),
        ]
        [shown] = await person.say("/slots @vestnik_a")  # reading still works
        assert text_of(shown).startswith("Слоты канала «Вестник А»")
    finally:
        await world.client.clear_faults()
        await world.restore(saved)


async def test_stale_draft_button_is_answered_politely(world: DeskWorld) -> None:
    person = world.person(EDITOR_A)
    saved = await world.snapshot()
    await person.say("/new", replies=3)
    [listing] = await person.say("/drafts")
    await world.restore(saved)  # the draft is gone; its button stays in the chat
    before = await world.snapshot()
    await person.press(listing, "Открыть", replies=0)
    answers = await eventually(lambda: callback_answers(world, EDITOR_A, listing["message_id"]))
    assert "Черновик не найден" in answers[-1]["text"]
    assert await world.snapshot() == before
