"""How fast each `vestnik` command that never talks to Telegram answers, start to exit.

Every command runs as a fresh process, the way an operator types it: `--help`,
`typograph` (a paragraph on stdin), `preview FILE`, `import FILE`, `channels`,
`ledger ID`, `queue ID --channel ID --at …` and `retract ID`, against a redis-server of the
benchmark's own (REDIS_URL; no BOT_TOKEN). Each command runs `ROUNDS` times on fresh input
(a new file to import, a new article to queue or retract); the median wall time is
reported, with the best one and the median CPU time (user + system of the process), next to
a bare `python -c pass` and `import aiogram.types` for scale. The machine is shared: CPU
time barely depends on the load, wall time does. Target: every command <= 0.5 s.

The code measured is the checkout this file lives in (PYTHONPATH), so the same file run
from another checkout measures that one: `python -m bench cli`.
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from storage.articles import ArticleRepo
from storage.channels import ChannelRepo
from storage.keys import Keys
from storage.models.article import Article
from storage.models.channel import Channel

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "politika-tokayev-almaty-hub.txt"
ROUNDS = 5
TARGET_S = 0.5
CHANNEL = -1001000000777
PREFIX = "bench"
_SETTINGS = ("BOT_TOKEN", "REDIS_URL", "REDIS_PREFIX", "DATA_DIR", "TELEGRAM_API_URL")


class Vestnik:
    """Runs `vestnik` commands of this checkout in fresh processes; times them."""

    def __init__(self, redis_url: str, workdir: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k not in _SETTINGS}
        env.update(
            REDIS_URL=redis_url,
            REDIS_PREFIX=PREFIX,
            DATA_DIR=str(workdir / "data"),
            BOT_TOKEN="",
            PYTHONPATH=str(ROOT),
        )
        self.env = env
        self.workdir = workdir  # no .env there

    def run(self, args: Sequence[str], stdin: bytes = b"") -> tuple[Timing, str]:
        """Wall and CPU seconds from start to exit, and stdout; a failing command stops
        the benchmark."""
        command = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]
        with _timing() as timing:
            done = subprocess.run(
                [*command, *args], input=stdin, capture_output=True, env=self.env, cwd=self.workdir
            )
        if done.returncode != 0:
            raise RuntimeError(f"vestnik {' '.join(args)}: {done.stderr.decode()[-500:]}")
        return timing, done.stdout.decode()

    def python(self, code: str) -> Timing:
        """What a bare interpreter takes to run `code`."""
        with _timing() as timing:
            subprocess.run([sys.executable, "-c", code], check=True, env=self.env, cwd=self.workdir)
        return timing


@dataclass
class Timing:
    """One child process: wall seconds, and CPU seconds (user + system)."""

    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def _timing() -> Iterator[Timing]:
    """Time the child processes run inside the block (one at a time)."""
    timing = Timing()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    yield timing
    timing.wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timing.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _article_file(folder: Path, number: int) -> Path:
    """The sample with its own headline, so each import stores a new article."""
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "Токаев: Алматы", f"Токаев ({number}): Алматы", 1
    )
    path = folder / f"article-{number}.txt"
    path.write_text(text, encoding="utf-8")
    return path


async def _seed(redis_url: str, count: int) -> list[str]:
    """The channel `queue` plans posts for (as the bot registers one) and `count` stored
    articles for `ledger`, `queue` and `retract`; their ids."""
    redis = Redis.from_url(redis_url, decode_responses=True)
    try:
        keys = Keys(PREFIX)
        channel = Channel(id=CHANNEL, title="Вестник: бенчмарк", slots=["09:00"])
        await ChannelRepo(redis, keys).save(channel)
        articles = ArticleRepo(redis, keys)
        ids = []
        for number in range(count):
            article = Article(rubric="Политика", headline=f"Новость {number}", lead="Лид.")
            ids.append((await articles.store(article)).article_id)
        return ids
    finally:
        await redis.aclose()


def _measure(vestnik: Vestnik, folder: Path, ids: list[str]) -> dict[str, list[Timing]]:
    paragraph = SAMPLE.read_bytes()
    times: dict[str, list[Timing]] = {}

    def timed(name: str, args: Sequence[str], stdin: bytes = b"") -> str:
        took, out = vestnik.run(args, stdin)
        times.setdefault(name, []).append(took)
        return out

    for n in range(ROUNDS):
        timed("--help", ["--help"])
        timed("typograph", ["typograph"], paragraph)
        timed("preview", ["preview", str(SAMPLE)])
        timed("import", ["import", str(_article_file(folder, n))])
        timed("channels", ["channels"])
        timed("ledger", ["ledger", ids[n]])
        at = f"2099-01-{n + 1:02d}T09:30"
        timed("queue", ["queue", ids[n], "--channel", str(CHANNEL), "--at", at])
        timed("retract", ["retract", ids[ROUNDS + n]])
    return times


def run() -> dict[str, float | str]:
    """Start Redis, time every command; medians, best times and the slowest median."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        server = RedisServerProcess(workdir / "redis", persistent=False)
        server.start()
        try:
            ids = asyncio.run(_seed(server.url, 2 * ROUNDS))
            vestnik = Vestnik(server.url, workdir)
            times = _measure(vestnik, workdir, ids)
            bare = min((vestnik.python("pass") for _ in range(3)), key=lambda t: t.wall)
            aiogram = min((vestnik.python("import aiogram.types") for _ in range(3)),
                          key=lambda t: t.wall)  # fmt: skip
        finally:
            server.stop()
    result: dict[str, float | str] = {
        "python_pass_wall_s": round(bare.wall, 3),
        "import_aiogram_wall_s": round(aiogram.wall, 3),
        "import_aiogram_cpu_s": round(aiogram.cpu, 3),
    }
    for name, runs in times.items():
        result[f"{name}_median_wall_s"] = round(statistics.median(t.wall for t in runs), 3)
        result[f"{name}_best_wall_s"] = round(min(t.wall for t in runs), 3)
        result[f"{name}_median_cpu_s"] = round(statistics.median(t.cpu for t in runs), 3)
    walls = {name: statistics.median(t.wall for t in runs) for name, runs in times.items()}
    slowest = max(walls, key=walls.__getitem__)
    result["slowest_command"] = slowest
    result["slowest_median_wall_s"] = round(walls[slowest], 3)
    result["target_s"] = TARGET_S
    result["all_within_target"] = "yes" if walls[slowest] <= TARGET_S else "no"
    return result


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
