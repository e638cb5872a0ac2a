"""Channel admins' post options end to end: /interval, /catchup, /timezone, /signature, /silent.

Each command shows the current value, changes it, and answers bad input politely with the
state untouched. The admin of channel A talks to the bot through the sandbox; the owner, who
has two channels, picks one with a button.
"""

from __future__ import annotations

import pytest

from tests.desk.admin_chat import channel_a, refused_politely, say
from tests.desk.world import ADMIN_A, OWNER, SUBSCRIBER, DeskWorld, text_of
from tests.harness import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def publish_article(world: DeskWorld, headline: str) -> None:
    """Queue a new article for channel A now and wait until it is out."""
    from storage.models.article import Article

    article = Article(rubric="Политика", headline=headline, lead="Лид статьи.")
    result = await world.service("article_service").import_article(article)
    await world.service("publisher").queue_article(result.article_id, world.channel_a, "now")
    ledger = world.service("ledger")
    await eventually(lambda: ledger.has_published(result.article_id, world.channel_a))


async def test_interval_set_show_and_clear(clean: DeskWorld) -> None:
    world = clean
    assert "промежуток между постами в канале «Вестник А»: нет." in await say(world, "/interval")
    answer = await say(world, "/interval 45")
    assert "Готово: наименьший промежуток между постами в канале «Вестник А» — 45 минут." in answer
    assert (await channel_a(world)).min_interval == 45 * 60
    assert "«Вестник А»: 45 минут." in await say(world, "/interval")
    assert "— 1 минута." in await say(world, "/interval 1 мин")
    assert (await channel_a(world)).min_interval == 60
    assert "— нет." in await say(world, "/interval off")
    assert (await channel_a(world)).min_interval == 0


@pytest.mark.parametrize("bad", ["/interval полчаса", "/interval 5.5", "/interval 100000"])
async def test_interval_bad_input(clean: DeskWorld, bad: str) -> None:
    await clean.service("publisher").set_min_interval(clean.channel_a, 600)
    await refused_politely(clean, bad, "Пришлите число минут")
    assert (await channel_a(clean)).min_interval == 600


async def test_catchup_set_and_show_in_both_languages_of_commands(clean: DeskWorld) -> None:
    world = clean
    assert "Канал «Вестник А» после простоя: распределить" in await say(world, "/catchup")
    assert "сразу опубликовать пропущенное" in await say(world, "/catchup now")
    assert (await channel_a(world)).catchup == "publish_now"
    answer = await say(world, "/catchup пропустить 12")
    assert "пропускать посты старше 12 часов" in answer
    channel = await channel_a(world)
    assert (channel.catchup, channel.catchup_max_age) == ("skip_older", 12 * 3600)
    assert "старше 12 часов" in await say(world, "/catchup")
    assert "распределить" in await say(world, "/catchup распределить")
    assert (await channel_a(world)).catchup == "spread"
    assert "старше 3 часов" in await say(world, "/catchup skip 3")
    assert (await channel_a(world)).catchup_max_age == 3 * 3600
    assert "старше 1 часа," in await say(world, "/catchup пропустить 1ч")
    assert (await channel_a(world)).catchup_max_age == 3600


@pytest.mark.parametrize(
    "bad", ["/catchup потом", "/catchup skip ноль", "/catchup skip 0", "/catchup now 5"]
)
async def test_catchup_bad_input(clean: DeskWorld, bad: str) -> None:
    await refused_politely(clean, bad, "/catchup пропустить 6")
    assert (await channel_a(clean)).catchup == "spread"


async def test_timezone_set_show_and_unknown(clean: DeskWorld) -> None:
    world = clean
    assert "Часовой пояс канала «Вестник А»: Asia/Almaty." in await say(world, "/timezone")
    answer = await say(world, "/timezone europe/moscow")
    assert "Готово: часовой пояс канала «Вестник А» — Europe/Moscow." in answer
    assert (await channel_a(world)).timezone == "Europe/Moscow"
    await refused_politely(world, "/timezone Mars/Olympus", "например: /timezone Asia/Almaty")
    await refused_politely(world, "/timezone ../etc", "Часовой пояс «../etc» не найден")
    assert (await channel_a(world)).timezone == "Europe/Moscow"


