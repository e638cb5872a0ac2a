"""Telegram HTML: escaping, the length Telegram counts, UTF-16 offsets, the strict validator."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.formatting.telegram_html import (
    TelegramHTMLError,
    check_html,
    escape_attr,
    escape_html,
    literal_references,
    plain_text,
    telegram_length,
    utf16_length,
)


def test_escape_html_only_touches_amp_lt_gt() -> None:
    assert escape_html("<script>\"a\" & 'b'</script>") == (
        "&lt;script&gt;\"a\" &amp; 'b'&lt;/script&gt;"
    )
    assert escape_html("&amp;") == "&amp;amp;"  # a literal "&amp;" stays literal for the reader


def test_escape_attr_also_escapes_double_quotes() -> None:
    assert escape_attr('https://x.kz/?q="a"&b=<c>') == (
        "https://x.kz/?q=&quot;a&quot;&amp;b=&lt;c&gt;"
    )


def test_length_counts_text_after_entity_parsing() -> None:
    html = '<b>Заголовок</b>\n<a href="https://x.kz/?a=1&amp;b=2">Ссылка</a> &lt;&gt;&amp;&quot;'
    assert plain_text(html) == 'Заголовок\nСсылка <>&"'
    assert telegram_length(html) == len('Заголовок\nСсылка <>&"') == 21


def test_length_decodes_numeric_entities() -> None:
    assert plain_text("&#8212;&#x2014;") == "——"
    assert telegram_length("&#128512;") == 1


def test_emoji_are_one_code_point_but_two_utf16_units() -> None:
    text = "😀" * 10 + "ж"
    assert telegram_length(f"<i>{text}</i>") == 11
    assert utf16_length(text) == 21
    assert utf16_length("𝕏 и ж") == 6


def test_utf16_length_of_a_zwj_family_emoji() -> None:
    family = "👨\u200d👩\u200d👧"
    assert len(family) == 5
    assert utf16_length(family) == 8


VALID = [
    "plain text",
    "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins>",
    "<s>s</s><strike>k</strike><del>d</del><tg-spoiler>x</tg-spoiler>",
    '<span class="tg-spoiler">x</span>',
    '<a href="https://t.me/vestnik">Вестник</a>',
    '<a href="tg://user?id=1">u</a>',
    "<code>x &lt; y</code>",
    '<pre><code class="language-python">print(1)</code></pre>',
    "<blockquote>q</blockquote><blockquote expandable>long</blockquote>",
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    "<b>bold <i>italic <u>under</u></i></b>",
    "&lt;&gt;&amp;&quot;&#169;&#x1F600;",
]


@pytest.mark.parametrize("html", VALID)
def test_check_html_accepts_telegram_html(html: str) -> None:
    check_html(html)


INVALID = [
    ("<script>x</script>", "unsupported tag"),
    ("<div>x</div>", "unsupported tag"),
    ("<b>x", "unclosed"),
    ("x</b>", "expected"),
    ("<b><i>x</b></i>", "expected"),
    ("a < b", "unescaped"),
    ("a > b", "unescaped"),
    ("AT&T", "unescaped"),
    ("&nbsp;", "unsupported entity"),
    ("&apos;", "unsupported entity"),
    ("&#0;", "invalid character"),
    ("&#00000065;", "unsupported entity"),
    ("&#xD800;", "invalid character"),
    ("<a>x</a>", "needs href"),
    ('<a href="">x</a>', "needs href"),
    ('<a href="javascript:alert(1)">x</a>', "URL"),
    ('<a href="https://x.kz" target="_blank">x</a>', "attribute"),
    ('<a href="https://a.kz"><a href="https://b.kz">x</a></a>', "nested"),
    ("<b class='x'>x</b>", "malformed"),
    ("<B>x</B>", "malformed"),
    ("<pre><b>x</b></pre>", "inside <pre>"),
    ("<code><i>x</i></code>", "inside <code>"),
    ('<code class="language-py">x</code>', "inside <pre>"),
    ('<span class="x">y</span>', "tg-spoiler"),
    ('<tg-emoji emoji-id="abc">x</tg-emoji>', "emoji-id"),
    ("<blockquote><blockquote>x</blockquote></blockquote>", "nested"),
    ('<a href="https://x.kz/?a=1&b=2">x</a>', "attribute"),
    ("</b foo>", "closing tag"),
]


@pytest.mark.parametrize(("html", "message"), INVALID)
def test_check_html_rejects_what_telegram_rejects(html: str, message: str) -> None:
    with pytest.raises(TelegramHTMLError, match=message):
        check_html(html)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_escaped_text_is_valid_and_keeps_its_length(text: str) -> None:
    html = f"<b>{escape_html(text)}</b>"
    check_html(html)
    assert plain_text(html) == text
    assert telegram_length(html) == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100))
def test_escaped_href_is_a_valid_attribute(tail: str) -> None:
    url = "https://x.kz/" + "".join(tail.split())
    check_html(f'<a href="{escape_attr(url)}">x</a>')


def test_references_telegram_shows_as_typed_are_listed() -> None:
    """Valid for Telegram's parser (it keeps them as text), but nobody means them."""
    html = "&#x10FFFF; &#X41; &#1114111; &#65; &#x41; &#1114110; &amp;"
    check_html(html)
    assert literal_references(html) == ["&#x10FFFF;", "&#X41;", "&#1114111;"]


def test_references_telegram_leaves_as_typed_count_as_typed() -> None:
    """`&#x10FFFF;` is no character for Telegram: it shows 10 characters, and so a signature
    holding it makes every caption 9 characters longer than a count of 1 would say."""
    assert telegram_length("&#x10FFFF;") == 10
    assert telegram_length("&#1114111;") == 10
    assert telegram_length("&#X41;") == 6  # only a lower-case x makes it hexadecimal
    assert telegram_length("&#00000065;") == 11  # 10 characters up to the digits: literal
    assert plain_text("&#000065;&#x10FFFE;") == "A\U0010fffe"
    assert plain_text("&amp &lt;b&gt &#65") == "& <b> A"  # the `;` may be left out
    assert plain_text("&ampx; &nbsp; &LT;") == "&ampx; &nbsp; &LT;"


_FRAGMENTS = [
    "&amp;", "&amp", "&lt", "&gt;", "&quot", "&#65;", "&#65", "&#x41;", "&#X41;", "&#x10FFFF;",
    "&#x10FFFE;", "&#1114111;", "&#1114110", "&#0000065;", "&#000065;", "&#00000065",
    "&nbsp;", "&;", "&#;", "&#x;", "&#0;", "&ampx;", "&LT;", "AT&T", "a", "ж", "😀", ";", "#",
    "x", "1", "F", " ", "<b>", "</b>", "<i>", "</i>",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=12))
def test_the_length_is_the_one_telegrams_parser_gives(fragments: list[str]) -> None:
    """The sandbox's port of TDLib's parser is the reference (bot/ never imports it)."""
    from sandbox.html_entities import HtmlParseError, parse_html

    html = "".join(fragments)
    try:
        text, _ = parse_html(html)
    except HtmlParseError:
        return  # markup Telegram refuses (tags out of order): nothing to measure
    assert plain_text(html) == text
    assert telegram_length(html) == len(text)
