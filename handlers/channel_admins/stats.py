"""`/stats [day|week|month]`: published, failed by reason, queued, subscribers, pushes.

The first block is the channel's own (published, failed by reason, queued); the second is
labelled as bot-wide: pushes sent to subscribers and subscribers per rubric the channel
publishes (readers subscribe to rubrics, not to channels).
"""

from __future__ import annotations

from typing import Any

from bot.desk.admin import StatsReport, parse_period
from bot.desk.audit import DONE, Result, failed
from bot.desk.progress import number, reasons_text
from handlers.editors.common import Command, Env, title
from storage.models.channel import Channel


async def stats(env: Env, channel: Channel, args: list[str]) -> Result:
    """The channel's numbers for the period (default: today)."""
    period = parse_period(args[0] if args else None)
    if period is None:
        await env.say("admin.stats.usage")
        return failed("bad_value", " ".join(args))
    report = await env.desk.admin.stats(channel, period)
    header = env.t(
        "admin.stats.title", title=title(channel), period=env.t(f"admin.period.{period}")
    )
    lines = [header, *_channel_lines(env, report), "", *await _bot_wide_lines(env, report)]
    await env.send("\n".join(lines))
    return DONE


def _channel_lines(env: Env, report: StatsReport) -> list[str]:
    """Published, queued and failed in THIS channel."""
    lines = [
        env.t(
            "admin.stats.published", n=report.published, value=number(report.published, env.locale)
        ),
        env.t("admin.stats.queued", n=report.queued, value=number(report.queued, env.locale)),
    ]
    failed_total = sum(report.failed.values())
    if failed_total:
        reasons = reasons_text(report.failed, env.i18n, env.locale)
        lines.append(
            env.t(
                "admin.stats.failed",
                n=failed_total,
                value=number(failed_total, env.locale),
                reasons=reasons,
            )
        )
    else:
        lines.append(env.t("admin.stats.no_failures"))
    return lines


async def _bot_wide_lines(env: Env, report: StatsReport) -> list[str]:
    """Pushes and subscribers: facts about the whole bot, labelled as such."""
    lines = [
        env.t("admin.stats.bot_wide"),
        env.t("admin.stats.pushes", value=number(report.pushes, env.locale)),
    ]
    if not report.subscribers:
        lines.append(env.t("admin.stats.no_subscribers"))
        return lines
    names = {r.slug: r.name for r in await _rubrics(env)}
    lines.append(env.t("admin.stats.subscribers"))
    for slug, count in sorted(report.subscribers.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"• {names.get(slug, slug)} — {number(count, env.locale)}")
    return lines


async def _rubrics(env: Env) -> list[Any]:
    repo = env.desk.service("rubrics")
    return list(await repo.all()) if repo is not None else []


STATS_COMMANDS = (Command("stats", "admin", stats, mutates=False),)
