"""Telegram's HTML parse mode: the parser alone, then its errors over HTTP."""

from __future__ import annotations

import pytest

from sandbox.html_entities import HtmlParseError, parse_html
from sandbox.html_render import render_html
from sandbox.links import checked_link, checked_link_slowly
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


# TDLib's own cases (test/message_entities.cpp, TEST(MessageEntities, parse_html)), with its
# entity types written the Bot API way.
S = "🏟 🏟"
A = "➡️ ➡️"
SURROGATE = (
    "Text contains invalid Unicode characters after decoding HTML entities, "
    "check for unmatched surrogate code units"
)
TDLIB_ERRORS = [
    ("&#57311;", SURROGATE),
    ("&#xDFDF;", SURROGATE),
    ("&#xDFDF", SURROGATE),
    (S + "&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    (S + "&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
    (S + "&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
    (S + "&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
    (S + "&lt;<i    aba>", 'Can\'t find end tag corresponding to start tag "i"'),
    (S + "&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
    (S + "&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    (S + '&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
    (S + "&lt;<i    aba  =  '&lt;&gt;&quot;>", "Unclosed start tag at byte offset 13"),
    (S + "&lt;</", "Unexpected end tag at byte offset 13"),
    (S + "&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    (S + "&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
    (
        S + "&lt;<i>a</em   >",
        'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
    ),
]


def _e(kind: str, offset: int, length: int, **extra: str) -> dict[str, object]:
    return {"type": kind, "offset": offset, "length": length, **extra}


TDLIB_RESULTS = [
    ("", "", []),
    (A, A, []),
    (
        "&ge;&lt;&gt;&amp;&quot;&laquo;&raquo;&#12345678;",
        '&ge;<>&"&laquo;&raquo;&#12345678;',
        [],
    ),
    ("&Or;", "&Or;", []),
    (A + "<i>" + A + "</i>", A + A, [_e("italic", 5, 5)]),
    (A + "<em>" + A + "</em>", A + A, [_e("italic", 5, 5)]),
    (A + "<b>" + A + "</b>", A + A, [_e("bold", 5, 5)]),
    (A + "<strong>" + A + "</strong>", A + A, [_e("bold", 5, 5)]),
    (A + "<u>" + A + "</u>", A + A, [_e("underline", 5, 5)]),
    (A + "<ins>" + A + "</ins>", A + A, [_e("underline", 5, 5)]),
    (A + "<s>" + A + "</s>", A + A, [_e("strikethrough", 5, 5)]),
    (A + "<strike>" + A + "</strike>", A + A, [_e("strikethrough", 5, 5)]),
    (A + "<del>" + A + "</del>", A + A, [_e("strikethrough", 5, 5)]),
    (A + "<blockquote>" + A + "</blockquote>", A + A, [_e("blockquote", 5, 5)]),
    (
        A + "<i>" + A + "</i><b>" + A + "</b>",
        A * 3,
        [_e("italic", 5, 5), _e("bold", 10, 5)],
    ),
    (S + "<i>🏟 &lt🏟</i>", S + "🏟 <🏟", [_e("italic", 5, 6)]),
    (
        S + "<i>🏟 &gt;<b aba   =   caba>&lt🏟</b></i>",
        S + "🏟 ><🏟",
        [_e("italic", 5, 7), _e("bold", 9, 3)],
    ),
    (S + "&lt;<i    aba  =  190azAz-.   >a</i>", S + "<a", [_e("italic", 6, 1)]),
    (S + "&lt;<i    aba  =  190azAz-.>a</i>", S + "<a", [_e("italic", 6, 1)]),
    (S + '&lt;<i    aba  =  "&lt;&gt;&quot;">a</i>', S + "<a", [_e("italic", 6, 1)]),
    (S + "&lt;<i    aba  =  '&lt;&gt;&quot;'>a</i>", S + "<a", [_e("italic", 6, 1)]),
    (S + "&lt;<i    aba  =  '&lt;&gt;&quot;'>a</>", S + "<a", [_e("italic", 6, 1)]),
    (S + "&lt;<i>🏟 🏟&lt;</>", S + "<🏟 🏟<", [_e("italic", 6, 6)]),
    (S + "&lt;<i>a</    >", S + "<a", [_e("italic", 6, 1)]),
    (S + "&lt;<i>a</i   >", S + "<a", [_e("italic", 6, 1)]),
    (S + "&lt;<b></b>", S + "<", []),
    ("<i>\t</i>", "\t", [_e("italic", 0, 1)]),
    ("<i>\r</i>", "\r", [_e("italic", 0, 1)]),
    ("<i>\n</i>", "\n", [_e("italic", 0, 1)]),
    (
        A + '<span class = "tg-spoiler">' + A + "</span><b>" + A + "</b>",
        A * 3,
        [_e("spoiler", 5, 5), _e("bold", 10, 5)],
    ),
    (S + '<span class="tg-spoiler">🏟 &lt🏟</span>', S + "🏟 <🏟", [_e("spoiler", 5, 6)]),
    (
        S + '<span class="tg-spoiler">🏟 &gt;<b aba   =   caba>&lt🏟</b></span>',
        S + "🏟 ><🏟",
        [_e("spoiler", 5, 7), _e("bold", 9, 3)],
    ),
    (
        A + "<tg-spoiler>" + A + "</tg-spoiler><b>" + A + "</b>",
        A * 3,
        [_e("spoiler", 5, 5), _e("bold", 10, 5)],
    ),
    (S + "<tg-spoiler>🏟 &lt🏟</tg-spoiler>", S + "🏟 <🏟", [_e("spoiler", 5, 6)]),
    (
        S + "<tg-spoiler>🏟 &gt;<b aba   =   caba>&lt🏟</b></tg-spoiler>",
        S + "🏟 ><🏟",
        [_e("spoiler", 5, 7), _e("bold", 9, 3)],
    ),
    ("<a href=telegram.org>\t</a>", "\t", [_e("text_link", 0, 1, url="http://telegram.org/")]),
    ("<a href=telegram.org>\r</a>", "\r", [_e("text_link", 0, 1, url="http://telegram.org/")]),
    ("<a href=telegram.org>\n</a>", "\n", [_e("text_link", 0, 1, url="http://telegram.org/")]),
    (
        "<code><i><b> </b></i></code><i><b><code> </code></b></i>",
        "  ",
        [
            _e("code", 0, 1),
            _e("bold", 0, 1),
            _e("italic", 0, 1),
            _e("code", 1, 1),
            _e("bold", 1, 1),
            _e("italic", 1, 1),
        ],
    ),
    (
        "<i><b> </b> <code> </code></i>",
        "   ",
        [_e("italic", 0, 3), _e("bold", 0, 1), _e("code", 2, 1)],
    ),
    ("<a href=telegram.org> </a>", " ", [_e("text_link", 0, 1, url="http://telegram.org/")]),
    (
        '<a href  ="telegram.org"   > </a>',
        " ",
        [_e("text_link", 0, 1, url="http://telegram.org/")],
    ),
    (
        "<a   href=  'telegram.org'   > </a>",
        " ",
        [_e("text_link", 0, 1, url="http://telegram.org/")],
    ),
    (
        "<a   href=  'telegram.org?&lt;'   > </a>",
        " ",
        [_e("text_link", 0, 1, url="http://telegram.org/?<")],
    ),
    ("<a> </a>", " ", []),
    ("<a>telegram.org </a>", "telegram.org ", []),
    ("<a>telegram.org</a>", "telegram.org", [_e("text_link", 0, 12, url="http://telegram.org/")]),
    (
        "<a>https://telegram.org/asdsa?asdasdwe#12e3we</a>",
        "https://telegram.org/asdsa?asdasdwe#12e3we",
        [_e("text_link", 0, 42, url="https://telegram.org/asdsa?asdasdwe#12e3we")],
    ),
    (S + "&lt;<pre  >🏟 🏟&lt;</>", S + "<🏟 🏟<", [_e("pre", 6, 6)]),
    (S + "&lt;<code >🏟 🏟&lt;</>", S + "<🏟 🏟<", [_e("code", 6, 6)]),
    (S + "&lt;<pre><code>🏟 🏟&lt;</code></>", S + "<🏟 🏟<", [_e("pre", 6, 6), _e("code", 6, 6)]),
    (
        S + '&lt;<pre><code class="language-">🏟 🏟&lt;</code></>',
        S + "<🏟 🏟<",
        [_e("pre", 6, 6), _e("code", 6, 6)],
    ),
    (
        S + '&lt;<pre><code class="language-fift">🏟 🏟&lt;</></>',
        S + "<🏟 🏟<",
        [_e("pre", 6, 6, language="fift")],
    ),
    (
        S + '&lt;<code class="language-fift"><pre>🏟 🏟&lt;</></>',
        S + "<🏟 🏟<",
        [_e("pre", 6, 6, language="fift")],
    ),
    (
        S + '&lt;<pre><code class="language-fift">🏟 🏟&lt;</> </>',
        S + "<🏟 🏟< ",
        [_e("pre", 6, 7), _e("code", 6, 6)],
    ),
    (
        S + '&lt;<pre> <code class="language-fift">🏟 🏟&lt;</></>',
        S + "< 🏟 🏟<",
        [_e("pre", 6, 7), _e("code", 7, 6)],
    ),
    (
        A + '<tg-emoji emoji-id = "12345">' + A + "</tg-emoji><b>" + A + "</b>",
        A * 3,
        [_e("custom_emoji", 5, 5, custom_emoji_id="12345"), _e("bold", 10, 5)],
    ),
    (
        S + '<tg-emoji emoji-id="54321">🏟 &lt🏟</tg-emoji>',
        S + "🏟 <🏟",
        [_e("custom_emoji", 5, 6, custom_emoji_id="54321")],
    ),
    (
        S + '<b aba   =   caba><tg-emoji emoji-id="1">🏟</tg-emoji>1</b>',
        S + "🏟1",
        [_e("bold", 5, 3), _e("custom_emoji", 5, 2, custom_emoji_id="1")],
    ),
    (
        '<blockquote   cite="" askdlbas nasjdbaj nj12b3>a&lt;<pre  >b;</></>',
        "a<b;",
        [_e("blockquote", 0, 4), _e("pre", 2, 2)],
    ),
    (
        "<blockquote   expandable>a&lt;<pre  >b;</></>",
        "a<b;",
        [_e("expandable_blockquote", 0, 4), _e("pre", 2, 2)],
    ),
    (
        "<blockquote   expandable   asd>a&lt;<pre  >b;</></>",
        "a<b;",
        [_e("expandable_blockquote", 0, 4), _e("pre", 2, 2)],
    ),
    (
        "<blockquote   expandable=false>a&lt;<pre  >b;</></>",
        "a<b;",
        [_e("expandable_blockquote", 0, 4), _e("pre", 2, 2)],
    ),
]


@pytest.mark.parametrize(("markup", "reason"), TDLIB_ERRORS)
def test_tdlib_error_cases(markup: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(markup)
    assert str(caught.value) == reason


@pytest.mark.parametrize(("markup", "text", "entities"), TDLIB_RESULTS)
def test_tdlib_parse_cases(markup: str, text: str, entities: list[dict[str, object]]) -> None:
    assert parse_html(markup) == (text, entities)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("AT&T a & b", "AT&T a & b"),
        ("&nbsp;&mdash;", "&nbsp;&mdash;"),
        ("&#X41;&#x41;&#65;", "&#X41;AA"),  # TDLib reads only a lower-case x as hexadecimal
        ("&#0;&#1114111;", "&#0;&#1114111;"),  # 0 and U+10FFFF are no characters for TDLib
        ("&amp&lt;b&gt", "&<b>"),  # the semicolon is optional
    ],
)
def test_stray_ampersands_stay_literal(markup: str, text: str) -> None:
    assert parse_html(markup) == (text, [])


@pytest.mark.parametrize(
    ("href", "url"),
    [
        ("https://Example.ORG", "https://example.org/"),
        ("HTTP://e.org/path?q=1#top", "http://e.org/path?q=1#top"),
        ("e.org/a b", "http://e.org/a%20b"),
        ("https://e.org:8443/x", "https://e.org:8443/x"),
        ("tg://resolve?domain=vestnik", "tg://resolve?domain=vestnik"),
        ("ftp://e.org/file", None),  # only http(s) and Telegram's own schemes
        ("https://localhost/", None),  # a host needs a dot
        (" https://e.org/", None),  # no trimming: the scheme is " https"
        ("https://e.org:99999/", None),
        ("https://e^org/", None),
        ("tg://user?id=0", "tg://user?id=0"),  # no user: an ordinary tg:// link
    ],
)
def test_links_are_checked_and_normalised_like_tdlib(href: str, url: str | None) -> None:
    text, entities = parse_html(f'<a href="{href}">тут</a>')
    assert text == "тут"
    assert entities == ([] if url is None else [_e("text_link", 0, 3, url=url)])


def test_attribute_names_are_case_sensitive() -> None:
    # TDLib compares attribute names as written: HREF is not href, so the text is the URL.
    assert parse_html('<a HREF="https://x.org/">e.org</a>') == (
        "e.org",
        [_e("text_link", 0, 5, url="http://e.org/")],
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a/1",
        "https://e.org",
        "http://e.org?x=1",
        "https://e.org#top",
        "https://news.e.kz/статья",
        "https://x-y.org/path/with\x7fdel",
        "https://e.org/a b",
        "HTTPS://E.org/",
        "https://e.org:443/",
        "https://user@e.org/",
    ],
)
def test_fast_path_for_plain_urls_agrees_with_the_full_check(url: str) -> None:
    assert checked_link(url) == checked_link_slowly(url)
