"""Telegram's entity nesting rules (TDLib ``fix_entities``), alone and over HTTP."""

from __future__ import annotations

import pytest

from sandbox.entity_rules import fix_entities, trim
from sandbox.testing import RunningSandbox
from tests.sandbox.conftest import BotApi

Entity = dict[str, object]


def _e(kind: str, offset: int, length: int, **extra: str) -> Entity:
    return {"type": kind, "offset": offset, "length": length, **extra}


# TDLib's check_fix_formatted_text cases (test/message_entities.cpp) that involve neither
# removed characters nor automatically found URLs.
TDLIB_FIX_CASES = [
    ([_e("italic", 1, 1), _e("italic", 0, 1)], [_e("italic", 0, 2)]),
    ([_e("italic", 1, 1), _e("italic", 1, 1)], [_e("italic", 1, 1)]),
    ([_e("italic", 0, 2), _e("italic", 1, 2)], [_e("italic", 0, 3)]),
    ([_e("italic", 0, 2), _e("italic", 2, 1)], [_e("italic", 0, 3)]),
    ([_e("italic", 0, 1), _e("italic", 2, 1)], [_e("italic", 0, 1), _e("italic", 2, 1)]),
    (
        [_e("italic", 0, 2), _e("bold", 1, 2)],
        [_e("italic", 0, 1), _e("bold", 1, 2), _e("italic", 1, 1)],
    ),
    ([_e("italic", 0, 2), _e("bold", 2, 1)], [_e("italic", 0, 2), _e("bold", 2, 1)]),
    (
        [_e("underline", 0, 2), _e("strikethrough", 1, 1)],
        [_e("underline", 0, 1), _e("underline", 1, 1), _e("strikethrough", 1, 1)],
    ),
    (
        [_e("strikethrough", 0, 2), _e("underline", 1, 1)],
        [_e("strikethrough", 0, 1), _e("underline", 1, 1), _e("strikethrough", 1, 1)],
    ),
    (
        [_e("strikethrough", 0, 1), _e("strikethrough", 1, 1), _e("underline", 1, 1)],
        [_e("strikethrough", 0, 1), _e("underline", 1, 1), _e("strikethrough", 1, 1)],
    ),
    ([_e("underline", 0, 2), _e("spoiler", 0, 1)], [_e("underline", 0, 2), _e("spoiler", 0, 1)]),
    (
        [_e("underline", 0, 1), _e("underline", 1, 1), _e("spoiler", 0, 1)],
        [_e("underline", 0, 2), _e("spoiler", 0, 1)],
    ),
    ([_e("pre", 0, 1), _e("spoiler", 0, 1)], [_e("pre", 0, 1)]),
    ([_e("spoiler", 0, 1), _e("pre", 0, 1)], [_e("pre", 0, 1)]),
    ([_e("pre", 0, 3), _e("strikethrough", 1, 1)], [_e("pre", 0, 3)]),
    (
        [_e("pre", 1, 1), _e("strikethrough", 0, 3)],
        [_e("strikethrough", 0, 1), _e("pre", 1, 1), _e("strikethrough", 2, 1)],
    ),
    ([_e("pre", 1, 1), _e("strikethrough", 1, 2)], [_e("pre", 1, 1), _e("strikethrough", 2, 1)]),
    ([_e("pre", 1, 1), _e("strikethrough", 0, 2)], [_e("strikethrough", 0, 1), _e("pre", 1, 1)]),
    ([_e("pre", 0, 3), _e("blockquote", 1, 1)], [_e("blockquote", 1, 1)]),
    ([_e("blockquote", 0, 3), _e("pre", 1, 1)], [_e("blockquote", 0, 3), _e("pre", 1, 1)]),
]


@pytest.mark.parametrize(("given", "fixed"), TDLIB_FIX_CASES)
def test_tdlib_fix_cases(given: list[Entity], fixed: list[Entity]) -> None:
    assert trim("abc", fix_entities(given)) == ("abc", fixed)


