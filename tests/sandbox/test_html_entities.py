"""Telegram's HTML parse mode: the parser alone, then its errors over HTTP."""

from __future__ import annotations

import pytest

from sandbox.html_entities import HtmlParseError, parse_html
from sandbox.html_render import render_html
from sandbox.testing import RunningSandbox
from tests.sandbox.conftest import BotApi


def test_nested_tags_give_entities_in_utf16_units() -> None:
    text, entities = parse_html("😀 <b>жирный <i>и курсив</i></b> 🇰🇿<u>x</u>")
    assert text == "😀 жирный и курсив 🇰🇿x"
    # "😀" is one code point but two UTF-16 units, so bold starts at 3, not 2;
    # the flag is two astral code points: four units.
    assert entities == [
        {"type": "bold", "offset": 3, "length": 15},
        {"type": "italic", "offset": 10, "length": 8},
        {"type": "underline", "offset": 23, "length": 1},
    ]


@pytest.mark.parametrize(
    ("markup", "kind"),
    [
        ("<strong>x</strong>", "bold"),
        ("<em>x</em>", "italic"),
        ("<ins>x</ins>", "underline"),
        ("<strike>x</strike>", "strikethrough"),
        ("<del>x</del>", "strikethrough"),
        ("<s>x</s>", "strikethrough"),
        ("<tg-spoiler>x</tg-spoiler>", "spoiler"),
        ('<span class="tg-spoiler">x</span>', "spoiler"),
        ("<code>x</code>", "code"),
        ("<pre>x</pre>", "pre"),
        ("<blockquote>x</blockquote>", "blockquote"),
        ("<blockquote expandable>x</blockquote>", "expandable_blockquote"),
    ],
)
def test_each_supported_tag(markup: str, kind: str) -> None:
    assert parse_html(markup) == ("x", [{"type": kind, "offset": 0, "length": 1}])


def test_links_pre_with_language_and_custom_emoji() -> None:
    markup = (
        '<a href="https://example.org/?a=1&amp;b=2">ссылка</a> '
        '<pre><code class="language-python">x = 1</code></pre>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    text, entities = parse_html(markup)
    assert text == "ссылка x = 1👍"
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 6, "url": "https://example.org/?a=1&b=2"},
        {"type": "pre", "offset": 7, "length": 5, "language": "python"},
        {
            "type": "custom_emoji",
            "offset": 12,
            "length": 2,
            "custom_emoji_id": "5368324170671202286",
        },
    ]


def test_entities_decode_and_case_is_ignored() -> None:
    assert parse_html("&lt;&gt;&amp;&quot;&#8212;&#x2014;<B>b</B>") == (
        '<>&"——b',
        [{"type": "bold", "offset": 6, "length": 1}],
    )


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("Ж<p>", 'Unsupported start tag "p" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ("AT & T", 'Character "&" must be escaped as "&amp;" at byte offset 3'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<tg-emoji emoji-id="x">👍</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_parse_errors_read_like_telegram(markup: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(markup)
    assert str(caught.value) == reason


def test_render_round_trips_the_formatting() -> None:
    markup = '<b>Заголовок</b> 😀 <i>автор</i> <a href="https://e.org/">тут</a> &lt;x&gt;'
    text, entities = parse_html(markup)
    assert render_html(text, entities) == markup


def test_render_splits_overlapping_entities() -> None:
    entities = [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 2, "length": 4},
    ]
    assert render_html("abcdef", entities) == "<b>ab<i>cd</i></b><i>ef</i>"


async def test_bad_markup_is_a_400_over_http(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    answer = await api.fail(
        "sendMessage", 400, chat_id=chat["id"], text="<div>x</div>", parse_mode="HTML"
    )
    assert answer.description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 0'
    )
    assert await sandbox.client.messages(chat["id"]) == []


async def test_html_message_carries_entities_over_http(
    sandbox: RunningSandbox, api: BotApi
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    result = await api.ok(
        "sendMessage", chat_id=chat["id"], text="🇰🇿 <b>Алматы</b>", parse_mode="html"
    )
    assert result["text"] == "🇰🇿 Алматы"
    assert result["entities"] == [{"type": "bold", "offset": 5, "length": 6}]
    stored = await sandbox.client.messages(chat["id"])
    assert stored[0]["html"] == "🇰🇿 <b>Алматы</b>"
