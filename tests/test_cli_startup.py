"""`vestnik` commands that never talk to Telegram do not import aiogram, whose types alone
take seconds to load: each command runs in a fresh process against the test Redis, and
the process reports whether aiogram was ever imported. (How fast they start is measured
in `python -m bench cli`, never here.)"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.redis_server import RedisServerProcess
from storage.articles import ArticleRepo
from storage.channels import ChannelRepo
from storage.keys import Keys
from storage.models.article import Article
from storage.models.channel import Channel

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "politika-tokayev-almaty-hub.txt"
CHANNEL = -1001000000777
_PROBE = """
import sys
from bot.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
print("aiogram imported" if "aiogram" in sys.modules else "no aiogram", file=sys.stderr)
sys.exit(code)
"""


async def _run(env: dict[str, str], cwd: Path, *args: str, stdin: bytes = b"") -> str:
    """Run `vestnik ARGS` in a fresh process; its last stderr line (the probe's verdict)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _PROBE, *args, env=env, cwd=cwd,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await process.communicate(stdin)
    assert process.returncode == 0, err.decode()
    return err.decode().strip().splitlines()[-1]


async def _world(redis: Redis) -> tuple[str, str]:
    """A registered channel and two stored articles; the articles' ids."""
    keys = Keys("vestnik")
    await ChannelRepo(redis, keys).save(Channel(id=CHANNEL, title="Вестник", slots=["09:00"]))
    articles = ArticleRepo(redis, keys)
    ids = []
    for headline in ("Первая", "Вторая"):
        article = Article(rubric="Политика", headline=headline, lead="Лид.")
        ids.append((await articles.store(article)).article_id)
    return ids[0], ids[1]


@pytest.mark.parametrize(
    "command",
    ["--help", "typograph", "preview", "channels", "ledger", "queue", "retract"],
)
async def test_commands_without_telegram_never_import_aiogram(
    redis: Redis, redis_server: RedisServerProcess, tmp_path: Path, command: str
) -> None:
    first, second = await _world(redis)
    arguments = {
        "--help": ["--help"],
        "typograph": ["typograph"],
        "preview": ["preview", str(SAMPLE)],
        "channels": ["channels"],
        "ledger": ["ledger", first],
        "queue": ["queue", first, "--channel", str(CHANNEL), "--at", "2099-01-01T09:30"],
        "retract": ["retract", second],
    }[command]
    ours = ("BOT_TOKEN", "REDIS_URL", "REDIS_PREFIX", "DATA_DIR", "TELEGRAM_API_URL")
    env = {k: v for k, v in os.environ.items() if k not in ours}
    env.update(
        REDIS_URL=redis_server.url,
        REDIS_PREFIX="vestnik",
        DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(ROOT),
    )
    verdict = await _run(env, tmp_path, *arguments, stdin='Он сказал - "да".'.encode())
    assert verdict == "no aiogram"