def test_tdlib_fix_then_trim() -> None:
    given = [_e("italic", 0, 2), _e("bold", 0, 1)]
    assert trim("a ", fix_entities(given)) == ("a", [_e("bold", 0, 1), _e("italic", 0, 1)])


def test_empty_entities_and_links_without_target_go() -> None:
    given = [_e("bold", 0, 0), _e("text_link", 0, 2), _e("text_link", 2, 1, url="")]
    assert fix_entities(given) == []


def test_trim_keeps_spaces_an_entity_begins_with() -> None:
    # TDLib trims the start only up to the first entity; the end is always trimmed.
    assert trim("  a  ", [_e("bold", 0, 5)]) == ("  a", [_e("bold", 0, 3)])
    assert trim(" \n a ", [_e("bold", 2, 2)]) == (" a", [_e("bold", 0, 2)])
    assert trim("a   ", [_e("bold", 0, 1), _e("italic", 2, 2)]) == ("a", [_e("bold", 0, 1)])
    assert trim(" \n\t ", [_e("bold", 0, 2)]) == ("", [])


@pytest.mark.parametrize(
    ("markup", "text", "entities"),
    [
        # nothing is formatted inside code or pre
        ("<code><b>x</b></code>", "x", [_e("code", 0, 1)]),
        ("<pre>a<i>b</i></pre>", "ab", [_e("pre", 0, 2)]),
        # a pre holds no code: <pre><code> without a language is just a pre
        ("<pre><code>x = 1</code></pre>", "x = 1", [_e("pre", 0, 5)]),
        # formatting around code is split around it
        ("<b>a<code>b</code>c</b>", "abc", [_e("bold", 0, 1), _e("code", 1, 1), _e("bold", 2, 1)]),
        # the same type nested in itself is one entity
        ("<b>a<b>b</b>c</b>", "abc", [_e("bold", 0, 3)]),
        ("<b>a</b><b>b</b>", "ab", [_e("bold", 0, 2)]),
        # blockquotes do not nest: the inner one goes
        ("<blockquote>a<blockquote>b</blockquote></blockquote>", "ab", [_e("blockquote", 0, 2)]),
        # links do not nest: the outer one stays
        (
            '<a href="https://a.org/">a<a href="https://b.org/">b</a></a>',
            "ab",
            [_e("text_link", 0, 2, url="https://a.org/")],
        ),
        # code and a link over the same text: code sorts first and wins
        ('<a href="https://a.org/"><code>x</code></a>', "x", [_e("code", 0, 1)]),
        # a link inside a blockquote stays
        (
            '<blockquote>a <a href="https://a.org/">b</a></blockquote>',
            "a b",
            [_e("blockquote", 0, 3), _e("text_link", 2, 1, url="https://a.org/")],
        ),
        # an entity keeps the spaces it begins with; trailing ones are trimmed
        ("<b> Заголовок </b>\n", " Заголовок", [_e("bold", 0, 10)]),
    ],
)
async def test_sent_messages_follow_the_nesting_rules(
    sandbox: RunningSandbox, api: BotApi, markup: str, text: str, entities: list[Entity]
) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    sent = await api.ok("sendMessage", chat_id=chat["id"], text=markup, parse_mode="HTML")
    assert sent["text"] == text
    assert sent.get("entities", []) == entities


async def test_explicit_entities_are_fixed_too(sandbox: RunningSandbox, api: BotApi) -> None:
    chat = await sandbox.client.create_private_chat("Ира")
    given = [_e("bold", 0, 2), _e("bold", 1, 2), _e("code", 3, 1), _e("italic", 3, 1)]
    sent = await api.ok("sendMessage", chat_id=chat["id"], text="abcd", entities=given)
    assert sent["entities"] == [_e("bold", 0, 3), _e("code", 3, 1)]
