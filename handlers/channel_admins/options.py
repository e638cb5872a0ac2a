"""`/interval`, `/catchup`, `/timezone`, `/signature`, `/silent`: per-channel post options.

Each shows the current value without arguments and changes it with one; bad input gets a
usage text and changes nothing. The role check and the audit happen in `run_command`.
"""

from __future__ import annotations

import re

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Message

from bot.desk.audit import DONE, Result, failed
from bot.digits import is_digits
from bot.formatting.telegram_html import escape_html
from bot.publishing.errors import PublishingError
from bot.timezones import iana_name
from handlers.channel_admins.settings import OFF_WORDS, guard
from handlers.editors.common import Command, Env, publishing_error, title
from storage.models.channel import CatchupPolicy, Channel

MAX_INTERVAL_MINUTES = 24 * 60
MAX_SKIP_HOURS = 7 * 24
ON_WORDS = frozenset({"on", "вкл", "да", "yes"})
MINUTE_WORDS = frozenset({"м", "мин", "минут", "минуты", "минута", "min", "mins", "minutes"})
CATCHUP_WORDS: dict[str, CatchupPolicy] = {
    "now": "publish_now",
    "publish_now": "publish_now",
    "сразу": "publish_now",
    "spread": "spread",
    "распределить": "spread",
    "skip": "skip_older",
    "skip_older": "skip_older",
    "пропустить": "skip_older",
    "пропускать": "skip_older",
}
# What the HTML check says (bot.formatting.telegram_html), as a text key and its fields:
# every reason it can give has its own words, so an admin never reads the English one.
_HTML_PROBLEMS = (
    (re.compile(r"unescaped '(.)'"), "admin.signature.bad.unescaped"),
    (re.compile(r"unclosed <([\w-]+)>"), "admin.signature.bad.unclosed"),
    (re.compile(r"unsupported tag <([\w-]+)>"), "admin.signature.bad.tag"),
    (re.compile(r"</([\w-]+)> at \d+ but expected"), "admin.signature.bad.order"),
    (re.compile(r"<(a)> at \d+ needs an http"), "admin.signature.bad.link"),
    (re.compile(r"(?:unsupported entity|invalid character reference) '([^']*)'"),
     "admin.signature.bad.entity"),
    (re.compile(r"malformed tag '([^']*)'"), "admin.signature.bad.malformed"),
    (re.compile(r"attributes in closing tag </([\w-]+)>"), "admin.signature.bad.malformed"),
    (re.compile(r"unsupported or repeated attribute '([^']*)'"), "admin.signature.bad.attribute"),
    (re.compile(r"<([\w-]+)> at \d+ needs "), "admin.signature.bad.needs"),
    (re.compile(r"<([\w-]+)> at \d+ (?:inside|nested)"), "admin.signature.bad.nesting"),
    (re.compile(r"<([\w-]+)(?: class=\.\.\.)?> at \d+ must be"), "admin.signature.bad.needs"),
    (re.compile(r"is (\d+) characters"), "admin.signature.bad.length"),
)  # fmt: skip


def _minutes(seconds: int) -> int:
    return seconds // 60


