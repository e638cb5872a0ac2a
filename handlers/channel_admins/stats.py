"""`/stats [day|week|month]`: published, failed by reason, queued, subscribers, pushes."""

from __future__ import annotations

from bot.desk.admin import parse_period
from bot.desk.progress import number
from handlers.editors.common import Command, Env, title
from storage.models.channel import Channel


async def stats(env: Env, channel: Channel, args: list[str]) -> None:
    """The channel's numbers for the period (default: today)."""
    period = parse_period(args[0] if args else None)
    if period is None:
        await env.say("admin.stats.usage")
        return
    report = await env.desk.admin.stats(channel.id, period)
    rubrics = {r.slug: r.name for r in await _rubrics(env)}
    lines = [
        env.t("admin.stats.title", title=title(channel), period=env.t(f"admin.period.{period}")),
        env.t(
            "admin.stats.published", n=report.published, value=number(report.published, env.locale)
        ),
        env.t("admin.stats.pushes", n=report.pushes, value=number(report.pushes, env.locale)),
        env.t("admin.stats.queued", n=report.queued, value=number(report.queued, env.locale)),
    ]
    failed_total = sum(report.failed.values())
    if failed_total:
        reasons = ", ".join(
            f"{reason} — {number(count, env.locale)}"
            for reason, count in sorted(report.failed.items())
        )
        lines.append(env.t("admin.stats.failed", n=failed_total, reasons=reasons))
    else:
        lines.append(env.t("admin.stats.no_failures"))
    if report.subscribers:
        lines.append(env.t("admin.stats.subscribers"))
        for slug, count in sorted(report.subscribers.items(), key=lambda kv: -kv[1]):
            lines.append(f"• {rubrics.get(slug, slug)} — {number(count, env.locale)}")
    await env.send("\n".join(lines))


async def _rubrics(env: Env) -> list:  # type: ignore[type-arg]
    repo = env.desk.service("rubrics")
    return list(await repo.all()) if repo is not None else []


STATS_COMMANDS = (Command("stats", "admin", stats, mutates=False),)
