"""How a channel's posts look, set by its admin in chat: /hashtag, /breaking, /preview.

Each command shows the current value, changes it, and answers bad input politely with the
state untouched; the posts that go out next follow the settings (the headline is the first
line a notification shows, the breaking marker and pinning are the same for the desk's
«Срочно» as for the CLI, the link preview is sent as `link_preview_options`).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.texts import build_i18n
from bot.texts import layout as layout_texts
from tests.desk.admin_chat import channel_a, refused_politely, say
from tests.desk.world import EDITOR_A, DeskWorld, Person, text_of
from tests.harness import eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")

URGENT_TXT = (
    "---\n"
    "source: https://example.kz/news/777\n"
    "---\n"
    "Политика\n"
    "\n"
    "Сенат одобрил новый закон\n"
    "\n"
    "Сенат Казахстана одобрил закон о волонтерской деятельности.\n"
)


async def upload_until_preview(editor: Person, text: str) -> dict[str, Any]:
    """Upload the article; the preview the bot answers with (the message with «Срочно»),
    whatever else reaches the chat meanwhile (a progress report of an earlier post)."""
    before = len(await editor.bot_messages())
    await editor.send_file("urgent.txt", text.encode())

    async def preview() -> dict[str, Any] | None:
        for message in (await editor.bot_messages())[before:]:
            if "Срочно" in str(message.get("reply_markup") or ""):
                return message
        return None

    found: dict[str, Any] = await eventually(preview, what="the upload's preview")
    return found


async def test_hashtag_at_the_end_on_top_or_off(clean: DeskWorld) -> None:
    world = clean
    assert "Хештег рубрики в постах канала «Вестник А» стоит в конце" in await say(
        world, "/hashtag"
    )
    answer = await say(world, "/hashtag начало")
    assert "будет в начале, над заголовком" in answer
    assert "в уведомлении" in answer  # the admin is told what that costs
    template = (await channel_a(world)).template
    assert (template.show_hashtag, template.hashtag_position) == (True, "top")
    assert "стоит в начале" in await say(world, "/hashtag")
    assert "будут без хештега" in await say(world, "/hashtag выкл")
    assert not (await channel_a(world)).template.show_hashtag
    assert "нет хештега рубрики" in await say(world, "/hashtag")
    assert "будет в конце" in await say(world, "/hashtag в конце")
    template = (await channel_a(world)).template
    assert (template.show_hashtag, template.hashtag_position) == (True, "end")
    await refused_politely(world, "/hashtag посередине", "/hashtag конец")


async def test_preview_above_below_or_off(clean: DeskWorld) -> None:
    world = clean
    assert "текстовых постах канала «Вестник А»: под текстом" in await say(world, "/preview")
    assert "— над текстом." in await say(world, "/preview сверху")
    assert (await channel_a(world)).template.link_preview == "above"
    assert "— выключено." in await say(world, "/preview выкл")
    assert (await channel_a(world)).template.link_preview == "off"
    assert "— под текстом." in await say(world, "/preview below")
    assert (await channel_a(world)).template.link_preview == "below"
    await refused_politely(world, "/preview сбоку", "/preview сверху")


async def test_breaking_marker_and_pinning_set_in_chat(clean: DeskWorld) -> None:
    world = clean
    shown = await say(world, "/breaking")
    assert "Срочные посты канала «Вестник А»: перед заголовком стоит метка «⚡️ Срочно»" in shown
    assert "закрепляются в канале" in shown
    answer = await say(world, "/breaking 🔴 Молния")
    assert answer.endswith("будут начинаться так:\n🔴 Молния: Заголовок новости"), answer
    assert (await channel_a(world)).template.breaking_marker == "🔴 Молния"
    assert "не будут закрепляться" in await say(world, "/breaking закреплять нет")
    assert not (await channel_a(world)).pin_breaking
    shown = await say(world, "/breaking")
    assert "метка «🔴 Молния»" in shown and "не закрепляются" in shown
    assert "будут без метки" in await say(world, "/breaking выкл")
    assert (await channel_a(world)).template.breaking_marker is None
    assert "без метки" in await say(world, "/breaking")
    await refused_politely(world, "/breaking " + "Очень срочно " * 4, "Метка слишком длинная")
    await refused_politely(world, "/breaking закреплять иногда", "/breaking закреплять да")
    assert "будут закрепляться" in await say(world, "/breaking pin on")
    assert (await channel_a(world)).pin_breaking


async def test_the_desks_breaking_post_follows_the_channels_settings(clean: DeskWorld) -> None:
    """«Срочно» from the desk: the channel's marker before the headline, pinned only where
    the channel pins breaking news (as `vestnik queue --breaking`), the link preview above."""
    world = clean
    await say(world, "/breaking 🔴 Молния")
    await say(world, "/breaking закреплять нет")
    await say(world, "/preview сверху")
    editor = world.person(EDITOR_A)
    preview = await upload_until_preview(editor, URGENT_TXT)
    # the preview is the post as the channel publishes it, link preview included
    assert text_of(preview).startswith("Сенат одобрил новый закон\n")
    assert preview["link_preview_options"] == {
        "url": "https://example.kz/news/777",
        "show_above_text": True,
    }
    [sent] = await editor.press(preview, "Срочно")
    # the editor is told what happened: sent with sound, and not pinned (the channel says so)
    assert text_of(sent) == "Срочно: статья №2 отправлена в канал «Вестник А» со звуком."

    async def the_post() -> dict[str, Any] | None:
        for message in await world.client.bot_messages(world.channel_a):
            if "Сенат одобрил" in text_of(message):
                return dict(message)
        return None

    post = await eventually(the_post)
    first_line = text_of(post).split("\n")[0]
    assert first_line == "🔴 Молния: Сенат одобрил новый закон"
    assert post["html"].startswith("🔴 Молния: <b>Сенат одобрил новый закон</b>\n\n")
    assert text_of(post).split("\n\n")[-1].startswith("#Политика\n")
    assert post["link_preview_options"] == {
        "url": "https://example.kz/news/777",
        "show_above_text": True,
    }
    assert post["disable_notification"] is False
    assert post["pinned"] is False
    # the delivery report closes the dialogue before the next test takes the chat over
    await eventually(lambda: _said(editor, "Рассылка завершена: доставлено"))


async def _said(person: Person, text: str) -> bool:
    return any(text in text_of(m) for m in await person.bot_messages())


async def test_the_desk_pins_breaking_news_by_default(clean: DeskWorld) -> None:
    world = clean
    editor = world.person(EDITOR_A)
    text = URGENT_TXT.replace("новый закон", "второй закон").replace("/777", "/778")
    await editor.press(await upload_until_preview(editor, text), "Срочно")

    async def pinned_post() -> dict[str, Any] | None:
        for message in await world.client.bot_messages(world.channel_a):
            if "второй закон" in text_of(message) and message["pinned"]:
                return dict(message)
        return None

    post = await eventually(pinned_post)
    assert text_of(post).startswith("⚡️ Срочно: Сенат одобрил второй закон\n")


async def test_every_layout_text_has_both_locales() -> None:
    i18n = build_i18n("ru")
    for key, entry in layout_texts.CATALOG.items():
        assert set(entry) == {"ru", "en"}, key
        assert i18n.has(key)
    assert i18n("admin.preview.above", "en") == "above the text"
    many = i18n("admin.breaking.too_long", "ru", n=45, max=32)
    assert many.startswith("Метка слишком длинная: 45 символов")
    few = i18n("admin.breaking.too_long", "ru", n=33, max=32)
    assert few.startswith("Метка слишком длинная: 33 символа,")
