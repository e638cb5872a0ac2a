"""`/hashtag`, `/breaking`, `/preview`: how a channel's posts look and read in a notification.

- `/hashtag` puts the rubric hashtag at the end of the post (the default), on top, or
  leaves it out;
- `/breaking` sets the marker before a breaking post's headline («⚡️ Срочно») and whether
  breaking posts are pinned — the same for the desk's «Срочно» and `vestnik queue
  --breaking`;
- `/preview` shows the source link's preview above or below a text post, or none.

Each shows the current value without arguments and changes it with one; bad input gets a
usage text and changes nothing. The role check and the audit happen in `run_command`.
"""

from __future__ import annotations

from bot.desk.audit import DONE, Result, failed
from bot.formatting.post import breaking_prefix
from handlers.channel_admins.options import ON_WORDS, _rest_of_message
from handlers.channel_admins.settings import OFF_WORDS, guard
from handlers.editors.common import Command, Env, title
from storage.models.channel import (
    MAX_BREAKING_MARKER,
    Channel,
    HashtagPosition,
    LinkPreviewMode,
)

HASHTAG_WORDS: dict[str, HashtagPosition] = {
    "end": "end",
    "bottom": "end",
    "конец": "end",
    "в конце": "end",
    "внизу": "end",
    "top": "top",
    "start": "top",
    "начало": "top",
    "в начале": "top",
    "сверху": "top",
    "вверху": "top",
}
PREVIEW_WORDS: dict[str, LinkPreviewMode] = {
    "above": "above",
    "top": "above",
    "сверху": "above",
    "над": "above",
    "над текстом": "above",
    "below": "below",
    "bottom": "below",
    "снизу": "below",
    "под": "below",
    "под текстом": "below",
}
PIN_WORDS = frozenset({"pin", "закреплять", "закрепить", "закрепление"})
# An example headline for showing how a breaking post will start.
_EXAMPLE_KEY = "admin.breaking.example"


def _words(args: list[str]) -> str:
    return " ".join(args).lower()


async def hashtag(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show or set where the rubric hashtag goes (`/hashtag конец | начало | выкл`)."""
    if not args:
        await env.say(_hashtag_key(channel, "show"), title=title(channel))
        return DONE
    word = _words(args)
    fields: dict[str, object]
    if word in OFF_WORDS:
        fields = {"show_hashtag": False}
    elif word in ON_WORDS:
        fields = {"show_hashtag": True}
    elif word in HASHTAG_WORDS:
        fields = {"show_hashtag": True, "hashtag_position": HASHTAG_WORDS[word]}
    else:
        await env.say("admin.hashtag.usage")
        return failed("bad_value", " ".join(args))
    changed = await guard(env, env.desk.publisher.set_template(channel.id, **fields), args)
    if isinstance(changed, Result):
        return changed
    await env.say(_hashtag_key(changed, "set"), title=title(channel))
    return DONE


def _hashtag_key(channel: Channel, verb: str) -> str:
    template = channel.template
    where = template.hashtag_position if template.show_hashtag else "off"
    return f"admin.hashtag.{verb}.{where}"


async def breaking(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show or set the breaking marker (`/breaking ⚡️ Молния`, `/breaking выкл`) and the
    pinning of breaking posts (`/breaking закреплять да | нет`)."""
    if not args:
        await env.say(
            "admin.breaking.show",
            title=title(channel),
            marker=_marker(env, channel),
            pin=env.t(f"admin.breaking.pin.{_on(channel.pin_breaking)}"),
        )
        return DONE
    if args[0].lower() in PIN_WORDS:
        return await _set_pin(env, channel, args[1:])
    text = " ".join(_rest_of_message(env, args).split())
    marker = None if text.lower() in OFF_WORDS else text
    if marker is not None and len(marker) > MAX_BREAKING_MARKER:
        await env.say("admin.breaking.too_long", n=len(marker), max=MAX_BREAKING_MARKER)
        return failed("bad_value", marker)
    work = env.desk.publisher.set_template(channel.id, breaking_marker=marker)
    changed = await guard(env, work, args)
    if isinstance(changed, Result):
        return changed
    if changed.template.breaking_marker is None:
        await env.say("admin.breaking.cleared", title=title(channel))
    else:
        example = f"{breaking_prefix(marker)} {env.t(_EXAMPLE_KEY)}"
        await env.say("admin.breaking.set", title=title(channel), example=example)
    return DONE


async def _set_pin(env: Env, channel: Channel, args: list[str]) -> Result:
    word = _words(args)
    if word not in ON_WORDS and word not in OFF_WORDS:
        await env.say("admin.breaking.pin_usage")
        return failed("bad_value", " ".join(args))
    work = env.desk.publisher.set_pin_breaking(channel.id, word in ON_WORDS)
    changed = await guard(env, work, args)
    if isinstance(changed, Result):
        return changed
    await env.say(f"admin.breaking.pin_set.{_on(changed.pin_breaking)}", title=title(channel))
    return DONE


def _marker(env: Env, channel: Channel) -> str:
    marker = channel.template.breaking_marker
    if not marker:
        return env.t("admin.breaking.no_marker")
    return env.t("admin.breaking.marker", marker=marker)


def _on(flag: bool) -> str:
    return "on" if flag else "off"


async def preview(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show or set the source link's preview in text posts (`/preview сверху | снизу | выкл`)."""
    if not args:
        await env.say("admin.preview.show", title=title(channel), mode=_preview(env, channel))
        return DONE
    word = _words(args)
    mode: LinkPreviewMode | None = "off" if word in OFF_WORDS else PREVIEW_WORDS.get(word)
    if mode is None:
        await env.say("admin.preview.usage")
        return failed("bad_value", " ".join(args))
    changed = await guard(env, env.desk.publisher.set_template(channel.id, link_preview=mode), args)
    if isinstance(changed, Result):
        return changed
    await env.say("admin.preview.set", title=title(channel), mode=_preview(env, changed))
    return DONE


def _preview(env: Env, channel: Channel) -> str:
    return env.t(f"admin.preview.{channel.template.link_preview}")


LAYOUT_COMMANDS = (
    Command("hashtag", "admin", hashtag, reads_without_args=True),
    Command("breaking", "admin", breaking, reads_without_args=True),
    Command("preview", "admin", preview, reads_without_args=True),
)