async def interval(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show, set (`/interval 30`, minutes) or clear (`/interval off`) the least gap."""
    if not args:
        await env.say("admin.interval.show", title=title(channel), value=_interval(env, channel))
        return DONE
    minutes = _parse_minutes(args)
    if minutes is None:
        await env.say("admin.interval.usage", max=MAX_INTERVAL_MINUTES)
        return failed("bad_value", " ".join(args))
    work = env.desk.publisher.set_min_interval(channel.id, minutes * 60)
    changed = await guard(env, work, args)
    if isinstance(changed, Result):
        return changed
    await env.say("admin.interval.set", title=title(channel), value=_interval(env, changed))
    return DONE


def _parse_minutes(args: list[str]) -> int | None:
    """Minutes from `30`, `30 мин` or `off`/`0`; None for anything else or out of range."""
    if len(args) == 1 and args[0].lower() in OFF_WORDS:
        return 0
    number = args[0].lower()
    unit = args[1:]
    for word in MINUTE_WORDS:
        if not unit and number.endswith(word) and is_digits(number[: -len(word)]):
            number = number[: -len(word)]
            break
    if not is_digits(number) or len(unit) > 1 or (unit and unit[0].lower() not in MINUTE_WORDS):
        return None
    minutes = int(number)
    return minutes if minutes <= MAX_INTERVAL_MINUTES else None


def _interval(env: Env, channel: Channel) -> str:
    if channel.min_interval <= 0:
        return env.t("admin.interval.none")
    minutes = _minutes(channel.min_interval)
    if minutes * 60 != channel.min_interval or minutes == 0:
        return env.t("admin.seconds", n=channel.min_interval)
    return env.t("admin.minutes", n=minutes)


async def catchup(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show or set what happens to missed slots after downtime (`/catchup skip 6`)."""
    if not args:
        await env.say("admin.catchup.show", title=title(channel), policy=_policy(env, channel))
        return DONE
    parsed = _parse_catchup(args)
    if parsed is None:
        await env.say("admin.catchup.usage")
        return failed("bad_value", " ".join(args))
    policy, hours = parsed
    max_age = hours * 3600 if hours is not None else None
    work = env.desk.publisher.set_catchup(channel.id, policy, max_age)
    changed = await guard(env, work, args)
    if isinstance(changed, Result):
        return changed
    await env.say("admin.catchup.set", title=title(channel), policy=_policy(env, changed))
    return DONE


def _parse_catchup(args: list[str]) -> tuple[CatchupPolicy, int | None] | None:
    """`now`, `spread`, `skip <hours>` (or Russian); `skip` alone keeps the current limit."""
    policy = CATCHUP_WORDS.get(args[0].lower())
    if policy is None or len(args) > 2:
        return None
    if policy != "skip_older":
        return (policy, None) if len(args) == 1 else None
    if len(args) == 1:
        return policy, None
    hours = args[1].lower().removesuffix("ч").removesuffix("h")
    if not is_digits(hours) or not 0 < int(hours) <= MAX_SKIP_HOURS:
        return None
    return policy, int(hours)


def _policy(env: Env, channel: Channel) -> str:
    if channel.catchup == "skip_older":
        hours = env.t("admin.hours.older", n=max(1, channel.catchup_max_age // 3600))
        return env.t("admin.catchup.skip_older", hours=hours)
    return env.t(f"admin.catchup.{channel.catchup}")


async def timezone(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show or set the channel's time zone (`/timezone Europe/Moscow`)."""
    if not args:
        await env.say("admin.timezone.show", title=title(channel), zone=channel.timezone)
        return DONE
    zone = iana_name(args[0]) if len(args) == 1 else None
    if zone is None:
        await env.say("admin.timezone.unknown", zone=" ".join(args))
        return failed("unknown_zone", " ".join(args))
    changed = await guard(env, env.desk.publisher.set_timezone(channel.id, zone), args)
    if isinstance(changed, Result):
        return changed
    await env.say("admin.timezone.set", title=title(channel), zone=changed.timezone)
    return DONE


async def signature(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show, set (`/signature <b>Вестник</b>`, Telegram HTML) or clear (`off`) the signature."""
    if not args:
        current = channel.template.signature
        if current:
            await _show_signature(env, "admin.signature.show", channel, current)
        else:
            await env.say("admin.signature.none", title=title(channel))
        return DONE
    text = _rest_of_message(env, args)
    value = None if text.lower() in OFF_WORDS else text
    try:
        changed = await env.desk.publisher.set_template(channel.id, signature=value)
    except PublishingError as exc:
        await env.send(_signature_problem(env, exc))
        return failed(exc.code, text)
    if changed.template.signature is None:
        await env.say("admin.signature.cleared", title=title(channel))
    else:
        await _show_signature(env, "admin.signature.set", channel, changed.template.signature)
    return DONE


async def _show_signature(env: Env, key: str, channel: Channel, signature: str) -> None:
    """The signature as posts show it: its HTML formatted, not its tags (the check that
    stored it guarantees Telegram parses it); the words around it are escaped."""
    marker = "\x00signature\x00"
    text = escape_html(env.t(key, title=title(channel), signature=marker))
    try:
        await env.send(text.replace(marker, signature), html=True)
    except TelegramBadRequest:  # a signature stored before the check existed
        await env.say(key, title=title(channel), signature=signature)


def _rest_of_message(env: Env, args: list[str]) -> str:
    """The arguments as typed (line breaks kept) when they are the tail of the message."""
    text = env.event.text if isinstance(env.event, Message) else None
    if text:
        skip = len(text.split()) - len(args)
        parts = text.split(maxsplit=skip) if skip > 0 else []
        if len(parts) == skip + 1 and parts[skip].split() == args:
            return parts[skip].strip()
    return " ".join(args)


def _signature_problem(env: Env, exc: PublishingError) -> str:
    """Why the signature was refused, in the user's words where the check's reason is known."""
    if exc.code != "bad_value" or "invalid post template" not in exc.message:
        return publishing_error(env, exc)
    key, what = html_problem(exc.message.removeprefix("invalid post template: "))
    return env.t("admin.signature.bad", reason=env.t(key, what=what))


def html_problem(detail: str) -> tuple[str, str]:
    """The text key and its `what` for a reason the signature check gave (English)."""
    for pattern, key in _HTML_PROBLEMS:
        found = pattern.search(detail)
        if found:
            return key, found.group(1)
    return "admin.signature.bad.other", ""


async def silent(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show or set whether slot posts go out without sound (`/silent on|off`)."""
    if not args:
        await env.say(_silent_key(channel, "show"), title=title(channel))
        return DONE
    word = args[0].lower() if len(args) == 1 else ""
    if word not in ON_WORDS and word not in OFF_WORDS:
        await env.say("admin.silent.usage")
        return failed("bad_value", " ".join(args))
    work = env.desk.publisher.set_silent_slot_posts(channel.id, word in ON_WORDS)
    changed = await guard(env, work, args)
    if isinstance(changed, Result):
        return changed
    await env.say(_silent_key(changed, "set"), title=title(channel))
    return DONE


def _silent_key(channel: Channel, verb: str) -> str:
    return f"admin.silent.{verb}.{'on' if channel.silent_slot_posts else 'off'}"


OPTION_COMMANDS = (
    Command("interval", "admin", interval, reads_without_args=True),
    Command("catchup", "admin", catchup, reads_without_args=True),
    Command("timezone", "admin", timezone, reads_without_args=True),
    Command("signature", "admin", signature, reads_without_args=True),
    Command("silent", "admin", silent, reads_without_args=True),
)