async def test_signature_set_show_clear_and_reach_posts(clean: DeskWorld) -> None:
    world = clean
    assert "У постов канала «Вестник А» нет подписи" in await say(world, "/signature")
    signature = '<b>Вестник</b> — <a href="https://t.me/vestnik_a">подписаться</a>'
    [answer] = await world.person(ADMIN_A).say(f"/signature {signature}")
    # shown as posts show it: formatted, not as tags
    assert (
        text_of(answer) == "Готово: подпись под постами канала «Вестник А»:\nВестник — подписаться"
    )
    assert answer["html"].endswith(f"«Вестник А»:\n{signature}")
    assert (await channel_a(world)).template.signature == signature
    [shown] = await world.person(ADMIN_A).say("/signature")
    assert text_of(shown) == "Подпись под постами канала «Вестник А»:\nВестник — подписаться"
    assert shown["html"].endswith(signature)
    await publish_article(world, "Сигнатура")
    posts = [text_of(m) for m in await world.client.messages(world.channel_a)]
    post = next(p for p in posts if p.startswith("Сигнатура\n"))
    assert post.endswith("Вестник — подписаться"), post  # the HTML became formatting
    assert "убрана" in await say(world, "/signature off")
    assert (await channel_a(world)).template.signature is None


async def test_signature_keeps_line_breaks(clean: DeskWorld) -> None:
    await say(clean, "/signature @vestnik_a <i>Вестник</i>\nНовости Казахстана")
    expected = "<i>Вестник</i>\nНовости Казахстана"
    assert (await channel_a(clean)).template.signature == expected


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("/signature <b>Вестник", "тег <b> не закрыт"),
        ("/signature <marquee>Вестник</marquee>", "тег <marquee> Telegram не поддерживает"),
        ("/signature Вестник & Ко", "символ «&» вне тега не экранирован"),
        (
            '/signature <a href="javascript:x">Вестник</a>',
            "у ссылки <a> адрес должен начинаться с https://",
        ),
    ],
)
async def test_signature_invalid_html_is_explained(clean: DeskWorld, bad: str, reason: str) -> None:
    await clean.service("publisher").set_template(clean.channel_a, signature="<i>Вестник</i>")
    await refused_politely(clean, bad, f"Подпись не принята: {reason}")
    assert (await channel_a(clean)).template.signature == "<i>Вестник</i>"


async def test_silent_set_show_and_bad_input(clean: DeskWorld) -> None:
    world = clean
    assert "уходят без звука" in await say(world, "/silent")
    assert "будут уходить со звуком" in await say(world, "/silent off")
    assert not (await channel_a(world)).silent_slot_posts
    assert "уходят со звуком" in await say(world, "/silent")
    await refused_politely(world, "/silent громко", "/silent вкл")
    assert not (await channel_a(world)).silent_slot_posts
    assert "будут уходить без звука" in await say(world, "/silent вкл")
    assert (await channel_a(world)).silent_slot_posts


async def test_owner_picks_the_channel_and_arguments_survive(clean: DeskWorld) -> None:
    world = clean
    person = world.person(OWNER)
    [picker] = await person.say("/interval 20")
    assert "Какой канал?" in text_of(picker)
    answer = await person.press(picker, "Вестник Б")
    assert "«Вестник Б» — 20 минут" in text_of(answer[-1])
    channels = world.service("channels")
    assert (await channels.get(world.channel_b)).min_interval == 20 * 60
    assert (await channels.get(world.channel_a)).min_interval == 0
    entries = await world.service("audit").recent(5)
    assert any(
        e.user_id == OWNER and e.action == "/interval" and e.chat_id == world.channel_b
        for e in entries
    )


async def test_changes_are_audited_and_reads_are_not(clean: DeskWorld) -> None:
    world = clean
    before = await world.audit_count()
    await say(world, "/timezone")
    assert await world.audit_count() == before
    await say(world, "/timezone Asia/Tokyo")
    [entry] = await world.audit_since(before)
    assert (entry.user_id, entry.action, entry.allowed) == (ADMIN_A, "/timezone", True)


async def test_timezone_stays_the_subscribers_own_outside_the_desk(clean: DeskWorld) -> None:
    """A reader's /timezone is their own zone: no channel changes, no denial in the log."""
    world = clean
    before = await world.audit_count()
    answer = await say(world, "/timezone Europe/Moscow", user=SUBSCRIBER)
    assert "Europe/Moscow" in answer and "нет прав" not in answer, answer
    assert (await channel_a(world)).timezone == "Asia/Almaty"
    assert await world.audit_count() == before


async def test_desk_help_lists_the_new_commands(world: DeskWorld) -> None:
    answer = await say(world, "/desk")
    for command in ("/interval", "/catchup", "/timezone", "/signature", "/silent"):
        assert command in answer
