"""`/channels`, `/slots`, `/route`, `/pause`, `/resume`, `/quiet`: publishing settings."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message

from bot.desk.audit import DONE, Result, failed
from bot.publishing.errors import PublishingError
from handlers.editors.common import (
    Command,
    Env,
    local_time,
    publishing_error,
    refuse_everywhere,
    title,
)
from storage.models.channel import Channel

ALL_WORDS = frozenset({"все", "всё", "all", "*"})
OFF_WORDS = frozenset({"off", "выкл", "нет", "none", "-"})


async def channels_command(message: Message, **data: Any) -> None:
    """`/channels`: every channel the user administers, with its state and queue."""
    env = Env.of(message, data)
    mine = {c.id for c in await env.roles.channels_for(env.user.id, "admin")}
    rows = [r for r in await env.desk.publisher.channel_overview() if r.channel.id in mine]
    if not rows:
        await refuse_everywhere(env, "/channels", "admin")
        return
    key = "admin.channels.title.one" if len(rows) == 1 else "admin.channels.title"
    lines = [env.t(key, n=len(rows))]
    for row in rows:
        lines.append(
            env.t(
                "admin.channels.line",
                title=title(row.channel),
                id=row.channel.id,
                status=_status(env, row.channel),
                queue=env.t("admin.posts", n=row.queue_length),
                next=local_time(env, row.next_slot, row.channel.timezone),
                routing=await _routing(env, row.channel),
            )
        )
    await env.send("\n\n".join(lines))


def _status(env: Env, channel: Channel) -> str:
    if not channel.active:
        return env.t("admin.status.inactive")
    return env.t("admin.status.paused" if channel.paused else "admin.status.active")


async def _routing(env: Env, channel: Channel) -> str:
    """The rubrics the channel publishes, by name."""
    if channel.routing is None:
        return env.t("admin.routing.all")
    repo = env.desk.service("rubrics")
    names = {r.slug: r.name for r in await repo.all()} if repo is not None else {}
    return ", ".join(names.get(slug, slug) for slug in channel.routing) or "—"


async def guard(env: Env, work: Any, args: list[str]) -> Channel | Result:
    """The changed channel, or what failed (for the audit) after telling the user why."""
    try:
        changed: Channel = await work
    except PublishingError as exc:
        await env.send(publishing_error(env, exc))
        return failed(exc.code, " ".join(args))
    return changed


async def slots(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show the slots, or set them (`/slots 09:00 12:00 18:00`)."""
    if not args:
        shown = ", ".join(channel.slots) or env.t("admin.slots.none")
        await env.say("admin.slots.show", title=title(channel), slots=shown)
        return DONE
    times = [t for arg in args for t in arg.replace(",", " ").split()]
    changed = await guard(env, env.desk.publisher.set_slots(channel.id, times), args)
    if isinstance(changed, Result):
        return changed
    await env.say("admin.slots.set", title=title(channel), slots=", ".join(changed.slots))
    return DONE


async def route(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show the rubrics, or set them (`/route Политика, Экономика` or `/route все`)."""
    if not args:
        await env.say(
            "admin.route.show", title=title(channel), rubrics=await _routing(env, channel)
        )
        return DONE
    names = [n.strip() for n in " ".join(args).split(",") if n.strip()]
    wanted = None if len(names) == 1 and names[0].lower() in ALL_WORDS else names
    changed = await guard(env, env.desk.publisher.set_routing(channel.id, wanted), args)
    if isinstance(changed, Result):
        return changed
    await env.say("admin.route.set", title=title(channel), rubrics=await _routing(env, changed))
    return DONE


async def pause(env: Env, channel: Channel, args: list[str]) -> Result:
    """Stop publishing (posts keep queueing)."""
    return await _switch(env, channel, args, env.desk.publisher.pause(channel.id), "pause")


async def resume(env: Env, channel: Channel, args: list[str]) -> Result:
    """Publish again (the catch-up policy decides about missed slots)."""
    return await _switch(env, channel, args, env.desk.publisher.resume(channel.id), "resume")


async def _switch(env: Env, channel: Channel, args: list[str], work: Any, verb: str) -> Result:
    changed = await guard(env, work, args)
    if isinstance(changed, Result):
        return changed
    await env.say(f"admin.{verb}.done", title=title(channel))
    return DONE


async def quiet(env: Env, channel: Channel, args: list[str]) -> Result:
    """Show, set (`/quiet 23:00-07:00`) or clear (`/quiet off`) quiet hours."""
    if not args:
        current = channel.quiet
        shown = f"{current.start}–{current.end}" if current else env.t("admin.quiet.none")
        await env.say("admin.quiet.show", title=title(channel), hours=shown)
        return DONE
    text = "".join(args)
    start = None if text.lower() in OFF_WORDS else text.replace("–", "-").replace("—", "-")
    changed = await guard(env, env.desk.publisher.set_quiet(channel.id, start), args)
    if isinstance(changed, Result):
        return changed
    if changed.quiet is None:
        await env.say("admin.quiet.cleared", title=title(channel))
    else:
        hours = f"{changed.quiet.start}–{changed.quiet.end}"
        await env.say("admin.quiet.set", title=title(channel), hours=hours)
    return DONE


SETTINGS_COMMANDS = (
    Command("slots", "admin", slots, reads_without_args=True),
    Command("route", "admin", route, reads_without_args=True),
    Command("pause", "admin", pause, fresh=True),
    Command("resume", "admin", resume),
    Command("quiet", "admin", quiet, reads_without_args=True),
)
